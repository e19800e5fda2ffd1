/**
 * Smoke test inside the real extension host: the extension activates, every contributed
 * command is registered, the harness's env reached the host, and the view container opens
 * onto the Events view showing the connection row.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { until } from './trailLensHelpers';

const EXTENSION_ID = 'trail-lens.trail-lens';

describe('smoke', () => {
  it('activates the extension without error', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command package.json contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed commands without a registration',
    );
  });

  it('runs with the harness environment (temp HOME, AWS files, workspace)', () => {
    assert.equal(process.env.TRAIL_LENS_TEST, '1');
    const config = process.env.AWS_CONFIG_FILE;
    assert.ok(config && existsSync(config), 'AWS_CONFIG_FILE points at a file');
    assert.match(readFileSync(config, 'utf8'), /\[profile sso-dev\]/);
    assert.ok(process.env.HOME && config.startsWith(process.env.HOME), 'the AWS files live in the temp HOME');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.equal(folder, process.env.TRAIL_LENS_TEST_WORKSPACE);
  });

  it('opens the seed deploy log holding the Backup request ID', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'deploy.log'));
    const editor = await vscode.window.showTextDocument(doc);
    assert.match(editor.document.getText(), /Service: Backup, Status Code: 400, Request ID: [0-9a-f-]{36}/);
    assert.ok(existsSync(join(folder.fsPath, 'template.yaml')));
  });

  it('reaches the fake CloudTrail endpoint when the harness started one', async function () {
    const endpoint = process.env.TRAIL_LENS_TEST_ENDPOINT;
    if (!endpoint) return this.skip();
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
      },
      body: JSON.stringify({ MaxResults: 1 }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { Events?: unknown[] };
    assert.equal(body.Events?.length, 1);
  });

  it('opens the Trail Lens view container and the Events view shows the connection', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.trailLens');
    await vscode.commands.executeCommand('trailLens.events.focus');
    const s = await until((t) => {
      assert.equal(t.visible, true, 'the Events view is not on screen');
      assert.equal(t.nodes[0]?.id, 'trailLens.connection', 'the first row is not the connection');
    });
    assert.ok(s.nodes[0].label, 'the connection row has no label');
    assert.notEqual(s.phase, 'idle', 'showing the view did not start a load');
  });
});
