/**
 * What the incident-UX issue found in the panel, each checked where a person would see it: the header
 * leaves requestParameters and responseElements on the first screen, row buttons never cover the
 * text, narrow panels put values under their keys, the keyboard crosses sections, one time when the
 * zone is UTC, Back/Forward, and the followed value highlighted in the event it led to.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildWebviewBundle, REPO_ROOT } from '../../scripts/previewWebview';
import { ARTIFACTS, openPreview } from './previewPage';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'webview');
const load = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as CloudTrailRecord;
const vault = load('createBackupVault.json');
const createKey = load('createKey.json');
const KEY_ID = '9z8yxw7u-987z-98zy-z987-9z87y65x4321';

const row = (page: Page, path: string) => page.locator(`[data-path="${path}"] > .row`);
const focusedPath = (page: Page) =>
  page.evaluate(
    () => document.activeElement?.getAttribute('data-path') ?? document.activeElement?.parentElement?.getAttribute('data-section'),
  );

async function box(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await l.boundingBox();
  assert.ok(b, 'element is laid out');
  return b;
}

function overlaps(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('event webview: layout, keyboard, history and following', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  test('beside a log (560×900): the error, requestParameters and responseElements are on the first screen', async () => {
    const view = await openPreview(browser, vault, { name: 'beside-log', width: 560, height: 900, theme: 'light' });
    const page = view.page;
    for (const sel of ['.error-callout', 'details[data-section="requestParameters"]', 'details[data-section="responseElements"] .note']) {
      const b = await box(page.locator(sel));
      assert.ok(b.y + b.height <= 900, `${sel} ends at y=${Math.round(b.y + b.height)}, below the 900 px screen`);
    }
    assert.ok((await box(row(page, 'requestParameters.encryptionKeyArn'))).y < 900);
    // The identity is one line until asked for; then every field is there.
    const identity = await box(page.locator('.identity > summary'));
    assert.ok(identity.height < 30, `identity summary is one line (${identity.height}px)`);
    await page.locator('.identity > summary').click();
    assert.ok(await page.locator('.field', { hasText: 'Principal ARN' }).isVisible());
    await page.screenshot({ path: join(ARTIFACTS, 'beside-log.png') });
    assert.deepEqual(view.problems, []);
    await page.close();
  });

  for (const width of [960, 300]) {
    test(`row buttons never cover the key or the value (${width} px, hover and keyboard focus)`, async () => {
      const view = await openPreview(browser, createKey, { name: `row-buttons-${width}`, width, height: 900 });
      const page = view.page;
      const paths = ['responseElements.keyMetadata.keyId', 'responseElements.keyMetadata.arn', 'requestParameters.description'];
      for (const path of paths) {
        const r = row(page, path);
        await r.hover();
        const actions = await box(r.locator('.actions'));
        for (const part of ['.key', '.value']) {
          assert.ok(!overlaps(actions, await box(r.locator(part))), `${path}: buttons cover ${part} on hover`);
        }
      }
      await row(page, paths[0] as string).click();
      await page.mouse.move(0, 0);
      const r = row(page, paths[0] as string);
      assert.ok(await r.locator('.actions').isVisible(), 'shown on keyboard focus');
      assert.ok(!overlaps(await box(r.locator('.actions')), await box(r.locator('.value'))), 'buttons cover the value on focus');
      // Header values: the buttons follow the text.
      const requestId = page.locator('.field', { hasText: 'Request ID' });
      await requestId.hover();
      // A wrapped value is several line boxes: each must stay clear of the buttons.
      const actionsBox = await box(requestId.locator('.actions'));
      const lines = await requestId
        .locator('.text')
        .evaluate((t) => [...t.getClientRects()].map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })));
      assert.ok(lines.length > 0 && lines.every((l) => !overlaps(actionsBox, l)), 'header buttons cover the request ID');
      await page.screenshot({ path: join(ARTIFACTS, `row-buttons-${width}.png`) });
      await page.close();
    });
  }

  test('a 200 px panel: values wrap under their keys, keys are not broken one character per line', async () => {
    const view = await openPreview(browser, createKey, { name: 'narrow-200', width: 200, height: 900 });
    const page = view.page;
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling');
    const r = row(page, 'requestParameters.keyUsage');
    const key = await box(r.locator('.key'));
    const value = await box(r.locator('.value'));
    assert.ok(key.height < 26, `the key stays on one line (${key.height}px)`);
    assert.ok(value.y >= key.y + key.height - 1, 'the value is under its key');
    assert.ok(value.width > 120, `the value has the width of the panel (${value.width}px)`);
    await page.screenshot({ path: join(ARTIFACTS, 'narrow-200.png'), fullPage: true });
    await page.close();
  });

  test('keyboard: ← goes to the parent and from the top level to the section header, ↓ and ↑ cross sections', async () => {
    const view = await openPreview(browser, vault, { name: 'keyboard-sections' });
    const page = view.page;
    await row(page, 'requestParameters.creatorRequestId').click();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focusedPath(page), 'requestParameters', '← from the top level: the section header');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedPath(page), 'requestParameters.backupVaultName', '↓ from the header: its first row');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedPath(page), 'responseElements', '↓ from the last row: the next section');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedPath(page), 'userIdentity', 'responseElements is null: no rows to enter');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('details[data-section="userIdentity"]').evaluate((d) => (d as HTMLDetailsElement).open), true);
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedPath(page), 'userIdentity.type', '→ on an open header enters the tree');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focusedPath(page), 'userIdentity', '↑ from the first row: its header');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focusedPath(page), 'requestParameters.creatorRequestId', '↑ into the previous section: its last row');
    // The shortcuts are on screen, not only in tooltips.
    await page.locator('.keys-help > summary').click();
    const keys = (await page.locator('.keys-list').innerText()).replace(/\s+/g, ' ');
    for (const k of ['← →', 'copy the value', 'copy its JSON path', 'find events with this value', 'Ctrl+F', 'Alt+←'])
      assert.ok(keys.includes(k), `${k} in: ${keys}`);
    assert.deepEqual(view.problems, []);
    await page.close();
  });

  test('in a UTC time zone the header shows one time, not the same time twice', async () => {
    const view = await openPreview(browser, vault, { name: 'utc', timezoneId: 'UTC' });
    const labels = await view.page.locator('.field dt').allTextContents();
    assert.ok(labels.includes('Time (UTC)'));
    assert.ok(!labels.includes('Time (local)'), labels.join(', '));
    await view.page.close();
  });

  test('Back / Forward: named, posted as navigate, Alt+← too; absent history leaves Forward disabled', async () => {
    const view = await openPreview(browser, createKey, { name: 'history', nav: { back: 'CreateBackupVault · 14:49:02' } });
    const page = view.page;
    const back = page.locator('.history vscode-button.history-back');
    assert.equal(await back.getAttribute('title'), 'Back to CreateBackupVault · 14:49:02 (Alt+←)');
    assert.equal(await page.locator('.history vscode-button.history-forward').getAttribute('disabled'), '');
    await back.click();
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Alt+ArrowLeft');
    await page.keyboard.press('Alt+ArrowRight'); // nothing forward: not posted
    const navs = (await view.posted()).filter((m) => m.type === 'navigate');
    assert.deepEqual(navs, [
      { type: 'navigate', to: 'back' },
      { type: 'navigate', to: 'back' },
    ]);
    await page.close();
  });

  test('the followed value is highlighted where the event holds it, and the header says what the event did with it', async () => {
    const followed = {
      value: KEY_ID,
      from: 'CreateBackupVault · 14:49:02',
      role: 'produced' as const,
      paths: ['responseElements.keyMetadata.keyId'],
    };
    const view = await openPreview(browser, createKey, {
      name: 'followed',
      width: 560,
      height: 900,
      theme: 'light',
      followed,
      nav: { back: followed.from },
    });
    const page = view.page;
    const note = (await page.locator('.followed-note').innerText()).replace(/\s+/g, ' ');
    assert.equal(
      note,
      `Followed ${KEY_ID} from CreateBackupVault · 14:49:02: this event produced it at responseElements.keyMetadata.keyId`,
    );
    const keyId = row(page, 'responseElements.keyMetadata.keyId');
    assert.ok(await keyId.evaluate((r) => r.classList.contains('followed')));
    const b = await box(keyId);
    assert.ok(b.y > 0 && b.y + b.height < 900, 'scrolled into view');
    // Every place holding it (the key ARN holds the key ID), and nothing else.
    assert.ok(await row(page, 'responseElements.keyMetadata.arn').evaluate((r) => r.classList.contains('followed')));
    assert.equal(await row(page, 'responseElements.keyMetadata.keyUsage').evaluate((r) => r.classList.contains('followed')), false);
    await page.screenshot({ path: join(ARTIFACTS, 'followed.png') });
    assert.deepEqual(view.problems, []);
    assert.deepEqual(await view.violations(), []);
    await page.close();
  });
});
