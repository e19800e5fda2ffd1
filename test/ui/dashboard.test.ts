/**
 * The error-summary dashboard on the sample account (TRAIL_LENS_SAMPLE=1, no AWS): open it from the
 * palette over the Events view's last 12 hours (one of AWS Config's S3 sweeps), load the rest of
 * the range, see the Config NotFound noise lead with noise rules off and a clean picture with them
 * on, include what they hide again, click an error code → the Events view is filtered to it; the
 * dashboard in light, dark and high-contrast themes (screenshots under .test-artifacts/ui/).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { openViewContainer, openWorkbench, runCommand, visibleWebview, type Workbench } from '../harness/ui';

/** Codes only AWS Config's recorder produces in the sample account (its service-linked role's NotFound calls). */
const CONFIG_ONLY = [
  'ReplicationConfigurationNotFoundError',
  'ObjectLockConfigurationNotFoundError',
  'NoSuchCORSConfiguration',
  'NoSuchWebsiteConfiguration',
];

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const topCodes = (frame: FrameLocator) => frame.locator('.top-errorCode table tbody td.key').allInnerTexts();

describe('error-summary dashboard (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let root = '';
  let workspace = '';

  /** Workspace settings: the extension and the theme follow them as they change. */
  function setWorkspaceSettings(settings: Record<string, unknown>): void {
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  }

  before(async () => {
    if (skip) return;
    root = mkdtempSync(join(tmpdir(), 'trail-lens-dashboard-ui-'));
    workspace = join(root, 'workspace');
    const home = join(root, 'home');
    mkdirSync(home, { recursive: true });
    setWorkspaceSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
    const scrub = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith('AWS_'))
        .map((k) => [k, undefined]),
    );
    wb = await openWorkbench({
      workspace,
      env: { ...scrub, HOME: home, TRAIL_LENS_SAMPLE: '1', AWS_EC2_METADATA_DISABLED: 'true' },
      settings: { 'trailLens.timeRange': '12h', 'trailLens.noise.hideServiceLinkedRoles': false },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function dashboard(page: Page): Promise<FrameLocator> {
    const frame = visibleWebview(page);
    await frame.locator('.summary-header').waitFor({ state: 'visible', timeout: 30_000 });
    return frame;
  }

  test('rules off: the whole 12 hours loaded, AWS Config NotFound codes top the error codes', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openViewContainer(page, /Trail Lens/);
    await page
      .locator('.part.sidebar')
      .getByRole('treeitem', { name: /^sample account/i })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, 'Trail Lens: Show Error Summary');
    const frame = await dashboard(page);
    const loadAll = frame.getByRole('button', { name: 'Load the Rest of the Range' });
    await until('the first page summarised', async () => (await frame.locator('#totals').innerText()).includes('summarised'));
    if (await loadAll.isVisible()) await loadAll.click();
    // 12 hours of the sample are about 15 pages at LookupEvents' 2 requests a second.
    await until(
      'the rest of the range loaded',
      async () => !(await loadAll.isVisible()) && (await frame.locator('.top-errorCode').count()) === 1,
      120_000,
    );
    assert.match(await frame.locator('#noise').innerText(), /No noise rules are on/);
    const codes = await topCodes(frame);
    console.log(`rules off: ${JSON.stringify(codes.slice(0, 6))}`);
    // Config's NotFound noise is at the top; at some hours the workloads' ResourceNotFoundException edges past it.
    const config = (c: string) => CONFIG_ONLY.includes(c) || c === 'NoSuchBucketPolicy';
    assert.ok(codes.slice(0, 2).some(config), `Config noise is at the top: ${codes.slice(0, 2).join(', ')}`);
    assert.ok(
      CONFIG_ONLY.every((c) => codes.includes(c)),
      'every Config-only code is listed',
    );
    await frame.locator('.top-errorCode').scrollIntoViewIfNeeded();
    console.log(`screenshot: ${await wb.screenshot('dashboard-noise-off')}`);
  });

  test('rules on: the Config codes are gone and the hidden count is stated; including them brings them back', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    setWorkspaceSettings({ 'workbench.colorTheme': 'Default Dark Modern', 'trailLens.noise.hideServiceLinkedRoles': true });
    const frame = await dashboard(page);
    await until(
      'the noise rule applied',
      async () => /Noise rules on: .*service-linked roles/.test(await frame.locator('#noise').innerText()),
      30_000,
    );
    assert.match(await frame.locator('#noise').innerText(), /— \d+ failed calls hidden\./);
    const clean = await topCodes(frame);
    console.log(`rules on: ${JSON.stringify(clean.slice(0, 6))}`);
    for (const code of CONFIG_ONLY) assert.ok(!clean.includes(code), `${code} hidden`);
    await frame.locator('.summary-header').scrollIntoViewIfNeeded();
    console.log(`screenshot: ${await wb.screenshot('dashboard-noise-on')}`);
    await frame.locator('#include-hidden').check();
    await until('hidden events included', async () => (await topCodes(frame)).some((c) => CONFIG_ONLY.includes(c)), 30_000);
    await frame.locator('#include-hidden').uncheck();
    await until('hidden events left out again', async () => !(await topCodes(frame)).some((c) => CONFIG_ONLY.includes(c)), 30_000);
  });

  test('clicking an error code filters the Events view to it', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const frame = await dashboard(page);
    const code = (await topCodes(frame))[0];
    await frame.locator('.top-errorCode svg g[role="button"]').first().click();
    const pattern = `{ $.errorCode = "${code}" }`;
    const message = page.locator('.part.sidebar .tree-explorer-viewlet-tree-view-message, .part.sidebar .message').first();
    await until(`the Events view filtered by ${pattern}`, async () => (await message.innerText()).includes(pattern), 30_000);
    const rows = page.locator('.part.sidebar [role="treeitem"]', { hasText: /ago ·/ });
    await until('filtered rows', async () => (await rows.count()) > 0, 30_000);
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    console.log(`filtered: ${texts.length} rows, e.g. ${JSON.stringify(texts[0])}`);
    assert.ok(
      texts.every((t) => t.includes(code)),
      `every row shows ${code}`,
    );
    await until(
      'the dashboard summarises what the pattern keeps',
      async () => /\(\d+ match the view's filter pattern\)/.test(await frame.locator('#totals').innerText()),
      30_000,
    );
    console.log(`screenshot: ${await wb.screenshot('dashboard-filtered')}`);
  });

  for (const [name, theme, kind] of [
    ['light', 'Default Light Modern', 'vscode-light'],
    ['dark', 'Default Dark Modern', 'vscode-dark'],
    ['hc', 'Default High Contrast', 'vscode-high-contrast'],
  ] as const) {
    test(`the dashboard in the ${name} theme`, { skip }, async () => {
      assert.ok(wb);
      const { page } = wb;
      setWorkspaceSettings({ 'workbench.colorTheme': theme, 'trailLens.noise.hideServiceLinkedRoles': false });
      await page.locator('.tabs-container .tab', { hasText: 'Error Summary' }).click();
      const frame = await dashboard(page);
      await until(
        `the ${theme} theme`,
        async () => (await frame.locator('body').getAttribute('class'))?.split(' ').includes(kind) === true,
        30_000,
      );
      await until(
        'the summary of every event',
        async () => (await frame.locator('#noise').innerText()).includes('No noise rules are on'),
        30_000,
      );
      await frame.locator('.top-errorCode').scrollIntoViewIfNeeded();
      await page.mouse.move(5, 5);
      console.log(`screenshot: ${await wb.screenshot(`dashboard-${name}`)}`);
    });
  }
});
