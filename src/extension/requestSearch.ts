/**
 * Runs core's findRequest for one request ID under a cancellable progress notification that says how
 * far back it has read, the share done and the time left, then shows the event (panel + tree) or says
 * what was searched and what to try next — looking again until CloudTrail's delivery lag has passed
 * when the request was only minutes ago. Also opens an event by its event ID (findEvent).
 */
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import { isAbortError } from '../core/errors';
import type { FindProgress, FindResult } from '../core/find';
import { deliveryPending, describePending, describeProgress, type DeliveryPending } from '../core/findReport';
import { collectHints } from '../core/hints';
import type { SearchHints } from '../core/hints';
import type { CloudTrailRecord, LookupAttribute } from '../core/record';
import type { EventContext } from '../shared/protocol';
import { Commands, EVENTS_VIEW_ID } from './commandIds';
import { describeSpan } from './views/eventFormat';
import { oneLine } from './eventLabels';
import type { TrailLensContext } from './context';
import { loadEngine } from './loadEngine';
import { pickRegion } from './regionPicker';
import { jumpEverywhere, pickProfiles } from './regionSearch';
import type { Session } from './session';
import { formatUtc, formatWindow } from '../core/time';
import { EVENT_HISTORY_DAYS as MAX_DAYS } from '../core/limits';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How often "Keep Looking" asks CloudTrail again. */
const RETRY_EVERY_MS = 60_000;
/** A search that read more pages than this offers its events to the Events view. */
const LONG_SEARCH_PAGES = 3;

/** The argument goToRequestId accepts (hover links, re-runs from the not-found message, tests). */
export interface JumpRequest {
  requestId: string;
  /** Text around the ID to read hints from (timestamps, `Service: Backup`). */
  hintsText?: string;
  /** Offset of the ID in hintsText. */
  around?: number;
  /** Search this Region instead of the session's (same profile). */
  region?: string;
  /** Search these Regions too, in parallel ('all': the standard Regions); see regionSearch.ts. */
  regions?: string[];
  /** With regions: search with these profiles too (accounts), each profile × Region in parallel. */
  profiles?: string[];
  /** Overrides trailLens.requestIdSearch.maxDays. */
  maxDays?: number;
  /** Ignore time hints: search newest-first back maxDays. */
  ignoreTime?: boolean;
  /**
   * The request was minutes ago (the text's timestamp): look again every retryEveryMs until CloudTrail's
   * delivery lag has passed, with a countdown (the not-found message's "Keep Looking").
   */
  keepLooking?: boolean;
  /** Between looks when keepLooking (default 60 s). */
  retryEveryMs?: number;
  /** What the extraction set aside or removed (requestTarget's notes): logged, and the first shown when nothing is found. */
  notes?: string[];
  /** Cancels like the notification's Cancel button (programmatic callers, tests). */
  token?: vscode.CancellationToken;
  /** The editor and range the ID was read from: kept in view when the panel opens beside it. */
  source?: { editor: vscode.TextEditor; range: vscode.Range };
}

export type JumpOutcome =
  | { outcome: 'found'; requestId: string; record: CloudTrailRecord; region: string; summary: string; fromCache: boolean; looks?: number }
  | {
      outcome: 'notFound';
      requestId: string;
      region: string;
      summary: string;
      message: string;
      actions: string[];
      more: string[];
      pendingUntil?: string;
      looks?: number;
    }
  | { outcome: 'eventFound'; eventId: string; record: CloudTrailRecord; region: string; summary: string; fromCache: boolean }
  | { outcome: 'eventNotFound'; eventId: string; region: string; summary: string }
  | { outcome: 'rejected'; id: string; message: string; candidates: string[] }
  | { outcome: 'cancelled'; requestId: string; looks?: number }
  | { outcome: 'noInput' };

/**
 * The next steps after a miss. A notification shows three short buttons whole: the most useful step,
 * another Region, and "More…" with the rest (each explained) in a quick pick.
 */
export const Actions = {
  keepLooking: 'Keep Looking',
  widen: 'Search 90 Days',
  region: 'Region…',
  allRegions: 'Search All Regions',
  events: 'Show Events',
  athena: 'Copy Athena Query',
  lake: 'Copy CloudTrail Lake Query',
  more: 'More…',
} as const;
type Step = (typeof Actions)[keyof typeof Actions];

const STEP_DETAIL: Partial<Record<Step, string>> = {
  [Actions.keepLooking]: 'search again every minute until CloudTrail has had 15 minutes to deliver it',
  [Actions.widen]: 'newest first over the 90 days LookupEvents keeps, ignoring the time in the text',
  [Actions.region]: 'LookupEvents sees one Region at a time',
  [Actions.allRegions]: 'the 17 Regions every account has, at once (2 requests/s each)',
  [Actions.events]: 'the window just searched, in the Events view (its events are in the cache)',
  [Actions.athena]: 'for a trail delivered to S3 (set your table name)',
  [Actions.lake]: 'for a CloudTrail Lake event data store (set its ID)',
};

/** The hints for a jump; aroundMinutes must be the one findRequest gets, so both plan the same first window. */
export function hintsFor(request: JumpRequest, aroundMinutes: number): SearchHints {
  const hints = collectHints(request.hintsText ?? '', { around: request.around, aroundMinutes });
  if (!request.ignoreTime) return hints;
  return { ...hints, times: [], window: undefined, windowNote: undefined };
}

/** When the request was made, by the text's timestamp (a zone-less one may be hours off: not trusted). */
function requestedAt(hints: SearchHints): Date | undefined {
  return hints.zoneKnown === false ? undefined : hints.times[0];
}

/** "12:12 UTC" (the date too when not today in UTC). */
function clock(d: Date): string {
  const text = formatUtc(d).replace(/:\d\d UTC$/, ' UTC');
  return text.slice(0, 10) === formatUtc(new Date()).slice(0, 10) ? text.slice(11) : text;
}

interface Look {
  maxDays?: number;
  signal: AbortSignal;
  onProgress: (p: FindProgress) => void;
}

/** One findRequest on the session (cache first). */
async function find(
  ctx: TrailLensContext,
  session: Session,
  request: JumpRequest,
  hints: SearchHints,
  aroundMinutes: number,
  look: Look,
): Promise<FindResult> {
  const { findRequest } = await loadEngine();
  return findRequest(
    { lookupEvents: session.connection.lookupEvents, limiter: session.limiter, cache: session.cache, logger: ctx.log },
    {
      requestId: request.requestId,
      hints,
      region: session.region,
      maxDays: look.maxDays ?? request.maxDays ?? ctx.config.requestIdMaxDays,
      aroundMinutes,
      pageSize: ctx.config.pageSize,
      signal: look.signal,
      onProgress: look.onProgress,
    },
  );
}

/** A cancellable progress notification whose Cancel (or the request's token) aborts `signal`. */
export function withCancellableProgress<T>(
  title: string,
  request: { token?: vscode.CancellationToken },
  task: (progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const abort = () => controller.abort();
      const subs = [token.onCancellationRequested(abort), request.token?.onCancellationRequested(abort)];
      if (request.token?.isCancellationRequested) abort();
      try {
        return await task(progress, controller.signal);
      } finally {
        for (const s of subs) s?.dispose();
      }
    },
  );
}

/** Progress of one search: the position, share and estimate as the message, the share as the bar. */
function reporter(progress: vscode.Progress<{ message?: string; increment?: number }>, prefix = ''): (p: FindProgress) => void {
  let shown = 0;
  return (p) => {
    const pct = Math.floor(p.done * 100);
    progress.report({ message: `${prefix}${describeProgress(p)} · ${p.events} events`, increment: Math.max(0, pct - shown) });
    shown = Math.max(shown, pct);
  };
}

async function search(
  ctx: TrailLensContext,
  session: Session,
  request: JumpRequest,
  hints: SearchHints,
  aroundMinutes: number,
): Promise<FindResult> {
  const where = hints.eventSource ? `${hints.eventSource} in ${session.region}` : session.region;
  return withCancellableProgress(`Finding request ${request.requestId} (${where})`, request, (progress, signal) => {
    progress.report({ message: session.cache ? 'checking the local cache…' : 'starting…' });
    return find(ctx, session, request, hints, aroundMinutes, { signal, onProgress: reporter(progress) });
  });
}

/**
 * "Keep Looking": a countdown to the next look, each look reading only the time since the request's
 * first window (the cache holds the rest), until the event is found or the delivery lag has passed.
 */
async function keepLooking(
  ctx: TrailLensContext,
  session: Session,
  request: JumpRequest,
  hints: SearchHints,
  aroundMinutes: number,
  pending: DeliveryPending,
  count: { looks: number },
): Promise<FindResult> {
  const every = Math.max(1000, request.retryEveryMs ?? RETRY_EVERY_MS);
  const until = pending.until.getTime();
  return withCancellableProgress(`Waiting for CloudTrail to deliver request ${request.requestId}`, request, async (progress, signal) => {
    for (;;) {
      const next = Date.now() + Math.min(every, Math.max(0, until - Date.now()));
      for (let left = next - Date.now(); left > 0; left = next - Date.now()) {
        const minutes = Math.max(1, Math.ceil((until - Date.now()) / MINUTE));
        progress.report({
          message: `next look in ${Math.ceil(left / 1000)} s · looking until ${clock(pending.until)} (${minutes} min left)`,
        });
        await delay(Math.min(1000, left), undefined, { signal });
      }
      count.looks++;
      const span = Date.now() - pending.requestedAt.getTime() + (aroundMinutes + 1) * MINUTE;
      const result = await find(ctx, session, request, hints, aroundMinutes, {
        maxDays: span / DAY,
        signal,
        onProgress: reporter(progress, `look ${count.looks}: `),
      });
      if (result.record || Date.now() >= until) return result;
    }
  });
}

/** True when the search did not already read the whole 90 days LookupEvents keeps. */
function couldWiden(result: FindResult): boolean {
  const earliest = Math.min(...result.searched.map((s) => s.start.getTime()));
  return earliest > Date.now() - (MAX_DAYS - 0.5) * DAY;
}

function sameAttribute(a: LookupAttribute | undefined, b: LookupAttribute | undefined): boolean {
  return a?.key === b?.key && a?.value === b?.value;
}

/** Shows the window the search read (with its server-side filter) in the Events view: those events are in the cache. */
async function showScanned(ctx: TrailLensContext, result: FindResult): Promise<void> {
  const attribute = result.searched[0]?.attribute;
  const steps = result.searched.filter((s) => sameAttribute(s.attribute, attribute));
  if (!steps.length) return;
  const start = new Date(Math.min(...steps.map((s) => s.start.getTime())));
  const end = new Date(Math.max(...steps.map((s) => s.end.getTime())));
  ctx.state.setRange({ kind: 'absolute', start, end });
  ctx.state.setAttribute(attribute);
  await vscode.commands.executeCommand(`${EVENTS_VIEW_ID}.focus`);
  vscode.window.setStatusBarMessage(
    `Events view: ${attribute ? `${oneLine(attribute.value, 40)}, ` : ''}${describeSpan(start.getTime(), end.getTime())}`,
    10_000,
  );
}

function offerNextSteps(
  ctx: TrailLensContext,
  request: JumpRequest,
  result: FindResult,
  session: Session,
  steps: NextSteps,
  message: string,
): void {
  const rerun = (extra: Partial<JumpRequest>) =>
    vscode.commands.executeCommand(Commands.goToRequestId, {
      ...request,
      token: undefined,
      source: undefined,
      ...extra,
    } satisfies JumpRequest);
  const copy = async (text: string, what: string) => {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied the ${what}`, 6000);
  };
  const run = async (step: Step | undefined): Promise<void> => {
    switch (step) {
      case Actions.keepLooking:
        await rerun({ keepLooking: true, region: session.region });
        return;
      case Actions.widen:
        await rerun({ maxDays: MAX_DAYS, ignoreTime: true, region: session.region });
        return;
      case Actions.region: {
        const hinted = collectHints(request.hintsText ?? '', { around: request.around }).region;
        const region = await pickRegion({
          title: 'Search another Region',
          placeHolder: `LookupEvents sees one Region at a time; ${session.region} was searched`,
          suggested: hinted ? { id: hinted, note: 'named in the text' } : undefined,
          exclude: session.region,
        });
        if (region) await rerun({ region });
        return;
      }
      case Actions.allRegions: {
        const profiles = await pickProfiles(ctx, session);
        if (profiles) await rerun({ regions: ['all'], profiles, region: undefined });
        return;
      }
      case Actions.events:
        await showScanned(ctx, result);
        return;
      case Actions.athena:
        return copy(result.athenaQuery, 'Athena query (set your table name)');
      case Actions.lake:
        return copy(result.lakeQuery, 'CloudTrail Lake query (set your event data store ID)');
      case Actions.more: {
        const picked = await vscode.window.showQuickPick(
          steps.more.map((label) => ({ label, detail: STEP_DETAIL[label] })),
          { title: `Request ${request.requestId}: more next steps`, placeHolder: 'What to try next' },
        );
        return run(picked?.label);
      }
      default:
        return;
    }
  };
  void vscode.window.showWarningMessage(message, ...steps.buttons).then((choice) => run(choice as Step | undefined));
}

/**
 * After the panel opens beside the editor the ID was read from, the narrower editor re-wraps its
 * lines and the clicked line scrolls away: reveal it again once the editor's layout has changed.
 */
function keepInView(source: JumpRequest['source']): void {
  if (!source) return;
  const { editor, range } = source;
  const visible = (ranges: readonly vscode.Range[]) => ranges.some((r) => r.contains(range.start));
  const sub = vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
    if (e.textEditor !== editor || visible(e.visibleRanges)) return;
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    sub.dispose();
  });
  setTimeout(() => sub.dispose(), 3000);
}

/** The status bar's short "Found …" (the full summary is in the log). */
function foundStatus(record: CloudTrailRecord, result: { fromCache: boolean; calls: number; elapsedMs: number }): string {
  const how = result.fromCache
    ? 'from the cache'
    : `${result.calls} call${result.calls === 1 ? '' : 's'}, ${(result.elapsedMs / 1000).toFixed(1)} s`;
  return `$(check) Found ${oneLine(record.eventName, 40)} (${how})`;
}

/** Shows a found event: the panel beside the editor, the tree (same Region only), a short status. */
export async function showFound(
  ctx: TrailLensContext,
  session: Session,
  request: { region?: string; source?: JumpRequest['source'] },
  record: CloudTrailRecord,
  result: { fromCache: boolean; calls: number; elapsedMs: number },
): Promise<void> {
  const context: EventContext = {
    profile: session.profile,
    region: session.region,
    source: result.fromCache ? 'cache' : session.sample ? 'sample' : 'lookup',
  };
  ctx.panel.show(record, context, { beside: request.source?.editor.viewColumn });
  keepInView(request.source);
  vscode.window.setStatusBarMessage(foundStatus(record, result), 20_000);
  // The tree shows one Region: an event found in another stays in the panel only.
  if (!request.region || session === (await ctx.connection.session())) {
    await ctx.events.reveal(record).catch((err: unknown) => {
      ctx.log.warn(`Could not reveal ${record.eventID} in the Events view: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
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

interface NextSteps {
  /** The notification's buttons: the most useful step, another Region, More…. */
  buttons: Step[];
  /** What More… offers. */
  more: Step[];
}

/** The steps after a miss, the most useful first: wait for delivery, else widen, else look at what was read. */
function nextSteps(result: FindResult): NextSteps {
  const all: Step[] = [];
  if (result.pending) all.push(Actions.keepLooking);
  if (couldWiden(result)) all.push(Actions.widen);
  // Read now or earlier, the searched window's events are in the cache: the view can show them.
  if (result.searched.length) all.push(Actions.events);
  const [first, ...rest] = all;
  return {
    buttons: [...(first ? [first] : []), Actions.region, Actions.more],
    more: [...rest, Actions.allRegions, Actions.athena, Actions.lake],
  };
}

/** Searches for the request ID and shows the outcome; resolves once the event is shown or the message is up. */
export async function jumpToRequest(ctx: TrailLensContext, request: JumpRequest): Promise<JumpOutcome> {
  const session = request.region ? await ctx.connection.sessionFor(request.region) : await ctx.connection.session();
  for (const note of request.notes ?? []) ctx.log.info(`Request ID ${request.requestId}: ${note}`);
  const preset = request.region || request.keepLooking ? [] : ctx.config.requestIdRegions;
  if (request.regions?.length || preset.length) return jumpEverywhere(ctx, { ...request, regions: request.regions ?? preset }, session);
  const aroundMinutes = ctx.config.requestIdAroundMinutes;
  const hints = hintsFor(request, aroundMinutes);
  const waitFor = request.keepLooking ? deliveryPending(requestedAt(hints), Date.now()) : undefined;
  let result: FindResult;
  const count = { looks: 0 };
  try {
    result = waitFor
      ? await keepLooking(ctx, session, request, hints, aroundMinutes, waitFor, count)
      : await search(ctx, session, request, hints, aroundMinutes);
  } catch (err) {
    if (isAbortError(err)) {
      ctx.log.info(`Request ID ${request.requestId}: search cancelled`);
      return { outcome: 'cancelled', requestId: request.requestId, looks: waitFor ? count.looks : undefined };
    }
    throw err;
  }
  const looks = waitFor ? count.looks : undefined;
  ctx.log.info(`Request ID jump: ${result.summary}${looks ? ` (look ${looks})` : ''}`);
  if (result.record) {
    const record = result.record;
    await showFound(ctx, session, request, record, result);
    // A long scan read many events on the way: offer them (they are in the cache) in the Events view.
    if (!result.fromCache && result.pages > LONG_SEARCH_PAGES) {
      void vscode.window
        .showInformationMessage(
          `Found ${oneLine(record.eventName, 60)} after reading ${result.events} events (${result.calls} calls, ${(result.elapsedMs / 1000).toFixed(0)} s).`,
          Actions.events,
        )
        .then((choice) => (choice === Actions.events ? showScanned(ctx, result) : undefined));
    }
    return {
      outcome: 'found',
      requestId: result.requestId,
      record,
      region: session.region,
      summary: result.summary,
      fromCache: result.fromCache,
      looks,
    };
  }
  const steps = nextSteps(result);
  const actions = [...steps.buttons];
  const setAside = request.notes?.find((n) => n.startsWith('Set aside'));
  // Delivery lag first: it says why, and that looking again may find it.
  const next = result.pending
    ? ` ${describePending(result.pending)}: Keep Looking searches again until ${clock(result.pending.until)}.`
    : setAside
      ? ` ${setAside}.`
      : result.suggestions[0]
        ? ` ${result.suggestions[0]}`
        : '';
  const after = looks ? `Still not delivered at ${clock(new Date())} after ${looks} look${looks === 1 ? '' : 's'}. ` : '';
  const message = `${after}${describeSearch(result, session.region, formatWindow)}${next}`;
  offerNextSteps(ctx, request, result, session, steps, message);
  return {
    outcome: 'notFound',
    requestId: result.requestId,
    region: session.region,
    summary: result.summary,
    message,
    actions,
    more: steps.more,
    pendingUntil: result.pending?.until.toISOString(),
    looks,
  };
}

/** Opens the event with this event ID: the cache, else LookupEvents by EventId (one call). */
export async function jumpToEvent(ctx: TrailLensContext, eventId: string, region?: string): Promise<JumpOutcome> {
  const session = region ? await ctx.connection.sessionFor(region) : await ctx.connection.session();
  const { findEvent } = await loadEngine();
  let result;
  try {
    result = await withCancellableProgress(`Opening event ${eventId} (${session.region})`, {}, (progress, signal) => {
      progress.report({ message: 'looking it up by EventId…' });
      return findEvent(
        { lookupEvents: session.connection.lookupEvents, limiter: session.limiter, cache: session.cache, logger: ctx.log },
        { eventId, region: session.region, signal },
      );
    });
  } catch (err) {
    if (isAbortError(err)) return { outcome: 'cancelled', requestId: eventId };
    throw err;
  }
  ctx.log.info(`Event ID jump: ${result.summary}`);
  if (result.record) {
    await showFound(ctx, session, { region }, result.record, result);
    return {
      outcome: 'eventFound',
      eventId,
      record: result.record,
      region: session.region,
      summary: result.summary,
      fromCache: result.fromCache,
    };
  }
  void vscode.window.showWarningMessage(result.summary, Actions.region).then(async (choice) => {
    if (choice !== Actions.region) return;
    const other = await pickRegion({
      title: 'Look the event ID up in another Region',
      placeHolder: `${session.region} was searched`,
      exclude: session.region,
    });
    if (other) await vscode.commands.executeCommand(Commands.goToRequestId, { eventId, region: other });
  });
  return { outcome: 'eventNotFound', eventId, region: session.region, summary: result.summary };
}
