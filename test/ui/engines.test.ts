/**
 * The request-ID jump on the engines over the trail, as a person uses it (code-server + Chromium), on
 * the sample account: the fake CloudTrail serves event history, and the test starts the fake Athena
 * (DuckDB runs the generated SQL over the same records) and the fake CloudWatch Logs, with settings
 * naming the table and the log group. The sample's S3 GetObject is a data event, which LookupEvents
 * leaves out: the jump misses, the not-found message offers "Search Athena", the review shows the
 * SQL, Run opens the event "from Athena default.cloudtrail_logs"; the same through More… for
 * CloudWatch Logs and CloudTrail Lake (the fake CloudTrail serves Lake too); and the export log's
 * line, which names GetObject, goes straight to the trail files (the sample's, written to a folder).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { startSampleEngines, type SampleEngines } from '../../scripts/workbench/sampleEngines';
import { DATA_EVENT_REQUEST_ID, writeTrailLogs, type SampleAccount } from '../../src/sample/account';
import { FAKE_EVENT_DATA_STORE_ID } from '../fake-cloudtrail/lake';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import {
  clickContextMenuItem,
  notificationItem,
  notifications,
  openFile,
  openWorkbench,
  rightClickEditorText,
  runCommand,
  waitForWebviewText,
  type Workbench,
} from '../harness/ui';

const ID = DATA_EVENT_REQUEST_ID;

/** Runs a command from the palette whose answer is an input of its own (runCommand waits for the palette to close). */
async function paletteCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // Right after start the palette may not list the extension's commands yet: open it again until it does.
  const deadline = Date.now() + 90_000;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first();
    if (
      await row.waitFor({ state: 'visible', timeout: 10_000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`the command palette does not list "${title}"`);
    await page.keyboard.press('Escape');
  }
  await input.press('Enter');
}

/** "Go to Event for Request ID" from the palette, the text typed into its input box. */
async function jumpFromBox(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await paletteCommand(page, 'Trail Lens: Go to Event for Request ID');
  // The palette closes and the command's own input box opens: wait for its title before typing.
  await page.locator('.quick-input-title', { hasText: 'Go to Event for Request ID' }).waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
}

/** The review dialog (a modal), once it shows `text`. */
async function reviewDialog(page: Page, text: string): Promise<Locator> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  return dialog;
}

describe('Request-ID jump on the engines (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let engines: SampleEngines | undefined;
  /** The refused GetObject as an SDK without the operation's name would log it: nothing in it says "data event". */
  let bareLine = '';
  let trailDir = '';

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment({ lake: true });
    const record = world.records.find((r) => r.requestID === ID);
    assert.ok(record, 'the sample account holds the data event');
    bareLine = `${record.eventTime} ERROR [orders-export] Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: ${ID})`;
    engines = await startSampleEngines(world.records, 'ap-northeast-1');
    // The same records as the trail delivered them, in a local folder: the trail source.
    trailDir = join(world.root, 'trail');
    const oldest = world.records[world.records.length - 1];
    const account = { accountId: '123456789012', region: 'ap-northeast-1', records: world.records, start: new Date(oldest.eventTime) };
    await writeTrailLogs(account as SampleAccount, trailDir);
    wb = await openWorkbench({
      workspace: world.workspace,
      env: { ...world.env, ...engines.env },
      settings: {
        'trailLens.endpointUrl': world.fakeUrl,
        ...engines.settings,
        'trailLens.lake.eventDataStore': FAKE_EVENT_DATA_STORE_ID,
        'trailLens.trailFiles.sources': [trailDir],
      },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await engines?.close();
    await world?.dispose();
  });

  test('a miss in event history offers Search Athena; the review shows the SQL; Run opens the event from Athena', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await jumpFromBox(page, bareLine);
    const item = await notificationItem(page, `No event with request ID ${ID} in ap-northeast-1`);
    const button = item.getByRole('button', { name: 'Search Athena' });
    await button.waitFor({ state: 'visible' });
    assert.match(await item.innerText(), /EventSource = s3\.amazonaws\.com/, 'says what event history searched');
    console.log(`screenshot: ${await wb.screenshot('engines-not-found')}`);

    await button.click();
    const dialog = await reviewDialog(page, `Search Athena for request ${ID}?`);
    const review = await dialog.innerText();
    assert.match(review, /Athena table default\.cloudtrail_logs in ap-northeast-1, workgroup primary/);
    assert.match(review, new RegExp(`requestid = '${ID}'`), 'the SQL is shown');
    assert.match(review, /"timestamp" BETWEEN '\d{4}\/\d\d\/\d\d' AND '\d{4}\/\d\d\/\d\d'/, 'with its partition predicate');
    assert.match(review, /\$5 per TB scanned/);
    console.log(`screenshot: ${await wb.screenshot('engines-review-athena')}`);
    await dialog.getByRole('button', { name: 'Run' }).click();

    await waitForWebviewText(page, 'from Athena default.cloudtrail_logs');
    await waitForWebviewText(page, 'GetObject');
    await waitForWebviewText(page, 'AccessDenied');
    console.log(`screenshot: ${await wb.screenshot('engines-athena-panel')}`);
  });

  test('More… → Search CloudWatch Logs: the filter pattern for review, Run opens the event from the log group', { skip }, async () => {
    assert.ok(wb && engines);
    const { page } = wb;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await jumpFromBox(page, bareLine);
    const item = await notificationItem(page, `No event with request ID ${ID} in ap-northeast-1`);
    await item.getByRole('button', { name: 'More…' }).click();
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Search CloudWatch Logs' }).first();
    await row.waitFor({ state: 'visible' });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), new RegExp(`log group ${engines.logGroup}`), 'says which log group');
    await row.click();

    const dialog = await reviewDialog(page, `Search CloudWatch Logs for request ${ID}?`);
    const review = await dialog.innerText();
    assert.match(review, new RegExp(`CloudWatch Logs group ${engines.logGroup} in ap-northeast-1`));
    assert.ok(review.includes(`Filter pattern: { $.requestID = "${ID}" }`), review);
    console.log(`screenshot: ${await wb.screenshot('engines-review-logs')}`);
    await dialog.getByRole('button', { name: 'Run' }).click();

    await waitForWebviewText(page, `from CloudWatch Logs ${engines.logGroup}`);
    console.log(`screenshot: ${await wb.screenshot('engines-logs-panel')}`);
  });

  test('More… → Search CloudTrail Lake: the Lake SQL for review, Run opens the event from the event data store', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await jumpFromBox(page, bareLine);
    const item = await notificationItem(page, `No event with request ID ${ID} in ap-northeast-1`);
    await item.getByRole('button', { name: 'More…' }).click();
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Search CloudTrail Lake' }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();

    const dialog = await reviewDialog(page, `Search CloudTrail Lake for request ${ID}?`);
    const review = await dialog.innerText();
    assert.match(review, new RegExp(`CloudTrail Lake event data store ${FAKE_EVENT_DATA_STORE_ID} in ap-northeast-1`));
    assert.match(review, new RegExp(`FROM ${FAKE_EVENT_DATA_STORE_ID}`), 'the Lake SQL is shown');
    assert.match(review, new RegExp(`requestID = '${ID}'`));
    console.log(`screenshot: ${await wb.screenshot('engines-review-lake')}`);
    await dialog.getByRole('button', { name: 'Run' }).click();

    await waitForWebviewText(page, `from CloudTrail Lake ${FAKE_EVENT_DATA_STORE_ID}`);
    console.log(`screenshot: ${await wb.screenshot('engines-lake-panel')}`);
  });

  test('a line naming GetObject (a data event) goes to the trail files straight away, without a LookupEvents miss', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, 'export-job.log');
    await rightClickEditorText(page, ID);
    await clickContextMenuItem(page, 'Go to Event for Request ID');
    // The trail source wins over the engines: free, and chosen by the person.
    await waitForWebviewText(page, /from trail log files .*123456789012_CloudTrail_ap-northeast-1_.*\.json\.gz/);
    const said = await notifications(page);
    assert.ok(!said.some((t) => t.includes('No event with request ID')), `no miss in event history first: ${JSON.stringify(said)}`);
    console.log(`screenshot: ${await wb.screenshot('engines-trail-panel')}`);
  });
  test(
    'Search Filter Pattern on an Engine: the pattern as SQL for review, the matches in the Investigation view, each from Athena',
    { skip },
    async () => {
      assert.ok(wb);
      const { page } = wb;
      await runCommand(page, 'Notifications: Clear All Notifications');
      const pattern = '{ $.eventName = "GetObject" && $.errorCode = "AccessDenied" }';
      await paletteCommand(page, 'Trail Lens: Search Filter Pattern on an Engine');
      const input = page.locator('.quick-input-widget input');
      await page.locator('.quick-input-title', { hasText: 'Search Filter Pattern on an Engine' }).waitFor({ state: 'visible' });
      await input.fill(pattern);
      await input.press('Enter');
      // Three engines are set up: the pick names each with where it searches.
      const athena = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Athena' }).first();
      await athena.waitFor({ state: 'visible' });
      assert.equal(await page.locator('.quick-input-list .monaco-list-row').count(), 3);
      await athena.click();
      const dialog = await reviewDialog(page, 'Search Athena for filter pattern');
      const review = await dialog.innerText();
      assert.match(review, /eventname = 'GetObject'/, 'the pattern as SQL');
      assert.match(review, /errorcode = 'AccessDenied'/);
      assert.match(review, /"timestamp" BETWEEN/, 'bounded by the day partition');
      console.log(`screenshot: ${await wb.screenshot('engines-pattern-review')}`);
      await dialog.getByRole('button', { name: 'Run' }).click();

      const row = page
        .locator('.part.sidebar')
        .getByRole('treeitem', { name: /^GetObject/ })
        .first();
      await row.waitFor({ state: 'visible', timeout: 60_000 });
      await page
        .locator('.part.sidebar')
        .getByRole('treeitem', { name: /events? match/ })
        .first()
        .waitFor({ state: 'visible' });
      console.log(`screenshot: ${await wb.screenshot('engines-pattern-results')}`);
      await row.click();
      await waitForWebviewText(page, 'from Athena default.cloudtrail_logs');
      await waitForWebviewText(page, ID);
    },
  );
});
