/**
 * The strategy for finding one request ID. LookupEvents cannot filter by request ID, so every hint
 * in the text narrows what must be read: the cache first (zero calls), then the hinted event source
 * as the server-side attribute, over a window around the text's timestamp that widens outward, else
 * newest-first back to maxDays. Each page is matched as it arrives and the search stops at the first
 * match, so it never reads more than a newest-first scan of the narrowest window the hints allow.
 */
import { GLOBAL_EVENT_SOURCES as GLOBAL_SOURCES } from './awsRegions';
import { TrailLensError, isAbortError } from './errors';
import type { EventCache } from './cache';
import { AFTER_MINUTES, type SearchHints } from './hints';
import type { RateLimiter } from './limiter';
import type { Logger } from './logger';
import { ThrottleWatch, describeQuery, lookupPages, type LookupEventsFn, type LookupQuery } from './lookup';
import type { CloudTrailRecord, LookupAttribute } from './record';
import { DEFAULT_AROUND_MINUTES, formatUtc, formatWindow } from './time';
import { DELIVERY_LAG_MS, EVENT_HISTORY_DAYS as MAX_DAYS, EVENT_HISTORY_MS } from './limits';
import { deliveryPending, describePending, type DeliveryPending, type FindProgress } from './findReport';
import { requestIdQuery } from './engines/sql';
import { EVENT_DATA_STORE_PLACEHOLDER, lakeRequestIdQuery } from './engines/lake';

export { deliveryPending, describePending, describeProgress, type DeliveryPending, type FindProgress } from './findReport';

export interface FindOptions {
  requestId: string;
  hints: SearchHints;
  region: string;
  /** How far back to search without a time hint (days, ≤ 90). Default 90. */
  maxDays?: number;
  /**
   * How many minutes before a time hint the first window starts (it ends 5 minutes after). Default 30.
   * Pass the same value collectHints got, which builds hints.window with it.
   */
  aroundMinutes?: number;
  pageSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: FindProgress) => void;
  now?: Date;
  /**
   * When the request was made, if known otherwise than from the text (the person said so); default the
   * text's timestamp when its zone is known. Decides whether a miss may be CloudTrail's delivery lag.
   */
  requestedAt?: Date;
  /**
   * Default true: after the hinted window, widen outward (±6 h, ±3 days, maxDays). False: search the
   * first window only (and its check without the event-source attribute), when the time is known for
   * sure, as a CloudFormation stack event's timestamp is.
   */
  widen?: boolean;
}

export interface SearchedStep {
  attribute?: LookupAttribute;
  start: Date;
  end: Date;
  pages: number;
  calls: number;
  events: number;
  complete: boolean;
  fromCache: boolean;
}

export interface FindResult {
  requestId: string;
  record?: CloudTrailRecord;
  fromCache: boolean;
  calls: number;
  pages: number;
  events: number;
  elapsedMs: number;
  searched: SearchedStep[];
  summary: string;
  suggestions: string[];
  athenaQuery: string;
  lakeQuery: string;
  /** Not found, and the request was made so recently that CloudTrail may not have delivered it yet. */
  pending?: DeliveryPending;
}

export interface FindDeps {
  lookupEvents: LookupEventsFn;
  limiter: RateLimiter;
  cache?: EventCache;
  logger?: Logger;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
interface Window {
  start: number;
  end: number;
}

/** Rings around a time hint, each the part of a wider window not yet searched; newer part first. */
export function planWindows(hints: SearchHints, now: number, maxDays: number, aroundMinutes: number): Window[] {
  const floor = now - Math.min(MAX_DAYS, maxDays) * DAY;
  const clip = (w: Window): Window | undefined => {
    const start = Math.max(floor, w.start);
    const end = Math.min(now, w.end);
    return end - start >= SECOND ? { start, end } : undefined;
  };
  const whole = clip({ start: floor, end: now });
  const t = hints.times[0]?.getTime();
  if (t === undefined && !hints.window) return whole ? [whole] : [];
  const narrow = t === undefined ? undefined : { start: t - aroundMinutes * MINUTE, end: t + AFTER_MINUTES * MINUTE };
  const given = hints.window ? { start: hints.window.start.getTime(), end: hints.window.end.getTime() } : undefined;
  const rings: Window[] = [];
  // A zone-less timestamp is read as UTC first (narrow), then over every zone in use (the hint's
  // wide window). Otherwise the hint's window (or --around/--window) is the first ring as given.
  if (hints.zoneKnown === false && narrow) rings.push(narrow);
  if (given) rings.push(given);
  else if (narrow) rings.push(narrow);
  const centre = t ?? (rings[0].start + rings[0].end) / 2;
  // Widen outward: ±6 h, ±3 days, then everything within maxDays.
  for (const half of [6 * 60 * MINUTE, 3 * DAY]) rings.push({ start: centre - half, end: centre + half });
  rings.push({ start: floor, end: now });
  const out: Window[] = [];
  let done: Window | undefined;
  for (const ring of rings) {
    const w = clip(ring);
    if (!w) continue;
    if (!done) {
      out.push(w);
      done = w;
      continue;
    }
    // CloudTrail times have whole seconds: slivers under a second hold nothing new.
    if (w.end - done.end > SECOND) out.push({ start: done.end + 1, end: w.end });
    if (done.start - w.start > SECOND) out.push({ start: w.start, end: done.start - 1 });
    done = { start: Math.min(done.start, w.start), end: Math.max(done.end, w.end) };
  }
  return out;
}

export async function findRequest(deps: FindDeps, opts: FindOptions): Promise<FindResult> {
  const started = performance.now();
  const id = opts.requestId.trim();
  const now = (opts.now ?? new Date()).getTime();
  const maxDays = Math.min(MAX_DAYS, opts.maxDays ?? MAX_DAYS);
  const attribute: LookupAttribute | undefined = opts.hints.eventSource ? { key: 'EventSource', value: opts.hints.eventSource } : undefined;
  const result: FindResult = {
    requestId: id,
    fromCache: false,
    calls: 0,
    pages: 0,
    events: 0,
    elapsedMs: 0,
    searched: [],
    summary: '',
    suggestions: [],
    athenaQuery: '',
    lakeQuery: '',
  };
  const matches = (r: CloudTrailRecord) => typeof r.requestID === 'string' && r.requestID.toLowerCase() === id.toLowerCase();
  const finish = (record?: CloudTrailRecord): FindResult => {
    result.record = record;
    result.elapsedMs = performance.now() - started;
    describeOutcome(result, opts, attribute, now, maxDays);
    return result;
  };

  const cached = deps.cache?.byRequestId(id);
  if (cached) {
    result.fromCache = true;
    return finish(cached);
  }

  // One watch for every window searched, so throttling is reported once per search.
  const throttle = new ThrottleWatch(deps.logger);
  const planned = planWindows(opts.hints, now, maxDays, opts.aroundMinutes ?? DEFAULT_AROUND_MINUTES);
  const windows = opts.widen === false ? planned.slice(0, 1) : planned;
  // With a time hint and an event-source hint, a last cheap check of the first window without the
  // attribute guards against a service name that maps to an unexpected event source.
  const plan: { attribute?: LookupAttribute; window: Window }[] = windows.map((window) => ({ attribute, window }));
  if (attribute && opts.hints.times.length && windows.length) plan.push({ attribute: undefined, window: windows[0] });
  const pace: Pace = {
    totalMs: plan.reduce((sum, s) => sum + (s.window.end - s.window.start), 0),
    doneMs: 0,
    readMs: 0,
    started: performance.now(),
  };

  try {
    for (const step of plan) {
      const query: LookupQuery = {
        attribute: step.attribute,
        start: new Date(step.window.start),
        end: new Date(step.window.end),
        pageSize: opts.pageSize,
      };
      // The cache leaves out gaps that hold no whole second (CloudTrail's time resolution).
      const parts = deps.cache ? deps.cache.uncovered(query) : [{ start: query.start, end: query.end }];
      const stepMs = step.window.end - step.window.start;
      const toRead = parts.reduce((sum, p) => sum + (p.end.getTime() - p.start.getTime()), 0);
      pace.doneMs += Math.max(0, stepMs - toRead);
      if (parts.length === 0) {
        result.searched.push({
          attribute: step.attribute,
          start: query.start,
          end: query.end,
          pages: 0,
          calls: 0,
          events: 0,
          complete: true,
          fromCache: true,
        });
        continue;
      }
      for (const part of parts) {
        const q: LookupQuery = { ...query, start: part.start, end: part.end };
        const record = await searchWindow(deps, q, opts, result, matches, throttle, pace);
        if (record) return finish(record);
      }
    }
  } catch (err) {
    if (isAbortError(err)) throw new TrailLensError('Cancelled', 'Search cancelled', { cause: err });
    throw err;
  }
  return finish(undefined);
}

/** Progress by time covered: the planned windows' total, what is done (read or cached) and what was read by calls. */
interface Pace {
  totalMs: number;
  doneMs: number;
  /** The part of doneMs read through LookupEvents (the pace of the estimate). */
  readMs: number;
  started: number;
}

async function searchWindow(
  deps: FindDeps,
  q: LookupQuery,
  opts: FindOptions,
  result: FindResult,
  matches: (r: CloudTrailRecord) => boolean,
  throttle: ThrottleWatch,
  pace: Pace,
): Promise<CloudTrailRecord | undefined> {
  const step: SearchedStep = {
    attribute: q.attribute,
    start: q.start,
    end: q.end,
    pages: 0,
    calls: 0,
    events: 0,
    complete: false,
    fromCache: false,
  };
  result.searched.push(step);
  const label = describeQuery(q);
  const base = { calls: result.calls, pages: result.pages, events: result.events };
  // Each page goes to the cache as it arrives: an error or a cancel part-way keeps what was read.
  const feed = deps.cache?.feed(q);
  const end = q.end.getTime();
  const windowMs = end - q.start.getTime();
  let covered = 0;
  for await (const page of lookupPages(deps.lookupEvents, q, {
    limiter: deps.limiter,
    signal: opts.signal,
    logger: deps.logger,
    throttle,
    onProgress: (p) => {
      step.calls = p.calls;
      result.calls = base.calls + p.calls;
      // Pages come newest first: the window is read from its end back to its oldest event so far.
      const reached = p.oldest && p.oldest.getTime() >= q.start.getTime() ? p.oldest : undefined;
      if (reached) covered = Math.min(windowMs, end - reached.getTime());
      const read = pace.readMs + covered;
      const done = pace.totalMs > 0 ? Math.min(1, (pace.doneMs + covered) / pace.totalMs) : 0;
      const elapsed = performance.now() - pace.started;
      const etaMs = read > 0 ? ((pace.totalMs - pace.doneMs - covered) * elapsed) / read : undefined;
      opts.onProgress?.({
        step: `${label} · page ${p.pages + (p.waiting ? 1 : 0) || 1}`,
        calls: result.calls,
        pages: base.pages + p.pages,
        events: base.events + p.events,
        waiting: p.waiting,
        reached: reached ?? (covered ? new Date(end - covered) : undefined),
        done,
        etaMs,
      });
    },
  })) {
    step.pages++;
    step.events += page.records.length;
    result.pages++;
    result.events += page.records.length;
    await feed?.add(page.records);
    const hit = page.records.find(matches);
    if (hit) return hit;
  }
  step.complete = true;
  pace.doneMs += windowMs;
  pace.readMs += windowMs;
  await feed?.complete();
  return undefined;
}

function describeOutcome(
  result: FindResult,
  opts: FindOptions,
  attribute: LookupAttribute | undefined,
  now: number,
  maxDays: number,
): void {
  const id = result.requestId;
  const region = opts.region;
  const steps = result.searched;
  const earliest = Math.min(...steps.map((s) => s.start.getTime()), now);
  const latest = Math.max(...steps.map((s) => s.end.getTime()), earliest);
  const stats = `${result.calls} call${result.calls === 1 ? '' : 's'}, ${result.events} events, ${(result.elapsedMs / 1000).toFixed(1)} s`;
  if (result.record) {
    result.summary = result.fromCache
      ? `Found ${id} in the local cache (${region}, no API calls)`
      : `Found ${id} in ${region} (${describeQuery({ attribute: steps[steps.length - 1]?.attribute, start: steps[steps.length - 1].start, end: steps[steps.length - 1].end })}; ${stats})`;
  } else {
    const what = steps.map(
      (s) =>
        `${s.attribute ? `${s.attribute.key} = ${s.attribute.value}` : 'all events'} ${formatWindow({ start: s.start, end: s.end })}${s.fromCache ? ' (cache)' : ` (${s.pages} page${s.pages === 1 ? '' : 's'})`}`,
    );
    result.summary = `No event with request ID ${id} in ${region}: searched ${what.join('; ')} — ${stats}`;
    const hinted = opts.hints.zoneKnown === false ? undefined : opts.hints.times[0];
    result.pending = deliveryPending(opts.requestedAt ?? hinted, now + result.elapsedMs);
    if (result.pending) result.suggestions.push(`${describePending(result.pending)}: look again until ${formatUtc(result.pending.until)}.`);
    const searchedDays = (now - earliest) / DAY;
    if (opts.hints.region && opts.hints.region !== region)
      result.suggestions.push(`The text names Region ${opts.hints.region}: search there.`);
    if (attribute && GLOBAL_SOURCES.has(attribute.value) && region !== 'us-east-1') {
      result.suggestions.push(`${attribute.value} is a global service: its events are recorded in us-east-1.`);
    }
    if (searchedDays < maxDays - 0.01 || maxDays < MAX_DAYS) result.suggestions.push(`Widen the search to ${MAX_DAYS} days.`);
    if (attribute)
      result.suggestions.push(
        `Search without the event source filter (the call may be recorded under another source than ${attribute.value}).`,
      );
    result.suggestions.push('Try another Region: LookupEvents sees one Region at a time.');
    if (!result.pending && latest > now - DELIVERY_LAG_MS)
      result.suggestions.push('Events reach CloudTrail within about 5–15 minutes: a very recent call may not be visible yet.');
    result.suggestions.push(
      'LookupEvents returns management events only: data events (S3 object calls, Lambda Invoke) need a trail — query it with Athena or CloudTrail Lake.',
    );
  }
  const history = { start: new Date(now - MAX_DAYS * DAY), end: new Date(now) };
  // The same query `find-request --engine athena` runs (src/core/engines/sql.ts), over the days searched here.
  result.athenaQuery = `${requestIdQuery({ table: 'cloudtrail_logs', window: history }, id).sql};`;
  // The same query `find-request --engine lake` runs (src/core/engines/lake.ts), for the reader's event data store.
  result.lakeQuery = `${lakeRequestIdQuery(EVENT_DATA_STORE_PLACEHOLDER, id, history).sql};`;
}

export interface FindEventOptions {
  eventId: string;
  region: string;
  signal?: AbortSignal;
  now?: Date;
}

export interface FindEventResult {
  eventId: string;
  record?: CloudTrailRecord;
  fromCache: boolean;
  calls: number;
  elapsedMs: number;
  summary: string;
}

/**
 * Opens one event by its CloudTrail event ID: the cache first, else LookupEvents with the EventId
 * attribute over the 90 days it keeps (one call, whatever the window: the service indexes it).
 */
export async function findEvent(deps: FindDeps, opts: FindEventOptions): Promise<FindEventResult> {
  const started = performance.now();
  const eventId = opts.eventId.trim();
  const result: FindEventResult = { eventId, fromCache: false, calls: 0, elapsedMs: 0, summary: '' };
  const finish = (record?: CloudTrailRecord): FindEventResult => {
    result.record = record;
    result.elapsedMs = performance.now() - started;
    const calls = `${result.calls} call${result.calls === 1 ? '' : 's'}, ${(result.elapsedMs / 1000).toFixed(1)} s`;
    result.summary = record
      ? result.fromCache
        ? `Found event ${eventId} in the local cache (${opts.region}, no API calls)`
        : `Found event ${eventId} in ${opts.region} by EventId (${calls})`
      : `No event with event ID ${eventId} in ${opts.region} in the last ${MAX_DAYS} days (EventId lookup; ${calls}). LookupEvents sees one Region at a time.`;
    return result;
  };
  const cached = deps.cache?.byEventId(eventId);
  if (cached) {
    result.fromCache = true;
    return finish(cached);
  }
  const now = (opts.now ?? new Date()).getTime();
  const query: LookupQuery = { attribute: { key: 'EventId', value: eventId }, start: new Date(now - EVENT_HISTORY_MS), end: new Date(now) };
  try {
    for await (const page of lookupPages(deps.lookupEvents, query, {
      limiter: deps.limiter,
      signal: opts.signal,
      logger: deps.logger,
      onProgress: (p) => (result.calls = p.calls),
    })) {
      await deps.cache?.put(page.records);
      const hit = page.records.find((r) => r.eventID.toLowerCase() === eventId.toLowerCase());
      if (hit) return finish(hit);
    }
  } catch (err) {
    if (isAbortError(err)) throw new TrailLensError('Cancelled', 'Search cancelled', { cause: err });
    throw err;
  }
  return finish(undefined);
}
