/**
 * The demo (`npm start`'s workspace on the sample account): on its first start the story is in
 * view — deploy.log open at the error line, the walkthrough beside it — and the walkthrough's
 * buttons run each step: open the log, jump to the failed call, follow encryptionKeyArn to the
 * kms:CreateKey that produced it. The Events view's title offers the failed call while the demo
 * is shown (context key trailLens.demo). Activation only reads the small marker file.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import { ContextKeys, EVENTS_VIEW_ID } from '../commandIds';
import { goToRequestId } from '../commands/goToRequestId';
import type { TrailLensContext } from '../context';
import { pathText } from '../../core/investigate/paths';
import { shapeProblems } from '../../core/investigate/shape';
import { handleWebviewMessage } from '../panels/panelMessages';
import type { JumpOutcome } from '../jump/requestSearch';
import { DEMO_MARKER, parseDemoMarker, valueAt, type DemoMarker } from './demoMarker';

/** The walkthrough's id in package.json `contributes.walkthroughs`. */
export const DEMO_WALKTHROUGH = 'demo';
/** workspaceState: the demo was introduced once in this workspace; later starts leave the layout alone. */
export const INTRODUCED_KEY = 'trailLens.demo.introduced';

interface Demo {
  folder: vscode.Uri;
  marker: DemoMarker;
}

/** The demo marker of the first workspace folder holding a valid one. */
async function findDemo(): Promise<Demo | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, DEMO_MARKER);
    const bytes = await Promise.resolve(vscode.workspace.fs.readFile(uri)).catch(() => undefined);
    const marker = bytes && parseDemoMarker(new TextDecoder().decode(bytes));
    if (marker) return { folder: folder.uri, marker };
  }
  return undefined;
}

async function requireDemo(): Promise<Demo> {
  const demo = await findDemo();
  if (!demo) {
    throw new TrailLensError('InvalidInput', 'This folder is not the Trail Lens demo', {
      hint: `the demo is the folder \`npm start\` opens (it holds ${DEMO_MARKER}, deploy.log and template.yaml)`,
    });
  }
  return demo;
}

/** Opens the demo's log in the first editor group with the request ID on the error line selected, centred. */
export async function openDemoLog(opts: { tick?: boolean } = {}): Promise<vscode.TextEditor> {
  const { folder, marker } = await requireDemo();
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, marker.log));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  // The line the marker names, else wherever the ID is now (the file was edited).
  let line = marker.errorLine < doc.lineCount ? marker.errorLine : -1;
  if (line < 0 || !doc.lineAt(line).text.includes(marker.requestId)) {
    const at = doc.getText().indexOf(marker.requestId);
    line = at < 0 ? Math.min(marker.errorLine, doc.lineCount - 1) : doc.positionAt(at).line;
  }
  const col = doc.lineAt(line).text.indexOf(marker.requestId);
  const range = col < 0 ? doc.lineAt(line).range : new vscode.Range(line, col, line, col + marker.requestId.length);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  if (opts.tick !== false) stepDone(ContextKeys.demoLogOpened);
  return editor;
}

/** The walkthrough's "jump" and the Events view's shortcut: the log at the error, then Go to Event for Request ID on it. */
export async function showDemoFailure(ctx: TrailLensContext): Promise<JumpOutcome> {
  // Not ticked yet: a walkthrough step that completes takes the focus, and the event panel would
  // then open beside the walkthrough (a third column) instead of beside the log.
  const log = await openDemoLog({ tick: false });
  await vscode.window.showTextDocument(log.document, { viewColumn: log.viewColumn, preserveFocus: false });
  // The selection is the request ID and the lines around it give the hints, as after a right-click.
  const outcome = await goToRequestId(ctx);
  stepDone(ContextKeys.demoLogOpened);
  // The panel beside made the log narrower and its lines wrap anew: bring the error line back into view.
  log.revealRange(log.selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  if (outcome.outcome === 'found') stepDone(ContextKeys.demoJumped);
  return outcome;
}

/**
 * The walkthrough's "follow": the failed event, then exactly what its flag's "Where did this value
 * come from?" button does — the same message through the same handler — on the flagged parameter
 * at followPath: the panel then shows the event that produced the value (the kms:CreateKey).
 */
export async function followDemoKey(ctx: TrailLensContext): Promise<void> {
  const { marker } = await requireDemo();
  const jumped = await showDemoFailure(ctx);
  if (jumped.outcome !== 'found') return; // the jump already said why
  const flagged = shapeProblems(jumped.record).find((p) => pathText(p.path) === marker.followPath);
  const value = flagged?.value ?? valueAt(jumped.record, marker.followPath);
  if (!value) {
    throw new TrailLensError('InvalidInput', `The failed event has no ${marker.followPath} to follow`);
  }
  const panel = ctx.panel.openPanels().find((p) => p.record.eventID === jumped.record.eventID);
  if (!panel) throw new TrailLensError('InvalidInput', 'The failed event is no longer shown in an event panel');
  await handleWebviewMessage({ type: 'traceValue', value }, panel, ctx);
  // The handler reports its own outcome (no producer found, cancelled); a new event shown is success.
  const shown = ctx.panel.openPanels().find((p) => p.followed?.value === value);
  if (!shown) return;
  void ctx.events.reveal(shown.record).catch((err: unknown) => {
    ctx.log.warn(`Could not reveal ${shown.record.eventID} in the Events view: ${err instanceof Error ? err.message : String(err)}`);
  });
  stepDone(ContextKeys.demoFollowed);
}

function stepDone(key: string): void {
  void vscode.commands.executeCommand('setContext', key, true);
}

/** On the sample account in the demo folder: the context key, and on the first start the story in view. */
export function registerDemo(ctx: TrailLensContext): vscode.Disposable {
  let demo: Demo | undefined;
  const update = (): void => {
    void vscode.commands.executeCommand('setContext', ContextKeys.demo, demo !== undefined && ctx.connection.isSample);
  };
  const sub = ctx.connection.onDidChange(update);
  void findDemo()
    .then(async (found) => {
      demo = found;
      update();
      if (!demo || !ctx.connection.isSample || ctx.extension.workspaceState.get<boolean>(INTRODUCED_KEY)) return;
      await ctx.extension.workspaceState.update(INTRODUCED_KEY, true);
      ctx.log.info('Demo workspace on the sample account: opening deploy.log at the error and the walkthrough');
      await introduce(ctx);
    })
    .catch((err: unknown) => ctx.log.warn(`Could not open the demo: ${err instanceof Error ? err.message : String(err)}`));
  return sub;
}

async function introduce(ctx: TrailLensContext): Promise<void> {
  // The Events view first (it takes the side bar), then the log takes the focus, the walkthrough goes beside it.
  await vscode.commands.executeCommand(`${EVENTS_VIEW_ID}.focus`);
  await openDemoLog();
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${ctx.extension.extension.id}#${DEMO_WALKTHROUGH}`, true);
  // The walkthrough beside made the log narrower and its lines wrap anew: centre the error line at this width.
  await openDemoLog();
}
