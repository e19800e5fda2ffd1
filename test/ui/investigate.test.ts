/**
 * The failed-deployment investigation with the investigation tools (code-server + Chromium): the failing
 * CreateBackupVault opened from deploy.log; "Related events" in its panel lists, in the Investigation
 * view, the CreateKey the same CloudFormation session made before it, the event itself marked;
 * two events selected there open in the diff editor; "Copy Event as Markdown" from the context menu.
 * Screenshots: .test-artifacts/ui/investigate-*.png.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import {
  clickContextMenuItem,
  openFile,
  openWorkbench,
  rightClickEditorText,
  visibleWebview,
  type Workbench,
  setSectionExpanded,
} from '../harness/ui';

/** A row of the Investigation view by its accessible name. */
function investigationRow(page: Page, name: RegExp): Locator {
  return page
    .locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Investigation' }) })
    .getByRole('treeitem', { name })
    .first();
}

/** Right-clicks a row and picks a menu entry, retrying while the menu is slow to list it. */
async function contextMenu(page: Page, row: Locator, label: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: label }).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt >= 3) throw err;
    }
  }
  await clickContextMenuItem(page, label);
}

describe('Investigation tools (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let requestId = '';

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    const log = readFileSync(join(world.workspace, 'deploy.log'), 'utf8');
    requestId = /Request ID: ([0-9a-f-]{36})/.exec(log)?.[1] ?? '';
    assert.ok(requestId);
    wb = await openWorkbench({
      workspace: world.workspace,
      env: world.env,
      settings: { 'trailLens.endpointUrl': world.fakeUrl, 'workbench.colorTheme': 'Default Light Modern' },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
    await wb.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  test('Related events from the failed CreateBackupVault: the CreateKey before it, the event marked', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openFile(page, 'deploy.log');
    await rightClickEditorText(page, requestId);
    await clickContextMenuItem(page, 'Go to Event for Request ID');
    const view = visibleWebview(page);
    await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 60_000 });
    await view.locator('.header-actions vscode-button', { hasText: 'Related events' }).click();

    const self = investigationRow(page, /^◆ this event, CreateBackupVault/);
    await self.waitFor({ state: 'visible', timeout: 60_000 });
    // Fold the Events section away to read the timeline, as a person would on a short side bar.
    await setSectionExpanded(page, 'Events', false);
    const key = investigationRow(page, /^−\d+ s, CreateKey/);
    await key.waitFor({ state: 'visible', timeout: 30_000 });
    const [selfAt, keyAt] = [Number(await self.getAttribute('data-index')), Number(await key.getAttribute('data-index'))];
    assert.ok(keyAt > selfAt, `newest first: the earlier CreateKey (row ${keyAt}) is listed below the event (row ${selfAt})`);
    // What was searched is said above the rows.
    await investigationRow(page, /^Searched 2 queries/).waitFor({ state: 'visible' });
    await page.mouse.move(5, 450);
    console.log(`screenshot: ${await wb.screenshot('investigate-related')}`);
  });

  test('two events selected in the Investigation view open in the diff editor', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const self = investigationRow(page, /^◆ this event, CreateBackupVault/);
    const key = investigationRow(page, /^−\d+ s, CreateKey/);
    await self.click();
    await key.click({ modifiers: ['Control'] });
    await page.locator('.part.sidebar .monaco-list-row.selected', { hasText: 'CreateKey' }).first().waitFor({ state: 'visible' });
    await contextMenu(page, key, 'Compare Selected Events');
    const tab = page.locator('.tabs-container .tab', { hasText: /CreateKey · .* ↔ CreateBackupVault · / }).first();
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible' });
    // The sides differ where the records do: the error only on the right.
    await diff
      .locator('.editor.modified', { hasText: 'InvalidParameterValueException' })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.mouse.move(5, 450);
    console.log(`screenshot: ${await wb.screenshot('investigate-compare')}`);
  });

  test('Copy Event as Markdown from the context menu', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const self = investigationRow(page, /^◆ this event, CreateBackupVault/);
    await self.click();
    await contextMenu(page, self, 'Copy Event as Markdown');
    await page.locator('.statusbar', { hasText: 'Copied event as Markdown' }).waitFor({ state: 'visible', timeout: 10_000 });
    // The page was granted clipboard access (before()), so the browser's clipboard is what VS Code wrote.
    const text = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(text, /^### Failed call: `CreateBackupVault`/);
    assert.match(text, /- \*\*Error code:\*\* `InvalidParameterValueException`/);
    assert.match(
      text,
      /\[open this event\]\(https:\/\/ap-northeast-1\.console\.aws\.amazon\.com\/cloudtrailv2\/home\?region=ap-northeast-1#\/events\//,
    );
    console.log(`screenshot: ${await wb.screenshot('investigate-markdown')}`);
  });
});
