/**
 * The event panel on large records, in headless Chromium with the shipped webview bundle: first
 * render, expanding the big array and showing all of it ("expand all"), and the first search, for a
 * 256 KB record and for a ~1 MB one (about the largest CloudTrail writes). Each is also measured at a
 * tenth of the size in the same run; the ratio of time per node (full / tenth) is 1.0 for linear
 * scaling and about 10 for quadratic work (before: 13 s to expand and 16 s to search 241 KB).
 * Run: npm run bench -- panel
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../src/core/record';
import { buildWebviewBundle, REPO_ROOT } from '../scripts/previewWebview';
import { launchBrowser } from '../scripts/workbench/browser';
import { openPreview } from '../test/render/previewPage';
import { table } from './common';

const LIST = 'responseElements.items';
/** Above this per-node ratio the run fails: linear is ~1, quadratic ~10. */
const MAX_RATIO = 3;

function recordOfSize(bytes: number): { record: CloudTrailRecord; items: number; nodes: number } {
  const base = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'webview', 'createKey.json'), 'utf8')) as CloudTrailRecord;
  const baseBytes = JSON.stringify(base).length;
  // {"id":12345,"name":"item-12345"} and a comma: about 31 bytes an item at these sizes.
  const items = Math.max(1, Math.round((bytes - baseBytes) / 31));
  const list = Array.from({ length: items }, (_, i) => ({ id: i, name: `item-${i}` }));
  return { record: { ...base, responseElements: { items: list } }, items, nodes: items * 3 };
}

interface Times {
  bytes: number;
  nodes: number;
  renderMs: number;
  expandAllMs: number;
  searchMs: number;
}

/** Runs `fn` in the page and returns ms until the next frame has been laid out. */
function timed(page: Page, fn: string): Promise<number> {
  return page.evaluate(
    (body) =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        new Function(body)();
        void document.body.offsetHeight;
        requestAnimationFrame(() => resolve(performance.now() - t0));
      }),
    fn,
  );
}

async function measure(browser: Browser, bytes: number): Promise<Times> {
  const { record, items, nodes } = recordOfSize(bytes);
  const json = JSON.stringify(record);
  const view = await openPreview(browser, record, { name: `bench-panel-${bytes}`, autoShow: false, width: 1000, height: 900 });
  const page = view.page;
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  await page.evaluate((text) => ((window as unknown as { __json: string }).__json = text), json);
  // First render: the host's `show` arriving, until the record is laid out.
  const renderMs = await timed(
    page,
    `window.__send({ type: 'show', recordJson: window.__json, context: { source: 'file' }, pinned: false })`,
  );
  // Expand all: open the array, then "Show all" on the rest of it.
  const expandAllMs = await timed(
    page,
    `document.querySelector('[data-path="${LIST}"] > .row').click();
     const rest = [...document.querySelectorAll('[data-path="${LIST}"] > ul > li.more .more-act')].pop();
     if (rest) rest.click();`,
  );
  const shown = await page.locator(`[data-path="${LIST}"] > ul > li.node:not(.more)`).count();
  if (shown !== items) throw new Error(`expand all showed ${shown} of ${items} items`);
  // First search, for the last item: Enter runs it at once (no debounce).
  const query = `item-${items - 1}`;
  const searchMs = await page.evaluate(
    (q) =>
      new Promise<number>((resolve) => {
        const field = document.querySelector('.search-field') as HTMLElement & { value: string };
        const t0 = performance.now();
        field.value = q;
        field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
        void document.body.offsetHeight;
        requestAnimationFrame(() => resolve(performance.now() - t0));
      }),
    query,
  );
  const count = await page.locator('.match-count').textContent();
  if (!count?.endsWith('1 match')) throw new Error(`search for ${query} found: ${count}`);
  if (view.problems.length) throw new Error(view.problems.join('\n'));
  await page.close();
  return { bytes: json.length, nodes, renderMs, expandAllMs, searchMs };
}

const kb = (b: number) => `${Math.round(b / 1024)} KB`;
const ms = (x: number) => x.toFixed(0);

async function main(): Promise<void> {
  await buildWebviewBundle();
  const browser = await launchBrowser();
  const rows = [['record', 'nodes', 'render ms', 'expand all ms', 'first search ms', 'per-node ratio vs 1/10 (render / expand / search)']];
  const results = [];
  let ok = true;
  try {
    for (const bytes of [256 * 1024, 1024 * 1024]) {
      // One warm-up, so the first case does not pay for Chromium's start.
      if (results.length === 0) await measure(browser, bytes / 10);
      const small = await measure(browser, bytes / 10);
      const full = await measure(browser, bytes);
      const ratio = (k: 'renderMs' | 'expandAllMs' | 'searchMs') => full[k] / full.nodes / (small[k] / small.nodes);
      const ratios = { render: ratio('renderMs'), expandAll: ratio('expandAllMs'), search: ratio('searchMs') };
      ok &&= ratios.expandAll <= MAX_RATIO && ratios.search <= MAX_RATIO && ratios.render <= MAX_RATIO;
      for (const [t, label] of [
        [small, '1/10'],
        [full, 'full'],
      ] as const) {
        rows.push([
          `${kb(t.bytes)} (${label})`,
          String(t.nodes),
          ms(t.renderMs),
          ms(t.expandAllMs),
          ms(t.searchMs),
          label === 'full' ? `${ratios.render.toFixed(2)} / ${ratios.expandAll.toFixed(2)} / ${ratios.search.toFixed(2)}` : '',
        ]);
      }
      results.push({ bytes: full.bytes, full, tenth: small, ratios });
    }
  } finally {
    await browser.close();
  }
  console.log('Event panel, headless Chromium: an array of small objects (3 nodes each); 1.0 = linear, ~10 = quadratic\n');
  console.log(table(rows));
  console.log(`\nJSON ${JSON.stringify({ bench: 'panel', maxRatio: MAX_RATIO, results })}`);
  if (!ok) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
