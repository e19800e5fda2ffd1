/**
 * A record with one array of 30,000 small objects (about 800 KB, the shape that froze the panel for
 * 13 s on expand and 16 s on first search): it renders, expands a chunk at a time, finds a match deep
 * in the array, and the DOM it builds stays bounded. Keyboard and copy keep working on the chunks.
 * The timings live in bench/panel.ts; this asserts behaviour.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildWebviewBundle, REPO_ROOT } from '../../scripts/previewWebview';
import { openPreview, search } from './previewPage';
import type { PreviewPage } from './previewPage';

const ITEMS = 30_000;
const CHUNK = 100;
const LIST = 'responseElements.items';

function record(items: number): CloudTrailRecord {
  const base = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'webview', 'createKey.json'), 'utf8')) as CloudTrailRecord;
  return { ...base, responseElements: { items: Array.from({ length: items }, (_, i) => ({ id: i, name: `item-${i}` })) } };
}

const elements = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);
const rendered = (page: Page) => page.locator(`[data-path="${LIST}"] > ul > li.node:not(.more)`).count();

describe('event webview: an array of 30,000 objects', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  let view: PreviewPage;
  let page: Page;

  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
    view = await openPreview(browser, record(ITEMS), { name: 'bigList' });
    page = view.page;
  });
  after(async () => browser?.close());

  test('expanding renders one chunk and a row for the rest, and the DOM stays bounded', async () => {
    const list = page.locator(`[data-path="${LIST}"]`);
    assert.equal(await list.getAttribute('aria-expanded'), 'false', 'a 30,000-item list starts collapsed');
    const before = await elements(page);
    await list.locator('> .row').click();
    assert.equal(await list.getAttribute('aria-expanded'), 'true');
    assert.equal(await rendered(page), CHUNK);
    const more = list.locator('> ul > li.more');
    assert.equal(await more.count(), 1);
    assert.equal((await more.locator('.more-text').textContent())?.trim(), '… 29,900 more items not shown ([100]–[29999] of 30,000)');
    assert.ok(await more.getByRole('button', { name: 'Show 100 more' }).isVisible());
    assert.ok(await more.getByRole('button', { name: 'Show all 29,900' }).isVisible());
    const added = (await elements(page)) - before;
    assert.ok(added < CHUNK * 25, `expanding added ${added} elements, not one row per item`);
  });

  test('search finds a match deep in the array and renders only its chunk', async () => {
    assert.equal(await search(page, 'item-29876'), '1 of 1 match');
    const hit = page.locator(`[data-path="${LIST}[29876].name"]`);
    assert.ok(await hit.isVisible());
    assert.equal(await hit.locator('> .row mark').textContent(), 'item-29876');
    assert.equal(await rendered(page), 2 * CHUNK, 'the first chunk and the one holding the match');
    // [100]–[29799] before the revealed chunk, [29900]–[29999] after it.
    assert.deepEqual(await page.locator(`[data-path="${LIST}"] > ul > li.more .more-text`).allTextContents(), [
      '… 29,700 more items not shown ([100]–[29799] of 30,000)',
      '… 100 more items not shown ([29900]–[29999] of 30,000)',
    ]);
    assert.ok((await page.locator('[role="treeitem"]').count()) < 1000);
    assert.equal(await search(page, 'item-'), `1 of ${ITEMS} matches`);
    assert.equal((await page.locator('.row.match').count()) <= 4 * CHUNK, true, 'matches not rendered are not built');
    await page.keyboard.press('Escape');
  });

  test('keyboard steps onto the "more" row, Enter shows the next chunk, copy works there', async () => {
    await page.locator(`[data-path="${LIST}[99]"] > .row`).click();
    await page.keyboard.press('ArrowDown');
    const focused = () =>
      page.evaluate(() => ({
        path: document.activeElement?.getAttribute('data-path'),
        more: document.activeElement?.classList.contains('more'),
      }));
    assert.deepEqual(await focused(), { path: null, more: true });
    assert.match(
      (await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) ?? '',
      /^29,700 more items not shown .*Enter shows 100 more, A shows all$/,
    );
    await page.keyboard.press('Enter');
    assert.deepEqual(await focused(), { path: `${LIST}[100]`, more: false });
    assert.equal(await rendered(page), 3 * CHUNK);
    await page.keyboard.press('c');
    await page.keyboard.press('p');
    const posted = (await view.posted()).slice(-2);
    assert.deepEqual(posted, [
      { type: 'copy', text: JSON.stringify({ id: 100, name: 'item-100' }, null, 2), what: 'value' },
      { type: 'copy', text: `${LIST}[100]`, what: 'path' },
    ]);
    // Up from the first row of a chunk reaches the last row of the one before; Left goes to the list.
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await focused(), { path: `${LIST}[99]`, more: false });
    await page.keyboard.press('ArrowLeft');
    assert.deepEqual(await focused(), { path: LIST, more: false });
    assert.deepEqual(view.problems, []);
    assert.deepEqual(await view.violations(), []);
  });

  test('"Show all" renders the rest of a shorter list', async () => {
    const small = await openPreview(browser, record(450), { name: 'bigList-450' });
    const list = small.page.locator(`[data-path="${LIST}"]`);
    await list.locator('> .row').click();
    assert.equal(await rendered(small.page), CHUNK);
    await list.locator('> ul > li.more').getByRole('button', { name: 'Show all 350' }).click();
    assert.equal(await rendered(small.page), 450);
    assert.equal(await list.locator('> ul > li.more').count(), 0);
    assert.equal(await small.page.evaluate(() => document.activeElement?.getAttribute('data-path')), `${LIST}[100]`);
    assert.equal(await small.page.locator(`[data-path="${LIST}[449]"]`).getAttribute('aria-posinset'), '450');
    assert.deepEqual(small.problems, []);
    await small.page.close();
  });
});
