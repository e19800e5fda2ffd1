/**
 * A large record (DescribeInstances-style responseElements with 1,500 items, ~170 KB; CloudTrail's
 * limit is 256 KB) must open and search without freezing the panel: long lists start collapsed,
 * and search reveals a bounded number of matches, the rest as Enter steps onto them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildWebviewBundle, REPO_ROOT } from '../../scripts/previewWebview';
import { openPreview } from './previewPage';

const ITEMS = 1500;

function bigRecord(): CloudTrailRecord {
  const base = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'webview', 'createKey.json'), 'utf8')) as CloudTrailRecord;
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    instanceId: `i-0${(0x1000000000000 + i).toString(16)}`,
    state: { code: 16, name: 'running' },
    tagSet: { items: [{ key: 'Name', value: `node-${i}` }] },
  }));
  return { ...base, eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', responseElements: { instancesSet: { items } } };
}

/** Types a query and returns how long the page took to show its count, in ms (debounce excluded). */
async function timedSearch(page: Page, query: string): Promise<number> {
  return page.evaluate(
    (q) =>
      new Promise<number>((resolve) => {
        const field = document.querySelector('.search-field') as HTMLElement & { value: string };
        const count = document.querySelector('.match-count') as HTMLElement;
        const t0 = performance.now();
        const mo = new MutationObserver(() => {
          if (count.getAttribute('data-query') !== q) return;
          mo.disconnect();
          resolve(performance.now() - t0 - 120);
        });
        mo.observe(count, { attributes: true });
        field.value = q;
        field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      }),
    query,
  );
}

describe('event webview: a large record', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  test('opens quickly with the long list collapsed, and search stays responsive', async () => {
    const record = bigRecord();
    assert.ok(JSON.stringify(record).length > 150_000);
    const started = Date.now();
    const view = await openPreview(browser, record, { name: 'large' });
    const page = view.page;
    const opened = Date.now() - started;
    assert.ok(opened < 5000, `opened in ${opened} ms`);
    const items = page.locator('[data-path="responseElements.instancesSet.items"]');
    assert.equal(await items.getAttribute('aria-expanded'), 'false', 'a 1,500-item list starts collapsed');
    assert.equal(await items.locator('> .row .summary').textContent(), `[${ITEMS}]`);

    const one = await timedSearch(page, 'node-1499');
    assert.equal(await page.locator('.match-count').textContent(), '1 of 1 match');
    assert.ok(await page.locator('[data-path="responseElements.instancesSet.items[1499].tagSet.items[0].value"]').isVisible());
    const rows = await page.locator('[role="treeitem"]').count();
    assert.ok(rows < 2000, `list items stay collapsed around the revealed one (${rows} rows)`);

    const all = await timedSearch(page, 'running');
    assert.equal(await page.locator('.match-count').textContent(), `1 of ${ITEMS} matches`);
    assert.ok(one < 1500 && all < 1500, `search took ${Math.round(one)} / ${Math.round(all)} ms`);
    // items[1499] was revealed by the first search; the one before it has not been.
    const last = page.locator(`[data-path="responseElements.instancesSet.items[${ITEMS - 2}].state.name"]`);
    assert.equal(await last.count(), 0, 'matches beyond the first ones are not rendered yet');

    // Stepping backwards from the first match wraps to the last ones, revealing them on the way.
    await page.keyboard.press('Control+f');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter');
    assert.equal(await page.locator('.match-count').textContent(), `${ITEMS - 1} of ${ITEMS} matches`);
    assert.ok(await last.isVisible());
    assert.ok(await last.locator('> .row').evaluate((r) => r.classList.contains('current')));
    assert.deepEqual(view.problems, []);
    await page.close();
  });
});
