/**
 * A request-ID jump across many Regions (and profiles) at once: core's findRequestEverywhere under a
 * cancellable progress notification that says what each Region has read ("eu-west-1: 12 pages ·
 * us-west-2: found"); a hit opens the event panel as usual and says where it was found, switching
 * neither the profile nor the Region of the Events view.
 */
import * as vscode from 'vscode';
import { isAbortError } from '../core/errors';
import { describeTarget, parseRegionList, planTargets, targetLabel, type TargetState } from '../core/regionSearchReport';
import type { TrailLensContext } from './context';
import { oneLine } from './eventLabels';
import { loadEngine } from './loadEngine';
import type { Session } from './session';
import type { JumpOutcome, JumpRequest } from './jump/requestSearch';
import { hintsFor, showFound, withCancellableProgress } from './jump/requestSearch';

/** The Regions of `request.regions` ('all' or IDs), with the current Region first when not named. */
export function regionsFor(request: JumpRequest, current: string): string[] {
  const named = parseRegionList((request.regions ?? []).join(','));
  return named.includes(current) ? named : [current, ...named];
}

/** One line for the notification: the targets still searching, then how many are done. */
function progressLine(states: readonly TargetState[]): string {
  const found = states.find((s) => s.status === 'found');
  if (found) return `found in ${targetLabel(found.target)}`;
  const running = states.filter((s) => s.status === 'searching');
  const done = states.filter((s) => s.status !== 'searching' && s.status !== 'waiting').length;
  const shown = running.slice(0, 3).map((s) => `${targetLabel(s.target)}: ${s.pages} page${s.pages === 1 ? '' : 's'}`);
  const more = running.length > 3 ? ` · ${running.length - 3} more searching` : '';
  return `${shown.join(' · ')}${more} — ${done} of ${states.length} done`;
}

/** The profiles to search with: the current one alone for the sample or one profile; else a multi-pick. undefined: dismissed. */
export async function pickProfiles(ctx: TrailLensContext, session: Session): Promise<string[] | undefined> {
  if (session.sample) return [];
  const names = (await ctx.connection.listProfiles().catch(() => [])).map((p) => p.name);
  if (names.length < 2) return [];
  const picked = await vscode.window.showQuickPick(
    names.map((label) => ({ label, picked: label === session.profile, description: label === session.profile ? 'current' : undefined })),
    {
      title: 'Search all Regions with which profiles (accounts)?',
      canPickMany: true,
      placeHolder: 'Each profile × Region is searched in parallel',
    },
  );
  return picked?.length ? picked.map((p) => p.label) : undefined;
}

export async function jumpEverywhere(ctx: TrailLensContext, request: JumpRequest, base: Session): Promise<JumpOutcome> {
  const { findRequestEverywhere } = await loadEngine();
  const regions = regionsFor(request, base.region);
  const profiles = base.sample || !request.profiles?.length ? [undefined] : request.profiles;
  const aroundMinutes = ctx.config.requestIdAroundMinutes;
  const hints = hintsFor(request, aroundMinutes);
  const targets = planTargets(profiles, regions, hints.eventSource);
  const sessions = new Map<string, Session>();
  const keyOf = (t: { profile?: string; region: string }) => `${t.profile ?? ''}|${t.region}`;
  const title = `Finding request ${request.requestId} in ${regions.length} Regions${profiles.length > 1 ? ` × ${profiles.length} profiles` : ''}`;
  let result;
  try {
    result = await withCancellableProgress(title, request, (progress, signal) =>
      findRequestEverywhere({
        requestId: request.requestId,
        hints,
        maxDays: request.maxDays ?? ctx.config.requestIdMaxDays,
        aroundMinutes,
        pageSize: ctx.config.pageSize,
        targets,
        signal,
        open: async (t) => {
          const session = await ctx.connection.sessionFor(t.region, t.profile);
          sessions.set(keyOf(t), session);
          const c = session.connection;
          return {
            key: c.sharedKey,
            region: session.region,
            lookupEvents: c.lookupEvents,
            limiter: session.limiter,
            cache: session.cache,
            logger: ctx.log,
          };
        },
        onProgress: (changed, all) => {
          if (changed.status !== 'searching') ctx.log.info(`Request ID ${request.requestId}: ${describeTarget(changed)}`);
          progress.report({ message: progressLine(all) });
        },
      }),
    );
  } catch (err) {
    if (isAbortError(err)) {
      ctx.log.info(`Request ID ${request.requestId}: multi-Region search cancelled`);
      return { outcome: 'cancelled', requestId: request.requestId };
    }
    throw err;
  }
  ctx.log.info(`Request ID jump: ${result.summary}`);
  if (result.found) {
    const { target, result: one } = result.found;
    const session = sessions.get(keyOf(target)) ?? base;
    const record = one.record as NonNullable<typeof one.record>;
    await showFound(ctx, session, { region: target.region, source: request.source }, record, one);
    const where = targetLabel({ region: session.region, profile: target.profile });
    vscode.window.setStatusBarMessage(`$(check) Found ${oneLine(record.eventName, 40)} in ${where}`, 20_000);
    void vscode.window.showInformationMessage(
      `Found ${oneLine(record.eventName, 60)} in ${where} (${targets.length} Region${targets.length === 1 ? '' : 's'} searched in parallel, ${result.calls} calls, ${(result.elapsedMs / 1000).toFixed(1)} s). The Events view stays on ${base.label}.`,
    );
    return {
      outcome: 'found',
      requestId: request.requestId,
      record,
      region: session.region,
      summary: result.summary,
      fromCache: one.fromCache,
    };
  }
  const [first, ...details] = result.summary.split('\n');
  const failed = result.states.filter((s) => s.status === 'failed').map((s) => describeTarget(s));
  const message = [first, ...failed.slice(0, 2)].join(' ') + ' The Trail Lens log lists what each Region searched.';
  void vscode.window.showWarningMessage(message);
  for (const line of details) ctx.log.info(line);
  return {
    outcome: 'notFound',
    requestId: request.requestId,
    region: base.region,
    summary: result.summary,
    message,
    actions: [],
    more: [],
    pendingUntil: result.pending?.until.toISOString(),
  };
}
