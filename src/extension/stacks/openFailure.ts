/**
 * A failed resource → its CloudTrail event, in one click (Stacks view row or template CodeLens):
 * the event panel opens on the event the failure's request ID (or the correlation) found. When none
 * was found it says what was searched, and when the failure is younger than CloudTrail's delivery
 * lag it offers to look again (the operation's failures are read anew).
 */
import * as vscode from 'vscode';
import type { StackFailure } from '../../core/cloudformation/types';
import { oneLine } from '../../core/text';
import type { TrailLensContext } from '../context';
import { failureProgress } from './failureProgress';

/** What the command receives: a Stacks view failure row, or this from a CodeLens. */
export interface FailureTarget {
  readonly stackName: string;
  readonly operationId?: string;
  readonly failure: StackFailure;
}

const LOOK_AGAIN = 'Look Again';

export function failureTarget(arg: unknown): FailureTarget | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as {
    kind?: string;
    stack?: { stackName?: string };
    operation?: { operationId?: string };
    stackName?: string;
    operationId?: string;
    failure?: StackFailure;
  };
  if (!a.failure || typeof a.failure.logicalResourceId !== 'string') return undefined;
  if (a.kind === 'failure' && typeof a.stack?.stackName === 'string') {
    return { stackName: a.stack.stackName, operationId: a.operation?.operationId, failure: a.failure };
  }
  return typeof a.stackName === 'string' ? { stackName: a.stackName, operationId: a.operationId, failure: a.failure } : undefined;
}

export async function openStackFailure(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const target = failureTarget(arg);
  if (!target) {
    void vscode.window.showInformationMessage(
      'Choose a failed resource in the Stacks view, or use the CodeLens above its logical ID in the template.',
    );
    return;
  }
  const { failure } = target;
  if (failure.event) {
    const session = await ctx.stacks.session();
    ctx.panel.show(failure.event, { profile: session.profile, region: session.region, source: session.sample ? 'sample' : 'lookup' });
    return;
  }
  const what = `No CloudTrail event found for ${failure.logicalResourceId} (${failure.status}). ${oneLine(failure.searched, 600)}`;
  if (!failure.deliveryMayLag) {
    void vscode.window.showWarningMessage(what);
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `${what} The failure is recent: CloudTrail can take up to about 15 minutes to deliver an event.`,
    LOOK_AGAIN,
  );
  if (choice !== LOOK_AGAIN) return;
  ctx.stacks.forget(target.stackName, target.operationId);
  const again = await failureProgress(`Looking again for ${failure.logicalResourceId}'s CloudTrail event`, (run) =>
    ctx.stacks.failures(target.stackName, target.operationId, run),
  );
  const same = again.find(
    (f) => f.logicalResourceId === failure.logicalResourceId && f.timestamp.getTime() === failure.timestamp.getTime(),
  );
  if (same) await openStackFailure(ctx, { ...target, failure: same });
}
