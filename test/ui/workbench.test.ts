/**
 * UI smoke test: the real workbench (code-server + Chromium) with the repo's extension loaded,
 * opened the way a person would: click the Trail Lens activity-bar icon and see its Events view.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import { openViewContainer, openWorkbench, type Workbench } from '../harness/ui';

describe('workbench', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;

  before(async () => {
    if (skip) return;
    // The suite's world: temp HOME with dummy AWS profiles, the fake endpoint, the demo workspace.
    world = await prepareSuiteEnvironment();
    const t0 = Date.now();
    wb = await openWorkbench({
      workspace: world.workspace,
      env: world.env,
      settings: { 'trailLens.endpointUrl': world.fakeUrl },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
    console.log(`workbench up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  test('the Trail Lens activity-bar view opens with its Events view', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openViewContainer(page, /Trail Lens/);
    const sidebar = page.locator('.part.sidebar');
    // A container with a single view folds the view's header into the side bar title.
    const title = sidebar.locator('.composite.title');
    await title.waitFor({ state: 'visible' });
    const view = sidebar.locator('.pane-header[aria-label="Events Section"]');
    await view.waitFor({ state: 'attached' });
    const body = sidebar.locator('.pane-body').first();
    await body.waitFor({ state: 'visible' });
    // Let the view render its first state (events, an error or the welcome content) before the picture.
    await page.waitForTimeout(2500);
    const rows = await sidebar.getByRole('treeitem').allInnerTexts();
    console.log(`Events view rows: ${rows.length}${rows.length ? ` (first: ${JSON.stringify(rows[0])})` : ''}`);
    const shot = await wb.screenshot('workbench-trail-lens-view');
    console.log(`screenshot: ${shot}`);
    console.log(`side bar title: ${JSON.stringify(await title.innerText())}`);
    assert.match(await title.innerText(), /TRAIL LENS/i);
    assert.equal(await view.count(), 1, 'exactly one Events view in the Trail Lens container');
    const tab = page.locator('.activitybar').getByRole('tab', { name: /Trail Lens/ });
    assert.equal(await tab.getAttribute('aria-selected'), 'true');
  });
});
