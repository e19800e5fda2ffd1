/**
 * The investigation commands in a real extension host against the fake endpoint serving the sample
 * account: related events of the failed CreateBackupVault (the CreateKey before it, the event
 * marked), comparing two events in the diff editor with sorted keys, and Markdown for a ticket.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { generateSampleAccount } from '../../../src/sample/account';
import { Commands } from '../../../src/extension/commandIds';
import { COMPARE_SCHEME } from '../../../src/extension/investigate/compareDocuments';
import { events, resetView, setSetting, trailLens, until as untilTree } from './trailLensHelpers';

const account = generateSampleAccount();
const byId = (id: string) => {
  const r = account.records.find((x) => x.eventID === id);
  assert.ok(r, `sample record ${id}`);
  return r;
};
const failed = byId(account.story.failedEventId);
const createKey = byId(account.story.createKeyEventId);

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Trail Lens investigation', function () {
  this.timeout(90_000);

  before(async () => {
    await trailLens();
    await resetView();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('related events: the CreateKey before the failed CreateBackupVault, the event itself marked', async () => {
    const api = await trailLens();
    await vscode.commands.executeCommand(Commands.relatedEvents, failed);
    const shown = await until('the Investigation view', () => {
      const s = api.getInvestigation();
      return s?.title.startsWith('Related to CreateBackupVault') ? s : undefined;
    });
    assert.ok(shown.rows.includes('◆ this event CreateBackupVault'), shown.rows.join('\n'));
    const key = shown.rows.find((r) => r.endsWith(' CreateKey'));
    assert.ok(key, shown.rows.join('\n'));
    assert.match(key, /^−\d+ s CreateKey$/, 'before the failure, with how long before');
    assert.ok(
      shown.rows.indexOf(key) > shown.rows.indexOf('◆ this event CreateBackupVault'),
      'newest first: the CreateKey below the event',
    );

    await vscode.commands.executeCommand(Commands.copyInvestigationMarkdown);
    const md = await vscode.env.clipboard.readText();
    assert.match(md, /^## Events by the same caller around `CreateBackupVault · /);
    assert.match(md, /`CreateKey`/);
    assert.match(md, /← this event\*\*/);
    assert.match(md, /\*\*What was searched\*\*\n\n- `AccessKeyId = ASIA/);
  });

  it('compare: the diff editor on two read-only documents with sorted keys, the older on the left', async () => {
    await vscode.commands.executeCommand(Commands.compareEvents, failed, [failed, createKey]);
    const tab = await until('the diff tab', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputTextDiff ? t : undefined;
    });
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, COMPARE_SCHEME);
    assert.match(input.original.path, /CreateKey/);
    assert.match(input.modified.path, /CreateBackupVault/);
    const left = await vscode.workspace.openTextDocument(input.original);
    const keys = [...left.getText().matchAll(/^ {2}"(\w+)":/gm)].map((m) => m[1]);
    assert.deepEqual(keys, [...keys].sort(), 'top-level keys in sorted order');
    assert.equal(JSON.parse(left.getText()).eventID, createKey.eventID);

    await vscode.commands.executeCommand(Commands.copyComparisonMarkdown, failed, [failed, createKey]);
    const md = await vscode.env.clipboard.readText();
    assert.match(md, /^## Comparison: `CreateKey` at .* and `CreateBackupVault` at /);
    assert.match(md, /Fields that differ: .*`errorCode`/);
  });

  it('copy an event as Markdown: the error, the parameters and the console link', async () => {
    await vscode.commands.executeCommand(Commands.copyEventMarkdown, failed);
    const md = await vscode.env.clipboard.readText();
    assert.match(md, /^### Failed call: `CreateBackupVault`/);
    assert.match(md, /- \*\*Error code:\*\* `InvalidParameterValueException`/);
    assert.ok(md.includes(`"encryptionKeyArn": "${account.story.keyId}"`));
    assert.ok(
      md.includes(`https://${account.region}.console.aws.amazon.com/cloudtrailv2/home?region=${account.region}#/events/${failed.eventID}`),
    );
  });

  it('resource history of the KMS key: both forms searched, the changes listed first', async () => {
    const api = await trailLens();
    await vscode.commands.executeCommand(Commands.resourceHistory, account.story.keyArn);
    const shown = await until('the history', () => {
      const s = api.getInvestigation();
      return s?.title.startsWith('History of arn:aws:kms:') ? s : undefined;
    });
    const createKey = shown.rows.find((r) => r.endsWith(' CreateKey'));
    assert.ok(createKey, shown.rows.join('\n'));
    assert.match(createKey, /^changed · as /);
    const firstRead = shown.rows.findIndex((r) => r.startsWith('read'));
    const lastChange = shown.rows.map((r) => r.startsWith('changed')).lastIndexOf(true);
    assert.ok(firstRead === -1 || lastChange < firstRead, 'changes before reads');
    await vscode.commands.executeCommand(Commands.copyInvestigationMarkdown);
    const md = await vscode.env.clipboard.readText();
    assert.ok(md.includes(`ResourceName = ${account.story.keyArn}`), md);
    assert.ok(md.includes(`ResourceName = ${account.story.keyId}`), md);
  });

  it('export: exactly the events the Events view shows, after noise rules, as CSV and JSONL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trail-lens-export-'));
    try {
      await setSetting('noise.hideReadOnly', true);
      const tree = await untilTree((t) => {
        assert.equal(t.phase, 'ready');
        assert.ok(events(t).length > 0);
        assert.ok(
          events(t).every((e) => e.icon !== 'eye'),
          'read-only rows hidden',
        );
      });
      const shownIds = events(tree).map((e) => e.id);
      const csv = vscode.Uri.file(join(dir, 'shown.csv'));
      const jsonl = vscode.Uri.file(join(dir, 'shown.jsonl'));
      await vscode.commands.executeCommand(Commands.exportEvents, csv);
      await vscode.commands.executeCommand(Commands.exportEvents, jsonl);
      const rows = readFileSync(csv.fsPath, 'utf8').trim().split('\n');
      assert.match(rows[0], /^eventTime,eventSource,eventName,errorCode,errorMessage,caller,/);
      assert.equal(rows.length - 1, shownIds.length);
      const records = readFileSync(jsonl.fsPath, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { eventID: string; readOnly?: boolean });
      assert.deepEqual(
        records.map((r) => r.eventID),
        shownIds,
        'the shown events, in the order shown',
      );
      // Read-only calls are hidden by the rule (only an event opened from elsewhere stays, and the tree shows it too).
      assert.equal(records.filter((r) => r.readOnly === true).length, events(tree).filter((e) => e.icon === 'eye').length);
      assert.ok(records.length < account.records.length);
    } finally {
      await setSetting('noise.hideReadOnly', undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compare with one event selected says how to pick a second', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(Commands.compareEvents, failed, [failed]);
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab, undefined, 'no diff was opened');
  });
});
