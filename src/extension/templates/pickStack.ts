/**
 * "Choose this template's stack…": the connection's stacks in a quick pick (failed first); the pick
 * is remembered for the template in this workspace, and its CodeLens and diagnostics follow.
 */
import * as vscode from 'vscode';
import type { TrailLensContext } from '../context';
import { failureProgress } from '../stacks/failureProgress';

export async function pickTemplateStack(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Open a CloudFormation template first.');
    return;
  }
  const stacks = await failureProgress(`Listing the stacks of ${ctx.stacks.label()}`, () => ctx.stacks.stacks());
  if (stacks.length === 0) {
    void vscode.window.showInformationMessage(`No stacks in ${ctx.stacks.label()} (ListStacks returned none).`);
    return;
  }
  const pick = await vscode.window.showQuickPick(
    stacks.map((s) => ({ label: s.stackName, description: s.status, detail: s.statusReason, stackName: s.stackName })),
    {
      title: `The stack of ${vscode.workspace.asRelativePath(uri)}`,
      placeHolder: 'Its failures appear as CodeLens in the template',
      matchOnDescription: true,
    },
  );
  if (!pick) return;
  await ctx.templates.picks.set(uri, pick.stackName);
  ctx.templates.reanalyzeAll();
}
