/**
 * What the Events view's model (eventsModel.ts) reads from and hands back: the source of pages
 * and view state, the local display filters (pattern, then noise rules) and the rows to show. No `vscode`.
 */
import type { FilterPattern } from '../../core/filter/pattern';
import type { Logger } from '../../core/logger';
import type { LookupQuery, Page } from '../../core/lookup';
import { applyNoise, type NoiseRule } from '../../core/noise';
import type { CloudTrailRecord } from '../../core/record';
import type { TrailLensError } from '../../core/errors';
import type { Session } from '../session';

export type ViewPhase = 'idle' | 'loading' | 'ready' | 'error' | 'noCredentials';

export interface PageOptions {
  signal?: AbortSignal;
  log: Logger;
  /** Throttling back-off started (true) or ended (false). */
  onWaiting(waiting: boolean): void;
}

/** What the model reads from and reports to: the connection, the view state and the page loader. */
export interface EventsSource {
  log: Logger;
  session(): Promise<Session>;
  /** Which account and which question the next load answers: when either changes, the view starts empty. */
  answers(): { identity: string; view: string };
  /** A fresh query for the current filter and time range. */
  query(): LookupQuery;
  /** The range asked for and every filter CloudTrail applies, in words, for the message line. */
  describe(): { range: string; filters: string[] };
  fetchPage(session: Session, query: LookupQuery, token: string | undefined, opts: PageOptions): Promise<Page>;
  cachePage(session: Session, page: Page, log: Logger): Promise<void>;
  /** Each first-page outcome (undefined: it loaded), so the connection knows its health. */
  reportOutcome(error: TrailLensError | undefined): void;
  /** Runs the first page's fetch, and a scan for pattern matches (the tree shows progress on the view). */
  progress<T>(task: () => Promise<T>): PromiseLike<T>;
  /** What is shown of the loaded events: the same object until the pattern or the rules change. */
  display(): Display;
}

/** The local filters: the pattern keeps what matches, then the noise rules hide what they match. */
export interface Display {
  readonly pattern: FilterPattern | undefined;
  readonly rules: readonly NoiseRule[];
}

/** How many events one rule hid. */
export interface HiddenCount {
  id: string;
  label: string;
  count: number;
}

export interface ShownEvents {
  /** Newest first: pinned records, and those that match the pattern (if any) and that no noise rule hides. */
  shown: CloudTrailRecord[];
  /** Events the noise rules hid (among those the pattern kept). */
  hidden: number;
  /** Per rule, in the rules' order, only rules that hid something (an event two rules match counts for the first). */
  hiddenBy: HiddenCount[];
  /** Every event loaded (what the pattern was tried on). */
  scanned: number;
  /** The view's message line, or undefined for none. */
  message: string | undefined;
}

/** The pattern keeps what matches, the rules hide what they match; pinned events (a jump's) always show. */
export function displayRows(
  records: readonly CloudTrailRecord[],
  display: Display,
  pinned: (eventID: string) => boolean,
): { shown: CloudTrailRecord[]; hiddenBy: HiddenCount[] } {
  const pattern = display.pattern;
  const kept = pattern ? records.filter((r) => pinned(r.eventID) || pattern.matches(r)) : records;
  const { shown, hidden } = applyNoise(kept, display.rules, (r) => pinned(r.eventID));
  const hiddenBy = display.rules.flatMap((rule) => {
    const count = hidden.get(rule.id) ?? 0;
    return count ? [{ id: rule.id, label: rule.label, count }] : [];
  });
  return { shown, hiddenBy };
}
