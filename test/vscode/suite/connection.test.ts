/**
 * Activation, commands, the connection (profile @ region) and its failure states, in a real
 * extension host against the fake CloudTrail endpoint. HOME holds a real ~/.aws with profile
 * `default` (static keys, ap-northeast-1) and `sso-dev` (SSO, never signed in).
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/commandIds';
import type { JumpOutcome } from '../../../src/extension/jump/requestSearch';
import { STORY_REQUEST_ID } from '../../../src/sample/story';
import { events, node, resetView, setSetting, trailLens, until } from './trailLensHelpers';
import { scratchDir } from '../../harness/scratch';

describe('Trail Lens connection', function () {
  this.timeout(60_000);

  before(async () => {
    await trailLens();
    await resetView();
  });

  after(async () => {
    await resetView();
  });

  it('registers every contributed command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const pkg = vscode.extensions.getExtension('trail-lens.trail-lens')!.packageJSON;
    for (const c of pkg.contributes.commands as { command: string }[]) {
      assert.ok(registered.has(c.command), `${c.command} is not registered`);
    }
    for (const id of Object.values(Commands)) assert.ok(registered.has(id), `${id} is not registered`);
  });

  it('shows the connection as the first row and loads events through the configured endpoint', async () => {
    const s = await until((t) => {
      assert.equal(t.phase, 'ready');
      assert.ok(events(t).length > 0, 'no events');
    });
    assert.equal(s.nodes[0].id, 'trailLens.connection');
    assert.equal(s.nodes[0].label, 'default @ ap-northeast-1');
  });

  it('switches region from the command and remembers it', async () => {
    await vscode.commands.executeCommand(Commands.selectRegion, 'eu-west-1');
    await until((t) => assert.equal(t.nodes[0].label, 'default @ eu-west-1'));
    await vscode.commands.executeCommand(Commands.selectProfile, 'default');
    await until((t) => assert.equal(t.nodes[0].label, 'default @ ap-northeast-1'));
  });

  it('an SSO profile without a token shows a sign-in node, not an empty tree', async () => {
    await vscode.commands.executeCommand(Commands.selectProfile, 'sso-dev');
    const s = await until((t) => {
      assert.equal(t.phase, 'error');
      assert.ok(node(t, 'error:load'), 'no error node');
    });
    const error = node(s, 'error:load')!;
    assert.match(error.label, /SSO/);
    assert.equal(error.icon, 'error');
    const signIn = node(s, 'action:load:signIn');
    assert.ok(signIn, 'no sign-in row');
    assert.match(signIn.label, /aws sso login --profile sso-dev/);
    assert.ok(node(s, 'action:load:retry'), 'no Retry row');
    await vscode.commands.executeCommand(Commands.selectProfile, 'default');
    await until((t) => assert.equal(t.phase, 'ready'));
  });

  it('the sample account works without AWS and is left by choosing a profile', async () => {
    await vscode.commands.executeCommand(Commands.exploreSample);
    const s = await until((t) => {
      assert.equal(t.nodes[0].label, 'Sample account @ ap-northeast-1');
      assert.equal(t.phase, 'ready');
      assert.ok(events(t).length > 0, 'no sample events');
    });
    assert.equal(s.nodes[0].icon, 'beaker');
    // The sample has an event cache like any account: a repeated jump costs no call.
    const hintsText = `(Service: Backup, Status Code: 400, Request ID: ${STORY_REQUEST_ID})`;
    const jump = (): Thenable<JumpOutcome | undefined> =>
      vscode.commands.executeCommand<JumpOutcome>(Commands.goToRequestId, { requestId: STORY_REQUEST_ID, hintsText });
    const first = await jump();
    assert.equal(first?.outcome, 'found', JSON.stringify(first));
    const again = await jump();
    assert.ok(again?.outcome === 'found' && again.fromCache, `the repeat is answered from the sample's cache: ${JSON.stringify(again)}`);
    // Another Region of the sample stays in the sample: its IAM and sign-in history is in us-east-1.
    await vscode.commands.executeCommand(Commands.selectRegion, 'us-east-1');
    const east = await until((t) => {
      assert.equal(t.nodes[0].label, 'Sample account @ us-east-1');
      assert.equal(t.phase, 'ready');
      assert.ok(events(t).length > 0, 'no sample events in us-east-1');
    });
    assert.ok(
      events(east).every((e) => e.id && !events(s).some((o) => o.id === e.id)),
      'events of the other Region stayed',
    );
    await vscode.commands.executeCommand(Commands.selectRegion, 'ap-northeast-1');
    await until((t) => assert.equal(t.nodes[0].label, 'Sample account @ ap-northeast-1'));
    await vscode.commands.executeCommand(Commands.selectProfile, 'default');
    await until((t) => assert.equal(t.nodes[0].label, 'default @ ap-northeast-1'));
  });

  it('with no credentials anywhere the tree is empty so the welcome view shows, until credentials appear', async () => {
    const saved = { ...process.env };
    const empty = scratchDir('trail-lens-nocreds-');
    try {
      // The extension host is this process: point the AWS files at an empty folder, drop env credentials.
      process.env.AWS_CONFIG_FILE = join(empty, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(empty, 'credentials');
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      for (const k of [
        'AWS_PROFILE',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_REGION',
        'AWS_DEFAULT_REGION',
      ]) {
        delete process.env[k];
      }
      await setSetting('profile', undefined);
      // A remembered profile that no longer exists, with nothing configured, is still "no credentials".
      await vscode.commands.executeCommand(Commands.refresh);
      const s = await until((t) => assert.equal(t.phase, 'noCredentials'));
      assert.deepEqual(s.nodes, []);
      assert.equal(s.message, undefined);
      // Creating the files is noticed (the real paths are watched) and the view loads by itself.
      writeFileSync(process.env.AWS_CONFIG_FILE, '[default]\nregion = ap-northeast-1\n');
      writeFileSync(
        process.env.AWS_SHARED_CREDENTIALS_FILE,
        '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n',
      );
      const loaded = await until((t) => assert.equal(t.phase, 'ready'));
      assert.equal(loaded.nodes[0].label, 'default @ ap-northeast-1');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    await vscode.commands.executeCommand(Commands.refresh);
    await until((t) => assert.equal(t.phase, 'ready'));
  });
});
