/**
 * Trail log files as the Events view's source, as a person uses them (code-server + Chromium):
 * the sample account's logs written in the trail layout into the workspace (plus one .json.gz cut
 * short) opened from the Explorer's context menu, account → Region → day expanded, the bad file
 * named in its row while the day's other events show, a filter pattern's "N shown of M", an event
 * opened with "from trail log files <file>" in the panel's header; then the same sample account in
 * an S3 bucket (s3rver through the real @aws-sdk/client-s3, endpoint from AWS_ENDPOINT_URL_S3)
 * opened with Open Trail Bucket…, and back to event history with Choose Event Source….
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { generateSampleAccount, writeTrailLogs, type SampleAccount } from '../../src/sample/account';
import { TRAIL_BUCKET, TRAIL_PREFIX, startTestS3, type TestS3 } from '../harness/s3Server';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import {
  clickContextMenuItem,
  openViewContainer,
  openWorkbench,
  runCommand,
  treeItem,
  viewActions,
  visibleWebview,
  type Workbench,
} from '../harness/ui';

const LOGS = 'trail-logs';
const TRUNCATED = 'TRUNCATEDFILE0001';

/** Accessible names of the side bar's tree rows. */
async function rowNames(page: Page): Promise<string[]> {
  return page.locator('.part.sidebar [role="treeitem"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

/** Clicks a collapsed tree row until it says it is expanded (a click on a slow machine can land mid-render). */
async function expand(page: Page, name: RegExp): Promise<void> {
  const row = treeItem(page, name).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  for (const deadline = Date.now() + 30_000; (await row.getAttribute('aria-expanded')) !== 'true';) {
    if (Date.now() > deadline) assert.fail(`${name} did not expand`);
    await row.click();
    await page
      .waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 5_000 })
      .catch(() => undefined);
  }
}

/** Runs a palette command that opens a quick pick of its own, and waits for that pick (by its title). */
async function commandWithPick(page: Page, command: string, pickTitle: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${command}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: pickTitle }).waitFor({ state: 'visible', timeout: 60_000 });
}

/**
 * Clicks the view's Filter Events by Pattern… action (with a day row focused, which VS Code passes
 * to the command) until its picker shows: the title bar is redrawn as the tree changes.
 */
async function openPatternPicker(page: Page): Promise<Locator> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    await viewActions(page)
      .getByRole('button', { name: /Filter Events by Pattern/ })
      .click();
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      return input;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/** Runs a step; when it fails, the screen is saved as `<name>-failed` before the error goes on. */
async function step(wb: Workbench, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    console.log(`screenshot of the failure: ${await wb.screenshot(`${name}-failed`)}`);
    throw err;
  }
}

/** The newest delivery day (`YYYY/MM/DD` parts) of a Region folder. */
async function newestDay(regionDir: string): Promise<string[]> {
  const y = (await readdir(regionDir)).sort().at(-1) as string;
  const m = (await readdir(join(regionDir, y))).sort().at(-1) as string;
  const d = (await readdir(join(regionDir, y, m))).sort().at(-1) as string;
  return [y, m, d];
}

/** Opens the first event row under the expanded day and waits for the panel's header to name its source. */
async function openFirstEvent(page: Page, where: RegExp): Promise<string> {
  const event = page
    .locator('.part.sidebar [role="treeitem"]')
    .filter({ has: page.locator('.codicon-edit, .codicon-eye, .codicon-error') });
  const names = (await rowNames(page)).filter((n) => / ago, | just now, /.test(n));
  assert.ok(names.length > 0, 'event rows are shown');
  await event.first().click();
  const header = visibleWebview(page).getByText(where).first();
  await header.waitFor({ state: 'visible', timeout: 30_000 });
  return header.innerText();
}

describe('Trail log files as the event source (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let s3: TestS3 | undefined;
  let account: SampleAccount;
  let bucketAccount: SampleAccount;
  let day: string[] = [];

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    account = generateSampleAccount({ now: new Date(), days: 2 });
    const root = join(world.workspace, LOGS);
    await writeTrailLogs(account, root);
    const regionDir = join(root, 'AWSLogs', account.accountId, 'CloudTrail', account.region);
    day = await newestDay(regionDir);
    const dayDir = join(regionDir, ...day);
    const first = (await readdir(dayDir)).find((n) => n.endsWith('.json.gz')) as string;
    const body = await readFile(join(dayDir, first));
    await writeFile(
      join(dayDir, `${account.accountId}_CloudTrail_${account.region}_${day.join('')}T2359Z_${TRUNCATED}.json.gz`),
      body.subarray(0, Math.floor(body.length / 2)),
    );
    bucketAccount = generateSampleAccount({ now: new Date(), days: 1 });
    s3 = await startTestS3(bucketAccount);
    wb = await openWorkbench({
      workspace: world.workspace,
      // s3rver takes only its own access key; the fake CloudTrail takes any.
      env: { ...world.env, AWS_ENDPOINT_URL_S3: s3.url, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
      settings: { 'trailLens.endpointUrl': world.fakeUrl, 'workbench.colorTheme': 'Light 2026' },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await s3?.stop();
    await world?.dispose();
  });

  test(
    'a folder of trail logs from the Explorer: account → Region → day, the bad file named, a pattern, an event from its file',
    { skip },
    async () => {
      assert.ok(wb);
      const { page } = wb;
      await step(wb, 'trail-files-open', async () => {
        // The extension is up once its Events view shows the connection row.
        await openViewContainer(page, /Trail Lens/);
        await treeItem(page, /AWS connection/).waitFor({ state: 'visible', timeout: 60_000 });
        await runCommand(page, 'View: Show Explorer');
        const folder = page.locator('.part.sidebar .explorer-folders-view').getByRole('treeitem', { name: LOGS });
        await folder.waitFor({ state: 'visible', timeout: 30_000 });
        const item = page.locator('.context-view .action-item', { hasText: 'Open Trail Log Files…' }).first();
        for (let attempt = 0; ; attempt++) {
          await folder.click({ button: 'right' });
          await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'visible' });
          if (await item.isVisible().catch(() => false)) break;
          // The menu opened before the extension's contributions were read: close it and ask again.
          await page.keyboard.press('Escape');
          if (attempt >= 10) assert.fail('the Explorer context menu never offered Open Trail Log Files…');
          await page.waitForTimeout(1_000);
        }
        await clickContextMenuItem(page, 'Open Trail Log Files…');
        await treeItem(page, new RegExp(`^Trail log files: .*${LOGS}`)).waitFor({ state: 'visible', timeout: 60_000 });
      });
      const dayName = new RegExp(`^${day.join('-')}`);
      await step(wb, 'trail-files-expand', async () => {
        await expand(page, new RegExp(`^Account ${account.accountId}`));
        await expand(page, new RegExp(`^${account.region}$`));
        await expand(page, dayName);
        await treeItem(page, new RegExp(`^Could not read .*${TRUNCATED}\\.json\\.gz`)).waitFor({ state: 'visible', timeout: 60_000 });
        // The day's other files are read to the end: its row counts the events and the bad file.
        await treeItem(page, new RegExp(`^${day.join('-')}, [\\d,]+ events · 1 unreadable file$`)).waitFor({
          state: 'visible',
          timeout: 120_000,
        });
      });
      const bad = (await rowNames(page)).find((n) => n.includes(TRUNCATED)) as string;
      console.log(`bad file row: ${bad}`);
      assert.match(bad, /unexpected end|truncated|incomplete|end of (file|stream)/i);
      console.log(`screenshot: ${await wb.screenshot('trail-files-tree')}`);

      let eventName = '';
      await step(wb, 'trail-files-pattern', async () => {
        const first = (await rowNames(page)).find((n) => / ago, | just now, /.test(n)) as string;
        eventName = first.split(',')[0];
        const input = await openPatternPicker(page);
        await input.fill(`{ $.eventName = "${eventName}" }`);
        await input.press('Enter');
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
        await treeItem(page, new RegExp(`^${day.join('-')}, [\\d,]+ shown of [\\d,]+ events · 1 unreadable file$`)).waitFor({
          state: 'visible',
          timeout: 30_000,
        });
      });
      const events = (await rowNames(page)).filter((n) => / ago, | just now, /.test(n));
      assert.ok(events.length > 0);
      for (const n of events) assert.ok(n.startsWith(`${eventName},`), n);
      // The view's header says the source and the pattern.
      assert.ok((await page.locator(`.part.sidebar .pane-header[aria-label*="${LOGS}"]`).count()) > 0);
      console.log(`screenshot: ${await wb.screenshot('trail-files-pattern')}`);

      await step(wb, 'trail-files-panel', async () => {
        const header = await openFirstEvent(page, /from trail log files .*\.json\.gz/);
        assert.ok(header.includes(`${LOGS}/AWSLogs/${account.accountId}/CloudTrail/${account.region}/${day.join('/')}/`), header);
      });
      console.log(`screenshot: ${await wb.screenshot('trail-files-panel')}`);
      // Clear the pattern for the next test.
      const input = await openPatternPicker(page);
      await input.fill('');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Clear the pattern' }).first().click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    },
  );

  test('an S3 trail bucket from Open Trail Bucket…, and back to event history', { skip }, async () => {
    assert.ok(wb && s3);
    const { page } = wb;
    const url = `s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}/`;
    await step(wb, 'trail-bucket-open', async () => {
      await commandWithPick(page, 'Trail Lens: Open Trail Bucket…', 'Open Trail Bucket');
      const input = page.locator('.quick-input-widget input');
      await input.fill(url);
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'open this bucket and prefix' })
        .first()
        .waitFor({ state: 'visible' });
      await input.press('Enter');
      await treeItem(page, new RegExp(`^S3 trail: ${url.replace(/[/.]/g, '\\$&')}`)).waitFor({ state: 'visible', timeout: 60_000 });
    });
    await step(wb, 'trail-bucket-expand', async () => {
      await expand(page, /^Account \d{12}/);
      await expand(page, /^ap-northeast-1$/);
      await expand(page, /^\d{4}-\d\d-\d\d(, |$)/);
      await treeItem(page, /^\d{4}-\d\d-\d\d, [\d,]+ events$/)
        .first()
        .waitFor({ state: 'visible', timeout: 120_000 });
    });
    console.log(`screenshot: ${await wb.screenshot('trail-bucket-tree')}`);
    await step(wb, 'trail-bucket-panel', async () => {
      const header = await openFirstEvent(page, /from trail log files s3:\/\/.*\.json\.gz/);
      assert.ok(header.includes(`s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}/AWSLogs/`), header);
    });
    console.log(`screenshot: ${await wb.screenshot('trail-bucket-panel')}`);
    await step(wb, 'trail-bucket-find', async () => {
      // An older event of the bucket, by its request ID: the fast path over every object.
      const target =
        bucketAccount.records.find((r) => r.requestID && r.awsRegion === 'us-east-1' && r.eventName === 'ConsoleLogin') ??
        bucketAccount.records.find((r) => r.requestID && r.awsRegion === 'us-east-1');
      assert.ok(target?.requestID);
      await commandWithPick(page, 'Trail Lens: Find Request ID in Trail Files…', 'Find Request ID in');
      const input = page.locator('.quick-input-widget input');
      await input.fill(target.requestID);
      await input.press('Enter');
      const view = visibleWebview(page);
      await view.getByText(target.requestID).first().waitFor({ state: 'visible', timeout: 60_000 });
      await view
        .getByText(/from trail log files s3:\/\/.*\/us-east-1\/.*\.json\.gz/)
        .first()
        .waitFor({ state: 'visible' });
      await page.locator('.statusbar', { hasText: `Found request ID ${target.requestID}` }).waitFor({ state: 'visible', timeout: 10_000 });
    });
    console.log(`screenshot: ${await wb.screenshot('trail-bucket-find')}`);
    await step(wb, 'trail-source-back', async () => {
      await openViewContainer(page, /Trail Lens/);
      await commandWithPick(page, 'Trail Lens: Choose Event Source…', 'Choose Event Source');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Event history (LookupEvents)' }).first();
      await row.waitFor({ state: 'visible' });
      // Both opened sources are offered.
      for (const s of [LOGS, url]) assert.ok((await page.locator('.quick-input-list .monaco-list-row', { hasText: s }).count()) > 0, s);
      await row.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await treeItem(page, /^S3 trail:/).waitFor({ state: 'detached', timeout: 30_000 });
      // The LookupEvents tree is back, with its time-range action.
      await viewActions(page)
        .getByRole('button', { name: /Set Time Range/ })
        .waitFor({ state: 'visible', timeout: 30_000 });
    });
  });
});
