/**
 * The next steps after a request-ID jump found nothing, chosen without VS Code (unit-tested): what was
 * searched, in one sentence; the most useful step, the first engine ready (else another Region) and
 * "More…" with the rest, each explained.
 */
import type { FindResult } from '../../core/find';
import { EVENT_HISTORY_DAYS as MAX_DAYS } from '../../core/limits';
import { oneLine } from '../eventLabels';
import { ENGINES, engineOfStep, type EngineId, type EngineSteps } from './engines';

const DAY = 86_400_000;

/**
 * The next steps after a miss. A notification shows three short buttons whole: the most useful step,
 * another Region or the first engine ready, and "More…" with the rest (each explained) in a quick pick.
 */
export const Actions = {
  keepLooking: 'Keep Looking',
  widen: 'Search 90 Days',
  region: 'Region…',
  allRegions: 'Search All Regions',
  events: 'Show Events',
  more: 'More…',
} as const;
/** A step's label: one of Actions, or an engine's (engines.ts ENGINES). */
export type Step = string;

const STEP_DETAIL: Partial<Record<string, string>> = {
  [Actions.keepLooking]: 'search again every minute until CloudTrail has had 15 minutes to deliver it',
  [Actions.widen]: 'newest first over the 90 days LookupEvents keeps, ignoring the time in the text',
  [Actions.region]: 'LookupEvents sees one Region at a time',
  [Actions.allRegions]: 'the 17 Regions every account has, at once (2 requests/s each)',
  [Actions.events]: 'the window just searched, in the Events view (its events are in the cache)',
};

/** What More… says under a step: its own detail, or the engine's (what it searches, or which setting it opens). */
export function stepDetail(step: Step, where: (engine: EngineId) => string | undefined): string | undefined {
  const engine = engineOfStep(step);
  if (!engine) return STEP_DETAIL[step];
  const e = ENGINES[engine.engine];
  if (engine.setup) return `not set up: opens the setting ${e.setting} (${e.detail})`;
  const at = where(engine.engine);
  return at ? `${at}: ${e.detail}` : e.detail;
}

/** True when the search did not already read the whole 90 days LookupEvents keeps. */
function couldWiden(result: FindResult): boolean {
  const earliest = Math.min(...result.searched.map((s) => s.start.getTime()));
  return earliest > Date.now() - (MAX_DAYS - 0.5) * DAY;
}

/**
 * What was searched, one clause per server-side filter (core's summary lists every widening ring,
 * which is right for the log and too long for a notification):
 * "No event with request ID x in ap-northeast-1. Searched EventSource = kms.amazonaws.com
 * 2026-08-23 08:24 – 2026-11-21 08:24 UTC (22 pages); all events 08:09–08:24 UTC (1 page) — 23 calls, 878 events, 11.2 s."
 */
export function describeSearch(result: FindResult, region: string, formatWindow: (w: { start: Date; end: Date }) => string): string {
  const groups = new Map<string, { start: number; end: number; pages: number; cached: boolean }>();
  for (const step of result.searched) {
    const key = step.attribute ? `${step.attribute.key} = ${oneLine(step.attribute.value, 80)}` : 'all events';
    const g = groups.get(key) ?? { start: Infinity, end: -Infinity, pages: 0, cached: false };
    g.start = Math.min(g.start, step.start.getTime());
    g.end = Math.max(g.end, step.end.getTime());
    g.pages += step.pages;
    g.cached ||= step.fromCache;
    groups.set(key, g);
  }
  const parts = [...groups].map(([key, g]) => {
    // Whole minutes read better than the seconds-exact ring edges.
    const minute = (ms: number) => new Date(Math.round(ms / 60_000) * 60_000);
    const read = g.pages ? `${g.pages} page${g.pages === 1 ? '' : 's'}` : '';
    const how = [read, g.cached ? 'cache' : ''].filter(Boolean).join(' + ') || 'cache';
    return `${key} ${formatWindow({ start: minute(g.start), end: minute(g.end) })} (${how})`;
  });
  const stats = `${result.calls} call${result.calls === 1 ? '' : 's'}, ${result.events} events, ${(result.elapsedMs / 1000).toFixed(1)} s`;
  const searched = parts.length ? ` Searched ${parts.join('; ')} — ${stats}.` : '';
  return `No event with request ID ${result.requestId} in ${region}.${searched}`;
}

export interface NextSteps {
  /** The notification's buttons: the most useful step, another Region (or the first engine ready), More…. */
  buttons: Step[];
  /** What More… offers. */
  more: Step[];
  /** What each engine ready searches (its table, log group …), for More…'s details. */
  where: Partial<Record<EngineId, string>>;
}

/**
 * The steps after a miss, the most useful first: wait for delivery, else widen, else look at what was
 * read; then the first engine ready (it can hold what LookupEvents cannot), else another Region.
 */
export function nextSteps(result: FindResult, engines: EngineSteps & { where?: NextSteps['where'] }): NextSteps {
  const all: Step[] = [];
  if (result.pending) all.push(Actions.keepLooking);
  if (couldWiden(result)) all.push(Actions.widen);
  // Read now or earlier, the searched window's events are in the cache: the view can show them.
  if (result.searched.length) all.push(Actions.events);
  const [first, ...rest] = all;
  const ready = engines.ready.map((e) => ENGINES[e].search);
  const setup = engines.setup.map((e) => ENGINES[e].setup);
  const shown = [...(first ? [first] : []), ...ready.slice(0, 1), Actions.region].slice(0, 2);
  const others = [...rest, Actions.region, Actions.allRegions, ...ready.slice(1), ...setup];
  return { buttons: [...shown, Actions.more], more: others.filter((s) => !shown.includes(s)), where: engines.where ?? {} };
}
