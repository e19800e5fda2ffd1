/**
 * LookupEvents paging. `lookupPages` follows one NextToken chain newest-first; `scanEvents` covers a
 * whole window by splitting it into time ranges fetched concurrently under the shared limiter and
 * yields records strictly newest-first. Both retry throttled pages (never lost, never duplicated).
 */
import type { LookupEventsCommandInput, LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { THROTTLING_CODES } from './awsErrors';
import { TrailLensError, isAbortError, throwIfAborted } from './errors';
import type { Logger } from './logger';
import { abortableSleep, type RateLimiter } from './limiter';
import { recordFromLookupEvent, type CloudTrailRecord, type LookupAttribute } from './record';
import { formatUtc, formatWindow } from './time';

export type LookupEventsFn = (input: LookupEventsCommandInput, signal?: AbortSignal) => Promise<LookupEventsCommandOutput>;

export interface LookupQuery {
  attribute?: LookupAttribute;
  start: Date;
  end: Date;
  /** 1–50, default 50. */
  pageSize?: number;
}

export interface LookupProgress {
  calls: number;
  pages: number;
  events: number;
  throttled: number;
  oldest?: Date;
  newest?: Date;
  /** True while backing off after throttling: the UI shows waiting, not failing. */
  waiting: boolean;
}

export interface LookupOptions {
  limiter: RateLimiter;
  signal?: AbortSignal;
  onProgress?: (p: LookupProgress) => void;
  logger?: Logger;
  /** Retries for network faults and 5xx per page. Default 3. */
  maxRetries?: number;
  /** Throttled attempts tolerated per page before giving up. Default 30. */
  maxThrottleRetries?: number;
}

export interface Page {
  records: CloudTrailRecord[];
  nextToken?: string;
  query: LookupQuery;
}

function errorKind(err: unknown): 'throttled' | 'retryable' | 'fatal' {
  if (err instanceof TrailLensError) {
    if (err.code === 'Throttled') return 'throttled';
    if (err.code === 'Network' || err.code === 'ServiceError') return 'retryable';
    return 'fatal';
  }
  const e = err as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  if (e?.name && THROTTLING_CODES.has(e.name)) return 'throttled';
  if (e?.$metadata?.httpStatusCode === 429) return 'throttled';
  if (e?.$fault === 'server') return 'retryable';
  if (e?.code && ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE'].includes(e.code)) return 'retryable';
  return 'fatal';
}

export function toLookupInput(query: LookupQuery, nextToken?: string): LookupEventsCommandInput {
  return {
    ...(query.attribute
      ? { LookupAttributes: [{ AttributeKey: query.attribute.key, AttributeValue: query.attribute.value }] }
      : {}),
    StartTime: query.start,
    EndTime: query.end,
    MaxResults: query.pageSize ?? 50,
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

export function describeQuery(q: LookupQuery): string {
  const parts = [];
  if (q.attribute) parts.push(`${q.attribute.key} = ${q.attribute.value}`);
  parts.push(formatWindow({ start: q.start, end: q.end }));
  return parts.join(' · ');
}

/** Shared bookkeeping for progress across one lookup or scan. */
export class Progress {
  readonly p: LookupProgress = { calls: 0, pages: 0, events: 0, throttled: 0, waiting: false };
  /** Duration of the last LookupEvents round trip (ms), without time spent waiting for a slot. */
  lastCallMs = 0;
  constructor(private readonly onProgress?: (p: LookupProgress) => void) {}
  page(records: CloudTrailRecord[]): void {
    this.p.pages++;
    this.p.events += records.length;
    for (const r of records) {
      const t = new Date(r.eventTime);
      if (!this.p.oldest || t < this.p.oldest) this.p.oldest = t;
      if (!this.p.newest || t > this.p.newest) this.p.newest = t;
    }
    this.p.waiting = false;
    this.emit();
  }
  emit(): void {
    this.onProgress?.({ ...this.p });
  }
}

type LookupEvent = NonNullable<LookupEventsCommandOutput['Events']>[number];

/**
 * The record inside a LookupEvents Event. An event whose CloudTrailEvent cannot be parsed is not
 * dropped (nor does it fail the page): it is kept with what the envelope says, marked with the error.
 */
function toRecord(e: LookupEvent, logger: Logger | undefined): CloudTrailRecord {
  try {
    return recordFromLookupEvent(e);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger?.warn(`Keeping event ${e.EventId ?? '(no EventId)'} with only its envelope: ${message}`);
    return {
      eventID: e.EventId ?? '',
      eventName: e.EventName ?? '',
      eventSource: e.EventSource ?? '',
      eventTime: formatUtc(e.EventTime ?? new Date(0), 'iso'),
      readOnly: e.ReadOnly === 'true',
      userIdentity: e.Username ? { userName: e.Username, accessKeyId: e.AccessKeyId } : undefined,
      trailLensParseError: message,
    };
  }
}

/** One LookupEvents call with pacing and retries. */
export async function fetchPage(
  fn: LookupEventsFn,
  query: LookupQuery,
  token: string | undefined,
  opts: LookupOptions,
  progress: Progress,
): Promise<Page> {
  const maxRetries = opts.maxRetries ?? 3;
  const maxThrottles = opts.maxThrottleRetries ?? 30;
  let retries = 0;
  let throttles = 0;
  for (;;) {
    throwIfAborted(opts.signal);
    await opts.limiter.acquire(opts.signal);
    progress.p.calls++;
    try {
      const sent = performance.now();
      const out = await fn(toLookupInput(query, token), opts.signal);
      progress.lastCallMs = performance.now() - sent;
      opts.limiter.onSuccess();
      const records = (out.Events ?? []).map((e) => toRecord(e, opts.logger));
      return { records, nextToken: out.NextToken || undefined, query };
    } catch (err) {
      if (isAbortError(err) || opts.signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled', { cause: err });
      const kind = errorKind(err);
      if (kind === 'throttled' && ++throttles <= maxThrottles) {
        opts.limiter.onThrottled();
        progress.p.throttled++;
        progress.p.waiting = true;
        progress.emit();
        opts.logger?.debug(`LookupEvents throttled (${throttles}); backing off. ${describeQuery(query)}`);
        continue;
      }
      if (kind === 'retryable' && ++retries <= maxRetries) {
        opts.logger?.warn(`LookupEvents failed (${(err as Error).message}); retry ${retries}/${maxRetries}`);
        await abortableSleep(250 * 2 ** retries, opts.signal);
        continue;
      }
      if (kind === 'throttled') {
        throw new TrailLensError('Throttled', `CloudTrail kept throttling LookupEvents (${throttles} times in a row)`, {
          cause: err,
          hint: 'Another tool may be calling LookupEvents in this account and Region; try again in a minute.',
        });
      }
      throw err instanceof TrailLensError ? err : TrailLensError.chain(err, 'LookupEvents failed');
    }
  }
}

/** Follows one NextToken chain, newest first. The token is only ever sent with the query that produced it. */
export async function* lookupPages(
  fn: LookupEventsFn,
  query: LookupQuery,
  opts: LookupOptions & { startToken?: string },
): AsyncGenerator<Page> {
  const progress = new Progress(opts.onProgress);
  let token = opts.startToken;
  do {
    const page = await fetchPage(fn, query, token, opts, progress);
    progress.page(page.records);
    yield page;
    token = page.nextToken;
  } while (token);
}
