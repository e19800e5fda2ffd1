/**
 * The demo: the marker the demo workspace writes (scripts/workbench/demoWorkspace.ts) is the one the
 * extension reads (src/extension/walkthrough/demoMarker.ts), hostile markers are refused, and the
 * walkthrough, its media and its buttons exist in package.json as contributed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Commands, ContextKeys } from '../../src/extension/commandIds';
import { DEMO_MARKER, parseDemoMarker, valueAt } from '../../src/extension/walkthrough/demoMarker';
import { exportLog, loadSampleAccount, writeDemoSettings, writeDemoWorkspace } from '../../scripts/workbench/demoWorkspace';
import { DATA_EVENT_REQUEST_ID } from '../../src/sample/account';
import { scratchDir } from '../harness/scratch';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('demo marker', () => {
  test("the workspace's marker parses to the error line of deploy.log and the failed event's request ID", () => {
    const dir = scratchDir('trail-lens-demo-');
    try {
      const sample = loadSampleAccount();
      const written = writeDemoWorkspace(dir, sample);
      const marker = parseDemoMarker(readFileSync(join(dir, DEMO_MARKER), 'utf8'));
      assert.deepEqual(marker, written);
      const line = readFileSync(join(dir, marker!.log), 'utf8').split('\n')[marker!.errorLine];
      assert.ok(line.includes(`Request ID: ${marker!.requestId}`), line);
      // The value the walkthrough follows is in the failed event, and CreateKey's response holds it.
      const failed = sample.records.find((r) => r.requestID === marker!.requestId);
      assert.equal(failed?.eventName, 'CreateBackupVault');
      const value = valueAt(failed, marker!.followPath);
      assert.equal(value, sample.story.keyId);
      const createKey = sample.records.find(
        (r) => r.eventName === 'CreateKey' && valueAt(r, 'responseElements.keyMetadata.keyId') === value,
      );
      assert.ok(createKey, 'a CreateKey returned the followed key ID');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses what is not a marker: bad JSON, paths leaving the folder, a non-ID, a bad path', () => {
    const good = {
      log: 'deploy.log',
      errorLine: 3,
      requestId: 'ABC1D2E3-A1BC-1AB2-1234-12345AB6CD7E',
      followPath: 'requestParameters.encryptionKeyArn',
    };
    assert.equal(parseDemoMarker(JSON.stringify(good))?.requestId, 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e');
    assert.equal(parseDemoMarker('{'), undefined);
    assert.equal(parseDemoMarker('null'), undefined);
    for (const log of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'logs/./x.log', 'a b.log', '']) {
      assert.equal(parseDemoMarker(JSON.stringify({ ...good, log })), undefined, log);
    }
    for (const errorLine of [-1, 1.5, '3', null]) {
      assert.equal(parseDemoMarker(JSON.stringify({ ...good, errorLine })), undefined, String(errorLine));
    }
    assert.equal(parseDemoMarker(JSON.stringify({ ...good, requestId: 'not an id' })), undefined);
    for (const followPath of ['__proto__[0]', 'a..b', '', 'a.b()']) {
      assert.equal(parseDemoMarker(JSON.stringify({ ...good, followPath })), undefined, followPath);
    }
  });

  test('valueAt reads own primitives only', () => {
    const record = { requestParameters: { encryptionKeyArn: 'k', n: 3, o: {} } };
    assert.equal(valueAt(record, 'requestParameters.encryptionKeyArn'), 'k');
    assert.equal(valueAt(record, 'requestParameters.n'), '3');
    assert.equal(valueAt(record, 'requestParameters.o'), undefined);
    assert.equal(valueAt(record, 'requestParameters.toString'), undefined);
    assert.equal(valueAt(record, 'missing.x'), undefined);
  });
});

describe('package.json: walkthrough, keybinding, menus', () => {
  const contributes = pkg.contributes;
  const declared = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));

  test("the demo walkthrough's steps have media that exists and buttons that run contributed commands", () => {
    const walkthrough = contributes.walkthroughs.find((w: { id: string }) => w.id === 'demo');
    assert.ok(walkthrough, 'no demo walkthrough');
    assert.equal(walkthrough.when, ContextKeys.demo);
    const buttons: string[] = [];
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.image ?? step.media.svg;
      assert.ok(media && existsSync(join(root, media)), `${step.id}: media ${media} is missing`);
      const links = [...step.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.equal(links.length, 1, `${step.id} has one button`);
      assert.ok(declared.has(links[0]), `${step.id}: ${links[0]} is not contributed`);
      // onCommand would move the focus to the walkthrough as the command starts (see ContextKeys).
      for (const e of step.completionEvents)
        assert.ok(Object.values(ContextKeys).includes(e.replace(/^onContext:/, '')), `${step.id}: ${e}`);
      buttons.push(links[0]);
    }
    assert.deepEqual(buttons, [Commands.openDemoLog, Commands.showDemoFailure, Commands.followDemoKey]);
  });

  test('the jump has Ctrl+Alt+R / Cmd+Alt+R in a text editor and stays in the editor context menu', () => {
    const binding = contributes.keybindings.find((k: { command: string }) => k.command === Commands.goToRequestId);
    assert.deepEqual(binding, { command: Commands.goToRequestId, key: 'ctrl+alt+r', mac: 'cmd+alt+r', when: 'editorTextFocus' });
    assert.ok(contributes.menus['editor/context'].some((m: { command: string }) => m.command === Commands.goToRequestId));
  });

  test('the demo opens the extension (the marker activates it) and its commands show only in the demo', () => {
    assert.ok(pkg.activationEvents.includes(`workspaceContains:${DEMO_MARKER}`));
    const palette = contributes.menus.commandPalette;
    for (const id of [Commands.openDemoLog, Commands.showDemoFailure, Commands.followDemoKey]) {
      assert.equal(palette.find((m: { command: string }) => m.command === id)?.when, ContextKeys.demo, id);
    }
    const shortcut = contributes.menus['view/title'].find((m: { command: string }) => m.command === Commands.showDemoFailure);
    assert.match(shortcut?.when ?? '', /trailLens\.demo/);
  });
});

describe('demo workspace: the engines over the sample', () => {
  test('export-job.log holds the data event line; the engine settings are set, kept apart from others, and removed', () => {
    const dir = scratchDir('demo-engines-');
    try {
      const sample = loadSampleAccount(new Date('2026-12-02T05:00:00Z'));
      writeDemoWorkspace(dir, sample);
      const log = readFileSync(join(dir, 'export-job.log'), 'utf8');
      assert.match(log, new RegExp(`when calling the GetObject operation: Access Denied .*Request ID: ${DATA_EVENT_REQUEST_ID}\\)`));
      assert.equal(exportLog(sample.records), log);
      const settingsPath = join(dir, '.vscode', 'settings.json');
      writeDemoSettings(dir, { 'trailLens.athena.table': 'cloudtrail_logs', 'trailLens.cloudWatchLogs.logGroup': 'g' });
      const withOther = { ...JSON.parse(readFileSync(settingsPath, 'utf8')), 'editor.fontSize': 15 };
      writeFileSync(settingsPath, JSON.stringify(withOther));
      writeDemoSettings(dir, undefined);
      assert.deepEqual(JSON.parse(readFileSync(settingsPath, 'utf8')), { 'editor.fontSize': 15 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
