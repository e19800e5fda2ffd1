/**
 * How an investigation's searches report themselves: what each query read and whether it read the
 * whole window, so no list is mistaken for complete when it is not. SDK-free: the Investigation view
 * and the engine's searches both use it.
 */
import type { LookupProgress } from '../lookup';
import { formatWindow, type TimeWindow } from '../time';

/** One query made, as the result says it. */
export interface SearchedQuery {
  /** "AccessKeyId = ASIA…" or "every event (matched here on session, service, source IP)". */
  what: string;
  window: TimeWindow;
  pages: number;
  events: number;
  /** False when the page budget ran out before the window did: `reachedBack` says how far it got. */
  complete: boolean;
  reachedBack?: Date;
}

/** One line per query, for the tree, the notification and the Markdown. */
export function describeSearched(q: SearchedQuery): string {
  const pages = `${q.pages} page${q.pages === 1 ? '' : 's'}, ${q.events} event${q.events === 1 ? '' : 's'} read`;
  const stop = q.complete ? 'the whole window' : `stopped at the page budget, back to ${q.reachedBack?.toISOString() ?? 'the first page'}`;
  return `${q.what} · ${formatWindow(q.window)} · ${pages} · ${stop}`;
}

/** A progress line for the notification. */
export function progressOf(p: LookupProgress): string {
  return `${p.events} events, ${p.pages} pages${p.waiting ? ' · waiting — CloudTrail is throttling' : ''}`;
}

/** "−33 s", "+2 min 5 s", "0 s": how long before or after the event. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : ms > 0 ? '+' : '';
  let s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s || (!h && !m) ? `${s} s` : ''].filter(Boolean);
  return `${sign}${parts.join(' ')}`;
}
