/**
 * The regular expressions CloudWatch Logs accepts between `%…%` in a filter pattern, compiled by
 * hand to a Thompson NFA and run by simulation: the time to test a string is at most its length
 * times the automaton's size, whatever the expression (no backtracking, so no catastrophic case).
 *
 * The subset (docs/filter-patterns.md §Regex): alphanumerics, the symbols `_ # = @ / ; , -`
 * and the operators `^ $ ? [ ] { } | \ * + .`; no parentheses (so no groups) and no multibyte
 * characters. Quantifiers apply to one atom: a character, `.`, a class `[…]` or an escape.
 */

import { Machine, type CharSet, type State } from './nfa';

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
