/**
 * LookupEvents paging. `lookupPages` follows one NextToken chain newest-first; `scanEvents` covers a
 * whole window by splitting it into time ranges fetched concurrently under the shared limiter and
 * yields records strictly newest-first. Both retry throttled pages (never lost, never duplicated),
 * retry server and network faults a few times, and fail at once on anything else. Every answer is
 * checked before use: its shape (readLookupResponse) and its paging (PageGuard), so a broken or
 * look-alike endpoint ends the search with a clear error instead of a TypeError or an endless loop.
 */
import type { LookupEventsCommandInput, LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { classifyAwsError, malformedResponse, retryClass } from './awsErrors';
import { TrailLensError, isAbortError, throwIfAborted } from './errors';
import type { Logger } from './logger';
import { abortableSleep, type RateLimiter } from './limiter';
import { recordFromLookupEvent, type CloudTrailRecord, type LookupAttribute } from './record';
import { formatDuration, formatUtc, formatWindow } from './time';

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
  /** Shared by the lookups of one search (findRequest's windows), so throttling is reported once. Default: one per lookup. */
  throttle?: ThrottleWatch;
}

export interface Page {
  records: CloudTrailRecord[];
  nextToken?: string;
  query: LookupQuery;
}

export function toLookupInput(query: LookupQuery, nextToken?: string): LookupEventsCommandInput {
  return {
    ...(query.attribute ? { LookupAttributes: [{ AttributeKey: query.attribute.key, AttributeValue: query.attribute.value }] } : {}),
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

/** How long throttling may last before the search says so (once) through the logger. */
export const THROTTLE_NOTICE_MS = 3000;

/**
 * Watches one search for throttling: how long the current run of throttled answers has lasted,
 * and a single warning once it passes THROTTLE_NOTICE_MS, so a person whose stderr is not a
 * terminal (or who looks at the log) learns why nothing is happening.
 */
export class ThrottleWatch {
  private since: number | undefined;
  private told = false;
  constructor(
    private readonly logger: Logger | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A throttled answer arrived. */
  throttled(): void {
    const now = this.now();
    this.since ??= now;
    const waited = now - this.since;
    if (!this.told && waited >= THROTTLE_NOTICE_MS) {
      this.told = true;
      this.logger?.warn(
        `CloudTrail is throttling LookupEvents: this search has waited ${formatDuration(waited)} for it so far and keeps retrying. ` +
          'Another tool may be calling LookupEvents in the same account and Region.',
      );
    }
  }

  /** An answer arrived: the run of throttling is over. */
  ok(): void {
    this.since = undefined;
  }

  /** How long the current run of throttled answers has lasted (0 when not throttled). */
  get waitedMs(): number {
    return this.since === undefined ? 0 : this.now() - this.since;
  }
}

/** Shared bookkeeping for progress across one lookup or scan. */
export class Progress {
  readonly p: LookupProgress = { calls: 0, pages: 0, events: 0, throttled: 0, waiting: false };
  /** Duration of the last LookupEvents round trip (ms), without time spent waiting for a slot. */
  lastCallMs = 0;
  readonly throttle: ThrottleWatch;
  /** When each call now on the wire was sent. */
  private readonly sending = new Set<{ at: number }>();
  constructor(
    private readonly onProgress?: (p: LookupProgress) => void,
    opts: Pick<LookupOptions, 'logger' | 'throttle'> = {},
  ) {
    this.throttle = opts.throttle ?? new ThrottleWatch(opts.logger);
  }
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
  /** Runs one LookupEvents round trip, timing it and counting it as on the wire meanwhile. */
  async roundTrip<T>(call: () => Promise<T>): Promise<T> {
    const entry = { at: performance.now() };
    this.sending.add(entry);
    try {
      const out = await call();
      this.lastCallMs = performance.now() - entry.at;
      return out;
    } finally {
      this.sending.delete(entry);
    }
  }
  /** How long the oldest call still on the wire has been out (0 when none is): a lower bound on the latency. */
  oldestOnWireMs(): number {
    let oldest = Infinity;
    for (const e of this.sending) oldest = Math.min(oldest, e.at);
    return oldest === Infinity ? 0 : performance.now() - oldest;
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

const STRING_FIELDS = ['EventName', 'EventSource', 'Username', 'AccessKeyId', 'ReadOnly', 'CloudTrailEvent'] as const;

/** A value named for a person: `a string ("surprise")`, `a number (5)`, `null`. */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'an invalid date';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  if (typeof v === 'number' || typeof v === 'boolean') return `a ${typeof v} (${String(v)})`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function eventProblem(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return `is ${describeValue(e)}, not an event object`;
  const ev = e as Record<string, unknown>;
  if (ev.EventId === undefined || ev.EventId === null || ev.EventId === '') return 'has no EventId';
  if (typeof ev.EventId !== 'string') return `has an EventId that is ${describeValue(ev.EventId)}, not a string`;
  const id = `(${ev.EventId})`;
  if (ev.EventTime === undefined || ev.EventTime === null) return `${id} has no EventTime`;
  if (!(ev.EventTime instanceof Date) || Number.isNaN(ev.EventTime.getTime()))
    return `${id} has an EventTime that is ${describeValue(ev.EventTime)}, not a time`;
  for (const f of STRING_FIELDS) {
    const v = ev[f];
    if (v !== undefined && v !== null && typeof v !== 'string') return `${id} has a ${f} that is ${describeValue(v)}, not a string`;
  }
  if (ev.Resources !== undefined && ev.Resources !== null && !Array.isArray(ev.Resources))
    return `${id} has Resources that are ${describeValue(ev.Resources)}, not a list`;
  return undefined;
}

/**
 * The events and token of a LookupEvents answer, after checking its shape: Events a list (absent
 * means none) of objects each with an EventId and an EventTime, NextToken a string. Anything else
 * is a MalformedResponse naming what was wrong, never a TypeError from deeper down.
 */
export function readLookupResponse(out: unknown): { events: LookupEvent[]; nextToken?: string } {
  const bad = (what: string) => malformedResponse('LookupEvents', what);
  if (typeof out !== 'object' || out === null) throw bad(`the answer is ${describeValue(out)}, not an object`);
  const { Events, NextToken } = out as Record<string, unknown>;
  if (Events !== undefined && Events !== null && !Array.isArray(Events)) throw bad(`Events is ${describeValue(Events)}, not a list`);
  if (NextToken !== undefined && NextToken !== null && typeof NextToken !== 'string')
    throw bad(`NextToken is ${describeValue(NextToken)}, not a string`);
  const events = (Events ?? []) as unknown[];
  for (let i = 0; i < events.length; i++) {
    const problem = eventProblem(events[i]);
    if (problem) throw bad(`Events[${i}] ${problem}`);
  }
  return { events: events as LookupEvent[], nextToken: (NextToken as string | null | undefined) || undefined };
}

/** Events a page may hold that are newer than the page before's oldest (LookupEvents is newest first; this allows a little disorder). */
export const ORDER_TOLERANCE_MS = 60_000;
/** Pages in a row that may pass without reaching further back in time (empty pages, or one very busy second). */
export const MAX_STALLED_PAGES = 100;
/** The page budget of a chain assumes the window is this dense all through: far more than any account records. */
const MAX_EVENTS_PER_SECOND = 5000;

/**
 * Checks the paging of one NextToken chain as its pages arrive, so an endpoint that never stops
 * handing out tokens cannot keep a search calling forever. It stops the chain with a
 * MalformedResponse when a token repeats, when a page goes back in time (holds events newer than
 * the previous page's oldest, beyond ORDER_TOLERANCE_MS), when MAX_STALLED_PAGES pages in a row get
 * no further back, or when the chain has more pages than its window could possibly hold.
 */
export class PageGuard {
  private readonly tokens = new Set<string>();
  private readonly maxPages: number;
  private pages = 0;
  private events = 0;
  private oldest: number | undefined;
  private stalled = 0;
  constructor(private readonly query: LookupQuery) {
    const seconds = Math.max(1, (query.end.getTime() - query.start.getTime()) / 1000);
    this.maxPages = MAX_STALLED_PAGES + Math.ceil((seconds * MAX_EVENTS_PER_SECOND) / (query.pageSize ?? 50));
  }

  check(page: Page): void {
    this.pages++;
    this.events += page.records.length;
    const token = page.nextToken;
    if (token && this.tokens.has(token)) throw this.stop(`page ${this.pages} hands out a NextToken it already gave before`);
    let newest = -Infinity;
    let oldest = Infinity;
    for (const r of page.records) {
      const t = Date.parse(r.eventTime);
      if (!Number.isFinite(t)) continue;
      if (t > newest) newest = t;
      if (t < oldest) oldest = t;
    }
    if (this.oldest !== undefined && newest > this.oldest + ORDER_TOLERANCE_MS) {
      throw this.stop(
        `page ${this.pages} goes back in time: it holds an event at ${iso(newest)}, newer than the oldest event of the page before (${iso(this.oldest)}), although pages run newest first`,
      );
    }
    if (oldest !== Infinity && (this.oldest === undefined || oldest < this.oldest)) {
      this.oldest = oldest;
      this.stalled = 0;
    } else this.stalled++;
    if (!token) return;
    this.tokens.add(token);
    if (this.stalled >= MAX_STALLED_PAGES)
      throw this.stop(`${this.stalled} pages in a row came no further back in time, and it still hands out NextTokens`);
    if (this.pages >= this.maxPages) {
      throw this.stop(
        `${this.pages} pages is more than a window of ${formatDuration(this.query.end.getTime() - this.query.start.getTime())} can hold, and it still hands out NextTokens`,
      );
    }
  }

  private stop(what: string): TrailLensError {
    return malformedResponse(
      'LookupEvents',
      `${what}. Trail Lens stopped this search after ${this.pages} page${this.pages === 1 ? '' : 's'} (${this.events} events) rather than page forever (${describeQuery(this.query)})`,
    );
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** One LookupEvents call with pacing and retries: throttling waits, server and network faults retry, everything else fails at once. */
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
    let out: LookupEventsCommandOutput;
    try {
      out = await progress.roundTrip(() => fn(toLookupInput(query, token), opts.signal));
    } catch (raw) {
      if (isAbortError(raw) || opts.signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled', { cause: raw });
      // The one classifier: connect() has already mapped its errors; a bare SDK client's are mapped here.
      const err = classifyAwsError(raw, { operation: 'LookupEvents' });
      const kind = retryClass(err);
      if (kind === 'throttled') {
        progress.throttle.throttled();
        if (++throttles <= maxThrottles) {
          opts.limiter.onThrottled();
          progress.p.throttled++;
          progress.p.waiting = true;
          progress.emit();
          opts.logger?.debug(`LookupEvents throttled (${throttles}); backing off. ${describeQuery(query)}`);
          continue;
        }
        throw new TrailLensError(
          'Throttled',
          `CloudTrail kept throttling LookupEvents: ${throttles} throttled answers in a row over ${formatDuration(progress.throttle.waitedMs)}, so Trail Lens gave up.`,
          { cause: err, hint: 'Another tool may be calling LookupEvents in this account and Region; try again in a minute.' },
        );
      }
      if (kind === 'transient' && ++retries <= maxRetries) {
        const pause = 250 * 2 ** retries;
        opts.logger?.warn(`LookupEvents failed: ${err.message} Retry ${retries} of ${maxRetries} in ${formatDuration(pause)}.`);
        await abortableSleep(pause, opts.signal);
        continue;
      }
      if (kind === 'transient') {
        throw new TrailLensError(err.code, `LookupEvents failed ${retries} times in a row; the last time: ${err.message}`, {
          cause: err,
          hint: err.hint,
        });
      }
      throw err;
    }
    opts.limiter.onSuccess();
    progress.throttle.ok();
    const { events, nextToken } = readLookupResponse(out);
    return { records: events.map((e) => toRecord(e, opts.logger)), nextToken, query };
  }
}

/** Follows one NextToken chain, newest first. The token is only ever sent with the query that produced it. */
export async function* lookupPages(
  fn: LookupEventsFn,
  query: LookupQuery,
  opts: LookupOptions & { startToken?: string },
): AsyncGenerator<Page> {
  const progress = new Progress(opts.onProgress, opts);
  const guard = new PageGuard(query);
  let token = opts.startToken;
  do {
    const page = await fetchPage(fn, query, token, opts, progress);
    guard.check(page);
    progress.page(page.records);
    yield page;
    token = page.nextToken;
  } while (token);
}
