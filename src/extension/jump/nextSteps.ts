/**
 * The next steps after a request-ID jump found nothing: what was searched, then the most useful step,
 * another Region (or the first engine ready), and "More…" with the rest, each explained — the engines
 * configured (Search Athena, Search CloudWatch Logs …, each runs the same search there after showing
 * its query) and those not yet (Set Up Athena… opens the setting).
 */
import * as vscode from 'vscode';
import type { FindResult } from '../../core/find';
import { collectHints } from '../../core/hints';
import { EVENT_HISTORY_DAYS as MAX_DAYS } from '../../core/limits';
import type { LookupAttribute } from '../../core/record';
import { formatUtc } from '../../core/time';
import { Commands, EVENTS_VIEW_ID } from '../commandIds';
import type { TrailLensContext } from '../context';
import { oneLine } from '../eventLabels';
import { pickRegion } from '../regionPicker';
import { pickProfiles } from '../regionSearch';
import type { Session } from '../session';
import { describeSpan } from '../views/eventFormat';
import { ENGINES, engineOfStep } from './engines';
import { Actions, stepDetail, type NextSteps, type Step } from './steps';
import type { JumpRequest } from './requestSearch';

/** "12:12 UTC" (the date too when not today in UTC). */
export function clock(d: Date): string {
  const text = formatUtc(d).replace(/:\d\d UTC$/, ' UTC');
  return text.slice(0, 10) === formatUtc(new Date()).slice(0, 10) ? text.slice(11) : text;
}

function sameAttribute(a: LookupAttribute | undefined, b: LookupAttribute | undefined): boolean {
  return a?.key === b?.key && a?.value === b?.value;
}

/** Shows the window the search read (with its server-side filter) in the Events view: those events are in the cache. */
export async function showScanned(ctx: TrailLensContext, result: FindResult): Promise<void> {
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

export function offerNextSteps(
  ctx: TrailLensContext,
  request: JumpRequest,
  result: FindResult,
  session: Session,
  steps: NextSteps,
  message: string,
): void {
  void vscode.window.showWarningMessage(message, ...steps.buttons).then((choice) => runStep(ctx, request, session, steps, choice, result));
}

/** Runs one next step (a notification button or a More… choice); exported for the not-held message (requestSearch.ts). */
export async function runStep(
  ctx: TrailLensContext,
  request: JumpRequest,
  session: Session,
  steps: NextSteps,
  step: Step | undefined,
  result?: FindResult,
): Promise<void> {
  const rerun = (extra: Partial<JumpRequest>) =>
    vscode.commands.executeCommand(Commands.goToRequestId, {
      ...request,
      token: undefined,
      source: undefined,
      ...extra,
    } satisfies JumpRequest);
  const run = async (step: Step | undefined): Promise<void> => {
    const engine = engineOfStep(step);
    if (engine?.setup) {
      await vscode.commands.executeCommand('workbench.action.openSettings', ENGINES[engine.engine].setting);
      return;
    }
    // The search runs as the command does, so its errors are reported like any jump's.
    if (engine) {
      await rerun({ engine: engine.engine, review: true, region: session.region });
      return;
    }
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
        if (result) await showScanned(ctx, result);
        return;
      case Actions.more: {
        const picked = await vscode.window.showQuickPick(
          steps.more.map((label) => ({ label, detail: stepDetail(label, (e) => steps.where[e]) })),
          { title: `Request ${request.requestId}: more next steps`, placeHolder: 'What to try next' },
        );
        return run(picked?.label);
      }
      default:
        return;
    }
  };
  return run(step);
}
