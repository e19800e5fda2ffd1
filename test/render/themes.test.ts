/**
 * The panel in VS Code's dark, light and high-contrast themes. Screenshots go to
 * .test-artifacts/render/ for a person to look at; the assertions check what a screenshot cannot
 * prove by itself: every text colour comes from the theme and is readable on its background.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import type { ThemeName } from '../../scripts/previewWebview';
import { buildWebviewBundle, REPO_ROOT, THEMES } from '../../scripts/previewWebview';
import { ARTIFACTS, openPreview } from './previewPage';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'webview');
const load = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as CloudTrailRecord;

/** WCAG contrast of each selector's text against the nearest opaque background behind it. */
async function contrasts(page: Page, selectors: string[]): Promise<Record<string, number>> {
  return page.evaluate((sels) => {
    const rgb = (c: string): [number, number, number, number] => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      if (!m) throw new Error(`unparsed colour ${c}`);
      return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r ?? 0) + 0.7152 * f(g ?? 0) + 0.0722 * f(b ?? 0);
    };
    // Composite translucent backgrounds from the page colour upwards.
    const background = (el: Element): number[] => {
      const chain: Element[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) chain.unshift(e);
      let out = [255, 255, 255];
      for (const e of chain) {
        const [r, g, b, a] = rgb(getComputedStyle(e).backgroundColor);
        out = [r * a + (out[0] ?? 0) * (1 - a), g * a + (out[1] ?? 0) * (1 - a), b * a + (out[2] ?? 0) * (1 - a)];
      }
      return out;
    };
    const result: Record<string, number> = {};
    for (const sel of sels) {
      const el = document.querySelector(sel);
      if (!el) throw new Error(`no element for ${sel}`);
      const [r, g, b, a] = rgb(getComputedStyle(el).color);
      const bg = background(el);
      const fg = [r * a + (bg[0] ?? 0) * (1 - a), g * a + (bg[1] ?? 0) * (1 - a), b * a + (bg[2] ?? 0) * (1 - a)];
      const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x) as [number, number];
      result[sel] = Math.round(((l1 + 0.05) / (l2 + 0.05)) * 100) / 100;
    }
    return result;
  }, selectors);
}

const TEXT = [
  'h1.event-name .text',
  '.event-source-value .text',
  '.error-code .text',
  '.error-message .text',
  '.field dt',
  '.field dd .text',
  '.section-title',
  '[data-path="requestParameters.encryptionKeyArn"] .key',
  '[data-path="requestParameters.encryptionKeyArn"] .value',
  '[data-path="requestParameters.backupVaultTags"] .tag',
  '.tag',
  '.tag.failed',
  '.identity-line',
  '.followed-note',
];

describe('event webview themes', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  for (const theme of Object.keys(THEMES) as ThemeName[]) {
    test(`${theme}: readable text, theme colours applied, screenshot saved`, async () => {
      const view = await openPreview(browser, load('createBackupVault.json'), {
        name: `theme-${theme}`,
        theme,
        width: 960,
        height: 1000,
        nav: { back: 'CreateKey · 14:10:00' },
        followed: {
          value: '9z8yxw7u-987z-98zy-z987-9z87y65x4321',
          from: 'CreateKey · 14:10:00',
          role: 'consumed',
          paths: ['requestParameters.encryptionKeyArn'],
        },
      });
      const page = view.page;
      // Let the toolkit apply the theme to its components (it does so on window load).
      await page.waitForFunction(() => document.readyState === 'complete');
      await page.locator('details[data-section="userIdentity"] > summary').click();
      await page.keyboard.press('Control+f');
      await page.keyboard.type('9z8yxw7u');
      await page.locator('.match-count[data-query="9z8yxw7u"]').waitFor({ state: 'attached' });
      await page.locator('[data-path="requestParameters.encryptionKeyArn"] > .row').hover();
      await page.screenshot({ path: join(ARTIFACTS, `theme-${theme}.png`), fullPage: true });

      const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      const expected = THEMES[theme].vars['--vscode-editor-background'] ?? '';
      const hex = (c: string) =>
        `#${(c.match(/\d+/g) ?? [])
          .slice(0, 3)
          .map((n) => Number(n).toString(16).padStart(2, '0'))
          .join('')}`;
      assert.equal(hex(bg), expected.slice(0, 7), 'page background is the theme editor background');
      const callout = await page.locator('.error-callout').evaluate((e) => getComputedStyle(e).borderTopColor);
      // High contrast draws every border in one colour: the callout takes the error colour instead.
      const border = theme === 'hc' ? '--vscode-errorForeground' : '--vscode-inputValidation-errorBorder';
      assert.equal(hex(callout), (THEMES[theme].vars[border] ?? '').slice(0, 7));
      // FAILED is red: the error colour behind it, or (high contrast) as its text and outline.
      const failedTag = await page
        .locator('.tag.failed')
        .evaluate((e) => ({ bg: getComputedStyle(e).backgroundColor, fg: getComputedStyle(e).color }));
      if (theme === 'hc') assert.equal(hex(failedTag.fg), THEMES[theme].vars['--vscode-errorForeground']);
      else assert.equal(hex(failedTag.bg), THEMES[theme].vars['--vscode-inputValidation-errorBorder']);
      const button = await page
        .locator('.header-actions vscode-button')
        .nth(1)
        .evaluate((e) => getComputedStyle(e).color);
      const buttonFg = THEMES[theme].vars['--vscode-button-secondaryForeground'] ?? THEMES[theme].vars['--vscode-button-foreground'] ?? '';
      assert.equal(hex(button), buttonFg.slice(0, 7), 'toolkit buttons picked up the theme');

      const ratios = await contrasts(page, TEXT);
      for (const [sel, ratio] of Object.entries(ratios)) {
        assert.ok(ratio >= 4.5, `${theme}: ${sel} contrast ${ratio} < 4.5`);
      }
      assert.deepEqual(await view.violations(), []);
      assert.deepEqual(view.problems, []);
      await page.close();
    });
  }

  test('narrow panel: long values wrap instead of overflowing', async () => {
    const view = await openPreview(browser, load('createKey.json'), { name: 'narrow', width: 420, height: 900 });
    const page = view.page;
    await page.locator('details[data-section="userIdentity"] > summary').click();
    assert.equal(await page.locator('details[data-section="userIdentity"]').evaluate((d) => (d as HTMLDetailsElement).open), true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling');
    const policy = page.locator('[data-path="requestParameters.policy"] .value');
    const box = await policy.boundingBox();
    assert.ok(box && box.x + box.width <= 420 && box.height > 40, 'the long policy string wraps onto several lines');
    await page.screenshot({ path: join(ARTIFACTS, 'narrow.png'), fullPage: true });
    await page.close();
  });
});
