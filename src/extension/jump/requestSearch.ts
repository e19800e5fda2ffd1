/**
 * Runs core's findRequest for one request ID under a cancellable progress notification that says how
 * far back it has read, the share done and the time left, then shows the event (panel + tree) or says
 * what was searched and what to try next — looking again until CloudTrail's delivery lag has passed
 * when the request was only minutes ago. Also opens an event by its event ID (findEvent).
 */
import { setTimeout as delay } from 'node:timers/promises';
import * as vscode from 'vscode';
import { isAbortError } from '../../core/errors';
import type { FindProgress, FindResult } from '../../core/find';
import { deliveryPending, describePending, describeProgress, type DeliveryPending } from '../../core/findReport';
import { collectHints } from '../../core/hints';
import type { SearchHints } from '../../core/hints';
import type { CloudTrailRecord } from '../../core/record';
import { formatWindow } from '../../core/time';
import { Commands } from '../commandIds';
import type { TrailLensContext } from '../context';
import { oneLine } from '../eventLabels';
import { loadEngine } from '../loadEngine';
import { pickRegion } from '../regionPicker';
import { jumpEverywhere } from '../regionSearch';
import type { Session } from '../session';
import { HISTORY, searchEngine, stepsFor } from './engineSearch';
import { ENGINES, routeJump, type EngineId } from './engines';
import { clock, offerNextSteps, runStep, showScanned } from './nextSteps';
import { Actions, describeSearch, nextSteps } from './steps';
import { showFound } from './show';

export { showFound } from './show';

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
  /** Search this engine over the trail instead of event history (engineSearch.ts). */
  engine?: EngineId;
  /** With engine: show its query for review before running it (the not-found message's steps do). */
  review?: boolean;
  /** Search event history even when the text says it cannot hold the request (the routed message's "Search Event History"). */
  eventHistory?: boolean;
}

export type JumpOutcome =
  | {
      outcome: 'found';
      requestId: string;
      record: CloudTrailRecord;
      region: string;
      summary: string;
      fromCache: boolean;
      looks?: number;
      /** Found by an engine over the trail, not event history. */
      engine?: EngineId;
    }
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
      /** Searched on an engine over the trail, not event history. */
      engine?: EngineId;
    }
  | { outcome: 'eventFound'; eventId: string; record: CloudTrailRecord; region: string; summary: string; fromCache: boolean }
  | { outcome: 'eventNotFound'; eventId: string; region: string; summary: string }
  | { outcome: 'rejected'; id: string; message: string; candidates: string[] }
  | { outcome: 'cancelled'; requestId: string; looks?: number }
  | { outcome: 'noInput' };

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

/** Searches for the request ID and shows the outcome; resolves once the event is shown or the message is up. */
export async function jumpToRequest(ctx: TrailLensContext, request: JumpRequest): Promise<JumpOutcome> {
  const session = request.region ? await ctx.connection.sessionFor(request.region) : await ctx.connection.session();
  for (const note of request.notes ?? []) ctx.log.info(`Request ID ${request.requestId}: ${note}`);
  const preset = request.region || request.keepLooking ? [] : ctx.config.requestIdRegions;
  if (request.regions?.length || preset.length) return jumpEverywhere(ctx, { ...request, regions: request.regions ?? preset }, session);
  const aroundMinutes = ctx.config.requestIdAroundMinutes;
  const hints = hintsFor(request, aroundMinutes);
  if (request.engine) return searchEngine(ctx, session, request, { engine: request.engine, review: request.review === true });
  const routed = request.eventHistory || request.keepLooking ? undefined : await route(ctx, session, request, hints);
  if (routed) return routed;
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
  const steps = nextSteps(result, await stepsFor(ctx, session, true));
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

/**
 * When the text says event history cannot hold the request (older than 90 days, a data event) or
 * the event source is a trail source: the search there, saying why; with nothing set up, a message
 * saying so with the set-up steps. Undefined: search event history.
 */
async function route(ctx: TrailLensContext, session: Session, request: JumpRequest, hints: SearchHints): Promise<JumpOutcome | undefined> {
  const input = { text: request.hintsText ?? '', hints, now: Date.now(), eventsSourceIsTrail: Boolean(ctx.config.eventsSource) };
  // Settings first; the trail's own log group (a DescribeTrails call) only when they name no engine.
  let steps = await stepsFor(ctx, session, false);
  let where = routeJump(input, steps);
  if (!where) return undefined;
  if (!where.engine) {
    steps = await stepsFor(ctx, session, true);
    where = routeJump(input, steps) ?? where;
  }
  if (where.engine) return searchEngine(ctx, session, request, { engine: where.engine, review: false, why: where.reason });
  const setup = steps.setup.map((e) => ENGINES[e].setup);
  const message =
    `Request ${request.requestId}: ${where.reason}, so LookupEvents cannot hold it (it keeps 90 days of management events). ` +
    `Set up ${setup.length ? 'a trail source or an engine that reads the trail' : 'an engine'} to search it there.`;
  const noteSteps = { buttons: [...setup.slice(0, 2), Actions.more], more: [...setup.slice(2), HISTORY], where: {} };
  ctx.log.info(message);
  void vscode.window.showWarningMessage(message, ...noteSteps.buttons).then((choice) => {
    if (choice === HISTORY)
      return vscode.commands.executeCommand(Commands.goToRequestId, {
        ...request,
        token: undefined,
        source: undefined,
        eventHistory: true,
      });
    return runStep(ctx, request, session, noteSteps, choice);
  });
  return {
    outcome: 'notFound',
    requestId: request.requestId,
    region: session.region,
    summary: message,
    message,
    actions: noteSteps.buttons,
    more: noteSteps.more,
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
