/**
 * Following a value outward from one event: the events already loaded (the Events view and the
 * cache) first, then CloudTrail in rings around the event — ±1 h, ±6 h, ±3 days, then the rest of
 * the 90 days Event history keeps — read with the full-window scanner and cached as they arrive.
 * It stops when the question is answered (the producer is found, or the ring asked for is read),
 * and always says what it searched.
 */
import type { EventCache } from '../cache';
import { isAbortError } from '../errors';
import { planWindows } from '../find';
import { EVENT_HISTORY_DAYS, EVENT_HISTORY_MS } from '../limits';
import type { RateLimiter } from '../limiter';
import type { Logger } from '../logger';
import type { LookupEventsFn } from '../lookup';
import type { CloudTrailRecord } from '../record';
import { scanEvents } from '../scan';
import { formatDuration, formatWindow } from '../time';
import { classify, holdersIn, type Provenance } from './provenance';
import { formsAmong, type ValueForms } from './valueForms';

/** Without lookupEvents (no connection, or the event is in a Region it cannot read) only loaded events are searched. */
export interface TraceDeps {
  lookupEvents?: LookupEventsFn;
  limiter?: RateLimiter;
  cache?: EventCache;
  logger?: Logger;
}

export interface TraceOptions {
  value: string;
  /** The event the value was taken from: the centre of the rings, and left out of the results. */
  event: CloudTrailRecord;
  /** Records already loaded (the Events view's). */
  loaded: Iterable<CloudTrailRecord>;
  /** 'producer': widen until an event that produced the value is found; a number: read that many rings (0 = loaded only). */
  until: 'producer' | number;
  signal?: AbortSignal;
  onProgress?: (p: TraceProgress) => void;
  now?: Date;
}

export interface TraceProgress {
  /** What is being read: "CloudTrail 04:49–06:49 UTC (ring 1 of 4)". */
  step: string;
  events: number;
  pages: number;
  waiting: boolean;
}

export interface TraceStep {
  start: Date;
  end: Date;
  /** Events read from CloudTrail for this ring (0 when the cache already covered it). */
  events: number;
  fromCache: boolean;
}

export interface TraceResult {
  forms: ValueForms;
  provenance: Provenance;
  /** How many loaded and cached events were searched before any ring. */
  loadedSearched: number;
  searched: TraceStep[];
  /** Rings read so far; more remain when this is below `rings`. */
  ringsRead: number;
  rings: number;
  cancelled: boolean;
  /** For a person: what was searched. */
  summary: string;
}

/** Bounds the work on a large cache; newest records come first. */
export const MAX_CACHE_SCAN = 100_000;
const MINUTE = 60_000;
const FIRST_RING_MS = 60 * MINUTE;

/** The rings around an event: ±1 h, then ±6 h, ±3 days and the rest of 90 days (each the part not yet read). */
export function traceRings(event: CloudTrailRecord, now: number): { start: Date; end: Date }[] {
  const t = Date.parse(event.eventTime);
  if (Number.isNaN(t)) return [];
  const window = { start: new Date(t - FIRST_RING_MS), end: new Date(t + FIRST_RING_MS) };
  return planWindows({ times: [new Date(t)], window, zoneKnown: true }, now, EVENT_HISTORY_DAYS, 60).map((w) => ({
    start: new Date(w.start),
    end: new Date(w.end),
  }));
}

function plural(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}

/** "1,204 loaded and cached events, and CloudTrail 04:49–06:49 UTC (312 events read)". */
export function describeTrace(r: Pick<TraceResult, 'loadedSearched' | 'searched' | 'ringsRead' | 'rings' | 'cancelled'>): string {
  const parts = [`${plural(r.loadedSearched, 'loaded and cached event')}`];
  if (r.searched.length) {
    const start = Math.min(...r.searched.map((s) => s.start.getTime()));
    const end = Math.max(...r.searched.map((s) => s.end.getTime()));
    const read = r.searched.reduce((n, s) => n + s.events, 0);
    const span = formatWindow({ start: new Date(start), end: new Date(end) });
    const cached = r.searched.some((s) => s.fromCache || s.events === 0) ? ', the rest already cached' : '';
    parts.push(`CloudTrail ${span} (${formatDuration(end - start)}: ${plural(read, 'event')} read${cached})`);
  }
  let text = parts.join(', and ');
  if (r.cancelled) text += ' — cancelled before the search was done';
  else if (r.ringsRead < r.rings) text += ` — not searched: the rest of the last ${EVENT_HISTORY_DAYS} days`;
  return text;
}

/** Follows a value outward from an event; see the file comment. Never throws for a cancel: `cancelled` says so. */
export async function traceValue(deps: TraceDeps, opts: TraceOptions): Promise<TraceResult> {
  const now = opts.now ?? new Date();
  const records = new Map<string, CloudTrailRecord>();
  const add = (list: Iterable<CloudTrailRecord>) => {
    for (const r of list) if (!records.has(r.eventID)) records.set(r.eventID, r);
  };
  add(opts.loaded);
  if (deps.cache) add(deps.cache.query({ start: new Date(now.getTime() - EVENT_HISTORY_MS), end: now }).slice(0, MAX_CACHE_SCAN));
  const loadedSearched = [...records.keys()].filter((id) => id !== opts.event.eventID).length;
  const at = Date.parse(opts.event.eventTime);
  const { lookupEvents, limiter } = deps;
  const rings = lookupEvents && limiter ? traceRings(opts.event, now.getTime()) : [];
  const searched: TraceStep[] = [];
  let cancelled = false;

  const answer = () => {
    const forms = formsAmong([...records.values(), opts.event], opts.value);
    return { forms, provenance: classify(holdersIn(records.values(), forms, opts.event.eventID), Number.isNaN(at) ? undefined : at) };
  };
  const done = (a: ReturnType<typeof answer>) =>
    opts.until === 'producer' ? a.provenance.produced.length > 0 : searched.length >= Math.min(opts.until, rings.length);

  let current = answer();
  let ringsRead = 0;
  for (const [i, ring] of rings.entries()) {
    if (done(current)) break;
    if (opts.signal?.aborted) {
      cancelled = true;
      break;
    }
    const parts = deps.cache ? deps.cache.uncovered(ring) : [ring];
    let events = 0;
    const label = `CloudTrail ${formatWindow(ring)} (ring ${i + 1} of ${rings.length})`;
    try {
      for (const part of parts) {
        const out: CloudTrailRecord[] = [];
        for await (const batch of scanEvents(lookupEvents as LookupEventsFn, part, {
          limiter: limiter as RateLimiter,
          signal: opts.signal,
          logger: deps.logger,
          onProgress: (p) => opts.onProgress?.({ step: label, events: events + p.events, pages: p.pages, waiting: p.waiting }),
        })) {
          out.push(...batch);
        }
        events += out.length;
        add(out);
        await deps.cache?.put(out, { query: part, complete: true });
      }
    } catch (err) {
      if (!isAbortError(err)) throw err;
      cancelled = true;
    }
    if (deps.cache && parts.length === 0) add(deps.cache.query(ring));
    searched.push({ start: ring.start, end: ring.end, events, fromCache: parts.length === 0 });
    current = answer();
    if (cancelled) break;
    ringsRead = i + 1;
  }
  const result = { ...current, loadedSearched, searched, ringsRead, rings: rings.length, cancelled };
  deps.logger?.debug(`traceValue: ${result.provenance.produced.length} producer(s), ${describeTrace(result)}`);
  return { ...result, summary: describeTrace(result) };
}
