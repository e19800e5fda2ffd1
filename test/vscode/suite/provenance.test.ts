/**
 * Value provenance in a real extension host: the message handler's "Where did this value come from?"
 * and shape hints over the sample account, and the failed-deployment path end to end against the fake
 * endpoint — the jump opens the failed CreateBackupVault, the context-menu command on its flagged
 * encryptionKeyArn opens the CreateKey that produced it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../../src/core/record';
import { generateSampleAccount } from '../../../src/sample/account';
import { Commands } from '../../../src/extension/commandIds';
import { handleWebviewMessage, postShapeHints } from '../../../src/extension/panels/panelMessages';
import type { MessageServices, PanelTarget } from '../../../src/extension/panels/panelMessages';
import type { EventContext, FollowedValue, HostToWebview } from '../../../src/protocol/protocol';
import type { JumpOutcome } from '../../../src/extension/jump/requestSearch';
import { resetView, trailLens } from './trailLensHelpers';

const account = generateSampleAccount();
const byId = (id: string) => {
  const r = account.records.find((x) => x.eventID === id);
  assert.ok(r, `sample record ${id}`);
  return r;
};
const failed = byId(account.story.failedEventId);
const createKey = byId(account.story.createKeyEventId);
const keyId = account.story.keyId;

function services(records: readonly CloudTrailRecord[]): MessageServices {
  const log = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, show() {} };
  return {
    log,
    events: { reveal: async () => undefined, records: () => records, onDidChangeTreeData: new vscode.EventEmitter<unknown>().event },
    connection: {
      session: () => Promise.reject(new Error('no session in this test')),
      sessionFor: () => Promise.reject(new Error('no session in this test')),
      current: () => undefined,
    },
  };
}

/** A panel that records what the handler posts and opens. */
function target(record: CloudTrailRecord) {
  const posted: HostToWebview[] = [];
  const shown: { record: CloudTrailRecord; followed?: FollowedValue }[] = [];
  const panel: PanelTarget = {
    record,
    context: { source: 'sample', region: account.region } as EventContext,
    pinned: false,
    nav: {},
    followed: undefined,
    post: (m) => posted.push(m),
    togglePin() {},
    showEvent: (r, _c, followed) => shown.push({ record: r, followed }),
    navigate: () => false,
  };
  return { panel, posted, shown };
}

function eventTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) =>
    g.tabs.filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('trailLens.event')).map((t) => t.label),
  );
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; tabs: ${JSON.stringify(eventTabs())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Value provenance', function () {
  this.timeout(90_000);

  before(async () => {
    await trailLens();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('traceValue opens the CreateKey that produced the key ID, with its path and the ARN beside it', async () => {
    const t = target(failed);
    assert.deepEqual(await handleWebviewMessage({ type: 'traceValue', value: keyId }, t.panel, services(account.records)), {
      type: 'traceValue',
      value: keyId,
    });
    assert.equal(t.shown.length, 1);
    const [{ record, followed }] = t.shown;
    assert.equal(record.eventID, createKey.eventID);
    assert.equal(followed?.role, 'produced');
    assert.equal(followed?.value, keyId);
    assert.ok(followed?.paths.includes('responseElements.keyMetadata.keyId'), followed?.paths.join(', '));
    assert.equal(followed?.arn, account.story.keyArn);
    assert.match(followed?.from ?? '', /^CreateBackupVault · /);
  });

  it('traceValue with no producer loaded and no connection opens nothing and says what was searched', async () => {
    const t = target(failed);
    await handleWebviewMessage({ type: 'traceValue', value: keyId }, t.panel, services([]));
    assert.deepEqual(t.shown, []);
  });

  it('shape hints: the ARN encryptionKeyArn should have been, from the loaded CreateKey; none for a call that succeeded', () => {
    const t = target(failed);
    postShapeHints(t.panel, services(account.records));
    assert.deepEqual(t.posted.length, 1);
    const [msg] = t.posted;
    assert.ok(msg.type === 'shapeHints');
    assert.equal(msg.eventId, failed.eventID);
    assert.equal(msg.hints.length, 1);
    assert.equal(msg.hints[0].path, 'requestParameters.encryptionKeyArn');
    assert.equal(msg.hints[0].arn, account.story.keyArn);
    assert.match(msg.hints[0].source, /^returned by CreateKey · .* as keyMetadata\.arn$/);

    const ok = target(createKey);
    postShapeHints(ok.panel, services(account.records));
    assert.deepEqual(ok.posted, []);
    const unknown = target(failed);
    postShapeHints(unknown.panel, services([]));
    assert.deepEqual(unknown.posted, [], 'no producer known: no hint (the flag still shows)');
  });

  it('ready re-sends the show and then the shape hints', async () => {
    const t = target(failed);
    await handleWebviewMessage({ type: 'ready' }, t.panel, services(account.records));
    assert.deepEqual(
      t.posted.map((m) => m.type),
      ['show', 'shapeHints'],
    );
  });

  it('the failed deployment against the endpoint: the jump opens CreateBackupVault, the context menu on encryptionKeyArn opens CreateKey', async function () {
    if (!process.env.TRAIL_LENS_TEST_ENDPOINT) this.skip();
    await resetView();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'deploy.log'));
    const text = doc.getText();
    const requestId = /Request ID: ([0-9a-f-]{36})/.exec(text)?.[1];
    assert.ok(requestId);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const outcome = await vscode.commands.executeCommand<JumpOutcome>(Commands.goToRequestId, { requestId, hintsText: text });
    assert.equal(outcome?.outcome, 'found');
    await waitFor('the failed call', () => eventTabs().find((l) => l.startsWith('CreateBackupVault · ')));
    const value = outcome.outcome === 'found' ? (outcome.record.requestParameters as { encryptionKeyArn: string }).encryptionKeyArn : '';
    // What VS Code passes for a right-click on the row: its data-vscode-context plus its own keys.
    await vscode.commands.executeCommand(Commands.traceValueOrigin, { webview: 'trailLens.event', webviewSection: 'value', value });
    await waitFor('the CreateKey', () => eventTabs().find((l) => l.startsWith('CreateKey · ')));
    assert.equal(eventTabs().length, 1, 'followed in the same panel');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the context-menu commands refuse an argument that is not a value', async () => {
    for (const arg of [undefined, { webviewSection: 'value' }, { webviewSection: 'other', value: 'x' }]) {
      // runCommand reports the error to the person and resolves; nothing opens.
      await vscode.commands.executeCommand(Commands.findEventsWithValue, arg);
    }
    assert.deepEqual(eventTabs(), []);
  });
});
