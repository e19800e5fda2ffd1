/**
 * Create Athena Table for Trail… as a person runs it (code-server + Chromium): the palette command,
 * an s3:// location typed in, the table's name, the CREATE EXTERNAL TABLE in an editor for review
 * (accounts and Regions listed from a real S3-compatible server, s3rver), Run on Athena in the
 * notification, and the table run on the fake Athena (which checks Hive DDL as Athena does) and
 * kept in the settings. Screenshots: .test-artifacts/ui/athena-table-*.png.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { generateSampleAccount } from '../../src/sample/account';
import { startFakeAthena, type FakeAthena } from '../fake-cloudtrail/athena';
import { TRAIL_BUCKET, TRAIL_PREFIX, startTestS3, type TestS3 } from '../harness/s3Server';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import { notificationItem, openViewContainer, openWorkbench, type Workbench } from '../harness/ui';

describe('Create Athena Table for Trail (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let s3: TestS3 | undefined;
  let athena: FakeAthena | undefined;
  const account = generateSampleAccount({ now: new Date(), days: 2, eventsPerDay: 300 });

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    s3 = await startTestS3(account);
    athena = await startFakeAthena({ records: account.records, table: 'loaded_records' });
    wb = await openWorkbench({
      workspace: world.workspace,
      env: { ...world.env, AWS_ENDPOINT_URL_S3: s3.url, AWS_ENDPOINT_URL_ATHENA: athena.url },
      settings: { 'trailLens.endpointUrl': world.fakeUrl },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
    await s3?.stop();
    await athena?.close();
  });

  test(
    'reviews the DDL for the accounts and Regions in the bucket, runs it on Athena and keeps the table in the settings',
    { skip },
    async () => {
      assert.ok(wb && athena);
      const { page } = wb;
      // The extension is up once its Events view shows rows: its commands are in the palette from then on.
      await openViewContainer(page, /Trail Lens/);
      await page.locator('.part.sidebar').getByRole('treeitem').first().waitFor({ state: 'visible', timeout: 60_000 });
      // The palette, as runCommand does, but the command answers with a quick pick of its own.
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.fill('>Trail Lens: Create Athena Table for Trail');
      await page
        .locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Create Athena Table for Trail' })
        .waitFor({ state: 'visible' });
      await input.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter an s3:// location' }).click();
      await input.fill(`s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}`);
      await input.press('Enter');
      // The table's name, prefilled.
      await page.locator('.quick-input-widget', { hasText: "The new table's name" }).waitFor({ state: 'visible' });
      assert.equal(await input.inputValue(), 'cloudtrail_logs');
      await input.press('Enter');
      const editor = page.locator('.editor-instance .view-lines').first();
      await editor.filter({ hasText: 'CREATE EXTERNAL TABLE default.cloudtrail_logs' }).waitFor({ state: 'visible', timeout: 30_000 });
      const review = await notificationItem(page, 'Review the table default.cloudtrail_logs');
      assert.match(
        await review.innerText(),
        /Review the table default\.cloudtrail_logs for s3:\/\/trail-lens-logs\/org-trail \(1 account \(\d{12}\), 3 Regions/,
      );
      const run = review.locator('.monaco-button', { hasText: 'Run on Athena' });
      console.log(`screenshot: ${await wb.screenshot('athena-table-review')}`);
      assert.equal(athena.queries.length, 0, 'nothing runs before Run is chosen');

      await run.click();
      await notificationItem(page, 'Created default.cloudtrail_logs on Athena', {}, 30_000);
      console.log(`screenshot: ${await wb.screenshot('athena-table-created')}`);
      assert.deepEqual(
        athena.created.map((t) => t.name),
        ['cloudtrail_logs'],
      );
      assert.match(athena.queries[0], /^CREATE EXTERNAL TABLE default\.cloudtrail_logs \(/);
      const settings = JSON.parse(readFileSync(join(wb.workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(settings['trailLens.athena.table'], 'cloudtrail_logs');
      assert.equal(settings['trailLens.athena.database'], 'default');
    },
  );
});
