/**
 * Characters a paste can carry that a person does not see: zero-width spaces and joiners, bidi
 * marks, embeddings, overrides and isolates, the soft hyphen, the BOM, word joiners, and the
 * no-break spaces (which look like a space but are not one to a regex that wants an ID to go on).
 * Inside a request ID they cut it short, so a search runs for a truncated ID and finds nothing.
 * `cleanText` removes them and keeps a map back to the original offsets, so editor positions and
 * cursor offsets stay right. Linear time: one pass, and a bounded look around each no-break space.
 */
import { countBelow } from './spans';

export interface InvisibleChar {
  /** Offset in the original text. */
  at: number;
  /** 'U+200B' */
  code: string;
  name: string;
}

export interface CleanText {
  text: string;
  /** What was removed (no-break spaces turned into plain spaces are not listed). */
  removed: InvisibleChar[];
  /** Offset in the original text → offset in `text`. */
  toClean(offset: number): number;
  /** Offset in `text` → offset in the original (an end offset maps past the last character it covers). */
  toOriginal(offset: number, end?: boolean): number;
}

const NAMES: Readonly<Record<number, string>> = {
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
  0x00a0: 'NO-BREAK SPACE',
  0x2007: 'FIGURE SPACE',
  0x202f: 'NARROW NO-BREAK SPACE',
};

const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00a0\u2007\u202f]/;
const NO_BREAK = new Set([0x00a0, 0x2007, 0x202f]);
const ID_CHAR = /[0-9A-Za-z-]/;
const UUID_ACROSS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** 'U+200B ZERO WIDTH SPACE' */
export function describeInvisible(c: InvisibleChar): string {
  return `${c.code} ${c.name}`;
}

function codeOf(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');

/**
 * A no-break space splits words (keep it, as a plain space) unless it sits inside an ID: when the
 * ID characters on both sides, joined, hold a UUID across it (bounded: 40 characters each side).
 */
function insideUuid(text: string, i: number): boolean {
  let left = '';
  for (let k = i - 1; k >= 0 && left.length < 40; k--) {
    if (INVISIBLE.test(text[k]) && !NO_BREAK.has(text.charCodeAt(k))) continue;
    if (!ID_CHAR.test(text[k])) break;
    left = text[k] + left;
  }
  let right = '';
  for (let k = i + 1; k < text.length && right.length < 40; k++) {
    if (INVISIBLE.test(text[k]) && !NO_BREAK.has(text.charCodeAt(k))) continue;
    if (!ID_CHAR.test(text[k])) break;
    right += text[k];
  }
  if (!left || !right) return false;
  const joined = left + right;
  UUID_ACROSS.lastIndex = 0;
  for (let m = UUID_ACROSS.exec(joined); m; m = UUID_ACROSS.exec(joined)) {
    if (m.index < left.length && m.index + m[0].length > left.length) return true;
  }
  return false;
}

/** `text` without its invisible characters, with the map between the two texts' offsets. */
export function cleanText(text: string): CleanText {
  if (!INVISIBLE.test(text)) {
    return { text, removed: [], toClean: (o) => o, toOriginal: (o) => o };
  }
  const parts: string[] = [];
  const removed: InvisibleChar[] = [];
  /** Original offsets of removed characters, ascending. */
  const gone: number[] = [];
  let from = 0;
  INVISIBLE_ALL.lastIndex = 0;
  for (let m = INVISIBLE_ALL.exec(text); m; m = INVISIBLE_ALL.exec(text)) {
    const i = m.index;
    const cp = text.charCodeAt(i);
    parts.push(text.slice(from, i));
    from = i + 1;
    if (NO_BREAK.has(cp) && !insideUuid(text, i)) {
      parts.push(' ');
      continue;
    }
    removed.push({ at: i, code: codeOf(cp), name: NAMES[cp] ?? 'invisible character' });
    gone.push(i);
  }
  parts.push(text.slice(from));
  /** How many removed characters stand before original offset `o`. */
  const goneBefore = (o: number): number => countBelow(gone, o);
  /** Clean offset c → original: c plus the removed characters before the kept one (gone is ascending). */
  const keptAt = (c: number): number => {
    let lo = c;
    let hi = c + gone.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (mid - goneBefore(mid + 1) >= c) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const clean = parts.join('');
  const toOriginal = (c: number, end = false): number => {
    if (end) return c <= 0 ? 0 : keptAt(c - 1) + 1;
    return c >= clean.length ? text.length : keptAt(c);
  };
  return { text: clean, removed, toClean: (o) => o - goneBefore(o), toOriginal };
}
