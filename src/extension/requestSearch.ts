/**
 * Runs core's findRequest for one request ID under a cancellable progress notification that says what
 * is being read, then shows the event (panel + tree) or says what was searched and what to try next.
 */
import * as vscode from 'vscode';
import { isAbortError } from '../core/errors';
import type { FindResult } from '../core/find';
import { collectHints } from '../core/hints';
import type { SearchHints } from '../core/hints';
import type { CloudTrailRecord } from '../core/record';
import type { EventContext } from '../shared/protocol';
import { Commands } from './commandIds';
import { oneLine } from './eventLabels';
import type { TrailLensContext } from './context';
import { loadEngine } from './loadEngine';
import { pickRegion } from './regionPicker';
import type { Session } from './session';
import { formatWindow } from '../core/time';
import { EVENT_HISTORY_DAYS as MAX_DAYS } from '../core/limits';

const DAY = 86_400_000;

/** The argument goToRequestId accepts (hover links, re-runs from the not-found message, tests). */
export interface JumpRequest {
  requestId: string;
  /** Text around the ID to read hints from (timestamps, `Service: Backup`). */
  hintsText?: string;
  /** Offset of the ID in hintsText. */
  around?: number;
  /** Search this Region instead of the session's (same profile). */
  region?: string;
  /** Overrides trailLens.requestIdSearch.maxDays. */
  maxDays?: number;
  /** Ignore time hints: search newest-first back maxDays. */
  ignoreTime?: boolean;
  /** What the extraction set aside or removed (requestTarget's notes): logged, and the first shown when nothing is found. */
  notes?: string[];
  /** Cancels like the notification's Cancel button (programmatic callers, tests). */
  token?: vscode.CancellationToken;
}

export type JumpOutcome =
  | { outcome: 'found'; requestId: string; record: CloudTrailRecord; region: string; summary: string; fromCache: boolean }
  | { outcome: 'notFound'; requestId: string; region: string; summary: string; message: string; actions: string[] }
  | { outcome: 'rejected'; id: string; message: string; candidates: string[] }
  | { outcome: 'cancelled'; requestId: string }
  | { outcome: 'noInput' };

export const Actions = {
  widen: 'Search 90 Days',
  region: 'Another Region…',
  athena: 'Copy Athena Query',
  lake: 'Copy CloudTrail Lake Query',
} as const;

/** The hints for a jump; aroundMinutes must be the one findRequest gets, so both plan the same first window. */
function hintsFor(request: JumpRequest, aroundMinutes: number): SearchHints {
  const hints = collectHints(request.hintsText ?? '', { around: request.around, aroundMinutes });
  if (!request.ignoreTime) return hints;
  return { ...hints, times: [], window: undefined, windowNote: undefined };
}

function progressMessage(step: string, waiting: boolean): string {
  return waiting ? `${step} · waiting — CloudTrail is throttling` : step;
}

async function search(ctx: TrailLensContext, session: Session, request: JumpRequest, hints: SearchHints, aroundMinutes: number): Promise<FindResult> {
  const { findRequest } = await loadEngine();
  const where = hints.eventSource ? `${hints.eventSource} in ${session.region}` : session.region;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Finding request ${request.requestId} (${where})`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const abort = () => controller.abort();
      const subs = [token.onCancellationRequested(abort), request.token?.onCancellationRequested(abort)];
      if (request.token?.isCancellationRequested) abort();
      progress.report({ message: session.cache ? 'checking the local cache…' : 'starting…' });
      try {
        return await findRequest(
          { lookupEvents: session.connection.lookupEvents, limiter: session.limiter, cache: session.cache, logger: ctx.log },
          {
            requestId: request.requestId,
            hints,
            region: session.region,
            maxDays: request.maxDays ?? ctx.config.requestIdMaxDays,
            aroundMinutes,
            pageSize: ctx.config.pageSize,
            signal: controller.signal,
            onProgress: (p) => progress.report({ message: progressMessage(p.step, p.waiting) }),
          },
        );
      } finally {
        for (const s of subs) s?.dispose();
      }
    },
  );
}

/** True when the search did not already read the whole 90 days LookupEvents keeps. */
function couldWiden(result: FindResult): boolean {
  const earliest = Math.min(...result.searched.map((s) => s.start.getTime()));
  return earliest > Date.now() - (MAX_DAYS - 0.5) * DAY;
}

function offerNextSteps(request: JumpRequest, result: FindResult, session: Session, actions: string[], message: string): void {
  void vscode.window.showWarningMessage(message, ...actions).then(async (choice) => {
    const rerun = (extra: Partial<JumpRequest>) =>
      vscode.commands.executeCommand(Commands.goToRequestId, { ...request, token: undefined, ...extra } satisfies JumpRequest);
    switch (choice) {
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
      case Actions.athena:
        await vscode.env.clipboard.writeText(result.athenaQuery);
        vscode.window.setStatusBarMessage('Copied Athena query (set your table name)', 4000);
        return;
      case Actions.lake:
        await vscode.env.clipboard.writeText(result.lakeQuery);
        vscode.window.setStatusBarMessage('Copied CloudTrail Lake query (set your event data store ID)', 4000);
        return;
      default:
        return;
    }
  });
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

/** Searches for the request ID and shows the outcome; resolves once the event is shown or the message is up. */
export async function jumpToRequest(ctx: TrailLensContext, request: JumpRequest): Promise<JumpOutcome> {
  const session = request.region ? await ctx.connection.sessionFor(request.region) : await ctx.connection.session();
  for (const note of request.notes ?? []) ctx.log.info(`Request ID ${request.requestId}: ${note}`);
  const aroundMinutes = ctx.config.requestIdAroundMinutes;
  const hints = hintsFor(request, aroundMinutes);
  let result: FindResult;
  try {
    result = await search(ctx, session, request, hints, aroundMinutes);
  } catch (err) {
    if (isAbortError(err)) {
      ctx.log.info(`Request ID ${request.requestId}: search cancelled`);
      return { outcome: 'cancelled', requestId: request.requestId };
    }
    throw err;
  }
  ctx.log.info(`Request ID jump: ${result.summary}`);
  if (result.record) {
    const record = result.record;
    const context: EventContext = {
      profile: session.profile,
      region: session.region,
      source: result.fromCache ? 'cache' : session.sample ? 'sample' : 'lookup',
    };
    ctx.panel.show(record, context);
    vscode.window.setStatusBarMessage(oneLine(result.summary, 160), 8000);
    // The tree shows one Region: an event found in another stays in the panel only.
    if (!request.region || session === (await ctx.connection.session())) {
      await ctx.events.reveal(record).catch((err: unknown) => {
        ctx.log.warn(`Could not reveal ${record.eventID} in the Events view: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
    return { outcome: 'found', requestId: result.requestId, record, region: session.region, summary: result.summary, fromCache: result.fromCache };
  }
  const actions: string[] = [];
  if (couldWiden(result)) actions.push(Actions.widen);
  actions.push(Actions.region, Actions.athena, Actions.lake);
  const setAside = request.notes?.find((n) => n.startsWith('Set aside'));
  const next = setAside ? ` ${setAside}.` : result.suggestions[0] ? ` ${result.suggestions[0]}` : '';
  const message = `${describeSearch(result, session.region, formatWindow)}${next}`;
  offerNextSteps(request, result, session, actions, message);
  return { outcome: 'notFound', requestId: result.requestId, region: session.region, summary: result.summary, message, actions };
}
