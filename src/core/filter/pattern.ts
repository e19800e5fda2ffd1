/**
 * CloudWatch Logs JSON filter patterns — `{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "Root") }` —
 * parsed in one pass and compiled to closures (docs/filter-patterns.md has the grammar and semantics).
 *
 * Parsing is linear in the pattern's length (at most MAX_PATTERN_LENGTH characters); matching an
 * event costs one walk per selector plus, per condition, one comparison linear in the field's
 * length (a `%regex%` term: the field's length times its automaton's size, see regex.ts).
 */
import { TrailLensError } from '../errors';
import { compileRegex, RegexSyntaxError, type SafeRegex } from './regex';

export interface FilterPattern {
  readonly text: string;
  matches(record: unknown): boolean;
  /** the selector paths it reads, e.g. ['errorCode','userIdentity.type'] */
  readonly fields: readonly string[];
  /** The parsed pattern, for translating it to another engine's language (src/core/engines/sql.ts). */
  readonly ast: PatternNode;
}

/** One selector step: a property name or an array index. */
export type PatternStep = string | number;

/**
 * The value after `=` / `!=`: `text` is a string (quoted, or bare and not a number) with `*` at
 * either end a wildcard; `number` is a bare number (it equals a JSON number of that value or a
 * string of exactly that text); `regex` is a `%regex%` term (an unanchored search).
 */
export type PatternValue =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string; readonly value: number }
  | { readonly kind: 'regex'; readonly source: string };

/** Where a condition is in the pattern: 1-based column and its text, for messages that name it. */
interface Located {
  readonly column: number;
  readonly source: string;
}

/** The syntax tree of a filter pattern; each condition with the semantics documented in docs/filter-patterns.md. */
export type PatternNode =
  | { readonly kind: 'and' | 'or'; readonly terms: readonly PatternNode[] }
  | (Located & { readonly kind: 'is'; readonly path: readonly PatternStep[]; readonly value: null | boolean })
  | (Located & { readonly kind: 'notExists'; readonly path: readonly PatternStep[] })
  | (Located & { readonly kind: 'equals'; readonly path: readonly PatternStep[]; readonly negated: boolean; readonly value: PatternValue })
  | (Located & {
      readonly kind: 'compare';
      readonly path: readonly PatternStep[];
      readonly op: '<' | '<=' | '>' | '>=';
      readonly value: number;
    });

/** A condition's node before its location is known. */
type Unlocated<T> = T extends unknown ? Omit<T, 'column' | 'source'> : never;

/** A parsed piece: its closure and its tree node. */
interface Built {
  test: Test;
  node: PatternNode;
}

/** A pattern that cannot be parsed: where (1-based column) and what was expected there. */
export class FilterPatternError extends TrailLensError {
  readonly column: number;
  readonly expected: string;
  constructor(column: number, expected: string, problem = `expected ${expected}`) {
    super('InvalidInput', `column ${column}: ${problem}`);
    this.name = 'FilterPatternError';
    this.column = column;
    this.expected = expected;
  }
}

/** CloudWatch's own limit on a filter pattern (PutMetricFilter `filterPattern`, 1024 characters). */
export const MAX_PATTERN_LENGTH = 1024;
/** CloudWatch allows at most two `%regex%` terms in one pattern. */
export const MAX_REGEX_TERMS = 2;

const NAME = /[A-Za-z0-9_-]/;
/** Characters of an unquoted value: `kms.amazonaws.com`, `123.123.*`, `AccessDenied*`, `+1000`, `10e-3`. */
const BARE = /[A-Za-z0-9_.*:/+-]/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const OPERATORS = '=, !=, <, <=, >, >=, IS NULL, NOT EXISTS, IS TRUE or IS FALSE';

type Test = (root: unknown) => boolean;
/** What a selector reached: a JSON value, or MISSING when a step does not exist. */
const MISSING: unique symbol = Symbol('missing');
type Reached = unknown | typeof MISSING;
type Step = string | number;

function resolve(root: unknown, steps: readonly Step[]): Reached {
  let v = root;
  for (const s of steps) {
    if (typeof s === 'number') {
      if (!Array.isArray(v) || s >= v.length) return MISSING;
      v = v[s];
    } else {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, s)) return MISSING;
      v = (v as Record<string, unknown>)[s];
    }
    if (v === undefined) return MISSING;
  }
  return v;
}

/** The text of a value node (a string, or a number's JSON text); undefined for anything else. */
function valueText(v: Reached): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** `*` at the start and/or end is a wildcard; one in the middle is a literal character. */
function textMatcher(value: string): (text: string) => boolean {
  if (value === '*' || value === '**') return () => true;
  const lead = value.startsWith('*');
  const trail = value.endsWith('*');
  const core = value.slice(lead ? 1 : 0, trail ? value.length - 1 : value.length);
  if (lead && trail) return (t) => t.includes(core);
  if (lead) return (t) => t.endsWith(core);
  if (trail) return (t) => t.startsWith(core);
  return (t) => t === value;
}

/** What follows `=` / `!=`: how it tests a value node. */
type Equality = { eq: (v: Reached) => boolean; value: PatternValue };

class Parser {
  private pos = 0;
  private regexes = 0;
  readonly fields: string[] = [];

  constructor(private readonly src: string) {}

  private fail(at: number, expected: string, problem?: string): never {
    throw new FilterPatternError(at + 1, expected, problem);
  }

  private ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private peek(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  private describeHere(): string {
    if (this.pos >= this.src.length) return 'the end of the pattern';
    return `'${[...this.src.slice(this.pos)][0]}'`;
  }

  parse(): Built {
    this.ws();
    if (!this.peek('{')) {
      this.fail(this.pos, `'{' to start a JSON filter pattern, e.g. { $.errorCode = "AccessDenied" }`);
    }
    this.pos++;
    this.ws();
    if (this.peek('}')) this.fail(this.pos, "a condition such as $.errorCode = \"AccessDenied\" between '{' and '}'");
    const test = this.or();
    this.ws();
    if (!this.peek('}')) this.fail(this.pos, `'&&', '||' or '}' after a condition, found ${this.describeHere()}`);
    this.pos++;
    this.ws();
    if (this.pos < this.src.length) this.fail(this.pos, `nothing after the closing '}', found ${this.describeHere()}`);
    return test;
  }

  private or(): Built {
    const built = [this.and()];
    for (this.ws(); this.peek('||'); this.ws()) {
      this.pos += 2;
      built.push(this.and());
    }
    if (built.length === 1) return built[0];
    const terms = built.map((b) => b.test);
    const test: Test = (r) => {
      for (const t of terms) if (t(r)) return true;
      return false;
    };
    return { test, node: { kind: 'or', terms: built.map((b) => b.node) } };
  }

  private and(): Built {
    const built = [this.term()];
    for (this.ws(); this.peek('&&'); this.ws()) {
      this.pos += 2;
      built.push(this.term());
    }
    if (built.length === 1) return built[0];
    const terms = built.map((b) => b.test);
    const test: Test = (r) => {
      for (const t of terms) if (!t(r)) return false;
      return true;
    };
    return { test, node: { kind: 'and', terms: built.map((b) => b.node) } };
  }

  private term(): Built {
    this.ws();
    if (this.peek('(')) {
      const open = this.pos++;
      const inner = this.or();
      this.ws();
      if (!this.peek(')')) this.fail(this.pos, `'&&', '||' or ')' to close the '(' at column ${open + 1}, found ${this.describeHere()}`);
      this.pos++;
      return inner;
    }
    if (this.peek('$')) return this.condition();
    if (this.peek('&') || this.peek('|')) this.fail(this.pos, `a condition, found ${this.describeHere()} (write && and ||)`);
    return this.fail(this.pos, `a selector such as $.eventName, or '(', found ${this.describeHere()}`);
  }

  /** `$` then `.name` and `[n]` steps; records the path in `fields`. */
  private selector(): Step[] {
    this.pos++; // $
    const steps: Step[] = [];
    let path = '';
    for (;;) {
      if (this.peek('.')) {
        const at = ++this.pos;
        while (this.pos < this.src.length && NAME.test(this.src[this.pos])) this.pos++;
        if (this.pos === at) this.fail(at, "a property name after '.' (letters, digits, '_' or '-')");
        const name = this.src.slice(at, this.pos);
        steps.push(name);
        path += path ? `.${name}` : name;
      } else if (this.peek('[')) {
        if (!steps.length) this.fail(this.pos, "'.' and a property name after '$' (an index [n] must follow a property)");
        const at = ++this.pos;
        while (this.pos < this.src.length && /\d/.test(this.src[this.pos])) this.pos++;
        if (this.pos === at || this.pos - at > 9) this.fail(at, "an array index (a whole number) after '['");
        const index = Number(this.src.slice(at, this.pos));
        if (!this.peek(']')) this.fail(this.pos, "']' after the array index");
        this.pos++;
        steps.push(index);
        path += `[${index}]`;
      } else break;
    }
    if (!steps.length) this.fail(this.pos, "'.' and a property name after '$', e.g. $.eventName");
    if (!this.fields.includes(path)) this.fields.push(path);
    return steps;
  }

  /** A word of letters at the position (for IS / NOT / NULL / EXISTS / TRUE / FALSE). */
  private word(): string {
    const m = /^[A-Za-z]+/.exec(this.src.slice(this.pos, this.pos + 16));
    return m ? m[0] : '';
  }

  private keyword(allowed: readonly string[], what: string): string {
    this.ws();
    const at = this.pos;
    const w = this.word();
    if (!allowed.includes(w)) {
      const upper = allowed.includes(w.toUpperCase()) ? ` (keywords are upper case: ${w.toUpperCase()})` : '';
      this.fail(at, `${what}${upper}`);
    }
    this.pos += w.length;
    return w;
  }

  private condition(): Built {
    const start = this.pos;
    const steps = this.selector();
    const built = this.operation(steps);
    const node = { ...built.node, column: start + 1, source: this.src.slice(start, this.pos) } as PatternNode;
    return { test: built.test, node };
  }

  private operation(steps: Step[]): { test: Test; node: Unlocated<Exclude<PatternNode, { kind: 'and' | 'or' }>> } {
    this.ws();
    const at = this.pos;
    const w = this.word();
    if (w.toUpperCase() === 'IS') {
      this.keyword(['IS'], `an operator (${OPERATORS})`);
      const which = this.keyword(['NULL', 'TRUE', 'FALSE'], "NULL, TRUE or FALSE after 'IS'");
      const want = which === 'NULL' ? null : which === 'TRUE';
      return { test: (r) => resolve(r, steps) === want, node: { kind: 'is', path: steps, value: want } };
    }
    if (w.toUpperCase() === 'NOT') {
      this.keyword(['NOT'], `an operator (${OPERATORS})`);
      this.keyword(['EXISTS'], "EXISTS after 'NOT'");
      return { test: (r) => resolve(r, steps) === MISSING, node: { kind: 'notExists', path: steps } };
    }
    const op = ['!=', '<=', '>=', '=', '<', '>'].find((o) => this.peek(o));
    if (!op) {
      const found = this.pos >= this.src.length ? 'the end of the pattern' : `'${this.src[this.pos]}'`;
      return this.fail(at, `an operator after the selector (${OPERATORS}), found ${found}`);
    }
    this.pos += op.length;
    this.ws();
    if (op === '=' || op === '!=') {
      const { eq, value } = this.equality(op);
      const node = { kind: 'equals' as const, path: steps, negated: op === '!=', value };
      if (op === '=') return { test: (r) => eq(resolve(r, steps)), node };
      const test: Test = (r) => {
        const v = resolve(r, steps);
        return valueText(v) !== undefined && !eq(v);
      };
      return { test, node };
    }
    const n = this.number(op);
    const cmp: (v: number) => boolean = op === '<' ? (v) => v < n : op === '<=' ? (v) => v <= n : op === '>' ? (v) => v > n : (v) => v >= n;
    const test: Test = (r) => {
      const v = resolve(r, steps);
      return typeof v === 'number' && cmp(v);
    };
    return { test, node: { kind: 'compare', path: steps, op: op as '<' | '<=' | '>' | '>=', value: n } };
  }

  private number(op: string): number {
    const at = this.pos;
    const text = this.peek('"') || this.peek('%') ? '' : this.bare();
    if (!text || !NUMBER.test(text)) {
      this.fail(
        at,
        `a number after '${op}' (like 10, -2.5 or 10e-3)`,
        `expected a number after '${op}' (like 10, -2.5 or 10e-3), found ${text ? `'${text}'` : this.describeHere()}`,
      );
    }
    return Number(text);
  }

  /** An unquoted value; stops at a space, `)`, `}`, `&` or `|`, and refuses other characters. */
  private bare(): string {
    const at = this.pos;
    while (this.pos < this.src.length && BARE.test(this.src[this.pos])) this.pos++;
    const ch = this.src[this.pos];
    if (this.pos < this.src.length && !/[\s)}&|]/.test(ch)) {
      const c = [...this.src.slice(this.pos)][0];
      this.fail(
        this.pos,
        'a double-quoted string for a value with this character',
        `'${c}' cannot appear in an unquoted value: put the value in double quotes`,
      );
    }
    return this.src.slice(at, this.pos);
  }

  /** The value after `=` / `!=`: a quoted or bare string (with `*` wildcards), a number, or `%regex%`. */
  private equality(op: string): Equality {
    const at = this.pos;
    if (this.peek('"')) {
      const text = this.quoted();
      const matchText = textMatcher(text);
      const eq = (v: Reached) => {
        const t = valueText(v);
        return t !== undefined && matchText(t);
      };
      return { eq, value: { kind: 'text', text } };
    }
    if (this.peek('%')) {
      const start = this.pos + 1;
      const re = this.regex();
      const eq = (v: Reached) => {
        const t = valueText(v);
        return t !== undefined && re.test(t);
      };
      return { eq, value: { kind: 'regex', source: this.src.slice(start, this.pos - 1) } };
    }
    if (this.peek('='))
      this.fail(
        at,
        `a value after '${op}' (a string, a number, or a quoted string)`,
        `expected a value after '${op}', found '=' (write = once)`,
      );
    const text = this.bare();
    if (!text) this.fail(at, `a value after '${op}' (a string, a number, or a quoted string)`);
    if (NUMBER.test(text)) {
      const n = Number(text);
      return { eq: (v) => (typeof v === 'number' ? v === n : v === text), value: { kind: 'number', text, value: n } };
    }
    const matchText = textMatcher(text);
    const eq = (v: Reached) => {
      const t = valueText(v);
      return t !== undefined && matchText(t);
    };
    return { eq, value: { kind: 'text', text } };
  }

  private quoted(): string {
    const open = this.pos++;
    let out = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos++];
      if (ch === '"') return out;
      if (ch === '\\' && this.pos < this.src.length) out += this.src[this.pos++];
      else out += ch;
    }
    return this.fail(open, `a closing '"' for the string that starts at column ${open + 1}`);
  }

  private regex(): SafeRegex {
    const open = this.pos++;
    const close = this.src.indexOf('%', this.pos);
    if (close < 0) this.fail(open, `a closing '%' for the regex that starts at column ${open + 1}`);
    if (++this.regexes > MAX_REGEX_TERMS) {
      this.fail(
        open,
        `at most ${MAX_REGEX_TERMS} %regex% terms`,
        `at most ${MAX_REGEX_TERMS} %regex% terms are allowed in one pattern (CloudWatch's limit)`,
      );
    }
    const body = this.src.slice(this.pos, close);
    try {
      const re = compileRegex(body);
      this.pos = close + 1;
      return re;
    } catch (err) {
      if (err instanceof RegexSyntaxError) this.fail(this.pos + err.offset, err.expected, err.problem);
      throw err;
    }
  }
}

/** Parses a CloudWatch Logs JSON filter pattern; throws FilterPatternError naming the column and what was expected. */
export function parseFilterPattern(text: string): FilterPattern {
  if (text.length > MAX_PATTERN_LENGTH) {
    throw new FilterPatternError(
      MAX_PATTERN_LENGTH + 1,
      `a pattern of at most ${MAX_PATTERN_LENGTH} characters`,
      `the pattern is ${text.length} characters long; CloudWatch allows at most ${MAX_PATTERN_LENGTH}`,
    );
  }
  const parser = new Parser(text);
  const { test, node } = parser.parse();
  const fields = Object.freeze([...parser.fields]);
  return Object.freeze({ text, fields, ast: node, matches: (record: unknown) => test(record) });
}

/**
 * The pattern, a caret under the column and the message, for a terminal or a monospaced box:
 *   { $.errorCode = }
 *                   ^
 *   column 17: expected a value after '=' (a string, a number, or a quoted string)
 * A long pattern is cut to the 60 characters either side of the column.
 */
export function describePatternError(pattern: string, err: FilterPatternError): string {
  const line = pattern.replace(/[\r\n\t]/g, ' ');
  const col = Math.min(err.column, line.length + 1);
  const from = Math.max(0, col - 1 - 60);
  const to = Math.min(line.length, col - 1 + 60);
  const shown = `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
  const caret = ' '.repeat(col - 1 - from + (from > 0 ? 1 : 0)) + '^';
  return `${shown}\n${caret}\n${err.message}`;
}
