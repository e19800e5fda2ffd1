/**
 * The Events view as a person uses it (code-server + Chromium): open Trail Lens from the activity
 * bar, see the connection and the events under day headers, hover an event, page with
 * "Load older events…", filter by EventSource through the title-bar quick picks.
 * The records are the seed story (kms:CreateKey then a failing backup:CreateBackupVault) plus
 * a few older calls, served by the fake CloudTrail endpoint.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { openViewContainer, openWorkbench, treeItem, type Workbench, viewActions } from '../harness/ui';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import { assumedRole, iamUser, makeRecord } from '../fake-cloudtrail/fixtures';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import type { CloudTrailRecord } from '../../src/core/record';

const MIN = 60_000;
const REQUEST_ID = 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e';

function storyRecords(now: number): CloudTrailRecord[] {
  const cfn = { sourceIPAddress: 'cloudformation.amazonaws.com', userAgent: 'cloudformation.amazonaws.com' };
  const deployer = assumedRole('DeployRole', 'AWSCloudFormation');
  const records = [
    makeRecord({
      at: now - 20 * MIN,
      eventSource: 'kms.amazonaws.com',
      eventName: 'CreateKey',
      readOnly: false,
      userIdentity: deployer,
      ...cfn,
    }),
    makeRecord({
      at: now - 18 * MIN,
      eventSource: 'backup.amazonaws.com',
      eventName: 'CreateBackupVault',
      readOnly: false,
      userIdentity: deployer,
      requestID: REQUEST_ID,
      errorCode: 'InvalidParameterValueException',
      errorMessage: 'Invalid Key provided by the user. %s <script>alert(1)</script> **not bold**',
      ...cfn,
    }),
  ];
  // Older, mixed calls so paging and filtering have something to do.
  for (let i = 0; i < 8; i++) {
    records.push(
      makeRecord({
        at: now - (60 + i * 45) * MIN,
        eventSource: i % 2 ? 's3.amazonaws.com' : 'ec2.amazonaws.com',
        eventName: i % 2 ? 'ListBuckets' : 'DescribeInstances',
        readOnly: true,
        userIdentity: iamUser('alice'),
      }),
    );
  }
  return records;
}

describe('Events view (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let fake: FakeCloudTrail | undefined;
  let calls = '';

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    fake = await startFakeCloudTrail({ records: storyRecords(Date.now()), rate: 2, region: 'ap-northeast-1' });
    // A stand-in `aws` on PATH: the sign-in test must show the command in a terminal without the
    // real CLI contacting AWS.
    const bin = join(world.root, 'bin');
    mkdirSync(bin, { recursive: true });
    calls = join(world.root, 'aws-calls.txt');
    // It stays up a few seconds like the real sign-in does (the terminal closes when it exits).
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\necho "stand-in aws CLI called with: $*"\necho "$*" >> '${calls}'\nsleep 5\n`, {
      mode: 0o755,
    });
    // Terminals get a plain /bin/sh (no login profile resetting PATH) with the stand-in first, and a
    // proxy on a closed loopback port so even a real CLI could not leave the machine.
    const terminalEnv = {
      PATH: `${bin}${delimiter}/usr/local/bin${delimiter}/usr/bin${delimiter}/bin`,
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '',
    };
    // The sign-in terminal's process is `aws` itself (no shell), found on code-server's own PATH:
    // the stand-in goes first there too, ahead of Node 24 (which code-server needs first otherwise).
    const toolchain = 'toolchain' in tc ? tc.toolchain : undefined;
    const serverPath = [bin, toolchain ? join(toolchain.nodeDir, 'bin') : undefined, process.env.PATH].filter(Boolean).join(delimiter);
    wb = await openWorkbench({
      workspace: world.workspace,
      env: { ...world.env, PATH: serverPath },
      settings: {
        'trailLens.endpointUrl': fake.url,
        'trailLens.pageSize': 6,
        'terminal.integrated.profiles.linux': { 'trail-lens-test': { path: '/bin/sh', env: terminalEnv } },
        'terminal.integrated.defaultProfile.linux': 'trail-lens-test',
        'terminal.integrated.env.linux': terminalEnv,
        'terminal.integrated.inheritEnv': false,
      },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await fake?.close();
    await world?.dispose();
  });

  test('the status bar shows the connection as soon as the workbench starts, before the view is opened', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    // Nothing of Trail Lens has been opened yet: onStartupFinished activates it, with no network.
    const item = page.locator('.part.statusbar').getByRole('button', { name: /^Trail Lens connection/ });
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    console.log(`status bar at startup: ${JSON.stringify(await item.innerText())}`);
    assert.equal(
      await page
        .locator('.part.sidebar')
        .getByRole('treeitem', { name: /^default @/ })
        .count(),
      0,
    );
  });

  test('opening Trail Lens shows the connection and events newest first under a day header', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openViewContainer(page, /Trail Lens/);
    await treeItem(page, /^default @ ap-northeast-1/).waitFor({ state: 'visible', timeout: 30_000 });
    const failed = treeItem(page, /^CreateBackupVault, .*failed with InvalidParameterValueException/);
    await failed.waitFor({ state: 'visible' });
    const names = await page.locator('.part.sidebar [role="treeitem"]').allInnerTexts();
    const flat = names.map((n) => n.replace(/\s+/g, ' ').trim());
    console.log(`rows: ${JSON.stringify(flat)}`);
    // Today, or Yesterday just after midnight UTC (the story is 20 minutes old).
    assert.match(flat[1], /^(Today|Yesterday) \d{4}-\d{2}-\d{2} UTC/);
    const backup = flat.findIndex((t) => t.startsWith('CreateBackupVault'));
    const kms = flat.findIndex((t) => t.startsWith('CreateKey'));
    assert.ok(backup > 1 && kms > backup, 'CreateBackupVault (newer) is above CreateKey');
    assert.match(flat[backup], /18 min ago · AWSCloudFormation · backup/);
    const message = page.locator('.part.sidebar .tree-explorer-viewlet-tree-view-message, .part.sidebar .message').first();
    // The message follows the rows by a render: poll rather than read once (slow machines).
    let text = '';
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      text = (await message.isVisible()) ? await message.innerText() : '';
      if (/^Last 90 days · 6 events loaded: .+ UTC$/.test(text)) break;
    }
    assert.match(text, /^Last 90 days · 6 events loaded: .+ UTC$/);
    console.log(`screenshot: ${await wb.screenshot('events-tree')}`);
  });

  test('hovering an event shows its request ID, source IP and error, with event text escaped', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const hover = page.locator('.monaco-hover-content, .workbench-hover').filter({ hasText: 'Request ID' }).first();
    // Tree hovers appear after a delay and only for a steady pointer: on a busy machine, hover again.
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(900, 500);
      await treeItem(page, /^CreateBackupVault/).hover();
      try {
        await hover.waitFor({ state: 'visible', timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    const text = await hover.innerText();
    assert.match(text, new RegExp(`Request ID: ${REQUEST_ID}`));
    assert.match(text, /Source IP: cloudformation\.amazonaws\.com/);
    assert.match(text, /Error code: InvalidParameterValueException/);
    // Attacker-controlled text stays text: no script element, asterisks not turned into bold.
    // (appendText keeps spaces as no-break spaces, hence \s)
    assert.match(text, /<script>alert\(1\)<\/script>\s\*\*not\sbold\*\*/);
    assert.equal(await hover.locator('script, strong:has-text("not bold")').count(), 0);
    console.log(`screenshot: ${await wb.screenshot('events-tree-hover')}`);
    await page.mouse.move(900, 500);
  });

  test('right-clicking an event offers open and copy actions', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await treeItem(page, /^CreateKey/).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu').first();
    await menu.waitFor({ state: 'visible' });
    const items = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    console.log(`context menu: ${JSON.stringify(items)}`);
    for (const label of ['Open Event', 'Open Event as JSON', 'Copy Request ID', 'Copy Event ID', 'Copy Record JSON']) {
      assert.ok(items.includes(label), `context menu lacks ${label}`);
    }
    await page.keyboard.press('Escape');
  });

  test('"Load older events…" appends the next page', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const more = treeItem(page, /^Load older events…/);
    await more.waitFor({ state: 'visible' });
    await more.click();
    const message = page.locator('.part.sidebar .tree-explorer-viewlet-tree-view-message, .part.sidebar .message').first();
    await page.waitForFunction((el) => /^Last 90 days · 10 events loaded/.test(el?.textContent ?? ''), await message.elementHandle(), {
      timeout: 20_000,
    });
    assert.equal(await treeItem(page, /^Load older events…/).count(), 0, 'no more pages after the last one');
    console.log(`screenshot: ${await wb.screenshot('events-tree-older')}`);
  });

  test('the EventSource picker completes what is typed and offers close matches for a typo', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await viewActions(page)
      .getByRole('button', { name: /Filter by Lookup Attribute/ })
      .click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('EventSource');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'EventSource' }).first().click();
    const focused = page.locator('.quick-input-list .monaco-list-row.focused');
    await input.fill('backup');
    await focused.filter({ hasText: 'backup.amazonaws.com' }).waitFor({ state: 'visible' });
    await input.fill('bakup');
    // The list follows the typing by a render: wait for the typo's own row before reading the list.
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: /^\s*bakup/ })
      .first()
      .waitFor({ state: 'visible' });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'backup.amazonaws.com' }).first().waitFor({ state: 'visible' });
    const rows = (await page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(
      rows.some((r) => r.startsWith('bakup')),
      `the text as typed stays a choice: ${JSON.stringify(rows)}`,
    );
    console.log(`screenshot: ${await wb.screenshot('filter-completion')}`);
    await input.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  });

  test('Choose Region… opens on the current Region', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    // The palette hands over to the Region picker (another quick input), so no wait for it to close.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Trail Lens: Choose Region');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Choose Region' }).first().waitFor({ state: 'visible' });
    await input.press('Enter');
    const focused = page.locator('.quick-input-list .monaco-list-row.focused');
    await focused.filter({ hasText: 'ap-northeast-1' }).waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget input').press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  });

  test('filtering by EventSource from the title bar narrows the tree and says so', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await viewActions(page)
      .getByRole('button', { name: /Filter by Lookup Attribute/ })
      .click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('EventSource');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'EventSource' }).first().click();
    // The value picker offers what was loaded; pick backup.amazonaws.com from it.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'backup.amazonaws.com' }).first().waitFor({ state: 'visible' });
    await input.fill('backup.amazonaws.com');
    await input.press('Enter');
    const message = page.locator('.part.sidebar .tree-explorer-viewlet-tree-view-message, .part.sidebar .message').first();
    await page.waitForFunction(
      (el) => /^Last 90 days · EventSource = backup\.amazonaws\.com · 1 event loaded: .+ UTC$/.test(el?.textContent ?? ''),
      await message.elementHandle(),
      { timeout: 20_000 },
    );
    assert.equal(await treeItem(page, /^CreateKey/).count(), 0);
    await treeItem(page, /^CreateBackupVault/).waitFor({ state: 'visible' });
    // The clear-filter action appears only while a filter is active.
    await viewActions(page)
      .getByRole('button', { name: /Clear Filter/ })
      .waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('events-tree-filtered')}`);
  });

  test('the connection row opens profile and Region pickers; an SSO profile without a token offers sign-in', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await treeItem(page, /^default @ ap-northeast-1/).click();
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'sso-dev' }).first().waitFor({ state: 'visible' });
    const profiles = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    console.log(`profiles: ${JSON.stringify(profiles)}`);
    assert.ok(
      profiles.some((t) => /^sso-dev\s*SSO/.test(t)),
      'the SSO profile is marked',
    );
    assert.ok(profiles.some((t) => /^Sample account/.test(t)));
    await rows.filter({ hasText: 'sso-dev' }).first().click();
    // Region picker: the profile's own Region first.
    await rows.first().filter({ hasText: 'us-east-1' }).waitFor({ state: 'visible' });
    assert.match((await rows.first().innerText()).replace(/\s+/g, ' '), /us-east-1.*profile's default/);
    console.log(`screenshot: ${await wb.screenshot('connection-region-picker')}`);
    await rows.first().click();
    await treeItem(page, /^sso-dev @ us-east-1/).waitFor({ state: 'visible', timeout: 20_000 });
    const signIn = treeItem(page, /^Sign in: aws sso login --profile sso-dev/);
    await signIn.waitFor({ state: 'visible' });
    await page.locator('.part.statusbar').getByText('sso-dev @ us-east-1').waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('connection-sso-expired')}`);
    await signIn.click();
    // The command runs in a terminal the person can watch (and closes to retry).
    await page.locator('.terminal-wrapper, .xterm').first().waitFor({ state: 'visible', timeout: 20_000 });
    // The terminal draws on a canvas: the stand-in CLI records its arguments in a file instead.
    const deadline = Date.now() + 20_000;
    while (!existsSync(calls) && Date.now() < deadline) await page.waitForTimeout(200);
    await page.waitForTimeout(500);
    console.log(`screenshot: ${await wb.screenshot('connection-sso-terminal')}`);
    assert.ok(existsSync(calls), 'the terminal did not run the aws CLI');
    assert.equal(readFileSync(calls, 'utf8').trim(), 'sso login --profile sso-dev');
  });
});
