/**
 * CloudTrail Lake: the event data store to search (ListEventDataStores), the SQL for a request ID
 * or a filter pattern in Lake's dialect, and running it — StartQuery, DescribeQuery polled with
 * backoff (0.5 s doubling to 5 s) until FINISHED, FAILED, CANCELLED or TIMED_OUT, GetQueryResults
 * paged, rows back to records. An abort sends CancelQuery, so a cancelled search stops scanning —
 * and billing. Lake closed to new customers on 2026-05-31; accounts without an event data store are
 * pointed to Athena and CloudWatch Logs (docs/engines.md § CloudTrail Lake).
 */
import type { EventDataStore } from '@aws-sdk/client-cloudtrail';
import { TrailLensError, isAbortError, throwIfAborted } from '../errors';
import type { FilterPattern } from '../filter/pattern';
import { abortableSleep } from '../limiter';
import type { CloudTrailRecord } from '../record';
import { formatUtc, type TimeWindow } from '../time';
import type { LakeApi } from './lakeClient';
import { rowToRecord } from './results';
import { CLOUDTRAIL_COLUMNS, isNested } from './schema';
import { patternCondition, sqlString, type GeneratedQuery } from './sql';

export interface ResolvedEventDataStore {
  /** The ID part of the ARN: what a query's FROM names. */
  id: string;
  arn?: string;
  name?: string;
  status?: string;
}

export type LakeState = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

export interface LakeProgress {
  queryId: string;
  state: LakeState;
  bytesScanned: number;
  eventsScanned: number;
  runMs: number;
}

export interface LakeOutcome extends LakeProgress {
  sql: string;
  records: CloudTrailRecord[];
  /** US dollars at LAKE_USD_PER_GB. */
  estimatedCostUsd: number;
}

export interface LakeRunOptions {
  signal?: AbortSignal;
  onProgress?(p: LakeProgress): void;
  /** First poll delay (default 500 ms); doubles to `maxPollMs` (default 5 s). */
  pollMs?: number;
  maxPollMs?: number;
}

/** Lake's query price: $0.005 per GB scanned (https://aws.amazon.com/cloudtrail/pricing/). */
export const LAKE_USD_PER_GB = 0.005;

export function lakeCostUsd(bytes: number): number {
  return (bytes / 2 ** 30) * LAKE_USD_PER_GB;
}

/** "1.2 MB scanned, about $0.000006" for a person. */
export function describeLakeCost(bytes: number): string {
  const usd = lakeCostUsd(bytes);
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB scanned, about $${usd.toFixed(usd < 0.01 ? 6 : 4)}`;
}

const LAKE_CLOSED =
  'CloudTrail Lake is closed to new customers since 2026-05-31, so an account without an event data store cannot create one';
const OTHER_ENGINES =
  'Search with Athena over the trail bucket (--engine athena) or the trail’s CloudWatch Logs group (--engine logs) instead.';

/** The ID of an event data store ARN (`arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID`), else undefined. */
export function eventDataStoreId(arn: string): string | undefined {
  return /^arn:[^:]+:cloudtrail:[^:]*:\d*:eventdatastore\/([A-Za-z0-9-]+)$/.exec(arn.trim())?.[1];
}

const ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9-]{2,127}$/;

/**
 * The event data store to query: `given` as an ARN, ID or name; none given, the first ENABLED one
 * ListEventDataStores returns (every page read). No store at all is a Config error saying why.
 */
export async function resolveEventDataStore(api: LakeApi, given?: string, signal?: AbortSignal): Promise<ResolvedEventDataStore> {
  const wanted = given?.trim() || undefined;
  const stores: EventDataStore[] = [];
  let token: string | undefined;
  do {
    throwIfAborted(signal);
    const page = await lakeCall(() => api.listEventDataStores({ ...(token ? { NextToken: token } : {}) }, signal));
    stores.push(...(page.EventDataStores ?? []));
    token = page.NextToken;
  } while (token);
  const resolved = (s: EventDataStore): ResolvedEventDataStore => ({
    id: eventDataStoreId(s.EventDataStoreArn ?? '') ?? s.EventDataStoreArn ?? '',
    arn: s.EventDataStoreArn,
    name: s.Name,
    status: s.Status,
  });
  const listed = stores.map(resolved).filter((s) => s.id);
  if (wanted) {
    const idOf = eventDataStoreId(wanted) ?? wanted;
    const hit = listed.find((s) => s.arn === wanted || s.id === idOf || s.name === wanted);
    if (hit) return hit;
    // A store shared from another account (a delegated administrator's) is not listed here, yet queryable by ID.
    if (eventDataStoreId(wanted) || (ID_SHAPE.test(wanted) && /\d/.test(wanted) && wanted.includes('-'))) return { id: idOf };
    throw new TrailLensError('Config', `No CloudTrail Lake event data store is named ${wanted}`, {
      hint: listed.length
        ? `Event data stores here: ${listed.map((s) => `${s.name ?? s.id} (${s.id}, ${s.status ?? 'unknown status'})`).join(', ')}.`
        : `${LAKE_CLOSED}. ${OTHER_ENGINES}`,
    });
  }
  const enabled = listed.find((s) => s.status === 'ENABLED');
  if (enabled) return enabled;
  throw new TrailLensError(
    'Config',
    listed.length
      ? `No CloudTrail Lake event data store is ENABLED (${listed.map((s) => `${s.name ?? s.id}: ${s.status ?? 'unknown'}`).join(', ')})`
      : `This account has no CloudTrail Lake event data store (ListEventDataStores is empty). ${LAKE_CLOSED}`,
    { hint: listed.length ? `Name one with --event-data-store ID, or ${OTHER_ENGINES.toLowerCase()}` : OTHER_ENGINES },
  );
}

/** What a query to be copied says in FROM when no event data store is known yet: the reader puts its ID there. */
export const EVENT_DATA_STORE_PLACEHOLDER = '<event-data-store-id>';

/** The FROM of a Lake query: the event data store's ID, bare, as Lake's grammar writes it. */
function fromId(eventDataStoreId: string): string {
  if (!ID_SHAPE.test(eventDataStoreId) && eventDataStoreId !== EVENT_DATA_STORE_PLACEHOLDER)
    throw new TrailLensError('InvalidInput', `'${eventDataStoreId}' is not an event data store ID (letters, digits and '-')`);
  return eventDataStoreId;
}

/** Nested columns and Lake's map<string,string> documents as JSON text, so a row maps back to a record. */
function lakeSelectList(): string {
  return CLOUDTRAIL_COLUMNS.map((c) => (isNested(c.type) || c.type.kind === 'json' ? `CAST(${c.name} AS JSON) AS ${c.name}` : c.name)).join(
    ', ',
  );
}

/** Whole seconds around the window: the start rounded down, the end up (eventTime has no milliseconds). */
function lakeWindow(window: TimeWindow): string {
  const end = new Date(Math.ceil(window.end.getTime() / 1000) * 1000);
  return `eventTime >= ${sqlString(formatUtc(window.start, 'sql'))}\n  AND eventTime <= ${sqlString(formatUtc(end, 'sql'))}`;
}

function lakeQuery(eventDataStore: string, window: TimeWindow, where: string, limit = 1000): string {
  return [
    `SELECT ${lakeSelectList()}`,
    `FROM ${fromId(eventDataStore)}`,
    `WHERE ${lakeWindow(window)}`,
    `  AND ${where}`,
    'ORDER BY eventTime DESC',
    `LIMIT ${limit}`,
  ].join('\n');
}

/** `WHERE requestID = '…'` inside the window, on the event data store. */
export function lakeRequestIdQuery(eventDataStoreId: string, requestId: string, window: TimeWindow, limit?: number): GeneratedQuery {
  return { sql: lakeQuery(eventDataStoreId, window, `requestID = ${sqlString(requestId)}`, limit), caveats: [] };
}

/** A filter pattern in Lake's dialect; throws UntranslatableError for a condition Lake's schema cannot express exactly. */
export function lakePatternQuery(eventDataStoreId: string, pattern: FilterPattern, window: TimeWindow, limit?: number): GeneratedQuery {
  const caveats: string[] = [];
  const where = patternCondition(pattern, caveats, 'lake');
  return { sql: lakeQuery(eventDataStoreId, window, where, limit), caveats: [...new Set(caveats)] };
}

const LAKE_ACTIONS =
  'cloudtrail:StartQuery, cloudtrail:DescribeQuery, cloudtrail:GetQueryResults, cloudtrail:CancelQuery and cloudtrail:ListEventDataStores';

/** The AWS error code under a classified error (the SDK names its exceptions after it). */
function awsCode(err: TrailLensError): string | undefined {
  const cause = err.cause as { name?: unknown } | undefined;
  return typeof cause?.name === 'string' ? cause.name : undefined;
}

/** One Lake call, its Lake-specific faults worded for a person. */
async function lakeCall<T>(run: () => Promise<T>, eventDataStore?: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof TrailLensError)) throw err;
    const code = awsCode(err);
    const store = eventDataStore ? `event data store ${eventDataStore}` : 'the event data store';
    const detail = err.message.replace(/^[^:]*\): /, '');
    if (err.code === 'AccessDenied')
      throw new TrailLensError('AccessDenied', err.message, {
        cause: err,
        hint: `CloudTrail Lake searches need ${LAKE_ACTIONS}: ask an administrator for them, or choose another profile.`,
      });
    if (code === 'InactiveEventDataStoreException')
      throw new TrailLensError('Config', `CloudTrail Lake: ${store} is not active, so it cannot be queried (${code})`, {
        cause: err,
        hint: `Check its status with aws cloudtrail list-event-data-stores, or choose another with --event-data-store. ${OTHER_ENGINES}`,
      });
    if (code === 'EventDataStoreNotFoundException' || code === 'EventDataStoreARNInvalidException')
      throw new TrailLensError('Config', `CloudTrail Lake: ${store} does not exist in this account and Region (${code})`, {
        cause: err,
        hint: 'aws cloudtrail list-event-data-stores lists them; the ID is the last part of the ARN.',
      });
    if (code === 'InvalidQueryStatementException')
      throw new TrailLensError('Rejected', `CloudTrail Lake cannot run the query: ${detail}`, {
        cause: err,
        hint: 'The query text is shown with the search; Lake accepts Trino SELECT statements over one event data store ID.',
      });
    if (code === 'MaxConcurrentQueriesException')
      throw new TrailLensError('Throttled', `CloudTrail Lake is running as many queries as this account may at once (${code})`, {
        cause: err,
        hint: 'Wait for a running query to finish, or cancel one, and retry.',
      });
    throw err;
  }
}

const STATES = new Set<string>(['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

export async function runLakeQuery(api: LakeApi, sql: string, opts: LakeRunOptions = {}): Promise<LakeOutcome> {
  const { signal } = opts;
  const started = await lakeCall(() => api.startQuery({ QueryStatement: sql }, signal));
  const id = started.QueryId;
  if (!id) throw new TrailLensError('MalformedResponse', 'CloudTrail Lake accepted the query but returned no QueryId');
  let progress: LakeProgress = { queryId: id, state: 'QUEUED', bytesScanned: 0, eventsScanned: 0, runMs: 0 };
  let delay = opts.pollMs ?? 500;
  try {
    for (;;) {
      const q = await lakeCall(() => api.describeQuery({ QueryId: id }, signal));
      const state = q.QueryStatus ?? '';
      if (!STATES.has(state))
        throw new TrailLensError('MalformedResponse', `CloudTrail Lake reported the query ${id} in an unknown state '${state}'`);
      progress = {
        queryId: id,
        state: state as LakeState,
        bytesScanned: q.QueryStatistics?.BytesScanned ?? 0,
        eventsScanned: q.QueryStatistics?.EventsScanned ?? 0,
        runMs: q.QueryStatistics?.ExecutionTimeInMillis ?? 0,
      };
      opts.onProgress?.(progress);
      if (state === 'FAILED')
        throw new TrailLensError('Rejected', `The CloudTrail Lake query ${id} failed: ${q.ErrorMessage ?? 'no reason given'}`, {
          hint: 'The query text is shown with the search; check the event data store ID.',
        });
      if (state === 'TIMED_OUT')
        throw new TrailLensError('Rejected', `The CloudTrail Lake query ${id} timed out on Lake's side`, {
          hint: 'Narrow the time window, or search with Athena.',
        });
      if (state === 'CANCELLED') throw new TrailLensError('Cancelled', `The CloudTrail Lake query ${id} was cancelled`);
      if (state === 'FINISHED') break;
      await abortableSleep(delay, signal);
      delay = Math.min(delay * 2, opts.maxPollMs ?? 5000);
    }
  } catch (err) {
    if (!signal?.aborted && !isAbortError(err)) throw err;
    if (progress.state === 'CANCELLED' && !signal?.aborted) throw err; // cancelled by someone else, on Lake
    // Stop the scan on Lake's side; the caller's signal is already aborted, so this call runs without it.
    await api.cancelQuery({ QueryId: id }).catch(() => undefined);
    throw new TrailLensError('Cancelled', `Cancelled; the CloudTrail Lake query ${id} was cancelled (CancelQuery)`, { cause: err });
  }
  const records = await readLakeResults(api, id, signal);
  return { ...progress, sql, records, estimatedCostUsd: lakeCostUsd(progress.bytesScanned) };
}

async function readLakeResults(api: LakeApi, id: string, signal: AbortSignal | undefined): Promise<CloudTrailRecord[]> {
  const records: CloudTrailRecord[] = [];
  let token: string | undefined;
  do {
    const page = await lakeCall(() => api.getQueryResults({ QueryId: id, ...(token ? { NextToken: token } : {}) }, signal));
    for (const row of page.QueryResultRows ?? []) records.push(lakeRowToRecord(Object.assign({}, ...row) as Record<string, string>));
    token = page.NextToken;
  } while (token);
  return records;
}

const LAKE_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)?$/;

/** Lake's timestamp text ('2026-11-21 12:00:05.000') in CloudTrail's eventTime form. */
function isoTime(text: string): string {
  const m = LAKE_TIMESTAMP.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}

/** A map<string,string> document back to JSON: its values that hold a JSON object or array parsed. */
function unflatten(doc: unknown): unknown {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return doc;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // text that only starts like JSON stays text
      }
    }
    out[k] = v;
  }
  return out;
}

/** One Lake result row (column → text) as a CloudTrail record. */
export function lakeRowToRecord(row: Readonly<Record<string, string | null>>): CloudTrailRecord {
  const cells: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(row)) cells[k] = k.toLowerCase() === 'eventtime' && v ? isoTime(v) : v;
  const record = rowToRecord(cells) as unknown as Record<string, unknown>;
  for (const c of CLOUDTRAIL_COLUMNS)
    if (c.type.kind === 'json' && record[c.name] !== undefined) record[c.name] = unflatten(record[c.name]);
  const attributes = (record.userIdentity as { sessionContext?: { attributes?: { creationDate?: string } } } | undefined)?.sessionContext
    ?.attributes;
  if (attributes?.creationDate) attributes.creationDate = isoTime(attributes.creationDate);
  return record as unknown as CloudTrailRecord;
}
