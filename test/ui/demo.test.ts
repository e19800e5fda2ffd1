/**
 * The demo's first minutes (code-server + Chromium), as `npm start` sets it up: the demo workspace
 * on the sample account (TRAIL_LENS_SAMPLE=1, no AWS at all). On the first start deploy.log is open
 * at the error line with the walkthrough beside it; the walkthrough's buttons run the jump and the
 * value-following; the Events view's title offers the failed call; a second start leaves the
 * layout alone.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { loadSampleAccount, writeDemoWorkspace } from '../../scripts/workbench/demoWorkspace';
import type { DemoMarker } from '../../src/extension/walkthrough/demoMarker';
import { openViewContainer, openWorkbench, reloadWindow, runCommand, treeItem, type Workbench, viewActions } from '../harness/ui';

function visibleWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** The walkthrough editor (Getting Started) showing the demo walkthrough. */
function walkthrough(page: Page) {
  return page.locator('.gettingStartedContainer');
}

/** Expands a walkthrough step by its title and clicks its button. */
async function runStep(page: Page, stepTitle: string, button: string): Promise<void> {
  const wt = walkthrough(page);
  await wt.locator('button.getting-started-step', { hasText: stepTitle }).first().click();
  const b = wt.getByRole('button', { name: button }).first();
  await b.waitFor({ state: 'visible' });
  await b.click();
}

describe('demo: first start on the sample account (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let root = '';
  let marker: DemoMarker | undefined;

  before(async () => {
    if (skip) return;
    root = mkdtempSync(join(tmpdir(), 'trail-lens-demo-ui-'));
    const workspace = join(root, 'demo-workspace');
    const home = join(root, 'home');
    mkdirSync(home, { recursive: true });
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    marker = writeDemoWorkspace(workspace, loadSampleAccount(now));
    const scrub = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith('AWS_'))
        .map((k) => [k, undefined]),
    );
    wb = await openWorkbench({
      workspace,
      // What scripts/start.ts gives the extension on a machine without AWS.
      env: { ...scrub, HOME: home, TRAIL_LENS_SAMPLE: '1', TRAIL_LENS_SAMPLE_NOW: now.toISOString(), AWS_EC2_METADATA_DISABLED: 'true' },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    if (root && process.env.TRAIL_LENS_KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true });
  });

  test('the first start shows deploy.log at the error line and the walkthrough beside it', { skip }, async () => {
    assert.ok(wb && marker);
    const { page } = wb;
    await page.locator('.tabs-container .tab.active', { hasText: 'deploy.log' }).waitFor({ state: 'visible', timeout: 60_000 });
    await walkthrough(page).getByText('from a Failed Deployment to Its Cause').first().waitFor({ state: 'visible' });
    await page.waitForTimeout(1000);
    console.log(`screenshot: ${await wb.screenshot('demo-first-start')}`);
    // The error line is on screen with its request ID selected, in the first group; the walkthrough is the second.
    const groups = page.locator('.editor-group-container');
    assert.equal(await groups.count(), 2, 'log and walkthrough side by side');
    const logGroup = groups.nth(0);
    // Monaco renders spaces as U+00A0 and may wrap the line: look for the ID itself.
    await logGroup.locator('.view-lines', { hasText: marker.requestId.slice(0, 8) }).waitFor({ state: 'visible' });
    assert.ok((await logGroup.locator('.selected-text').count()) > 0, 'the request ID is selected');
    await logGroup.locator('.line-numbers.active-line-number', { hasText: String(marker.errorLine + 1) }).waitFor({ state: 'visible' });
    // The Events view is shown on the sample account, with the shortcut to the failed call in its title.
    await treeItem(page, /^Sample account @ /).waitFor({ state: 'visible', timeout: 60_000 });
    await viewActions(page).locator('[aria-label="Go to the Demo\'s Failed Call"]').first().waitFor({ state: 'visible' });
  });

  test("the walkthrough's jump button opens the failed CreateBackupVault", { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runStep(page, 'Jump to the event', 'Go to Event for Request ID');
    const view = visibleWebview(page);
    await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 60_000 });
    await view.getByText('encryptionKeyArn').first().waitFor({ state: 'visible' });
    await page
      .locator('.tabs-container .tab', { hasText: /^CreateBackupVault · / })
      .first()
      .waitFor({ state: 'visible' });
    // Beside the log, in the walkthrough's group: not a third column.
    assert.equal(await page.locator('.editor-group-container').count(), 2, 'two editor groups');
    console.log(`screenshot: ${await wb.screenshot('demo-jump')}`);
  });

  test("the walkthrough's follow button leads from encryptionKeyArn to the CreateKey", { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first().click();
    // The same "Where did this value come from?" as the flag's button: the producer opens, no pick.
    await runStep(page, 'Follow encryptionKeyArn', 'Where Did This Value Come From?');
    await page
      .locator('.tabs-container .tab', { hasText: /^CreateKey · / })
      .first()
      .waitFor({ state: 'visible' });
    await visibleWebview(page).getByText('keyMetadata').first().waitFor({ state: 'visible' });
    await visibleWebview(page).locator('.followed-note .followed-arn').waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('demo-followed')}`);
  });

  test("the Events view's title button goes to the failed call", { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    await openViewContainer(page, /Trail Lens/);
    await viewActions(page).locator('[aria-label="Go to the Demo\'s Failed Call"]').first().click();
    await visibleWebview(page).getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.tabs-container .tab', { hasText: 'deploy.log' }).first().waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('demo-view-shortcut')}`);
  });

  test('a second start leaves the layout alone (introduced once per workspace)', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    await reloadWindow(page);
    // The extension is active again (its status-bar item shows the sample from startup on), and
    // had time to open what it would. (The side bar may come back closed after a reload.)
    await page
      .locator('.part.statusbar')
      .getByText(/Sample account @ /)
      .waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(3000);
    console.log(`screenshot: ${await wb.screenshot('demo-second-start')}`);
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'deploy.log' }).count(), 0, 'deploy.log reopened');
    assert.equal(await walkthrough(page).count(), 0, 'the walkthrough reopened');
  });
});
