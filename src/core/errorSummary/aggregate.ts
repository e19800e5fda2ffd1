/**
 * The error summary (seed: "which error codes, how many, since when, from whom"): over the failed
 * calls in a stream of records, the top error codes with count and share, errors per hour or day,
 * and the top callers, event sources, event names and source IPs. Records are fed in batches as
 * they arrive (files, LookupEvents pages, the Events view); memory is bounded by the number of
 * distinct keys kept (TopCounts) and the hours spanned, never by the number of records.
 *
 * Noise rules classify each failed call; what they hide is counted per rule and, unless asked to
 * include it, left out of every aggregate. Callers that are AWS services or service-linked roles are
 * left out of the callers list (and counted) unless asked, since the question is who in the account
 * made the calls; their calls still count everywhere else.
 */
import type { CloudTrailRecord } from '../record';
import { isAwsServiceCall, isServiceLinkedRole, type NoiseRule } from '../noise';
import { actorLabel } from '../summary';
import { DEFAULT_CAPACITY, TopCounts, type KeyCount } from './topCounts';

export const DIMENSIONS = ['errorCode', 'eventSource', 'eventName', 'caller', 'sourceIPAddress'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const TIME_BUCKETS = ['hour', 'day'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

/** The id of the noise rule that hides a record, or undefined when none does. */
export type NoiseClassifier = (record: CloudTrailRecord) => string | undefined;

/** Noise rules as a classifier: the label of the first rule that matches (as applyNoise counts it). */
export function noiseClassifier(rules: readonly NoiseRule[]): NoiseClassifier | undefined {
  if (!rules.length) return undefined;
  return (r) => rules.find((rule) => rule.matches(r))?.label;
}

export interface SummaryOptions {
  /** Which noise rule hides a record; none: nothing is noise. */
  noise?: NoiseClassifier;
  /** Count what the noise rules hide as well (still reported as `hidden`). */
  includeHidden?: boolean;
  /** List AWS services and service-linked roles among the callers. */
  includeServiceCallers?: boolean;
  /** Keys kept per dimension (see TopCounts). */
  capacity?: number;
}

export interface SummaryRow {
  key: string;
  count: number;
  /** count / total, 0–1. */
  share: number;
  /** The first and last failed call with this key, ISO 8601 UTC. */
  first: string;
  last: string;
  /** How much `count` may exceed the truth when the dimension held too many keys (0: exact). */
  error: number;
}

export interface TimePoint {
  /** Start of the hour or day, ISO 8601 UTC. */
  start: string;
  count: number;
}

export interface ErrorSummary {
  /** Records fed in. */
  scanned: number;
  /** Failed calls among them (hidden or not). */
  failed: number;
  /** Failed calls summarised: `failed - hidden`, or `failed` with includeHidden. */
  total: number;
  /** Failed calls the noise rules hide (left out of the aggregates unless includeHidden). */
  hidden: number;
  hiddenByRule: Record<string, number>;
  includeHidden: boolean;
  includeServiceCallers: boolean;
  /** Summarised calls whose caller is an AWS service or service-linked role, left out of `callers`. */
  serviceCalls: number;
  /** The earliest and latest failed call summarised, ISO 8601 UTC. */
  first?: string;
  last?: string;
  /** A dimension held more distinct keys than its capacity: counts may be over by their `error`. */
  approximate: boolean;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The value a record has for a dimension, or undefined when it has none (e.g. no source IP). */
export function dimensionKey(record: CloudTrailRecord, dimension: Dimension): string | undefined {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  switch (dimension) {
    case 'errorCode':
      return text(record.errorCode);
    case 'eventSource':
      return text(record.eventSource);
    case 'eventName':
      return text(record.eventName);
    case 'sourceIPAddress':
      return text(record.sourceIPAddress);
    case 'caller':
      return text(actorLabel(record));
  }
}

export class ErrorSummaryBuilder {
  private readonly counts: Record<Dimension, TopCounts>;
  /** Failed calls per hour (epoch ms of the hour's start). Bounded by the hours the window spans. */
  private readonly hours = new Map<number, number>();
  private scanned = 0;
  private failed = 0;
  private hidden = 0;
  private serviceCalls = 0;
  private readonly hiddenByRule = new Map<string, number>();
  private first = Infinity;
  private last = -Infinity;

  constructor(private readonly opts: SummaryOptions = {}) {
    const capacity = opts.capacity ?? DEFAULT_CAPACITY;
    this.counts = Object.fromEntries(DIMENSIONS.map((d) => [d, new TopCounts(capacity)])) as Record<Dimension, TopCounts>;
  }

  add(records: Iterable<CloudTrailRecord>): void {
    for (const r of records) this.addOne(r);
  }

  private addOne(r: CloudTrailRecord): void {
    this.scanned++;
    if (typeof r.errorCode !== 'string' || r.errorCode === '') return;
    const time = Date.parse(r.eventTime);
    if (Number.isNaN(time)) return;
    this.failed++;
    const rule = this.opts.noise?.(r);
    if (rule !== undefined) {
      this.hidden++;
      this.hiddenByRule.set(rule, (this.hiddenByRule.get(rule) ?? 0) + 1);
      if (!this.opts.includeHidden) return;
    }
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    const hour = Math.floor(time / HOUR) * HOUR;
    this.hours.set(hour, (this.hours.get(hour) ?? 0) + 1);
    for (const d of DIMENSIONS) {
      if (d === 'caller' && !this.opts.includeServiceCallers && (isAwsServiceCall(r) || isServiceLinkedRole(r))) {
        this.serviceCalls++;
        continue;
      }
      const key = dimensionKey(r, d);
      if (key !== undefined) this.counts[d].add(key, time);
    }
  }

  summary(): ErrorSummary {
    const total = this.opts.includeHidden ? this.failed : this.failed - this.hidden;
    return {
      scanned: this.scanned,
      failed: this.failed,
      total,
      hidden: this.hidden,
      hiddenByRule: Object.fromEntries([...this.hiddenByRule].sort((a, b) => b[1] - a[1])),
      includeHidden: this.opts.includeHidden === true,
      includeServiceCallers: this.opts.includeServiceCallers === true,
      serviceCalls: this.serviceCalls,
      first: total ? iso(this.first) : undefined,
      last: total ? iso(this.last) : undefined,
      approximate: DIMENSIONS.some((d) => this.counts[d].approximate),
    };
  }

  /** The `n` most frequent keys of a dimension, most frequent first. */
  top(dimension: Dimension, n = Infinity): SummaryRow[] {
    const total = this.summary().total;
    return this.counts[dimension].top(n).map((c: KeyCount) => ({
      key: c.key,
      count: c.count,
      share: total ? c.count / total : 0,
      first: iso(c.first),
      last: iso(c.last),
      error: c.error,
    }));
  }

  /**
   * Failed calls per hour or day from the first to the last, oldest first. `contiguous` includes the
   * empty hours or days between (for a chart); otherwise only those with failed calls.
   */
  timeline(bucket: TimeBucket, contiguous = true): TimePoint[] {
    if (!this.hours.size) return [];
    const size = bucket === 'hour' ? HOUR : DAY;
    const byBucket = new Map<number, number>();
    for (const [hour, n] of this.hours) {
      const b = Math.floor(hour / size) * size;
      byBucket.set(b, (byBucket.get(b) ?? 0) + n);
    }
    const keys = [...byBucket.keys()].sort((a, b) => a - b);
    if (!contiguous) return keys.map((k) => ({ start: iso(k), count: byBucket.get(k)! }));
    const out: TimePoint[] = [];
    for (let t = keys[0]; t <= keys[keys.length - 1]; t += size) out.push({ start: iso(t), count: byBucket.get(t) ?? 0 });
    return out;
  }
}

/** Hours for a span up to three days, days beyond: enough bars to read, few enough to tell apart. */
export function bucketFor(first: string | undefined, last: string | undefined): TimeBucket {
  if (!first || !last) return 'hour';
  return Date.parse(last) - Date.parse(first) <= 3 * DAY ? 'hour' : 'day';
}
