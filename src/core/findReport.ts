/**
 * How a request-ID search reports itself, for both faces (no SDK, so the extension's own bundle can
 * use it): the progress line (how far back, the share done, the time left) and the verdict on a miss
 * that may be CloudTrail's delivery lag.
 */
import { DELIVERY_LAG_MS } from './limits';
import { formatDuration, formatUtc } from './time';

const MINUTE = 60_000;

export interface FindProgress {
  step: string;
  calls: number;
  pages: number;
  events: number;
  waiting: boolean;
  /** How far back in time the window being read has reached (its oldest event time so far). */
  reached?: Date;
  /** Share of the planned search done, 0–1, by time covered (the cache's covered parts count as done). */
  done: number;
  /** Time left at the pace so far (ms); undefined until a page has been read. */
  etaMs?: number;
}

export interface DeliveryPending {
  /** When the request was made (the text's timestamp, or the time the caller gave). */
  requestedAt: Date;
  /** How long before the search ended (ms). */
  ageMs: number;
  /** When CloudTrail should have delivered it (requestedAt + DELIVERY_LAG_MS): looking again after that is pointless. */
  until: Date;
}

/**
 * For a progress line: "back to 2026-11-20 08:24 UTC · 37% · about 1m left". The time says how far
 * the newest-first read has reached; the share and estimate are of the whole planned search.
 */
export function describeProgress(p: FindProgress): string {
  const parts: string[] = [];
  if (p.reached) parts.push(`back to ${formatUtc(p.reached).replace(/:\d\d UTC$/, ' UTC')}`);
  parts.push(`${Math.floor(p.done * 100)}%`);
  // An estimate from one page swings wildly: give one once a few pages set the pace.
  if (p.etaMs !== undefined && p.pages >= 3 && p.done < 1)
    parts.push(`about ${formatDuration(Math.max(1000, Math.ceil(p.etaMs / 1000) * 1000))} left`);
  if (p.waiting) parts.push('waiting — CloudTrail is throttling');
  return parts.join(' · ');
}

/**
 * When a miss may be CloudTrail's delivery lag: the request was made less than DELIVERY_LAG_MS before
 * `now` (a minute into the future is tolerated for clock skew). Undefined otherwise.
 */
export function deliveryPending(requestedAt: Date | undefined, now: number): DeliveryPending | undefined {
  if (!requestedAt) return undefined;
  const t = requestedAt.getTime();
  const ageMs = now - t;
  if (!(ageMs > -MINUTE && ageMs < DELIVERY_LAG_MS)) return undefined;
  return { requestedAt, ageMs: Math.max(0, ageMs), until: new Date(t + DELIVERY_LAG_MS) };
}

/** "CloudTrail may not have delivered it yet (the request was 3 minutes ago)". */
export function describePending(p: DeliveryPending): string {
  const minutes = Math.round(p.ageMs / MINUTE);
  const ago = minutes < 1 ? 'less than a minute ago' : `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  return `CloudTrail may not have delivered it yet (the request was ${ago})`;
}
