/**
 * SQL for Athena (Trino) over AWS's CloudTrail table (schema.ts): request-ID searches and filter
 * patterns, each bounded by the time window twice — on the projected day partition, which is what
 * bounds the bytes scanned, and on `eventtime`, which is what makes the answer exact.
 *
 * The SQL stays in the subset Trino and DuckDB (the fake Athena's engine) share; docs/engines.md
 * lists each difference met and how the fake bridges it. A filter-pattern condition with no exact
 * SQL form is refused with an error naming it; one whose SQL is exact except for a documented
 * corner of the table's storage carries a caveat shown with the query.
 */
import { TrailLensError } from '../errors';
import type { FilterPattern, PatternNode, PatternStep, PatternValue } from '../filter/pattern';
import { formatUtc, type TimeWindow } from '../time';
import { CLOUDTRAIL_COLUMNS, PARTITION_DAY, isNested, type Column, type ColumnType } from './schema';

/** A generated query: its text and what the reader should know about how exact it is. */
export interface GeneratedQuery {
  readonly sql: string;
  readonly caveats: readonly string[];
}

/** A filter-pattern condition that SQL over the CloudTrail table cannot express exactly. */
export class UntranslatableError extends TrailLensError {
  constructor(part: string, column: number, why: string) {
    super('InvalidInput', `cannot translate ${part} (column ${column}) to SQL: ${why}`, {
      hint: 'Search with LookupEvents or CloudWatch Logs, which apply filter patterns as written, or simplify the condition.',
    });
    this.name = 'UntranslatableError';
  }
}

/** CloudTrail delivers a file up to ~15 minutes after its events; the last day folder searched covers that. */
export const DELIVERY_LAG_MS = 15 * 60_000;

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A table name for FROM: `database.table` or `table`, each part double-quoted. */
export function tableName(table: string, database?: string): string {
  const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return database ? `${ident(database)}.${ident(table)}` : ident(table);
}

function day(d: Date): string {
  return formatUtc(d, 'iso').slice(0, 10).replace(/-/g, '/');
}

/** The window on the day partition (file delivery may trail the events by DELIVERY_LAG_MS) and on eventtime. */
export function windowPredicate(window: TimeWindow): string {
  const lastDay = new Date(window.end.getTime() + DELIVERY_LAG_MS);
  return [
    `"${PARTITION_DAY}" BETWEEN ${sqlString(day(window.start))} AND ${sqlString(day(lastDay))}`,
    `eventtime >= ${sqlString(formatUtc(window.start, 'iso'))}`,
    `eventtime <= ${sqlString(formatUtc(window.end, 'iso'))}`,
  ].join('\n  AND ');
}

/** The columns selected: nested ones as JSON text, so a result row maps back to a record (results.ts). */
export function selectList(): string {
  return CLOUDTRAIL_COLUMNS.map((c) => {
    const name = c.name.toLowerCase();
    return isNested(c.type) ? `CAST(${name} AS JSON) AS ${name}` : name;
  }).join(', ');
}

export interface QueryTarget {
  table: string;
  database?: string;
  window: TimeWindow;
  /** The most rows returned (default 1000). */
  limit?: number;
}

function query(target: QueryTarget, where: string): string {
  const limit = target.limit ?? 1000;
  return [
    `SELECT ${selectList()}`,
    `FROM ${tableName(target.table, target.database)}`,
    `WHERE ${windowPredicate(target.window)}`,
    `  AND ${where}`,
    `ORDER BY eventtime DESC`,
    `LIMIT ${limit}`,
  ].join('\n');
}

/** `WHERE requestid = '…'` inside the window. */
export function requestIdQuery(target: QueryTarget, requestId: string): GeneratedQuery {
  return { sql: query(target, `requestid = ${sqlString(requestId)}`), caveats: [] };
}

/** A filter pattern as a WHERE clause inside the window; throws UntranslatableError naming the condition it cannot express. */
export function patternQuery(target: QueryTarget, pattern: FilterPattern): GeneratedQuery {
  const caveats: string[] = [];
  const where = translate(pattern.ast, caveats);
  return { sql: query(target, where), caveats: [...new Set(caveats)] };
}

/**
 * Where a condition's SQL differs: Athena's table (strings, JSON text) or CloudTrail Lake's schema
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html):
 * readOnly a boolean, eventTime a timestamp, requestParameters and the other documents
 * map<string,string>, names in CloudTrail's case.
 */
export type Dialect = 'athena' | 'lake';

/** The WHERE condition for a pattern's tree; caveats are appended to `caveats`. */
export function patternCondition(pattern: FilterPattern, caveats: string[] = [], dialect: Dialect = 'athena'): string {
  return translate(pattern.ast, caveats, dialect);
}

type Condition = Exclude<PatternNode, { kind: 'and' | 'or' }>;

function translate(node: PatternNode, caveats: string[], dialect: Dialect = 'athena'): string {
  if (node.kind === 'and' || node.kind === 'or') {
    const op = node.kind === 'and' ? ' AND ' : ' OR ';
    return `(${node.terms.map((t) => translate(t, caveats, dialect)).join(op)})`;
  }
  return condition(node as Condition, caveats, dialect);
}

/** Where a selector lands in the table: a string-like SQL expression and what kind of value it is. */
type Target =
  | { kind: 'string'; expr: string; label: string }
  | { kind: 'bool'; expr: string; label: string }
  | { kind: 'inJson'; column: string; path: string; label: string }
  | { kind: 'jsonDocument'; expr: string; label: string };

function pathLabel(steps: readonly PatternStep[]): string {
  return '$' + steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
}

/** Lake columns whose type is a timestamp, which a filter pattern's text values do not compare with. */
const LAKE_TIMESTAMPS = new Set(['eventTime', 'userIdentity.sessionContext.attributes.creationDate']);

function locate(node: Condition, dialect: Dialect): Target {
  const fail = (why: string): never => {
    throw new UntranslatableError(`'${node.source}'`, node.column, why);
  };
  const label = pathLabel(node.path);
  let columns: readonly Column[] = CLOUDTRAIL_COLUMNS;
  let expr = '';
  for (let i = 0; i < node.path.length; i++) {
    const step = node.path[i];
    if (typeof step === 'number') return fail(`${pathLabel(node.path.slice(0, i))} is not an array`);
    const column = columns.find((c) => c.name === step);
    if (!column) {
      const near = columns.find((c) => c.name.toLowerCase() === step.toLowerCase());
      const where = i === 0 ? 'the CloudTrail table' : pathLabel(node.path.slice(0, i));
      return fail(
        near
          ? `'${step}' is not a field of ${where} (names are case-sensitive: '${near.name}')`
          : `'${step}' is not a field of ${where}, so the table cannot say whether a record has it`,
      );
    }
    const name = dialect === 'lake' ? column.name : column.name.toLowerCase();
    expr = expr ? `${expr}.${name}` : name;
    const type: ColumnType = column.type;
    const rest = node.path.slice(i + 1);
    if (dialect === 'lake' && LAKE_TIMESTAMPS.has(node.path.slice(0, i + 1).join('.')))
      return fail(`${label} is a timestamp in CloudTrail Lake; the search window bounds eventTime`);
    if (type.kind === 'struct') {
      columns = type.fields;
      if (!rest.length) return fail(`${label} is an object; a condition needs a value field inside it`);
      continue;
    }
    if (type.kind === 'json') {
      if (!rest.length) return { kind: 'jsonDocument', expr, label };
      if (dialect === 'lake')
        return fail(
          `CloudTrail Lake stores ${pathLabel(node.path.slice(0, i + 1))} as a map of text values, which a filter pattern's JSON path does not address exactly`,
        );
      const path = jsonPath(rest, fail);
      return { kind: 'inJson', column: expr, path, label };
    }
    if (type.kind === 'array' || type.kind === 'map') {
      return fail(
        `${pathLabel(node.path.slice(0, i + 1))} is an array column; Athena's subscript fails the whole query when the index is past the end`,
      );
    }
    if (rest.length)
      return fail(`${pathLabel(node.path.slice(0, i + 1))} is a ${type.kind === 'bool' ? 'boolean' : 'string'}, with no fields`);
    if (type.kind === 'string') return { kind: 'string', expr, label };
    return { kind: 'bool', expr, label };
  }
  return fail('the selector is empty');
}

/** A JSONPath into a JSON string column; names limited to those both engines accept in dot notation. */
function jsonPath(steps: readonly PatternStep[], fail: (why: string) => never): string {
  let out = '$';
  for (const s of steps) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += `.${s}`;
    else fail(`the key '${s}' needs quoting in a JSON path, which Athena and DuckDB write differently`);
  }
  return out;
}

/** `*x*`, `*x`, `x*` as LIKE; a `*` in the middle stays literal. */
function likePattern(value: string): string | undefined {
  const lead = value.startsWith('*');
  const trail = value.length > 1 && value.endsWith('*');
  if (!lead && !trail) return undefined;
  const core = value.slice(lead ? 1 : 0, trail ? value.length - 1 : value.length).replace(/[\\%_]/g, (c) => `\\${c}`);
  return `${lead ? '%' : ''}${core}${trail ? '%' : ''}`;
}

function textTest(expr: string, value: PatternValue): string {
  if (value.kind === 'regex') return `regexp_like(${expr}, ${sqlString(value.source)})`;
  if (value.kind === 'number') return `${expr} = ${sqlString(value.text)}`;
  if (value.text === '*' || value.text === '**') return `${expr} IS NOT NULL`;
  const like = likePattern(value.text);
  return like === undefined ? `${expr} = ${sqlString(value.text)}` : `${expr} LIKE ${sqlString(like)} ESCAPE '\\'`;
}

const NULL_OR_MISSING = (label: string) =>
  `${label}: the table stores a JSON null and a missing field alike (SQL NULL), so this also matches the other`;

function condition(node: Condition, caveats: string[], dialect: Dialect): string {
  const t = locate(node, dialect);
  const fail = (why: string): never => {
    throw new UntranslatableError(`'${node.source}'`, node.column, why);
  };
  if (t.kind === 'jsonDocument') {
    if (node.kind === 'notExists' || (node.kind === 'is' && node.value === null)) {
      caveats.push(NULL_OR_MISSING(t.label));
      return `${t.expr} IS NULL`;
    }
    return fail(`${t.label} is a JSON object; compare a field inside it, e.g. ${t.label}.name`);
  }
  if (t.kind === 'bool') {
    if (node.kind === 'is' && node.value !== null)
      return `${t.expr} = ${dialect === 'lake' ? String(node.value) : sqlString(String(node.value))}`;
    if (node.kind === 'notExists') return `${t.expr} IS NULL`;
    return fail(`${t.label} is a boolean; test it with IS TRUE or IS FALSE`);
  }
  if (t.kind === 'string') {
    switch (node.kind) {
      case 'is':
        if (node.value !== null) return fail(`${t.label} is a string in CloudTrail records, never a boolean`);
        caveats.push(NULL_OR_MISSING(t.label));
        return `${t.expr} IS NULL`;
      case 'notExists':
        caveats.push(NULL_OR_MISSING(t.label));
        return `${t.expr} IS NULL`;
      case 'compare':
        return fail(`${t.label} is a string in CloudTrail records; a numeric comparison never matches it`);
      case 'equals': {
        const test = textTest(t.expr, node.value);
        return node.negated ? `(${t.expr} IS NOT NULL AND NOT (${test}))` : test;
      }
    }
  }
  // Inside a JSON string column (requestParameters, responseElements …).
  const scalar = `json_extract_scalar(${t.column}, ${sqlString(t.path)})`;
  switch (node.kind) {
    case 'notExists':
      return `json_extract(${t.column}, ${sqlString(t.path)}) IS NULL`;
    case 'is':
      if (node.value === null) return fail(`inside a JSON column SQL cannot tell a JSON null from an object or array; use NOT EXISTS`);
      caveats.push(`${t.label} IS ${node.value ? 'TRUE' : 'FALSE'}: a string "${node.value}" matches as well as the boolean`);
      return `${scalar} = ${sqlString(String(node.value))}`;
    case 'compare':
      caveats.push(`${t.label} ${node.op} ${node.value}: a string holding a number is compared too, not only a JSON number`);
      return `TRY_CAST(${scalar} AS DOUBLE) ${node.op} ${node.value}`;
    case 'equals': {
      const v = node.value;
      if (v.kind === 'number')
        caveats.push(`${t.label} = ${v.text}: compared as JSON text, so a number written differently (${v.value}.0, 1e1) does not match`);
      if (v.kind === 'text' && (v.text.includes('*') || v.text === 'true' || v.text === 'false')) {
        caveats.push(`${t.label}: a JSON boolean reads as the text 'true' or 'false' here, so it can match`);
      }
      const test = textTest(scalar, v);
      return node.negated ? `(${scalar} IS NOT NULL AND NOT (${test}))` : test;
    }
  }
}

/** Athena's price: $5 per TB scanned, at least 10 MB per query (https://aws.amazon.com/athena/pricing/). */
export const ATHENA_USD_PER_TB = 5;
export const ATHENA_MIN_BYTES = 10 * 1024 * 1024;

/** The estimated cost in US dollars of a query that scanned `bytes` (TB as 2^40 bytes, as Athena bills). */
export function athenaCostUsd(bytes: number): number {
  return (Math.max(bytes, ATHENA_MIN_BYTES) / 2 ** 40) * ATHENA_USD_PER_TB;
}
