/**
 * From a failed stack to the fixed template line, in code-server on the sample account, as a person
 * does it: the Stacks section lists orders-backup-prd first; expanding it shows the failed
 * BackupVault; one click opens CreateBackupVault in the event panel. Then template.yaml shows the
 * CodeLens on BackupVault and the error on `!Ref BackupKey`; the quick fix writes
 * `!GetAtt BackupKey.Arn`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { loadSampleAccount, writeDemoWorkspace } from '../../scripts/workbench/demoWorkspace';
import { DEMO_MARKER } from '../../src/extension/walkthrough/demoMarker';
import { openFile, openViewContainer, runCommand, treeItem, visibleWebview, type Workbench, openWorkbench } from '../harness/ui';

/** The Stacks section's pane in the Trail Lens side bar. */
function stacksPane(page: Page) {
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Stacks' }) });
}

/** The rendered text of the active editor, spaces normalised. */
async function editorText(page: Page): Promise<string> {
  const text = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Waits until `probe` holds, re-checking on a slow machine; fails with `what`. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Stacks: failed stack → CloudTrail event → template fix (UI, sample account)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let root = '';

  before(async () => {
    if (skip) return;
    root = mkdtempSync(join(tmpdir(), 'trail-lens-stacks-ui-'));
    const workspace = join(root, 'demo-workspace');
    const home = join(root, 'home');
    mkdirSync(home, { recursive: true });
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    writeDemoWorkspace(workspace, loadSampleAccount(now));
    // The demo's files without its marker: no walkthrough or deploy.log opening at start.
    rmSync(join(workspace, DEMO_MARKER));
    const scrub = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith('AWS_'))
        .map((k) => [k, undefined]),
    );
    wb = await openWorkbench({
      workspace,
      env: { ...scrub, HOME: home, TRAIL_LENS_SAMPLE: '1', TRAIL_LENS_SAMPLE_NOW: now.toISOString(), AWS_EC2_METADATA_DISABLED: 'true' },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
    // The extension is up on the sample account.
    await wb.page
      .locator('.part.statusbar')
      .getByText(/Sample account/)
      .waitFor({ state: 'visible', timeout: 60_000 });
  });

  after(async () => {
    await wb?.close();
    if (root && process.env.TRAIL_LENS_KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true });
  });

  test('the Stacks section lists the failed stack first; one click on BackupVault opens CreateBackupVault', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openViewContainer(page, /Trail Lens/);
    const pane = stacksPane(page);
    await pane.waitFor({ state: 'visible' });
    const header = pane.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const stack = treeItem(page, /^orders-backup-prd/);
    await stack.waitFor({ state: 'visible', timeout: 60_000 });
    // Failed and rolled-back stacks come first.
    const firstRow = pane.getByRole('treeitem').first();
    assert.match((await firstRow.innerText()).replace(/\s+/g, ' '), /ROLLBACK|FAILED/);
    await stack.click();
    const failure = treeItem(page, /^BackupVault AWS::Backup::BackupVault CREATE_FAILED/);
    await failure.waitFor({ state: 'visible', timeout: 90_000 });
    // The row's hover holds the status reason and what CloudTrail event was found.
    await failure.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Invalid Key provided by the user' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    console.log(`screenshot: ${await wb.screenshot('stacks-failed-resource')}`);
    await page.mouse.move(5, 5);

    await failure.click();
    await page
      .locator('.tabs-container .tab', { hasText: /^CreateBackupVault · / })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    const view = visibleWebview(page);
    await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 30_000 });
    await view.getByText('encryptionKeyArn').first().waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('stacks-event-opened')}`);
  });

  test('template.yaml: the CodeLens on BackupVault, the error on !Ref BackupKey, and the quick fix', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, 'template.yaml');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    // BackupVault is below the fold: Find brings its lines on screen, as a person would scroll.
    await editor.locator('.view-lines').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+F');
    const find = editor.locator('.find-widget textarea').first();
    await find.waitFor({ state: 'visible' });
    await find.fill('EncryptionKeyArn: !Ref');
    await find.press('Enter');
    await find.press('Escape');
    const lens = editor.locator('.codelens-decoration', { hasText: 'Open CloudTrail event (CreateBackupVault)' });
    await lens.waitFor({ state: 'visible', timeout: 90_000 });
    await editor
      .locator('.codelens-decoration', { hasText: 'CREATE_FAILED: Invalid Key provided by the user. %s' })
      .first()
      .waitFor({ state: 'visible' });
    await editor.locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.mouse.move(5, 5);
    console.log(`screenshot: ${await wb.screenshot('stacks-template-codelens')}`);
    // F8 goes to the problem and shows it under the line.
    await page.keyboard.press('F8');
    const marker = page.locator('.marker-widget');
    await marker.waitFor({ state: 'visible' });
    await until('the problem text in the marker widget', async () => /EncryptionKeyArn wants an ARN/.test(await marker.innerText()));
    console.log(`screenshot: ${await wb.screenshot('stacks-template-problem')}`);

    await page.keyboard.press('Escape');
    // Ctrl+. on the marked text; on a loaded machine the first press can come before the actions are
    // computed ("No code actions available"): press again until the fix is offered.
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Use !GetAtt BackupKey.Arn' }).first();
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.keyboard.press('Control+.');
      const shown = await fix.waitFor({ state: 'visible', timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      assert.ok(Date.now() < deadline, 'the quick fix was never offered');
      await page.keyboard.press('Escape');
    }
    console.log(`screenshot: ${await wb.screenshot('stacks-quick-fix-menu')}`);
    await fix.click();
    await until('the fixed line', async () => (await editorText(page)).includes('EncryptionKeyArn: !GetAtt BackupKey.Arn'));
    await until('the error to clear', async () => (await editor.locator('.squiggly-error').count()) === 0, 30_000);
    await page.mouse.move(5, 5);
    console.log(`screenshot: ${await wb.screenshot('stacks-template-fixed')}`);
  });
});
