/**
 * The regular expressions CloudWatch Logs accepts between `%…%` in a filter pattern, compiled by
 * hand to a Thompson NFA and run by simulation: the time to test a string is at most its length
 * times the automaton's size, whatever the expression (no backtracking, so no catastrophic case).
 *
 * The subset (docs/filter-patterns.md §Regex): alphanumerics, the symbols `_ # = @ / ; , -`
 * and the operators `^ $ ? [ ] { } | \ * + .`; no parentheses (so no groups) and no multibyte
 * characters. Quantifiers apply to one atom: a character, `.`, a class `[…]` or an escape.
 */

/** Where in the regex text (0-based) a problem is, and what was expected there. */
export class RegexSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
    readonly problem = `expected ${expected}`,
  ) {
    super(problem);
  }
}

/** The largest count allowed in `{n,m}` (RE2's limit, which CloudWatch's regex follows). */
export const MAX_REPEAT = 1000;
/** The most states one regex may compile to; bounds the cost of a test to this times the text length. */
export const MAX_REGEX_STATES = 2000;

const ALLOWED = /^[A-Za-z0-9_#=@/;,\-^$?[\]{}|\\*+.]$/;

/** A set of UTF-16 code units as sorted, disjoint, inclusive [lo, hi] pairs, flattened: [lo0, hi0, lo1, hi1, …]. */
type CharSet = readonly number[];

const MAX_CODE = 0xffff;

/** Sorts and merges pairs into a CharSet. */
function normalize(pairs: [number, number][]): CharSet {
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    if (out.length && lo <= out[out.length - 1] + 1) out[out.length - 1] = Math.max(out[out.length - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let k = 0; k < set.length; k += 2) {
    if (set[k] > next) out.push(next, set[k] - 1);
    next = set[k + 1] + 1;
  }
  if (next <= MAX_CODE) out.push(next, MAX_CODE);
  return out;
}

const pairsOf = (set: CharSet): [number, number][] => Array.from({ length: set.length / 2 }, (_, k) => [set[2 * k], set[2 * k + 1]]);

const DIGIT: CharSet = [48, 57];
const WORD: CharSet = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE: CharSet = [9, 13, 32, 32];
const ANY_BUT_NEWLINE = complement([10, 10]);
const CLASS_ESCAPES: Record<string, CharSet> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11 };

/** One state: a character test, a split into two, an anchor (`^` start, `$` end), or the match. */
type State =
  | { kind: 'char'; set: CharSet; out: number; code?: number }
  | { kind: 'split'; out: number; out1: number }
  | { kind: 'bol' | 'eol'; out: number }
  | { kind: 'match' };

/** A parsed piece: an atom with its repetition. */
interface Piece {
  /** `code`: the atom is this one character (for the skip-ahead search). */
  atom: { kind: 'char'; set: CharSet; code?: number } | { kind: 'bol' | 'eol' };
  min: number;
  max: number; // Infinity: unbounded
}

class RegexParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Piece[][] {
    for (let i = 0; i < this.src.length; i++) {
      const ch = this.src[i];
      if (!ALLOWED.test(ch)) {
        const what = ch === '(' || ch === ')' ? 'parentheses (groups) are not supported' : `'${ch}' is not allowed`;
        throw new RegexSyntaxError(
          i,
          'a character CloudWatch regex allows',
          `${what} in a %regex%: CloudWatch allows letters, digits, _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + .`,
        );
      }
    }
    const alternatives: Piece[][] = [this.sequence()];
    while (this.pos < this.src.length && this.src[this.pos] === '|') {
      this.pos++;
      alternatives.push(this.sequence());
    }
    return alternatives;
  }

  private sequence(): Piece[] {
    const pieces: Piece[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== '|') {
      const at = this.pos;
      const atom = this.atom();
      const piece: Piece = { atom, min: 1, max: 1 };
      if (this.quantifier(piece) && atom.kind !== 'char') {
        throw new RegexSyntaxError(
          at,
          'something to repeat before the quantifier',
          `nothing to repeat: '${this.src[at]}' cannot be repeated`,
        );
      }
      if (this.pos < this.src.length && '*+?{'.includes(this.src[this.pos])) {
        throw new RegexSyntaxError(this.pos, 'one quantifier per atom', `a quantifier cannot follow another ('${this.src[this.pos]}')`);
      }
      pieces.push(piece);
    }
    return pieces;
  }

  private atom(): Piece['atom'] {
    const at = this.pos;
    const ch = this.src[this.pos++];
    switch (ch) {
      case '^':
        return { kind: 'bol' };
      case '$':
        return { kind: 'eol' };
      case '.':
        return { kind: 'char', set: ANY_BUT_NEWLINE };
      case '[':
        return { kind: 'char', set: this.charClass(at) };
      case '\\':
        return { kind: 'char', set: this.escape(false) };
      case '*':
      case '+':
      case '?':
      case '{':
        throw new RegexSyntaxError(at, 'something to repeat before the quantifier', `nothing to repeat before '${ch}'`);
      case ']':
      case '}':
        throw new RegexSyntaxError(
          at,
          `'\\${ch}' for a literal '${ch}'`,
          `'${ch}' has no opening bracket: write \\${ch} for the character`,
        );
      default: {
        const code = ch.charCodeAt(0);
        return { kind: 'char', set: [code, code], code };
      }
    }
  }

  /** After `\`: a class escape (\d \w \s and negations), a control character, or a literal symbol. */
  private escape(inClass: boolean): CharSet {
    const at = this.pos - 1;
    if (this.pos >= this.src.length) throw new RegexSyntaxError(at, 'a character after \\');
    const ch = this.src[this.pos++];
    if (CLASS_ESCAPES[ch]) return CLASS_ESCAPES[ch];
    if (CONTROL_ESCAPES[ch] !== undefined) return [CONTROL_ESCAPES[ch], CONTROL_ESCAPES[ch]];
    if (/[A-Za-z0-9]/.test(ch)) {
      throw new RegexSyntaxError(
        at,
        `a supported escape (\\d \\D \\w \\W \\s \\S \\t \\n \\r${inClass ? '' : ' or an escaped symbol'})`,
        `unsupported escape \\${ch}`,
      );
    }
    const code = ch.charCodeAt(0);
    return [code, code];
  }

  /** `[…]` or `[^…]` with characters, ranges `a-z` and class escapes. */
  private charClass(open: number): CharSet {
    let negate = false;
    if (this.src[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    const ranges: [number, number][] = [];
    const tests: CharSet[] = [];
    let first = true;
    for (;;) {
      if (this.pos >= this.src.length) throw new RegexSyntaxError(open, `']' to close the '[' at offset ${open + 1}`);
      const ch = this.src[this.pos];
      if (ch === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      const lo = this.classChar(tests);
      if (lo === undefined) continue;
      if (this.src[this.pos] === '-' && this.pos + 1 < this.src.length && this.src[this.pos + 1] !== ']') {
        this.pos++;
        const rangeAt = this.pos;
        const hi = this.classChar(tests);
        if (hi === undefined || hi < lo) throw new RegexSyntaxError(rangeAt, 'the end of a range, not below its start');
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    const inClass = normalize([...ranges, ...tests.flatMap(pairsOf)]);
    return negate ? complement(inClass) : inClass;
  }

  /** One character of a class as a code, or undefined when it was a class escape (added to `tests`). */
  private classChar(tests: CharSet[]): number | undefined {
    const ch = this.src[this.pos++];
    if (ch !== '\\') return ch.charCodeAt(0);
    const next = this.src[this.pos];
    if (next !== undefined && CLASS_ESCAPES[next]) {
      this.pos++;
      tests.push(CLASS_ESCAPES[next]);
      return undefined;
    }
    if (next !== undefined && CONTROL_ESCAPES[next] !== undefined) {
      this.pos++;
      return CONTROL_ESCAPES[next];
    }
    this.escape(true);
    return this.src.charCodeAt(this.pos - 1);
  }

  /** Reads `* + ? {n} {n,} {n,m}` into the piece; false when there is none. */
  private quantifier(piece: Piece): boolean {
    const ch = this.src[this.pos];
    if (ch === '*') [piece.min, piece.max] = [0, Infinity];
    else if (ch === '+') [piece.min, piece.max] = [1, Infinity];
    else if (ch === '?') [piece.min, piece.max] = [0, 1];
    else if (ch === '{') return this.counted(piece);
    else return false;
    this.pos++;
    return true;
  }

  private counted(piece: Piece): boolean {
    const open = this.pos;
    const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.src.slice(open, open + 12));
    if (!m) throw new RegexSyntaxError(open, "a count {n}, {n,} or {n,m} after '{' (write \\{ for the character)");
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
      throw new RegexSyntaxError(open, `a count of at most ${MAX_REPEAT}`, `a repeat count above ${MAX_REPEAT}`);
    }
    if (max < min) throw new RegexSyntaxError(open, 'a count {n,m} with n ≤ m');
    piece.min = min;
    piece.max = max;
    this.pos = open + m[0].length;
    return true;
  }
}

/** A compiled regex: `test` is unanchored (like RegExp.test) unless it starts with `^` / ends with `$`. */
export interface SafeRegex {
  readonly source: string;
  readonly states: number;
  test(text: string): boolean;
}

/** Compiles a CloudWatch `%regex%` body; throws RegexSyntaxError with the offset of the problem. */
export function compileRegex(source: string): SafeRegex {
  if (!source.length) throw new RegexSyntaxError(0, "a regular expression between '%' and '%'");
  const alternatives = new RegexParser(source).parse();
  const states: State[] = [{ kind: 'match' }];
  const add = (s: State): number => {
    if (states.length >= MAX_REGEX_STATES) {
      throw new RegexSyntaxError(
        0,
        `a regex of at most ${MAX_REGEX_STATES} states`,
        `the regex is too large once its repeats are expanded`,
      );
    }
    states.push(s);
    return states.length - 1;
  };
  const atomState = (p: Piece, next: number): number =>
    p.atom.kind === 'char' ? add({ kind: 'char', set: p.atom.set, code: p.atom.code, out: next }) : add({ kind: p.atom.kind, out: next });
  const piece = (p: Piece, next: number): number => {
    let cur = next;
    if (p.max === Infinity) {
      const loop = add({ kind: 'split', out: -1, out1: next });
      (states[loop] as { out: number }).out = atomState(p, loop);
      cur = loop;
    } else {
      for (let k = 0; k < p.max - p.min; k++) cur = add({ kind: 'split', out: atomState(p, cur), out1: next });
    }
    for (let k = 0; k < p.min; k++) cur = atomState(p, cur);
    return cur;
  };
  const starts = alternatives.map((seq) => seq.reduceRight((next, p) => piece(p, next), 0));
  let start = starts[starts.length - 1];
  for (let i = starts.length - 2; i >= 0; i--) start = add({ kind: 'split', out: starts[i], out1: start });
  // The literal text every match starts with: one alternative, beginning with single literal characters.
  let prefix = '';
  if (alternatives.length === 1) {
    for (const p of alternatives[0]) {
      if (p.atom.kind !== 'char' || p.atom.code === undefined || p.min !== 1 || p.max !== 1) break;
      prefix += String.fromCharCode(p.atom.code);
    }
  }
  const machine = new Machine(states, start, prefix);
  const required = requiredLiterals(alternatives);
  return {
    source,
    states: states.length,
    // A text without one of the literals every match contains cannot match: includes() says so at once.
    test: (text) => required.every((lit) => text.includes(lit)) && machine.test(text),
  };
}

/**
 * The runs of literal characters every match contains, when there is one alternative: consecutive
 * pieces that are one literal character exactly once (`Effect.{3}Deny` → Effect, Deny).
 */
function requiredLiterals(alternatives: Piece[][]): string[] {
  if (alternatives.length !== 1) return [];
  const out: string[] = [];
  let run = '';
  for (const p of alternatives[0]) {
    if (p.atom.kind === 'char' && p.atom.code !== undefined && p.min === 1 && p.max === 1) run += String.fromCharCode(p.atom.code);
    else {
      if (run.length > 1) out.push(run);
      run = '';
    }
  }
  if (run.length > 1) out.push(run);
  return out;
}

const CHAR = 0;
const SPLIT = 1;
const BOL = 2;
const EOL = 3;
const MATCH = 4;
const KINDS = { char: CHAR, split: SPLIT, bol: BOL, eol: EOL, match: MATCH } as const;

/**
 * Runs the NFA over the text, adding the start state at every position (an unanchored search), in
 * time linear in the text times the number of states, in flat typed arrays (no allocation per
 * character). When no thread is alive it skips ahead to where a match can begin: indexOf of the
 * literal prefix every match starts with, or the next character a first state accepts; a regex
 * anchored with `^` stops after the first position.
 */
class Machine {
  private readonly kind: Uint8Array;
  private readonly out: Int32Array;
  private readonly out1: Int32Array;
  /** The character a state reads when it is one literal character, else -1 (then its ranges). */
  private readonly code: Int32Array;
  /** A character state's ranges: pairs in `ranges` from `from[s]` to `to[s]` (exclusive). */
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly ranges: Int32Array;
  private readonly mark: Uint32Array;
  private gen = 0;
  private readonly stack: Int32Array;
  private lists: [Int32Array, Int32Array];
  private length = 0;
  /** The character states the start reaches away from both ends of the text. */
  private readonly first: Int32Array;
  /** The literal text every match starts with (when there is one alternative beginning with literals). */
  private readonly prefix: string;
  /** The state after reading the prefix, when the prefix does not overlap itself; else -1. */
  private readonly afterPrefix: number = -1;
  /**
   * Finds the prefix: a RegExp of literal characters only (no quantifier, so nothing to backtrack),
   * which V8 searches with a table built once — faster than indexOf's per-call set-up.
   */
  private readonly prefixSearch: RegExp | undefined;
  /** Where land() left the search. */
  private pos = 0;

  constructor(
    states: State[],
    private readonly start: number,
    prefix: string,
  ) {
    const n = states.length;
    this.kind = new Uint8Array(n);
    this.out = new Int32Array(n).fill(-1);
    this.out1 = new Int32Array(n).fill(-1);
    this.code = new Int32Array(n).fill(-1);
    this.from = new Int32Array(n);
    this.to = new Int32Array(n);
    const ranges: number[] = [];
    states.forEach((st, i) => {
      this.kind[i] = KINDS[st.kind];
      if (st.kind !== 'match') this.out[i] = st.out;
      if (st.kind === 'split') this.out1[i] = st.out1;
      if (st.kind === 'char') {
        if (st.code !== undefined) this.code[i] = st.code;
        this.from[i] = ranges.length;
        ranges.push(...st.set);
        this.to[i] = ranges.length;
      }
    });
    this.ranges = Int32Array.from(ranges);
    this.mark = new Uint32Array(n);
    this.stack = new Int32Array(2 * n + 2);
    this.lists = [new Int32Array(n), new Int32Array(n)];
    this.gen++;
    this.length = 0;
    this.close(start, this.lists[0], false, false);
    this.first = this.lists[0].slice(0, this.length);
    this.prefix = prefix;
    this.prefixSearch = prefix ? new RegExp(prefix.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'g') : undefined;
    let overlaps = false;
    for (let k = 1; k < prefix.length && !overlaps; k++) overlaps = prefix.startsWith(prefix.slice(k));
    if (prefix && !overlaps) {
      // The prefix is a chain of single-character states from the start.
      let st = start;
      for (let k = 0; k < prefix.length; k++) st = this.out[st];
      this.afterPrefix = st;
    }
  }

  /** Adds `s0` and what it reaches without reading a character to `list`; true when that reaches the match. */
  private close(s0: number, list: Int32Array, atStart: boolean, atEnd: boolean): boolean {
    const { stack, mark, kind, out, out1 } = this;
    const gen = this.gen;
    let top = 0;
    stack[top++] = s0;
    while (top) {
      const s = stack[--top];
      if (mark[s] === gen) continue;
      mark[s] = gen;
      switch (kind[s]) {
        case MATCH:
          return true;
        case SPLIT:
          stack[top++] = out1[s];
          stack[top++] = out[s];
          break;
        case BOL:
          if (atStart) stack[top++] = out[s];
          break;
        case EOL:
          if (atEnd) stack[top++] = out[s];
          break;
        default:
          list[this.length++] = s;
      }
    }
    return false;
  }

  /** Adds the start's states for a position away from both ends (always the same ones). */
  private addFirst(list: Int32Array): void {
    const { first, mark, gen } = this;
    for (let k = 0; k < first.length; k++) {
      const s = first[k];
      if (mark[s] !== gen) {
        mark[s] = gen;
        list[this.length++] = s;
      }
    }
  }

  /** Whether character state `s` reads `c`. */
  private reads(s: number, c: number): boolean {
    const code = this.code[s];
    if (code >= 0) return code === c;
    const { ranges } = this;
    for (let k = this.from[s], end = this.to[s]; k < end; k += 2) {
      if (c < ranges[k]) return false;
      if (c <= ranges[k + 1]) return true;
    }
    return false;
  }

  /** The first position ≥ i where a match could begin, or the text's length. */
  private skip(text: string, i: number): number {
    if (this.prefixSearch) {
      this.prefixSearch.lastIndex = i;
      return this.prefixSearch.test(text) ? this.prefixSearch.lastIndex - this.prefix.length : text.length;
    }
    const { first } = this;
    if (!first.length) return text.length;
    let j = i;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      for (let k = 0; k < first.length; k++) if (this.reads(first[k], c)) return j;
    }
    return j;
  }

  /**
   * Starts threads at position j, where skip found the prefix (or a possible first character):
   * with `jump`, past the prefix in one go (no other match can begin inside a prefix that does not
   * overlap itself). Sets `pos` and the list's `length`; true when a match is reached.
   */
  private land(text: string, j: number, list: Int32Array): boolean {
    this.gen++;
    this.length = 0;
    if (this.afterPrefix >= 0) {
      this.pos = j + this.prefix.length;
      if (this.close(this.afterPrefix, list, false, this.pos === text.length)) return true;
    } else this.pos = j;
    if (this.pos < text.length) this.addFirst(list);
    return false;
  }

  test(text: string): boolean {
    const n = text.length;
    const { out, kind, mark, first } = this;
    let [current, next] = this.lists;
    this.gen++;
    this.length = 0;
    let i = 0;
    if (n && this.prefix) {
      // Every match begins with the prefix: go straight to where it first occurs.
      const j = text.startsWith(this.prefix) ? 0 : this.skip(text, 1);
      if (j >= n) return false;
      if (this.land(text, j, current)) return true;
      i = this.pos;
    } else if (this.close(this.start, current, true, n === 0)) return true;
    let count = this.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      const gen = ++this.gen;
      const last = i + 1 === n;
      let len = 0;
      for (let k = 0; k < count; k++) {
        const s = current[k];
        if (!this.reads(s, c)) continue;
        const o = out[s];
        // Most states lead to one character state: add it without the closure's stack.
        if (kind[o] === CHAR) {
          if (mark[o] !== gen) {
            mark[o] = gen;
            next[len++] = o;
          }
          continue;
        }
        this.length = len;
        if (this.close(o, next, false, last)) return true;
        len = this.length;
      }
      i++;
      if (!len && i < n) {
        // No thread is alive: skip to where a match can begin.
        const j = this.skip(text, i);
        if (j < n && (j !== i || this.afterPrefix >= 0)) {
          if (this.land(text, j, next)) return true;
          i = this.pos;
          count = this.length;
          [current, next] = [next, current];
          continue;
        }
        if (j >= n) {
          i = n;
          this.gen++;
        }
      }
      if (i === n) {
        this.length = len;
        if (this.close(this.start, next, false, true)) return true;
        len = this.length;
      } else {
        const g = this.gen;
        for (let k = 0; k < first.length; k++) {
          const s = first[k];
          if (mark[s] !== g) {
            mark[s] = g;
            next[len++] = s;
          }
        }
      }
      count = len;
      const t = current;
      current = next;
      next = t;
    }
    return false;
  }
}
