/**
 * Related events: what the same caller did around an event. The caller is pinned down four ways —
 * the same access key (LookupEvents' server-side `AccessKeyId` attribute), the same session ARN,
 * the same invoking service (`userIdentity.invokedBy`, which is also the `sourceIPAddress` of calls
 * an AWS service makes) and the same source IP — within ±N minutes. The access key narrows on the
 * server; the others are matched on the client over every event of the window (LookupEvents has no
 * attribute for them, docs/cloudtrail.md §8). Every search says what it read and whether it stopped
 * early, so a short list is never mistaken for a complete one.
 */
import { TrailLensError } from '../errors';
import { lookupPages, type LookupEventsFn, type LookupOptions } from '../lookup';
import { progressOf, type SearchedQuery } from './searched';
import type { CloudTrailRecord, LookupAttribute } from '../record';
import type { RateLimiter } from '../limiter';
import type { Logger } from '../logger';
import { scanEvents } from '../scan';
import type { TimeWindow } from '../time';

export type RelatedKind = 'accessKey' | 'session' | 'service' | 'sourceIp';

export interface RelatedCriterion {
  kind: RelatedKind;
  /** "same access key", as a row says why an event is related. */
  label: string;
  value: string;
  /** Narrowed on the server by this attribute; absent: matched on the client. */
  attribute?: LookupAttribute;
  matches(r: CloudTrailRecord): boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The caller's handles in a record, most specific first. An AWS service's DNS name as source IP is the service, once. */
export function relatedCriteria(r: CloudTrailRecord): RelatedCriterion[] {
  const id = r.userIdentity;
  const out: RelatedCriterion[] = [];
  const key = str(id?.accessKeyId);
  if (key) {
    out.push({
      kind: 'accessKey',
      label: 'same access key',
      value: key,
      attribute: { key: 'AccessKeyId', value: key },
      matches: (x) => x.userIdentity?.accessKeyId === key,
    });
  }
  const arn = str(id?.arn);
  if (arn) out.push({ kind: 'session', label: 'same session', value: arn, matches: (x) => x.userIdentity?.arn === arn });
  const service = str(id?.invokedBy);
  if (service) {
    out.push({
      kind: 'service',
      label: `invoked by ${service}`,
      value: service,
      matches: (x) => x.userIdentity?.invokedBy === service || x.sourceIPAddress === service,
    });
  }
  const ip = str(r.sourceIPAddress);
  if (ip && ip !== service) {
    out.push({ kind: 'sourceIp', label: `from ${ip}`, value: ip, matches: (x) => x.sourceIPAddress === ip });
  }
  return out;
}

/** ±`minutes` around the event, never past `now`. */
export function relatedWindow(r: CloudTrailRecord, minutes: number, now: number): TimeWindow | undefined {
  const t = Date.parse(r.eventTime);
  if (Number.isNaN(t)) return undefined;
  const half = minutes * 60_000;
  return { start: new Date(t - half), end: new Date(Math.max(t, Math.min(now, t + half))) };
}

export interface RelatedEvent {
  record: CloudTrailRecord;
  /** The labels of the criteria it met. */
  why: string[];
  /** Milliseconds after the event (negative: before). */
  offsetMs: number;
  self: boolean;
}

export interface RelatedResult {
  event: CloudTrailRecord;
  criteria: RelatedCriterion[];
  window: TimeWindow;
  /** Newest first, the event itself among them. */
  events: RelatedEvent[];
  searched: SearchedQuery[];
}

export interface RelatedDeps {
  lookup: LookupEventsFn;
  limiter: RateLimiter;
  logger?: Logger;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface RelatedOptions {
  aroundMinutes: number;
  /** Page budget per query (default 40: 2,000 events). */
  maxPages?: number;
  now?: number;
}

export const DEFAULT_RELATED_PAGES = 40;

/** Reads the window once per server-side criterion and once unfiltered for the client-side ones, under the page budget. */
export async function findRelated(deps: RelatedDeps, event: CloudTrailRecord, opts: RelatedOptions): Promise<RelatedResult> {
  const now = opts.now ?? Date.now();
  const criteria = relatedCriteria(event);
  const window = relatedWindow(event, opts.aroundMinutes, now);
  if (!window)
    throw new TrailLensError(
      'InvalidInput',
      `The event's time ${JSON.stringify(event.eventTime)} is not a time, so there is no window around it to search.`,
    );
  const maxPages = Math.max(1, opts.maxPages ?? DEFAULT_RELATED_PAGES);
  const base: LookupOptions = { limiter: deps.limiter, signal: deps.signal, logger: deps.logger };
  const found = new Map<string, CloudTrailRecord>();
  const searched: SearchedQuery[] = [];

  for (const c of criteria.filter((x) => x.attribute)) {
    const q: SearchedQuery = { what: `${c.attribute!.key} = ${c.value}`, window, pages: 0, events: 0, complete: true };
    const pages = lookupPages(
      deps.lookup,
      { attribute: c.attribute, start: window.start, end: window.end },
      {
        ...base,
        onProgress: (p) => deps.onProgress?.(`${q.what}: ${progressOf(p)}`),
      },
    );
    for await (const page of pages) {
      q.pages++;
      q.events += page.records.length;
      for (const r of page.records) if (c.matches(r)) found.set(r.eventID, r);
      const oldest = page.records.at(-1);
      if (oldest) q.reachedBack = new Date(oldest.eventTime);
      if (page.nextToken && q.pages >= maxPages) {
        q.complete = false;
        break;
      }
    }
    searched.push(q);
  }

  const local = criteria.filter((x) => !x.attribute);
  if (local.length) {
    const q: SearchedQuery = {
      what: `every event, matched here on ${local.map((c) => c.label).join(', ')}`,
      window,
      pages: 0,
      events: 0,
      complete: true,
    };
    const limit = maxPages * 50;
    for await (const batch of scanEvents(
      deps.lookup,
      { start: window.start, end: window.end },
      {
        ...base,
        limit,
        onProgress: (p) => {
          q.pages = p.pages;
          deps.onProgress?.(`every event: ${progressOf(p)}`);
        },
      },
    )) {
      q.events += batch.length;
      for (const r of batch) if (local.some((c) => c.matches(r))) found.set(r.eventID, r);
      const oldest = batch.at(-1);
      if (oldest) q.reachedBack = new Date(oldest.eventTime);
    }
    // scanEvents stops at `limit`; reaching it means older events of the window may be unread.
    if (q.events >= limit) q.complete = false;
    searched.push(q);
  }

  found.set(event.eventID, found.get(event.eventID) ?? event);
  const t = Date.parse(event.eventTime);
  const events = [...found.values()]
    .map((record) => ({
      record,
      self: record.eventID === event.eventID,
      offsetMs: Date.parse(record.eventTime) - t,
      why: criteria.filter((c) => c.matches(record)).map((c) => c.label),
    }))
    .sort((a, b) => b.offsetMs - a.offsetMs || a.record.eventID.localeCompare(b.record.eventID));
  return { event, criteria, window, events, searched };
}
