/**
 * UI smoke test: the real workbench (code-server + Chromium) with the repo's extension loaded,
 * opened the way a person would: click the Trail Lens activity-bar icon and see its Events view.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toolchainOrSkip } from '../harness/bootstrap';
import { writeDemoWorkspace } from '../harness/demoWorkspace';
import { openViewContainer, openWorkbench, type Workbench } from '../harness/ui';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('workbench', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let workspace = '';

  before(async () => {
    if (skip) return;
    workspace = mkdtempSync(join(tmpdir(), 'trail-lens-ui-'));
    await writeDemoWorkspace(workspace);
    const t0 = Date.now();
    wb = await openWorkbench({ workspace, toolchain: 'toolchain' in tc ? tc.toolchain : undefined });
    console.log(`workbench up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    await wb?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
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
    // Let the view render its first state (tree or welcome content) before the picture.
    await page.waitForTimeout(1000);
    const shot = await wb.screenshot('workbench-trail-lens-view');
    console.log(`screenshot: ${shot}`);
    console.log(`side bar title: ${JSON.stringify(await title.innerText())}`);
    assert.match(await title.innerText(), /TRAIL LENS/i);
    assert.equal(await view.count(), 1, 'exactly one Events view in the Trail Lens container');
    const tab = page.locator('.activitybar').getByRole('tab', { name: /Trail Lens/ });
    assert.equal(await tab.getAttribute('aria-selected'), 'true');
  });
});
