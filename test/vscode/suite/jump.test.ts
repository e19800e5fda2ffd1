/**
 * The request-ID jump in a real extension host against the fake CloudTrail endpoint (sample account):
 * from the seed status reason in deploy.log to CreateBackupVault in the panel and the tree, a refused
 * RequestToken, a not-found message that says what was searched, cancellation, and the hover.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/commandIds';
import type { JumpOutcome, JumpRequest } from '../../../src/extension/jump/requestSearch';
import { resetView, trailLens } from './trailLensHelpers';

const UNKNOWN_ID = 'deadbeef-0000-4000-8000-000000000001';

/** The hovers' markdown with appendText's escaping undone (spaces become &nbsp;, punctuation gets a backslash). */
function hoverMarkdown(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    .replace(/&nbsp;/g, ' ')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

async function openDeployLog(): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the harness opens the test workspace');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'deploy.log'));
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
}

/** Puts the cursor inside the first occurrence of `needle` (plus `offset` characters). */
function placeCursor(editor: vscode.TextEditor, needle: string, offset = 0): vscode.Position {
  const at = editor.document.getText().indexOf(needle);
  assert.ok(at >= 0, `"${needle}" is in ${editor.document.fileName}`);
  const pos = editor.document.positionAt(at + offset);
  editor.selection = new vscode.Selection(pos, pos);
  return pos;
}

function idAfter(text: string, label: string): string {
  const m = new RegExp(`${label}: ([0-9a-f-]{36})`).exec(text);
  assert.ok(m, `no "${label}:" in the text`);
  return m[1];
}

function eventTabs(): { label: string; column: vscode.ViewColumn }[] {
  return vscode.window.tabGroups.all.flatMap((g) =>
    g.tabs
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('trailLens.event'))
      .map((t) => ({ label: t.label, column: g.viewColumn })),
  );
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function jump(arg?: JumpRequest): Promise<JumpOutcome> {
  const outcome = await vscode.commands.executeCommand<JumpOutcome | undefined>(Commands.goToRequestId, arg);
  assert.ok(outcome, 'the command failed (see the extension host log)');
  return outcome;
}

describe('Go to Event for Request ID', function () {
  this.timeout(90_000);

  before(async function () {
    if (!process.env.TRAIL_LENS_TEST_ENDPOINT) this.skip();
    await trailLens();
    await resetView();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // A jump keeps its event in the tree (revealed events survive filters); a connection change
    // forgets them, so later suites start from a plain tree.
    await vscode.commands.executeCommand(Commands.selectRegion, 'eu-west-1');
    await resetView();
  });

  it('finds CreateBackupVault from the request ID under the cursor and shows it beside the log', async () => {
    // From a clean layout: event panels earlier suites left open (pinned ones too) are not this jump's.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await openDeployLog();
    const requestId = idAfter(editor.document.getText(), 'Request ID');
    placeCursor(editor, requestId, 5);
    const started = Date.now();
    const outcome = await jump();
    assert.equal(outcome.outcome, 'found', JSON.stringify(outcome));
    if (outcome.outcome !== 'found') return;
    assert.equal(outcome.record.requestID, requestId);
    assert.equal(outcome.record.eventName, 'CreateBackupVault');
    assert.equal(outcome.record.errorCode, 'InvalidParameterValueException');
    assert.ok(outcome.record.requestParameters && 'encryptionKeyArn' in outcome.record.requestParameters);
    // The tree's first page may already hold it (then the cache answers); otherwise the hints narrow the search.
    if (!outcome.fromCache) assert.match(outcome.summary, /backup\.amazonaws\.com/, 'the time and Service hints narrowed the search');
    console.log(`    found in ${Date.now() - started} ms: ${outcome.summary}`);

    const tab = await waitFor('the event panel', () => eventTabs().find((t) => t.label.startsWith('CreateBackupVault · ')));
    assert.match(tab.label, /^CreateBackupVault · \d{2}:\d{2}:\d{2}$/);
    assert.notEqual(tab.column, editor.viewColumn, 'the panel opens beside the log, not over it');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'the log keeps focus');

    const snapshot = await (await trailLens()).getTreeSnapshot();
    const ids = JSON.stringify(snapshot.nodes);
    assert.ok(ids.includes(outcome.record.eventID), 'the event is in the Events tree');
  });

  it('answers the hover-link form from the cache, and the hover shows the known event', async () => {
    const editor = await openDeployLog();
    const text = editor.document.getText();
    const requestId = idAfter(text, 'Request ID');
    const outcome = await jump({ requestId, hintsText: text });
    assert.equal(outcome.outcome, 'found');
    if (outcome.outcome === 'found') assert.equal(outcome.fromCache, true, 'the second lookup needs no API call');

    const doc = await vscode.workspace.openTextDocument({
      language: 'plaintext',
      content: `ERROR ${text.split('\n').find((l) => l.includes(requestId))}`,
    });
    const pos = doc.positionAt(doc.getText().indexOf(requestId) + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const md = hoverMarkdown(hovers);
    assert.match(md, /CreateBackupVault/);
    assert.match(md, /InvalidParameterValueException/);
    assert.match(md, /\]\(command:trailLens\.goToRequestId\?%5B%7B%22requestId%22/, 'a command link that runs the jump');
    const link = /\(command:trailLens\.goToRequestId\?([^)]*)\)/.exec(md);
    assert.ok(link);
    const [args] = JSON.parse(decodeURIComponent(link[1])) as JumpRequest[];
    assert.equal(args.requestId, requestId);
  });

  it('hovers explain a RequestToken and offer a search for an unknown ID, without any lookup', async () => {
    const editor = await openDeployLog();
    const text = editor.document.getText();
    const token = idAfter(text, 'RequestToken');
    const requestId = idAfter(text, 'Request ID');
    const hoverText = async (doc: vscode.TextDocument, needle: string) => {
      const pos = doc.positionAt(doc.getText().indexOf(needle) + 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      return hoverMarkdown(hovers);
    };
    const onToken = await hoverText(editor.document, token);
    assert.match(onToken, /Not a CloudTrail request ID: a CloudFormation RequestToken/);
    assert.ok(onToken.includes(encodeURIComponent(`"requestId":"${requestId}"`)), 'links the real request ID');

    const unknown = await vscode.workspace.openTextDocument({
      language: 'log',
      content: `ERROR (Service: Kms, Status Code: 400, Request ID: ${UNKNOWN_ID})\n`,
    });
    const onUnknown = await hoverText(unknown, UNKNOWN_ID);
    assert.match(onUnknown, /Go to Event in CloudTrail/);
    assert.doesNotMatch(onUnknown, /CreateBackupVault/);

    const json = await vscode.workspace.openTextDocument({ language: 'json', content: `{"requestID": "${requestId}"}` });
    assert.equal(await hoverText(json, requestId), '', 'JSON documents get no Trail Lens hover');
  });

  it('searches another Region with the same profile, and says what it searched there', async () => {
    const editor = await openDeployLog();
    const text = editor.document.getText();
    const requestId = idAfter(text, 'Request ID');
    // As in CloudTrail, each Region has its own event history: the failed call is in
    // ap-northeast-1, so eu-west-1 holds no event with this request ID.
    const outcome = await jump({ requestId, hintsText: text, region: 'eu-west-1' });
    assert.equal(outcome.outcome, 'notFound', JSON.stringify(outcome));
    if (outcome.outcome !== 'notFound') return;
    assert.equal(outcome.region, 'eu-west-1');
    assert.match(outcome.message, /eu-west-1/, 'the not-found message names the Region searched');
  });

  it('refuses a CloudFormation RequestToken under the cursor and offers the real request ID', async () => {
    const editor = await openDeployLog();
    const text = editor.document.getText();
    const token = idAfter(text, 'RequestToken');
    const requestId = idAfter(text, 'Request ID');
    placeCursor(editor, token, 10);
    const outcome = await jump();
    assert.equal(outcome.outcome, 'rejected', JSON.stringify(outcome));
    if (outcome.outcome !== 'rejected') return;
    assert.equal(outcome.id, token);
    assert.match(outcome.message, /CloudFormation RequestToken, not a request ID/);
    assert.equal(outcome.candidates[0], requestId, 'the real request ID is offered');
  });

  it('says what was searched when the request ID is not there, with next steps', async () => {
    const outcome = await jump({ requestId: UNKNOWN_ID, hintsText: '(Service: Backup, Status Code: 400)', maxDays: 2 });
    assert.equal(outcome.outcome, 'notFound', JSON.stringify(outcome));
    if (outcome.outcome !== 'notFound') return;
    assert.match(outcome.message, new RegExp(`No event with request ID ${UNKNOWN_ID} in ap-northeast-1`));
    assert.match(
      outcome.message,
      /Searched EventSource = backup\.amazonaws\.com .+ UTC \((\d+ pages?|cache)/,
      'names the filter and window',
    );
    assert.match(outcome.message, /\d+ calls?, \d+ events/, 'says how much was read');
    assert.match(outcome.summary, /No event with request ID/, 'the full summary is kept for the log');
    // Three short buttons a notification shows whole; the rest under More….
    assert.deepEqual(outcome.actions, ['Search 90 Days', 'Region…', 'More…']);
    // No engine set up: each is a set-up step (opening its setting), never a button that cannot work.
    assert.deepEqual(outcome.more, [
      'Show Events',
      'Search All Regions',
      'Set Up Athena…',
      'Set Up CloudWatch Logs…',
      'Set Up CloudTrail Lake…',
      'Set Up Trail Files…',
    ]);
    assert.equal(outcome.pendingUntil, undefined, 'no timestamp: nothing says the request is recent');
  });

  it('a request minutes ago: may not be delivered yet, Keep Looking counts down and looks again until cancelled', async () => {
    const at = new Date(Date.now() - 2 * 60_000);
    const hintsText = `${at.toISOString()} ERROR (Service: Kms, Status Code: 400, Request ID: ${UNKNOWN_ID})`;
    const outcome = await jump({ requestId: UNKNOWN_ID, hintsText, maxDays: 1 });
    assert.equal(outcome.outcome, 'notFound', JSON.stringify(outcome));
    if (outcome.outcome !== 'notFound') return;
    assert.match(
      outcome.message,
      /CloudTrail may not have delivered it yet \(the request was [23] minutes ago\): Keep Looking searches again until (?:\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\./,
    );
    assert.deepEqual(outcome.actions, ['Keep Looking', 'Region…', 'More…']);
    assert.ok(
      outcome.pendingUntil && Math.abs(Date.parse(outcome.pendingUntil) - (at.getTime() + 15 * 60_000)) < 1000,
      `until ${outcome.pendingUntil}`,
    );

    const cancel = new vscode.CancellationTokenSource();
    const running = jump({ requestId: UNKNOWN_ID, hintsText, keepLooking: true, retryEveryMs: 1000, token: cancel.token });
    setTimeout(() => cancel.cancel(), 4500);
    const looked = await running;
    assert.equal(looked.outcome, 'cancelled', JSON.stringify(looked));
    if (looked.outcome !== 'cancelled') return;
    assert.ok((looked.looks ?? 0) >= 2, `looked ${looked.looks} times in 4.5 s at one look a second`);
  });

  it('an old request is not waited for: Keep Looking searches once, as a plain jump', async () => {
    const hintsText = `${new Date(Date.now() - 3600_000).toISOString()} ERROR (Service: Kms, Status Code: 400, Request ID: ${UNKNOWN_ID})`;
    const outcome = await jump({ requestId: UNKNOWN_ID, hintsText, maxDays: 1, keepLooking: true, retryEveryMs: 1000 });
    assert.equal(outcome.outcome, 'notFound', JSON.stringify(outcome));
    if (outcome.outcome !== 'notFound') return;
    assert.equal(outcome.looks, undefined);
    assert.doesNotMatch(outcome.message, /may not have delivered/);
    assert.ok(!outcome.actions.includes('Keep Looking'));
  });

  it('opens an event by its event ID: explicitly, and from the cursor on an "eventID" in a record', async () => {
    const editor = await openDeployLog();
    const requestId = idAfter(editor.document.getText(), 'Request ID');
    const found = await jump({ requestId, hintsText: editor.document.getText() });
    assert.equal(found.outcome, 'found');
    if (found.outcome !== 'found') return;
    const eventId = found.record.eventID;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    const byArg = await vscode.commands.executeCommand<JumpOutcome>(Commands.goToRequestId, { eventId });
    assert.equal(byArg?.outcome, 'eventFound', JSON.stringify(byArg));
    if (byArg?.outcome !== 'eventFound') return;
    assert.equal(byArg.record.eventName, 'CreateBackupVault');
    await waitFor('the event panel', () => eventTabs().find((t) => t.label.startsWith('CreateBackupVault · ')));

    // A record pasted into an editor: the cursor on its eventID opens that event (not a refusal).
    const doc = await vscode.workspace.openTextDocument({
      language: 'json',
      content: `{\n  "eventVersion": "1.09",\n  "eventID": "${eventId}",\n  "eventName": "CreateBackupVault"\n}\n`,
    });
    const shown = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    placeCursor(shown, eventId, 4);
    const byCursor = await jump();
    assert.equal(byCursor.outcome, 'eventFound', JSON.stringify(byCursor));
    if (byCursor.outcome === 'eventFound') assert.equal(byCursor.record.eventID, eventId);

    const missing = await vscode.commands.executeCommand<JumpOutcome>(Commands.goToRequestId, {
      eventId: 'deadbeef-0000-4000-8000-0000000000ee',
    });
    assert.equal(missing?.outcome, 'eventNotFound', JSON.stringify(missing));
    if (missing?.outcome === 'eventNotFound')
      assert.match(missing.summary, /No event with event ID deadbeef-0000-4000-8000-0000000000ee in ap-northeast-1 in the last 90 days/);
  });

  it('the hover on an event ID offers to open it', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'log', content: `INFO EventId: ${UNKNOWN_ID} was logged\n` });
    const pos = doc.positionAt(doc.getText().indexOf(UNKNOWN_ID) + 3);
    const md = hoverMarkdown(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
    assert.match(md, /Open Event by Event ID/);
    assert.ok(md.includes(encodeURIComponent(`"eventId":"${UNKNOWN_ID}"`)), md);
    assert.doesNotMatch(md, /Not a CloudTrail request ID/);
  });

  it('stops quietly when cancelled', async () => {
    const cancel = new vscode.CancellationTokenSource();
    const started = Date.now();
    // No hints: a newest-first scan of 90 days, far longer than the 1.5 s it is given.
    const running = jump({ requestId: UNKNOWN_ID, token: cancel.token, maxDays: 90 });
    setTimeout(() => cancel.cancel(), 1500);
    const outcome = await running;
    assert.equal(outcome.outcome, 'cancelled', JSON.stringify(outcome));
    assert.ok(Date.now() - started < 10_000, `cancellation took ${Date.now() - started} ms`);
  });

  it('refuses an explicit argument that is not a request ID', async () => {
    const outcome = await vscode.commands.executeCommand<JumpOutcome | undefined>(Commands.goToRequestId, { requestId: 'hello' });
    assert.equal(outcome, undefined, 'reported as an error, not searched');
  });
});
