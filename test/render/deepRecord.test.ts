/**
 * A record nested thousands of levels deep used to leave the panel on "Loading event…": postMessage
 * could not clone it. Now the record travels as JSON text, the tree shows MAX_TREE_DEPTH levels and
 * the part below collapsed with a note, and the rest of the record renders as usual.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildWebviewBundle, REPO_ROOT } from '../../scripts/previewWebview';
import { openPreview } from './previewPage';

const MAX_TREE_DEPTH = 40;

function deepRecord(levels: number): CloudTrailRecord {
  const base = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'webview', 'createKey.json'), 'utf8')) as CloudTrailRecord;
  let deep: unknown = { leaf: 'bottom-value' };
  for (let i = 0; i < levels; i++) deep = i % 2 ? { n: deep } : [deep];
  return { ...base, requestParameters: { deep, shallow: 'still-here' } };
}

/** The path of the node at tree depth `depth` down the chain (requestParameters.deep is depth 0). */
function chainPath(levels: number, depth: number): string {
  let path = 'requestParameters.deep';
  // Level i from the top wraps what is below it: arrays where (levels - 1 - i) is even.
  for (let d = 1; d <= depth; d++) path += (levels - d) % 2 === 0 ? '[0]' : '.n';
  return path;
}

describe('event webview: a record nested thousands of levels deep', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  for (const levels of [2_500, 6_000]) {
    test(`${levels.toLocaleString('en-US')} levels: the panel renders, and the deep part is collapsed with a note`, async () => {
      const view = await openPreview(browser, deepRecord(levels), { name: `deep-${levels}` });
      const page = view.page;
      assert.equal(await page.locator('#root').getAttribute('aria-busy'), null);
      assert.equal(await page.locator('[data-path="requestParameters.shallow"] .value').textContent(), 'still-here');
      assert.ok(await page.locator('[data-path="responseElements.keyMetadata.keyId"]').isVisible(), 'the rest of the record is shown');

      assert.equal(await page.locator('.search-field').count(), 1);
      await page.keyboard.press('Control+f');
      await page.keyboard.type('bottom-value');
      await page.locator('.match-count[data-query="bottom-value"]').waitFor({ state: 'attached' });
      assert.equal(await page.locator('.match-count').textContent(), '1 of 1 match');
      const stub = page.locator(`[data-path="${chainPath(levels, MAX_TREE_DEPTH)}"]`);
      assert.ok(await stub.isVisible(), 'search reveals the collapsed deep part that holds the match');
      assert.equal(await stub.getAttribute('aria-expanded'), null, 'it cannot be expanded further');
      assert.match((await stub.locator('> .row .value.deep').getAttribute('title')) ?? '', /^Deeper than 40 levels/);
      assert.match((await stub.locator('> .row .deep-note').textContent()) ?? '', /^too deep to show here: Copy or Open as JSON$/);
      assert.ok(await stub.locator('> .row').evaluate((r) => r.classList.contains('match-unmarked') && r.classList.contains('current')));
      assert.equal(
        await page
          .locator('[role="treeitem"]')
          .locator(`[aria-level="${MAX_TREE_DEPTH + 2}"]`)
          .count(),
        0,
        'nothing deeper is built',
      );

      // Copy gives the whole deep value as JSON.
      await stub.locator('> .row').click();
      await page.keyboard.press('c');
      const copied = (await view.posted()).at(-1);
      assert.equal(copied?.type, 'copy');
      const text = (copied as { text: string }).text;
      let v = JSON.parse(text) as unknown;
      let below = 0;
      while (typeof v === 'object' && v !== null && !('leaf' in v)) {
        v = Array.isArray(v) ? v[0] : (v as { n: unknown }).n;
        below++;
      }
      assert.equal(below, levels - MAX_TREE_DEPTH, 'the copied value holds every level below the stub');
      assert.deepEqual(v, { leaf: 'bottom-value' });

      // Raw JSON holds all of it too.
      // (It is pretty-printed when the section opens, on the toggle event after the click.)
      await page.locator('details[data-section="raw"] > summary').click();
      await page.locator('pre.raw-json', { hasText: '"leaf": "bottom-value"' }).waitFor({ timeout: 10_000 });
      assert.deepEqual(view.problems, []);
      assert.deepEqual(await view.violations(), []);
      await page.close();
    });
  }
});
