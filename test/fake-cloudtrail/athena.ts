/**
 * A fake Athena that really executes the SQL: AWS JSON 1.1 (`X-Amz-Target: AmazonAthena.<Op>`) for
 * StartQueryExecution, GetQueryExecution, GetQueryResults (paged; the first row of the first page
 * is the header) and StopQueryExecution, over records loaded into DuckDB shaped like AWS's
 * CloudTrail table (duckTable.ts). A query goes QUEUED → RUNNING → SUCCEEDED or FAILED over
 * successive GetQueryExecution calls (`pollsToFinish`), or CANCELLED when stopped before.
 *
 * DataScannedInBytes is the JSON size of the records in the day partitions the query's
 * `"timestamp" BETWEEN 'a' AND 'b'` selects — all of them without one, as on Athena, where only
 * partition predicates bound the scan.
 *
 * It lives with the tests: DuckDB is a devDependency, so the extension's built-in sample account does
 * not carry it; `npm start` (run from the repository) starts it from scripts/ (docs/engines.md).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PARTITION_DAY } from '../../src/core/engines/schema';
import type { CloudTrailRecord } from '../../src/core/record';
import { CONTENT_TYPE, ServiceError, operationFromTarget, parseBody } from '../../src/sample/endpoint/protocol';
import { checkCreateTable, isCreateTable, type CreatedTable } from './athenaDdl';
import { loadCloudTrailTable } from './duckTable';

export interface FakeAthenaOptions {
  records: readonly CloudTrailRecord[];
  /** The table the records are in (default `cloudtrail_logs`); queries may name it `"db"."table"` or bare. */
  table?: string;
  /** GetQueryExecution calls before a query finishes: the first answers QUEUED, then RUNNING (default 2). */
  pollsToFinish?: number;
}

interface Execution {
  id: string;
  sql: string;
  polls: number;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  submittedMs: number;
  result?: { columns: string[]; rows: (string | null)[][]; engineMs: number; scanned: number } | { error: string };
  database?: string;
  workgroup: string;
}

export interface FakeAthena {
  url: string;
  /** Every query text received, in order. */
  readonly queries: string[];
  readonly stopped: string[];
  /** Tables made by CREATE EXTERNAL TABLE (athenaDdl.ts), in order. */
  readonly created: CreatedTable[];
  close(): Promise<void>;
}

function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export async function startFakeAthena(opts: FakeAthenaOptions): Promise<FakeAthena> {
  const table = opts.table ?? 'cloudtrail_logs';
  const instance = await DuckDBInstance.create(':memory:');
  const conn: DuckDBConnection = await instance.connect();
  await loadCloudTrailTable(conn, table, opts.records);
  const dayBytes = new Map<string, number>();
  for (const r of opts.records) {
    const day = String(r.eventTime).slice(0, 10).replace(/-/g, '/');
    dayBytes.set(day, (dayBytes.get(day) ?? 0) + Buffer.byteLength(JSON.stringify(r)));
  }
  const executions = new Map<string, Execution>();
  const queries: string[] = [];
  const stopped: string[] = [];
  const created: CreatedTable[] = [];
  const pollsToFinish = opts.pollsToFinish ?? 2;

  function scannedBytes(sql: string): number {
    const m = new RegExp(`"${PARTITION_DAY}"\\s+BETWEEN\\s+'([0-9/]+)'\\s+AND\\s+'([0-9/]+)'`).exec(sql);
    let sum = 0;
    for (const [day, bytes] of dayBytes) if (!m || (day >= m[1] && day <= m[2])) sum += bytes;
    return sum;
  }

  async function execute(e: Execution): Promise<void> {
    // A database-qualified name reads the one table the fake holds (DuckDB has no such database).
    const sql = e.sql.replace(/"[A-Za-z0-9_]+"\."([A-Za-z0-9_]+)"/g, '"$1"');
    const t0 = performance.now();
    try {
      if (isCreateTable(e.sql)) {
        const made = checkCreateTable(e.sql);
        if (made.name === table || created.some((c) => c.name === made.name)) {
          if (/\bIF\s+NOT\s+EXISTS\b/i.test(e.sql)) {
            e.result = { columns: [], rows: [], engineMs: 0, scanned: 0 };
            return;
          }
          throw new Error(`AlreadyExistsException: Table ${made.name} already exists`);
        }
        await conn.run(`CREATE OR REPLACE VIEW "${made.name}" AS SELECT * FROM "${table}"`);
        created.push(made);
        e.result = { columns: [], rows: [], engineMs: Math.round(performance.now() - t0), scanned: 0 };
        return;
      }
      const reader = await conn.runAndReadAll(sql);
      // Athena's result columns are lower case, whatever the case of the table's declaration.
      const columns = reader.columnNames().map((c) => c.toLowerCase());
      const rows = reader.getRowsJS().map((row) => row.map(cellText));
      e.result = { columns, rows, engineMs: Math.round(performance.now() - t0), scanned: scannedBytes(e.sql) };
    } catch (err) {
      e.result = { error: (err as Error).message.split('\n')[0] };
    }
  }

  function find(params: Record<string, unknown>): Execution {
    const id = params.QueryExecutionId;
    const e = typeof id === 'string' ? executions.get(id) : undefined;
    if (!e) throw new ServiceError('InvalidRequestException', `QueryExecution ${String(id)} was not found`);
    return e;
  }

  const ops: Record<string, (p: Record<string, unknown>) => Promise<unknown> | unknown> = {
    StartQueryExecution: async (p) => {
      if (typeof p.QueryString !== 'string' || !p.QueryString.trim())
        throw new ServiceError('InvalidRequestException', 'QueryString is required');
      const ctx = p.QueryExecutionContext as { Database?: string } | undefined;
      const e: Execution = {
        id: randomUUID(),
        sql: p.QueryString,
        polls: 0,
        state: 'QUEUED',
        submittedMs: Date.now(),
        database: ctx?.Database,
        workgroup: typeof p.WorkGroup === 'string' ? p.WorkGroup : 'primary',
      };
      queries.push(e.sql);
      executions.set(e.id, e);
      await execute(e);
      return { QueryExecutionId: e.id };
    },
    GetQueryExecution: (p) => {
      const e = find(p);
      if (e.state === 'QUEUED' || e.state === 'RUNNING') {
        e.polls++;
        if (e.polls >= pollsToFinish) e.state = e.result && 'error' in e.result ? 'FAILED' : 'SUCCEEDED';
        else e.state = e.polls === 1 ? 'QUEUED' : 'RUNNING';
      }
      const done = e.state === 'SUCCEEDED' && e.result && !('error' in e.result) ? e.result : undefined;
      return {
        QueryExecution: {
          QueryExecutionId: e.id,
          Query: e.sql,
          StatementType: isCreateTable(e.sql) ? 'DDL' : 'DML',
          WorkGroup: e.workgroup,
          ...(e.database ? { QueryExecutionContext: { Database: e.database } } : {}),
          Status: {
            State: e.state,
            SubmissionDateTime: e.submittedMs / 1000,
            ...(e.state === 'FAILED' && e.result && 'error' in e.result ? { StateChangeReason: e.result.error } : {}),
          },
          Statistics: {
            DataScannedInBytes: done ? done.scanned : 0,
            EngineExecutionTimeInMillis: done ? done.engineMs : 0,
            TotalExecutionTimeInMillis: done ? done.engineMs : 0,
          },
        },
      };
    },
    GetQueryResults: (p) => {
      const e = find(p);
      if (e.state !== 'SUCCEEDED' || !e.result || 'error' in e.result) {
        throw new ServiceError('InvalidRequestException', `Query has not yet finished. Current state: ${e.state}`);
      }
      const max = typeof p.MaxResults === 'number' ? p.MaxResults : 1000;
      if (max < 1 || max > 1000) throw new ServiceError('InvalidRequestException', 'MaxResults must be between 1 and 1000');
      const all = [e.result.columns, ...e.result.rows];
      const from = typeof p.NextToken === 'string' ? Number(p.NextToken.split(':')[1]) : 0;
      if (typeof p.NextToken === 'string' && (!p.NextToken.startsWith(`${e.id}:`) || !Number.isInteger(from))) {
        throw new ServiceError('InvalidRequestException', 'The NextToken is not valid for this query');
      }
      const page = all.slice(from, from + max);
      const next = from + max < all.length ? `${e.id}:${from + max}` : undefined;
      return {
        UpdateCount: 0,
        ResultSet: {
          Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
          ResultSetMetadata: { ColumnInfo: e.result.columns.map((Name) => ({ CatalogName: 'hive', Name, Label: Name, Type: 'varchar' })) },
        },
        ...(next ? { NextToken: next } : {}),
      };
    },
    StopQueryExecution: (p) => {
      const e = find(p);
      stopped.push(e.id);
      if (e.state === 'QUEUED' || e.state === 'RUNNING') e.state = 'CANCELLED';
      return {};
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const target = req.headers['x-amz-target'];
      const op = typeof target === 'string' && target.startsWith('AmazonAthena.') ? operationFromTarget(target) : undefined;
      const run = op ? ops[op] : undefined;
      if (!run) throw new ServiceError('UnknownOperationException', `Operation ${String(target)} is not supported by this Athena endpoint`);
      const out = await run(parseBody(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': randomUUID() });
      res.end(JSON.stringify(out));
    } catch (err) {
      const e = err instanceof ServiceError ? err : new ServiceError('InternalServerException', (err as Error).message, 500);
      res.writeHead(e.status, { 'Content-Type': CONTENT_TYPE, 'x-amzn-ErrorType': e.code, 'x-amzn-RequestId': randomUUID() });
      res.end(JSON.stringify({ __type: e.code, message: e.message }));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    stopped,
    created,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      conn.closeSync();
      instance.closeSync();
    },
  };
}
