/**
 * A result row of the generated SELECT (sql.ts `selectList`) back to a CloudTrail record: names
 * restored to CloudTrail's case (Athena returns them lower-cased), nested columns and the JSON
 * string columns (requestParameters, responseElements …) parsed, readOnly a boolean again, and
 * NULLs left out as CloudTrail leaves out absent fields.
 */
import { TrailLensError } from '../errors';
import type { CloudTrailRecord } from '../record';
import { CLOUDTRAIL_COLUMNS, type ColumnType, type Column } from './schema';

/** One row: column name (any case) → the cell's text, null for SQL NULL. */
export type ResultRow = Readonly<Record<string, string | null>>;

function restore(value: unknown, t: ColumnType): unknown {
  if (value === null || value === undefined) return undefined;
  switch (t.kind) {
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      const byLower = new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
      const out: Record<string, unknown> = {};
      for (const f of t.fields) {
        const v = restore(byLower.get(f.name.toLowerCase()), f.type);
        if (v !== undefined) out[f.name] = v;
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => restore(v, t.of)).filter((v) => v !== undefined) : undefined;
    default:
      return value;
  }
}

function cell(text: string, c: Column): unknown {
  try {
    switch (c.type.kind) {
      case 'string':
        return text;
      case 'bool':
        return text === 'true' ? true : text === 'false' ? false : text;
      case 'json':
        return JSON.parse(text);
      default:
        return restore(JSON.parse(text), c.type);
    }
  } catch (err) {
    throw new TrailLensError('MalformedResponse', `the query result's ${c.name} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** The record a row holds. */
export function rowToRecord(row: ResultRow): CloudTrailRecord {
  const byLower = new Map(Object.entries(row).map(([k, v]) => [k.toLowerCase(), v]));
  const out: Record<string, unknown> = {};
  for (const c of CLOUDTRAIL_COLUMNS) {
    const text = byLower.get(c.name.toLowerCase());
    if (text === null || text === undefined) continue;
    const v = cell(text, c);
    if (v !== undefined) out[c.name] = v;
  }
  return out as unknown as CloudTrailRecord;
}
