/**
 * The automaton a `%regex%` compiles to (regex.ts) and its simulation: flat typed arrays, one pass
 * over the text, no backtracking — the time to test a text is at most its length times the number
 * of states.
 */

/** A set of UTF-16 code units as sorted, disjoint, inclusive [lo, hi] pairs, flattened: [lo0, hi0, lo1, hi1, …]. */
export type CharSet = readonly number[];

/** One state: a character test, a split into two, an anchor (`^` start, `$` end), or the match. */
export type State =
  | { kind: 'char'; set: CharSet; out: number; code?: number }
  | { kind: 'split'; out: number; out1: number }
  | { kind: 'bol' | 'eol'; out: number }
  | { kind: 'match' };

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
export class Machine {
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
