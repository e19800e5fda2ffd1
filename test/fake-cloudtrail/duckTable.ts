/**
 * The fake Athena's table: CloudTrail records loaded into an embedded DuckDB shaped like AWS's
 * CloudTrail table (src/core/engines/schema.ts: structs for userIdentity and tlsDetails, an array
 * of structs for resources, JSON documents as strings, readOnly as 'true'/'false', the projected
 * `timestamp` day column), so the SQL Trail Lens generates is really executed.
 *
 * With `shape: 'lake'` the table is CloudTrail Lake's schema instead
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html):
 * eventTime a TIMESTAMP, readOnly a BOOLEAN, requestParameters and the other documents
 * MAP(VARCHAR, VARCHAR) with nested values as JSON text, and no day partition column.
 *
 * DuckDB lacks two Trino functions the generated SQL uses; they are defined here as macros with
 * Trino's meaning (docs/engines.md § Dialects): json_extract_scalar (NULL for an object or array)
 * and regexp_like (an unanchored search).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CLOUDTRAIL_COLUMNS, PARTITION_DAY, type Column, type ColumnType } from '../../src/core/engines/schema';
import type { CloudTrailRecord } from '../../src/core/record';

/** Whose table: AWS's Athena DDL (schema.ts) or CloudTrail Lake's schema. */
export type TableShape = 'athena' | 'lake';

/** A top-level column's DuckDB type where Lake's schema differs from the Athena table's. */
function lakeType(c: Column): string | undefined {
  if (c.name === 'eventTime') return 'TIMESTAMP';
  if (c.name === 'readOnly') return 'BOOLEAN';
  if (c.type.kind === 'json') return 'MAP(VARCHAR, VARCHAR)';
  return undefined;
}

function duckType(t: ColumnType): string {
  switch (t.kind) {
    case 'string':
    case 'json':
    case 'bool':
      return 'VARCHAR';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'array':
      return `${duckType(t.of)}[]`;
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `"${f.name}" ${duckType(f.type)}`).join(', ')})`;
  }
}

/** A value as the table's SerDe would hold it: known fields only, JSON documents as text. */
function project(value: unknown, t: ColumnType): unknown {
  if (value === undefined || value === null) return null;
  switch (t.kind) {
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'bool':
      return String(value);
    case 'json':
      return JSON.stringify(value);
    case 'map':
      return typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
        : null;
    case 'array':
      return Array.isArray(value) ? value.map((v) => project(v, t.of)) : null;
    case 'struct':
      return typeof value === 'object' ? projectFields(value as Record<string, unknown>, t.fields) : null;
  }
}

function projectFields(obj: Record<string, unknown>, columns: readonly Column[], shape: TableShape = 'athena'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = obj[c.name];
    if (shape === 'lake' && c.name === 'readOnly') out[c.name] = typeof v === 'boolean' ? v : v === undefined ? null : v === 'true';
    else out[c.name] = project(v, shape === 'lake' && c.type.kind === 'json' ? { kind: 'map' } : c.type);
  }
  return out;
}

/** The day folder a record's file is under (its eventTime's UTC day). */
function dayOf(record: CloudTrailRecord): string {
  return String(record.eventTime).slice(0, 10).replace(/-/g, '/');
}

/** Defines the Trino functions the generated SQL uses that DuckDB lacks. */
export async function defineTrinoFunctions(conn: DuckDBConnection): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END`,
  );
  await conn.run(`CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)`);
}

/** Creates `table` holding the records; returns the bytes of the JSON loaded (the fake's "data scanned" basis). */
export async function loadCloudTrailTable(
  conn: DuckDBConnection,
  table: string,
  records: readonly CloudTrailRecord[],
  shape: TableShape = 'athena',
): Promise<number> {
  const partition = shape === 'athena';
  const dir = await mkdtemp(join(tmpdir(), 'trail-lens-duck-'));
  try {
    const file = join(dir, 'records.ndjson');
    const text = records
      .map((r) =>
        JSON.stringify({
          ...projectFields(r as unknown as Record<string, unknown>, CLOUDTRAIL_COLUMNS, shape),
          ...(partition ? { [PARTITION_DAY]: dayOf(r) } : {}),
        }),
      )
      .join('\n');
    await writeFile(file, text || '{}');
    const columns = [
      ...CLOUDTRAIL_COLUMNS.map((c) => `"${c.name}": '${(shape === 'lake' && lakeType(c)) || duckType(c.type)}'`),
      ...(partition ? [`"${PARTITION_DAY}": 'VARCHAR'`] : []),
    ].join(', ');
    await defineTrinoFunctions(conn);
    await conn.run(
      `CREATE OR REPLACE TABLE "${table}" AS SELECT * FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited', columns = {${columns}})` +
        (records.length ? '' : ' WHERE false'),
    );
    return Buffer.byteLength(text);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
