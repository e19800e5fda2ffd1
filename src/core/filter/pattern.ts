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
type Equality = (v: Reached) => boolean;

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

  parse(): Test {
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

  private or(): Test {
    const terms = [this.and()];
    for (this.ws(); this.peek('||'); this.ws()) {
      this.pos += 2;
      terms.push(this.and());
    }
    if (terms.length === 1) return terms[0];
    return (r) => {
      for (const t of terms) if (t(r)) return true;
      return false;
    };
  }

  private and(): Test {
    const terms = [this.term()];
    for (this.ws(); this.peek('&&'); this.ws()) {
      this.pos += 2;
      terms.push(this.term());
    }
    if (terms.length === 1) return terms[0];
    return (r) => {
      for (const t of terms) if (!t(r)) return false;
      return true;
    };
  }

  private term(): Test {
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

  private condition(): Test {
    const steps = this.selector();
    this.ws();
    const at = this.pos;
    const w = this.word();
    if (w.toUpperCase() === 'IS') {
      this.keyword(['IS'], `an operator (${OPERATORS})`);
      const which = this.keyword(['NULL', 'TRUE', 'FALSE'], "NULL, TRUE or FALSE after 'IS'");
      const want = which === 'NULL' ? null : which === 'TRUE';
      return (r) => resolve(r, steps) === want;
    }
    if (w.toUpperCase() === 'NOT') {
      this.keyword(['NOT'], `an operator (${OPERATORS})`);
      this.keyword(['EXISTS'], "EXISTS after 'NOT'");
      return (r) => resolve(r, steps) === MISSING;
    }
    const op = ['!=', '<=', '>=', '=', '<', '>'].find((o) => this.peek(o));
    if (!op) {
      const found = this.pos >= this.src.length ? 'the end of the pattern' : `'${this.src[this.pos]}'`;
      return this.fail(at, `an operator after the selector (${OPERATORS}), found ${found}`);
    }
    this.pos += op.length;
    this.ws();
    if (op === '=' || op === '!=') {
      const eq = this.equality(op);
      if (op === '=') return (r) => eq(resolve(r, steps));
      return (r) => {
        const v = resolve(r, steps);
        return valueText(v) !== undefined && !eq(v);
      };
    }
    const n = this.number(op);
    const cmp: (v: number) => boolean = op === '<' ? (v) => v < n : op === '<=' ? (v) => v <= n : op === '>' ? (v) => v > n : (v) => v >= n;
    return (r) => {
      const v = resolve(r, steps);
      return typeof v === 'number' && cmp(v);
    };
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
      const matchText = textMatcher(this.quoted());
      return (v) => {
        const t = valueText(v);
        return t !== undefined && matchText(t);
      };
    }
    if (this.peek('%')) {
      const re = this.regex();
      return (v) => {
        const t = valueText(v);
        return t !== undefined && re.test(t);
      };
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
      return (v) => (typeof v === 'number' ? v === n : v === text);
    }
    const matchText = textMatcher(text);
    return (v) => {
      const t = valueText(v);
      return t !== undefined && matchText(t);
    };
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
  const test = parser.parse();
  const fields = Object.freeze([...parser.fields]);
  return Object.freeze({ text, fields, matches: (record: unknown) => test(record) });
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
