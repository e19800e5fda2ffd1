/**
 * The event panel host, JSON documents and event commands in a real extension host: one panel beside
 * the editor that later events replace, pinning, the webview message boundary (invalid messages are
 * dropped), value-following over the sample account, and the read-only JSON document.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../../src/core/record';
import { generateSampleAccount } from '../../../src/sample/account';
import { Commands } from '../../../src/extension/commandIds';
import { EVENT_SCHEME } from '../../../src/extension/eventDocument';
import { EventPanels } from '../../../src/extension/panels/eventPanel';
import { classify, holdersIn } from '../../../src/core/investigate/provenance';
import { formsOf } from '../../../src/core/investigate/valueForms';
import { handleWebviewMessage } from '../../../src/extension/panels/panelMessages';
import type { MessageServices, PanelTarget } from '../../../src/extension/panels/panelMessages';
import type { HostToWebview } from '../../../src/protocol/protocol';
import { MAX_MESSAGE_TEXT } from '../../../src/protocol/protocol';
import { EXTENSION_ID, trailLens } from './trailLensHelpers';

const account = generateSampleAccount();
const byId = (id: string) => {
  const r = account.records.find((x) => x.eventID === id);
  assert.ok(r, `sample record ${id}`);
  return r;
};
const failed = byId(account.story.failedEventId);
const createKey = byId(account.story.createKeyEventId);

function eventTabs(): { label: string; column: vscode.ViewColumn }[] {
  return vscode.window.tabGroups.all.flatMap((g) =>
    g.tabs
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('trailLens.event'))
      .map((t) => ({ label: t.label, column: g.viewColumn })),
  );
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; tabs: ${JSON.stringify(eventTabs())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The services the message handler uses, recording what it logs. */
function messageServices(debug: string[]): MessageServices {
  const log = { trace() {}, debug: (m: string) => debug.push(m), info() {}, warn() {}, error() {}, show() {} };
  return {
    log,
    events: {
      reveal: async () => undefined,
      records: () => account.records,
      onDidChangeTreeData: new vscode.EventEmitter<unknown>().event,
    },
    connection: {
      session: () => Promise.reject(new Error('no session in this test')),
      sessionFor: () => Promise.reject(new Error('no session in this test')),
      current: () => undefined,
    },
  };
}

describe('Event panel', function () {
  this.timeout(30_000);

  before(async () => {
    await trailLens();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens beside the editor without focus, and the next event replaces it', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'Resources: {}\n' });
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand(Commands.openEvent, createKey);
    const first = await until('the first panel', () => eventTabs().find((t) => t.label.startsWith('CreateKey · ')));
    assert.notEqual(first.column, editor.viewColumn);
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'the template keeps focus');

    // The tree passes its node ({ record }) to the command.
    await vscode.commands.executeCommand(Commands.openEvent, { record: failed });
    await until('the replaced panel', () => eventTabs().find((t) => t.label.startsWith('CreateBackupVault · ')));
    assert.equal(eventTabs().length, 1, 'one panel, replaced');
  });

  it('keeps pinned panels and opens a new one for the next event; unpinning makes it the one replaced', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const debug: string[] = [];
    const services = messageServices(debug);
    const panels = new EventPanels({ extensionUri: ext.extensionUri } as vscode.ExtensionContext, services);
    try {
      panels.show(createKey, { source: 'sample' });
      const [a] = panels.openPanels();
      assert.equal(a.record, createKey);
      await handleWebviewMessage({ type: 'togglePin' }, a, services);
      assert.equal(a.pinned, true);

      panels.show(failed, { source: 'sample' });
      assert.equal(panels.openPanels().length, 2, 'the pinned panel stays');
      const [b] = panels.openPanels();
      assert.equal(b.record, failed, 'the new panel is the one the next event replaces');
      assert.equal(a.record, createKey);
      await until('two panel tabs', () => (eventTabs().length === 2 ? true : undefined));

      await handleWebviewMessage({ type: 'togglePin' }, a, services);
      assert.equal(a.pinned, false);
      assert.deepEqual(
        panels.openPanels().map((p) => p.record.eventName),
        ['CreateKey'],
        'one unpinned panel at a time',
      );
    } finally {
      panels.dispose();
    }
    assert.deepEqual(debug, []);
  });

  it('a pinned panel and the next one share an editor group, even when the panel group has focus', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const services = messageServices([]);
    const panels = new EventPanels({ extensionUri: ext.extensionUri } as vscode.ExtensionContext, services);
    try {
      const doc = await vscode.workspace.openTextDocument({ language: 'log', content: 'deploy.log\n' });
      await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      panels.show(createKey, { source: 'sample' });
      const [a] = panels.openPanels();
      await until('the first panel', () => (eventTabs().length === 1 ? true : undefined));
      await handleWebviewMessage({ type: 'togglePin' }, a, services);
      // Clicking Pin puts focus in the panel's group; "beside" that would be a third column.
      await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
      for (const record of [failed, createKey]) {
        panels.show(record, { source: 'sample' });
        await handleWebviewMessage({ type: 'togglePin' }, panels.openPanels()[0], services);
      }
      await until('three panel tabs', () => (eventTabs().length === 3 ? true : undefined));
      assert.deepEqual([...new Set(eventTabs().map((t) => t.column))], [a.viewColumn], 'every event panel in one group');
      assert.equal(vscode.window.tabGroups.all.length, 2, 'the log and the event panels: two groups, not four');
    } finally {
      panels.dispose();
    }
  });

  it('following a value keeps the way back: Back and Forward walk the panel history', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const services = messageServices([]);
    const panels = new EventPanels({ extensionUri: ext.extensionUri } as vscode.ExtensionContext, services);
    try {
      panels.show(failed, { source: 'sample' });
      const [p] = panels.openPanels();
      assert.deepEqual(p.nav, {});
      const followed = {
        value: account.story.keyId,
        from: 'CreateBackupVault',
        role: 'produced' as const,
        paths: ['responseElements.keyMetadata.keyId'],
      };
      p.showEvent(createKey, { source: 'sample' }, followed);
      assert.equal(panels.openPanels().length, 1, 'followed in the same panel');
      assert.equal(p.record, createKey);
      assert.deepEqual(p.followed, followed);
      assert.match(p.nav.back ?? '', /^CreateBackupVault · /);
      assert.equal(p.nav.forward, undefined);
      assert.equal(p.navigate('back'), true);
      assert.equal(p.record, failed);
      assert.equal(p.followed, undefined);
      assert.match(p.nav.forward ?? '', /^CreateKey · /);
      await handleWebviewMessage({ type: 'navigate', to: 'forward' }, p, services);
      assert.equal(p.record, createKey);
      assert.deepEqual(p.followed, followed, 'the followed value is highlighted again');
      assert.equal(p.navigate('forward'), false, 'nothing further');

      // From a pinned panel the event opens in a new one, whose Back returns to where it came from.
      await handleWebviewMessage({ type: 'togglePin' }, p, services);
      p.showEvent(failed, { source: 'sample' });
      const [q] = panels.openPanels();
      assert.notEqual(q, p);
      assert.equal(p.record, createKey, 'the pinned panel keeps its event');
      assert.match(q.nav.back ?? '', /^CreateKey · /);
    } finally {
      panels.dispose();
    }
  });

  it('drops invalid messages from the webview and answers valid ones', async () => {
    const debug: string[] = [];
    const services = messageServices(debug);
    const posted: HostToWebview[] = [];
    let toggled = 0;
    const target: PanelTarget = {
      record: failed,
      context: { source: 'sample', region: 'ap-northeast-1' },
      pinned: false,
      nav: {},
      followed: undefined,
      post: (m) => posted.push(m),
      togglePin: () => toggled++,
      showEvent: () => assert.fail('no event should be opened'),
      navigate: () => assert.fail('no history to walk'),
    };
    await vscode.env.clipboard.writeText('before');
    const invalid: unknown[] = [
      null,
      'ready',
      [{ type: 'ready' }],
      { type: 'ready', extra: 1 },
      { type: 'copy', text: 5, what: 'value' },
      { type: 'copy', text: 'x', what: 'everything' },
      { type: 'copy', text: 'x'.repeat(MAX_MESSAGE_TEXT + 1), what: 'value' },
      { type: 'findValue', value: '' },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: '__proto__' },
    ];
    for (const raw of invalid)
      assert.equal(await handleWebviewMessage(raw, target, services), undefined, JSON.stringify(raw)?.slice(0, 80));
    assert.equal(debug.length, invalid.length, 'each rejected message is logged once at debug');
    assert.ok(
      debug.every((line) => line.length < 200),
      'payloads are not echoed into the log',
    );
    assert.deepEqual(posted, []);
    assert.equal(toggled, 0);
    assert.equal(await vscode.env.clipboard.readText(), 'before');

    assert.deepEqual(await handleWebviewMessage({ type: 'ready' }, target, services), { type: 'ready' });
    assert.deepEqual(posted[0], { type: 'show', recordJson: JSON.stringify(failed), context: target.context, pinned: false });
    // After the show, the shape check's hints for this event may follow (the value's producer, if known).
    const after = (posted as HostToWebview[]).slice(1).map((m) => m.type);
    assert.ok(
      after.every((t) => t === 'shapeHints'),
      JSON.stringify(after),
    );
    await handleWebviewMessage({ type: 'copy', text: failed.requestID, what: 'value' }, target, services);
    assert.equal(await vscode.env.clipboard.readText(), failed.requestID);
    await handleWebviewMessage({ type: 'togglePin' }, target, services);
    assert.equal(toggled, 1);
  });

  /** The events holding a value in any of its forms, producers first, as the panel's search lists them. */
  const holding = (value: string, from: CloudTrailRecord) => {
    const p = classify(holdersIn(account.records, formsOf(value, account.records), from.eventID), Date.parse(from.eventTime));
    return [...p.produced, ...p.consumed, ...p.mentioned].map((h) => ({
      record: h.record,
      role: h.role,
      paths: h.hits.map((x) => x.path),
    }));
  };

  it('follows a KMS key ID from CreateKey to the CreateBackupVault that passed it as encryptionKeyArn', () => {
    const keyId = account.story.keyId;
    assert.ok(JSON.stringify(createKey.responseElements).includes(keyId));
    const matches = holding(keyId, createKey);
    const vault = matches.find((m) => m.record.eventID === failed.eventID);
    assert.ok(vault, `CreateBackupVault among ${matches.map((m) => m.record.eventName).join(', ')}`);
    assert.ok(vault.paths.includes('requestParameters.encryptionKeyArn'), vault.paths.join(', '));
    assert.ok(!matches.some((m) => m.record.eventID === createKey.eventID), 'the source event is not offered');
    assert.equal(vault.role, 'consumed');
  });

  it('lists the event that produced the value first, and says it produced it', () => {
    const matches = holding(account.story.keyId, failed);
    assert.ok(matches.length > 1, `several events hold the key: ${matches.map((m) => m.record.eventName).join(', ')}`);
    const [first] = matches;
    assert.equal(first?.record.eventID, createKey.eventID, `first: ${first?.record.eventName}`);
    assert.equal(first?.role, 'produced');
    assert.ok(first?.paths.some((p) => p.startsWith('responseElements.')));
    assert.equal(matches.filter((m) => m.role === 'produced').length, 1);
  });

  it('opens the record as a read-only, pretty-printed JSON document', async () => {
    await vscode.commands.executeCommand(Commands.openEventJson, { record: failed });
    const editor = await until('the JSON editor', () =>
      vscode.window.activeTextEditor?.document.uri.scheme === EVENT_SCHEME ? vscode.window.activeTextEditor : undefined,
    );
    const doc = editor.document;
    assert.equal(doc.languageId, 'json');
    assert.equal(doc.uri.path, `/CreateBackupVault-${failed.eventID}.json`);
    assert.ok(doc.lineCount > 20, 'pretty-printed, so it folds');
    assert.deepEqual(JSON.parse(doc.getText()) as CloudTrailRecord, failed);
    const before = doc.getText();
    editor.selection = new vscode.Selection(1, 2, 1, 2);
    await vscode.commands.executeCommand('type', { text: 'typed' });
    assert.equal(doc.getText(), before, 'typing in the editor changes nothing: it is read-only');
    assert.equal(doc.isDirty, false);
  });

  it('copies IDs and warns when a record has no request ID', async () => {
    await vscode.commands.executeCommand(Commands.copyEventId, { record: failed });
    assert.equal(await vscode.env.clipboard.readText(), failed.eventID);
    await vscode.commands.executeCommand(Commands.copyRequestId, failed);
    assert.equal(await vscode.env.clipboard.readText(), failed.requestID);
    const { requestID: _drop, ...noRequestId } = failed;
    await vscode.env.clipboard.writeText('unchanged');
    await vscode.commands.executeCommand(Commands.copyRequestId, { record: noRequestId });
    assert.equal(await vscode.env.clipboard.readText(), 'unchanged');
    await vscode.commands.executeCommand(Commands.copyRecordJson, failed);
    assert.deepEqual(JSON.parse(await vscode.env.clipboard.readText()), failed);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
