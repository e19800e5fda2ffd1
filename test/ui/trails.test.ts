/**
 * The Trails section as a person sees it on the sample account (code-server + Chromium): the
 * failing organisation trail first with its health, the badge on the Trail Lens activity-bar
 * icon, the view's message, and the hover with the explanation and the commands to run — in
 * light, dark and high-contrast themes. Screenshots: .test-artifacts/ui/trails-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { openViewContainer, openWorkbench, treeItem, type Workbench, setSectionExpanded } from '../harness/ui';

/** Preferences: Color Theme (Ctrl+K Ctrl+T), as a person picks one; waits until the workbench wears it. */
async function pickColorTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Control+t');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(theme);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: theme }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  const kind = theme.includes('High Contrast') ? 'hc-black' : theme.includes('Dark') ? 'vs-dark' : 'vs';
  await page.waitForFunction((name) => document.querySelector('.monaco-workbench')?.classList.contains(name) ?? false, kind, {
    timeout: 15_000,
  });
}

/** Hovers the trail row until its tooltip shows (tree hovers need a steady pointer; on a busy machine, hover again). */
async function hoverTrail(page: Page, row: RegExp, text: string): Promise<string> {
  const hover = page.locator('.monaco-hover-content, .workbench-hover').filter({ hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(1300, 650);
    await treeItem(page, row).first().hover();
    try {
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      return await hover.innerText();
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
}

/** Drags the side bar's edge (the sash) so the rows' descriptions fit, as a person would; waits until it is wider. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  assert.ok(box, 'the side bar is laid out');
  if (box.width >= width - 10) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction((min) => (document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0) >= min, width - 40, {
    timeout: 10_000,
  });
  await page.mouse.move(1300, 650);
}

describe('Trails view (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let root = '';

  before(async () => {
    if (skip) return;
    root = mkdtempSync(join(tmpdir(), 'trail-lens-trails-ui-'));
    const home = join(root, 'home');
    mkdirSync(home, { recursive: true });
    const scrub = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith('AWS_'))
        .map((k) => [k, undefined]),
    );
    wb = await openWorkbench({
      env: { ...scrub, HOME: home, TRAIL_LENS_SAMPLE: '1', AWS_EC2_METADATA_DISABLED: 'true' },
      settings: { 'workbench.colorTheme': 'Light 2026' },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test(
    'the badge shows while the section is collapsed; opened, the failing trail comes first with its health and the message',
    { skip },
    async () => {
      assert.ok(wb);
      const { page } = wb;
      await openViewContainer(page, /Trail Lens/);
      // The section starts collapsed: the badge on the activity-bar icon says a trail is failing before it is opened.
      const badge = page
        .locator('.activitybar')
        .getByRole('tab', { name: /Trail Lens/ })
        .locator('.badge .badge-content', { hasText: /^1$/ });
      await badge.waitFor({ state: 'visible', timeout: 60_000 });
      // Open Trails and fold Events away, as a person reading the trails would (clicking the headers'
      // titles: their right halves hold the view actions).
      await setSectionExpanded(page, 'Trails', true);
      await setSectionExpanded(page, 'Events', false);
      const org = treeItem(
        page,
        /^Trail org-trail, organization, shadow · failing: S3 AccessDenied, digest AccessDenied · last delivery \d\d:05 UTC$/,
      );
      await org.first().waitFor({ state: 'visible', timeout: 60_000 });
      await treeItem(page, /^Trail management-events, logging · last delivery /)
        .first()
        .waitFor({ state: 'visible' });
      // The failing trail is expanded: its S3 problem is a row of its own.
      await treeItem(page, /^Log file delivery to S3: AccessDenied, CloudTrail is no longer allowed to write/)
        .first()
        .waitFor({ state: 'visible' });
      await page
        .locator('.part.sidebar .message', { hasText: /Trail org-trail has not delivered since \d\d:05 UTC \(AccessDenied\)/ })
        .first()
        .waitFor({ state: 'visible' });
      await widenSideBar(page, 640);
      console.log(`screenshot: ${await wb.screenshot('trails-view')}`);
    },
  );

  for (const [theme, shot] of [
    ['Light 2026', 'trails-light'],
    ['Dark 2026', 'trails-dark'],
    ['Dark High Contrast', 'trails-hc'],
  ] as const) {
    test(`${theme}: hovering the failing trail explains the error and what to run`, { skip }, async () => {
      assert.ok(wb);
      const { page } = wb;
      await pickColorTheme(page, theme);
      const text = await hoverTrail(page, /^Trail org-trail/, 'get-bucket-policy');
      assert.match(text, /bucket\spolicy\sor\sthe\sKMS\skey\spolicy\sno\slonger\slets\sCloudTrail\swrite/);
      assert.match(text, /aws s3api get-bucket-policy --bucket o-a1b2c3d4e5-org-trail-logs/);
      assert.match(text, /Event\shistory\s\(LookupEvents,\sthe\sEvents\sview\)\sdoes\snot\sdepend\son\strails/);
      console.log(`screenshot: ${await wb.screenshot(shot)}`);
      await page.mouse.move(1300, 650);
    });
  }
});
