/**
 * The CloudFormation path in a real extension host, on the sample account: the test workspace's
 * template.yaml (its stack named by samconfig.toml) gets a CodeLens on the failed BackupVault with
 * its status reason and "Open CloudTrail event", which opens CreateBackupVault in the event panel;
 * a diagnostic on `!Ref BackupKey`; and a quick fix that rewrites it to `!GetAtt BackupKey.Arn`.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/commandIds';
import { resetView, trailLens } from './trailLensHelpers';

async function poll<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function templateUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the harness opens the test workspace');
  return vscode.Uri.joinPath(folder, 'template.yaml');
}

function eventTabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) =>
    g.tabs.filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('trailLens.event')).map((t) => t.label),
  );
}

describe('CloudFormation template: CodeLens, diagnostic and quick fix (sample account)', function () {
  this.timeout(120_000);
  let doc: vscode.TextDocument;

  before(async function () {
    if (!process.env.TRAIL_LENS_TEST_ENDPOINT) this.skip();
    await trailLens();
    await vscode.commands.executeCommand(Commands.exploreSample);
    doc = await vscode.workspace.openTextDocument(templateUri());
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  });

  after(async () => {
    if (!process.env.TRAIL_LENS_TEST_ENDPOINT) return;
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetView();
  });

  it('puts the failure on BackupVault: its status reason, and Open CloudTrail event', async () => {
    const vaultLine = doc.getText().split('\n').indexOf('  BackupVault:');
    assert.ok(vaultLine > 0, 'the template has the BackupVault resource');
    const lenses = await poll('the BackupVault CodeLens', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      const onVault = all.filter((l) => l.range.start.line === vaultLine && l.command?.command === Commands.openStackFailure);
      return onVault.length >= 2 ? onVault : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('$(error) CREATE_FAILED: Invalid Key provided by the user. %s'), titles.join(' | '));
    const open = lenses.find((l) => l.command?.title === '$(link-external) Open CloudTrail event (CreateBackupVault)');
    assert.ok(open?.command, titles.join(' | '));
    // No other resource failed in this stack's last operation.
    const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
    assert.deepEqual(
      [...new Set(all.filter((l) => l.command?.command === Commands.openStackFailure).map((l) => l.range.start.line))],
      [vaultLine],
    );

    await vscode.commands.executeCommand(open.command.command, ...(open.command.arguments ?? []));
    const tab = await poll(
      'the CreateBackupVault event panel',
      () => eventTabLabels().find((l) => l.startsWith('CreateBackupVault')),
      30_000,
    );
    assert.match(tab, /^CreateBackupVault · /);
  });

  it('marks !Ref BackupKey and fixes it to !GetAtt BackupKey.Arn', async () => {
    const at = doc.getText().indexOf('EncryptionKeyArn: !Ref BackupKey') + 'EncryptionKeyArn: '.length;
    const refRange = new vscode.Range(doc.positionAt(at), doc.positionAt(at + '!Ref BackupKey'.length));
    const diagnostic = await poll('the diagnostic on !Ref BackupKey', () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'Trail Lens'),
    );
    assert.ok(diagnostic.range.isEqual(refRange), `diagnostic at ${JSON.stringify(diagnostic.range)}`);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(
      diagnostic.message,
      /^EncryptionKeyArn wants an ARN, but Ref BackupKey returns the key ID \(AWS::KMS::Key\)\.\nThe failed call got encryptionKeyArn = "[0-9a-z-]{36}"\. Use !GetAtt BackupKey\.Arn\.$/,
    );

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, refRange);
    const fix = actions.find((a) => a.title.startsWith('Use !GetAtt BackupKey.Arn'));
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const line = doc
      .getText()
      .split('\n')
      .find((l) => l.includes('EncryptionKeyArn'));
    assert.equal(line, '      EncryptionKeyArn: !GetAtt BackupKey.Arn');
    // The template no longer passes the key ID: the diagnostic goes.
    await poll('the diagnostic to clear', () =>
      vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'Trail Lens') ? undefined : true,
    );
  });
});
