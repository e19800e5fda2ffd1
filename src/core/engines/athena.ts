/**
 * Runs a generated query on Athena: StartQueryExecution, GetQueryExecution polled with backoff
 * (0.5 s doubling to 5 s) until SUCCEEDED, FAILED or CANCELLED, GetQueryResults paged (its first
 * row is the header), the rows back to records. An abort stops the query (StopQueryExecution), so
 * a cancelled search does not go on scanning — and billing — in the background.
 */
import { TrailLensError, isAbortError } from '../errors';
import { abortableSleep } from '../limiter';
import type { CloudTrailRecord } from '../record';
import type { AthenaApi } from './athenaClient';
import { rowToRecord, type ResultRow } from './results';
import { athenaCostUsd } from './sql';

export interface AthenaSettings {
  /** The database of the CloudTrail table (Glue catalog), e.g. `default`. */
  database?: string;
  workgroup?: string;
  /** `s3://…/` for the results; optional when the workgroup has one. */
  outputLocation?: string;
}

export type AthenaState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface AthenaProgress {
  queryExecutionId: string;
  state: AthenaState;
  dataScannedBytes: number;
  runMs: number;
}

export interface AthenaOutcome extends AthenaProgress {
  sql: string;
  records: CloudTrailRecord[];
  /** US dollars at $5 per TB, 10 MB minimum. */
  estimatedCostUsd: number;
}

export interface AthenaRunOptions {
  signal?: AbortSignal;
  onProgress?(p: AthenaProgress): void;
  /** First poll delay (default 500 ms); doubles to `maxPollMs` (default 5 s). */
  pollMs?: number;
  maxPollMs?: number;
}

const STATES = new Set<string>(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

/** "0.0012 USD (10 MB minimum)" style text for a person. */
export function describeCost(bytes: number): string {
  const usd = athenaCostUsd(bytes);
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? `${mb.toFixed(2)} MB scanned, billed as the 10 MB minimum` : `${mb.toFixed(1)} MB scanned`}, about $${usd.toFixed(usd < 0.01 ? 6 : 4)}`;
}

export async function runAthenaQuery(
  api: AthenaApi,
  sql: string,
  settings: AthenaSettings,
  opts: AthenaRunOptions = {},
): Promise<AthenaOutcome> {
  const { signal } = opts;
  const started = await api.startQueryExecution(
    {
      QueryString: sql,
      ...(settings.database ? { QueryExecutionContext: { Database: settings.database } } : {}),
      ...(settings.workgroup ? { WorkGroup: settings.workgroup } : {}),
      ...(settings.outputLocation ? { ResultConfiguration: { OutputLocation: settings.outputLocation } } : {}),
    },
    signal,
  );
  const id = started.QueryExecutionId;
  if (!id) throw new TrailLensError('MalformedResponse', 'Athena accepted the query but returned no QueryExecutionId');
  let progress: AthenaProgress = { queryExecutionId: id, state: 'QUEUED', dataScannedBytes: 0, runMs: 0 };
  let delay = opts.pollMs ?? 500;
  try {
    for (;;) {
      const out = await api.getQueryExecution(id, signal);
      const q = out.QueryExecution;
      const state = q?.Status?.State ?? '';
      if (!STATES.has(state))
        throw new TrailLensError('MalformedResponse', `Athena reported the query ${id} in an unknown state '${state}'`);
      progress = {
        queryExecutionId: id,
        state: state as AthenaState,
        dataScannedBytes: q?.Statistics?.DataScannedInBytes ?? 0,
        runMs: q?.Statistics?.EngineExecutionTimeInMillis ?? 0,
      };
      opts.onProgress?.(progress);
      if (state === 'FAILED') {
        const reason = q?.Status?.StateChangeReason ?? q?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
        throw new TrailLensError('Rejected', `The Athena query ${id} failed: ${reason}`, {
          hint: 'Check the table, database and workgroup settings; the query text is shown with the search.',
        });
      }
      if (state === 'CANCELLED') throw new TrailLensError('Cancelled', `The Athena query ${id} was cancelled`);
      if (state === 'SUCCEEDED') break;
      await abortableSleep(delay, signal);
      delay = Math.min(delay * 2, opts.maxPollMs ?? 5000);
    }
  } catch (err) {
    if (signal?.aborted || isAbortError(err) || (err instanceof TrailLensError && err.code === 'Cancelled' && signal?.aborted)) {
      // Stop the scan on Athena's side; the caller's signal is already aborted, so this call runs without it.
      await api.stopQueryExecution(id).catch(() => undefined);
      throw new TrailLensError('Cancelled', `Cancelled; the Athena query ${id} was stopped`, { cause: err });
    }
    throw err;
  }
  const records = await readResults(api, id, signal);
  return { ...progress, sql, records, estimatedCostUsd: athenaCostUsd(progress.dataScannedBytes) };
}

async function readResults(api: AthenaApi, id: string, signal: AbortSignal | undefined): Promise<CloudTrailRecord[]> {
  const records: CloudTrailRecord[] = [];
  let header: string[] | undefined;
  let token: string | undefined;
  do {
    const page = await api.getQueryResults({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }, signal);
    const names = page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name ?? '');
    const rows = page.ResultSet?.Rows ?? [];
    let first = 0;
    if (!header) {
      header = names ?? rows[0]?.Data?.map((d) => d.VarCharValue ?? '') ?? [];
      first = 1; // the first row of the first page repeats the column names
    }
    for (const row of rows.slice(first)) {
      const cells: Record<string, string | null> = {};
      (row.Data ?? []).forEach((d, i) => (cells[header![i]] = d.VarCharValue ?? null));
      records.push(rowToRecord(cells as ResultRow));
    }
    token = page.NextToken;
  } while (token);
  return records;
}
