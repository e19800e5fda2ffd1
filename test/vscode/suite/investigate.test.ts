/**
 * The investigation commands in a real extension host against the fake endpoint serving the sample
 * account: related events of the failed CreateBackupVault (the CreateKey before it, the event
 * marked), comparing two events in the diff editor with sorted keys, and Markdown for a ticket.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateSampleAccount } from '../../../src/sample/account';
import { Commands } from '../../../src/extension/commandIds';
import { COMPARE_SCHEME } from '../../../src/extension/investigate/compareDocuments';
import { resetView, trailLens } from './trailLensHelpers';

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

  it('compare with one event selected says how to pick a second', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(Commands.compareEvents, failed, [failed]);
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab, undefined, 'no diff was opened');
  });
});
