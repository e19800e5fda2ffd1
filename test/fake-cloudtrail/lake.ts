/**
 * CloudTrail Lake on the fake CloudTrail endpoint (the same port and JSON 1.1 protocol, target
 * `CloudTrail_20131101.<Operation>`): ListEventDataStores (paged), StartQuery, DescribeQuery,
 * GetQueryResults (paged; rows are lists of one-key maps) and CancelQuery, really executing the SQL
 * with DuckDB over records loaded into a table shaped like Lake's schema (duckTable.ts, shape
 * 'lake'). `FROM <event data store ID>` reads that table. A query goes QUEUED → RUNNING → FINISHED
 * or FAILED over successive DescribeQuery calls (`pollsToFinish`), or CANCELLED when cancelled.
 *
 * As on Lake, a statement that does not parse, or is not a SELECT, is refused by StartQuery
 * (InvalidQueryStatementException); one that parses but cannot run (an unknown column) FAILS with
 * its reason. BytesScanned is the JSON size of the records inside the query's eventTime bounds —
 * all of them without one, as Lake scans the whole store for an unbounded query.
 */
import { randomUUID } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { CloudTrailRecord } from '../../src/core/record';
import { ServiceError } from '../../src/sample/endpoint/protocol';
import { loadCloudTrailTable } from './duckTable';

/** The event data store every fake Lake has unless told otherwise. */
export const FAKE_EVENT_DATA_STORE_ID = 'a1b2c3d4-5e6f-4a70-8b91-c2d3e4f5a6b7';

export interface FakeEventDataStore {
  id: string;
  name: string;
  status: 'CREATED' | 'ENABLED' | 'PENDING_DELETION' | 'STARTING_INGESTION' | 'STOPPED_INGESTION' | 'STOPPING_INGESTION';
}

export interface FakeLakeOptions {
  records: readonly CloudTrailRecord[];
  /** Default: one ENABLED store, FAKE_EVENT_DATA_STORE_ID. `[]`: an account without Lake. */
  stores?: FakeEventDataStore[];
  /** DescribeQuery calls before a query finishes: the first answers QUEUED, then RUNNING (default 2). */
  pollsToFinish?: number;
  /** Stores per ListEventDataStores page (default 100). */
  storesPerPage?: number;
  region?: string;
  accountId?: string;
}

interface Query {
  id: string;
  sql: string;
  polls: number;
  state: 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED';
  created: number;
  scanned: { bytes: number; events: number };
  result?: { rows: Record<string, string>[][]; ms: number } | { error: string };
}

export interface FakeLake {
  /** The operations the endpoint answers (CloudTrailEndpointOptions.operations). */
  operations: Record<string, (params: Record<string, unknown>) => unknown>;
  stores: FakeEventDataStore[];
  /** Every statement StartQuery received, in order. */
  readonly queries: string[];
  /** The IDs CancelQuery was sent for. */
  readonly cancelled: string[];
  close(): void;
}

/** The table a query's `FROM <event data store ID>` reads. */
export const LAKE_TABLE = 'lake_events';
const ACTIVE = new Set(['ENABLED', 'STOPPED_INGESTION', 'STOPPING_INGESTION']);

/** A DuckDB value as Lake's result text (timestamps as '2026-11-21 12:00:05.000'); null for SQL NULL. */
export function lakeCellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export async function createFakeLake(opts: FakeLakeOptions): Promise<FakeLake> {
  const region = opts.region ?? 'us-east-1';
  const accountId = opts.accountId ?? '123456789012';
  const stores = opts.stores ?? [{ id: FAKE_EVENT_DATA_STORE_ID, name: 'management-events', status: 'ENABLED' }];
  const instance = await DuckDBInstance.create(':memory:');
  const conn: DuckDBConnection = await instance.connect();
  await loadCloudTrailTable(conn, LAKE_TABLE, opts.records, 'lake');
  const sized = opts.records.map((r) => ({ ms: Date.parse(String(r.eventTime)), bytes: Buffer.byteLength(JSON.stringify(r)) }));
  const queries: string[] = [];
  const cancelled: string[] = [];
  const running = new Map<string, Query>();
  const pollsToFinish = opts.pollsToFinish ?? 2;
  const arnOf = (s: FakeEventDataStore) => `arn:aws:cloudtrail:${region}:${accountId}:eventdatastore/${s.id}`;

  function scanned(sql: string): { bytes: number; events: number } {
    const bound = (op: string) => new RegExp(`eventTime\\s*${op}\\s*'([0-9: -]+)'`, 'i').exec(sql)?.[1];
    const from = bound('>=?');
    const to = bound('<=?');
    const lo = from ? Date.parse(`${from.replace(' ', 'T')}Z`) : -Infinity;
    const hi = to ? Date.parse(`${to.replace(' ', 'T')}Z`) : Infinity;
    const inside = sized.filter((r) => r.ms >= lo && r.ms <= hi);
    return { bytes: inside.reduce((n, r) => n + r.bytes, 0), events: inside.length };
  }

  /** The statement with each `FROM <id>` reading the table; unknown or inactive stores are StartQuery's errors. */
  function bind(sql: string): string {
    if (!/^\s*(SELECT|WITH)\b/i.test(sql)) throw new ServiceError('InvalidQueryStatementException', 'Only SELECT statements are allowed');
    let named = 0;
    const bound = sql.replace(/\b(FROM|JOIN)\s+([A-Za-z0-9]+(?:-[A-Za-z0-9]+)+)/gi, (_m, kw: string, id: string) => {
      const store = stores.find((s) => s.id === id);
      if (!store) throw new ServiceError('EventDataStoreNotFoundException', `The specified event data store ${id} was not found`);
      if (!ACTIVE.has(store.status))
        throw new ServiceError('InactiveEventDataStoreException', `The event data store ${arnOf(store)} is inactive (${store.status})`);
      named++;
      return `${kw} "${LAKE_TABLE}"`;
    });
    if (!named) throw new ServiceError('InvalidQueryStatementException', 'The query must name an event data store ID in FROM');
    return bound;
  }

  async function execute(q: Query, sql: string): Promise<void> {
    const t0 = performance.now();
    try {
      const reader = await conn.runAndReadAll(sql);
      const names = reader.columnNames();
      const rows = reader.getRowsJS().map((row) =>
        row.flatMap((v, i) => {
          const text = lakeCellText(v);
          return text === null ? [] : [{ [names[i]]: text }];
        }),
      );
      q.result = { rows, ms: Math.max(1, Math.round(performance.now() - t0)) };
    } catch (err) {
      q.result = { error: (err as Error).message.split('\n')[0] };
    }
  }

  function find(p: Record<string, unknown>): Query {
    const q = typeof p.QueryId === 'string' ? running.get(p.QueryId) : undefined;
    if (!q)
      throw new ServiceError('QueryIdNotFoundException', `The query ID ${String(p.QueryId)} does not exist or does not map to a query`);
    return q;
  }

  const statistics = (q: Query) => {
    const done = q.state === 'FINISHED' && q.result && 'rows' in q.result ? q.result : undefined;
    return {
      EventsMatched: done ? done.rows.length : 0,
      EventsScanned: q.state === 'QUEUED' ? 0 : q.scanned.events,
      BytesScanned: q.state === 'QUEUED' ? 0 : q.scanned.bytes,
      ExecutionTimeInMillis: done ? done.ms : 0,
      CreationTime: q.created / 1000,
    };
  };

  const operations: FakeLake['operations'] = {
    ListEventDataStores: (p) => {
      const size = typeof p.MaxResults === 'number' ? p.MaxResults : (opts.storesPerPage ?? 100);
      const from = typeof p.NextToken === 'string' ? Number(p.NextToken) : 0;
      if (!Number.isInteger(from) || from < 0) throw new ServiceError('InvalidNextTokenException', 'The NextToken is not valid');
      const page = stores.slice(from, from + size);
      return {
        EventDataStores: page.map((s) => ({
          EventDataStoreArn: arnOf(s),
          Name: s.name,
          Status: s.status,
          MultiRegionEnabled: true,
          OrganizationEnabled: false,
          RetentionPeriod: 2557,
          TerminationProtectionEnabled: true,
        })),
        ...(from + size < stores.length ? { NextToken: String(from + size) } : {}),
      };
    },
    StartQuery: async (p) => {
      if (typeof p.QueryStatement !== 'string' || !p.QueryStatement.trim())
        throw new ServiceError('InvalidParameterException', 'QueryStatement is required');
      const sql = bind(p.QueryStatement);
      try {
        await conn.extractStatements(sql);
      } catch (err) {
        throw new ServiceError('InvalidQueryStatementException', (err as Error).message.split('\n')[0]);
      }
      const q: Query = { id: randomUUID(), sql: p.QueryStatement, polls: 0, state: 'QUEUED', created: Date.now(), scanned: scanned(sql) };
      queries.push(q.sql);
      running.set(q.id, q);
      await execute(q, sql);
      return { QueryId: q.id };
    },
    DescribeQuery: (p) => {
      const q = find(p);
      if (q.state === 'QUEUED' || q.state === 'RUNNING') {
        q.polls++;
        if (q.polls >= pollsToFinish) q.state = q.result && 'error' in q.result ? 'FAILED' : 'FINISHED';
        else q.state = q.polls === 1 ? 'QUEUED' : 'RUNNING';
      }
      return {
        QueryId: q.id,
        QueryString: q.sql,
        QueryStatus: q.state,
        QueryStatistics: statistics(q),
        ...(q.state === 'FAILED' && q.result && 'error' in q.result ? { ErrorMessage: q.result.error } : {}),
      };
    },
    GetQueryResults: (p) => {
      const q = find(p);
      const max = typeof p.MaxQueryResults === 'number' ? p.MaxQueryResults : 1000;
      if (max < 1 || max > 1000) throw new ServiceError('InvalidMaxResultsException', 'MaxQueryResults must be between 1 and 1000');
      if (q.state !== 'FINISHED' || !q.result || !('rows' in q.result)) {
        return {
          QueryStatus: q.state,
          ...(q.result && 'error' in q.result && q.state === 'FAILED' ? { ErrorMessage: q.result.error } : {}),
        };
      }
      const from = typeof p.NextToken === 'string' ? Number(p.NextToken.split(':')[1]) : 0;
      if (typeof p.NextToken === 'string' && (!p.NextToken.startsWith(`${q.id}:`) || !Number.isInteger(from)))
        throw new ServiceError('InvalidNextTokenException', 'The NextToken is not valid for this query');
      const rows = q.result.rows.slice(from, from + max);
      return {
        QueryStatus: q.state,
        QueryStatistics: { ResultsCount: rows.length, TotalResultsCount: q.result.rows.length, BytesScanned: q.scanned.bytes },
        QueryResultRows: rows,
        ...(from + max < q.result.rows.length ? { NextToken: `${q.id}:${from + max}` } : {}),
      };
    },
    CancelQuery: (p) => {
      const q = find(p);
      if (q.state !== 'QUEUED' && q.state !== 'RUNNING')
        throw new ServiceError('InactiveQueryException', `The query ${q.id} is ${q.state} and cannot be cancelled`);
      q.state = 'CANCELLED';
      cancelled.push(q.id);
      return { QueryId: q.id, QueryStatus: q.state };
    },
  };

  return {
    operations,
    stores,
    queries,
    cancelled,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
