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

type CharTest = (c: number) => boolean;

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharTest = (c) => c === 32 || (c >= 9 && c <= 13);
const not =
  (t: CharTest): CharTest =>
  (c) =>
    !t(c);
const CLASS_ESCAPES: Record<string, CharTest> = { d: isDigit, D: not(isDigit), w: isWord, W: not(isWord), s: isSpace, S: not(isSpace) };
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11 };

/** One state: a character test, a split into two, an anchor (`^` start, `$` end), or the match. */
type State =
  | { kind: 'char'; test: CharTest; out: number }
  | { kind: 'split'; out: number; out1: number }
  | { kind: 'bol' | 'eol'; out: number }
  | { kind: 'match' };

/** A parsed piece: an atom with its repetition. */
interface Piece {
  atom: { kind: 'char'; test: CharTest } | { kind: 'bol' | 'eol' };
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
        return { kind: 'char', test: (c) => c !== 10 };
      case '[':
        return { kind: 'char', test: this.charClass(at) };
      case '\\':
        return { kind: 'char', test: this.escape(false) };
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
        return { kind: 'char', test: (c) => c === code };
      }
    }
  }

  /** After `\`: a class escape (\d \w \s and negations), a control character, or a literal symbol. */
  private escape(inClass: boolean): CharTest {
    const at = this.pos - 1;
    if (this.pos >= this.src.length) throw new RegexSyntaxError(at, 'a character after \\');
    const ch = this.src[this.pos++];
    if (CLASS_ESCAPES[ch]) return CLASS_ESCAPES[ch];
    if (CONTROL_ESCAPES[ch] !== undefined) {
      const code = CONTROL_ESCAPES[ch];
      return (c) => c === code;
    }
    if (/[A-Za-z0-9]/.test(ch)) {
      throw new RegexSyntaxError(
        at,
        `a supported escape (\\d \\D \\w \\W \\s \\S \\t \\n \\r${inClass ? '' : ' or an escaped symbol'})`,
        `unsupported escape \\${ch}`,
      );
    }
    const code = ch.charCodeAt(0);
    return (c) => c === code;
  }

  /** `[…]` or `[^…]` with characters, ranges `a-z` and class escapes. */
  private charClass(open: number): CharTest {
    let negate = false;
    if (this.src[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    const ranges: [number, number][] = [];
    const tests: CharTest[] = [];
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
    const inClass: CharTest = (c) => ranges.some(([lo, hi]) => c >= lo && c <= hi) || tests.some((t) => t(c));
    return negate ? not(inClass) : inClass;
  }

  /** One character of a class as a code, or undefined when it was a class escape (added to `tests`). */
  private classChar(tests: CharTest[]): number | undefined {
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
    p.atom.kind === 'char' ? add({ kind: 'char', test: p.atom.test, out: next }) : add({ kind: p.atom.kind, out: next });
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
  return { source, states: states.length, test: (text) => simulate(states, start, text) };
}

/** Runs the NFA over the text, adding the start state at every position (an unanchored search). */
function simulate(states: State[], start: number, text: string): boolean {
  const mark = new Uint32Array(states.length);
  let gen = 0;
  let current: number[] = [];
  let next: number[] = [];
  const n = text.length;
  const stack: number[] = [];
  // Adds `s` and what it reaches without reading a character; true when the match state is reached.
  const close = (s0: number, list: number[], at: number): boolean => {
    stack.push(s0);
    while (stack.length) {
      const s = stack.pop() as number;
      if (mark[s] === gen) continue;
      mark[s] = gen;
      const st = states[s];
      switch (st.kind) {
        case 'match':
          stack.length = 0;
          return true;
        case 'split':
          stack.push(st.out1, st.out);
          break;
        case 'bol':
          if (at === 0) stack.push(st.out);
          break;
        case 'eol':
          if (at === n) stack.push(st.out);
          break;
        case 'char':
          list.push(s);
      }
    }
    return false;
  };
  gen++;
  if (close(start, current, 0)) return true;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    gen++;
    next.length = 0;
    for (const s of current) {
      const st = states[s] as { test: CharTest; out: number };
      if (st.test(c) && close(st.out, next, i + 1)) return true;
    }
    if (close(start, next, i + 1)) return true;
    [current, next] = [next, current];
  }
  return false;
}
