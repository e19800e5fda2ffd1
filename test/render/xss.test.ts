/**
 * Event fields are attacker-controlled (anyone who can make an API call chooses its userAgent and
 * parameters; trail files can be forged outright). Markup in any of them must show as text and
 * never be parsed: no element from the record, no handler run, and no CSP report either, because
 * the policy is the second line of defence and should have had nothing to stop.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildWebviewBundle, REPO_ROOT } from '../../scripts/previewWebview';
import { openPreview } from './previewPage';
import type { PreviewPage } from './previewPage';

const record = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'webview', 'xss.json'), 'utf8')) as CloudTrailRecord;
const IMG_KEY = '<img src=x onerror=window.__pwned=4>';

async function assertInert(view: PreviewPage): Promise<void> {
  const page = view.page;
  // Give any handler (onerror fires asynchronously, after a failed load) time to run.
  await page.waitForTimeout(300);
  const facts = await page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      injected: document.querySelectorAll('img, svg, iframe, b, i, a, style, object, embed, link:not([rel="stylesheet"])').length,
      scripts: [...document.scripts].map((s) => (s.src ? 'src' : 'inline')),
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`)),
      urls: all.filter((el) => el.hasAttribute('href') || el.hasAttribute('src')).map((el) => el.tagName),
      polluted: ({} as Record<string, unknown>).polluted,
      bodyShown: getComputedStyle(document.body).display,
    };
  });
  assert.equal(facts.pwned, undefined, 'no injected script ran');
  assert.equal(facts.injected, 0, 'no element came from record text');
  assert.deepEqual(facts.scripts, ['inline', 'src'], 'only the stub (nonce) and the bundle');
  assert.deepEqual(facts.handlers, []);
  assert.deepEqual(facts.urls.sort(), ['LINK', 'SCRIPT'], 'only the stylesheet link and the bundle script carry a URL');
  assert.equal(facts.polluted, undefined, 'Object.prototype untouched');
  assert.equal(facts.bodyShown, 'block');
  assert.deepEqual(await view.violations(), [], 'nothing even reached the CSP');
  assert.deepEqual(view.problems, []);
}

test('webview sources never parse HTML strings or build URLs', () => {
  const dir = join(REPO_ROOT, 'webview');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    // Comments may mention these; code may not.
    const code = readFileSync(join(dir, name), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const banned of [
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'document.write',
      'DOMParser',
      'createContextualFragment',
      'javascript:',
      '.href',
      '.src',
    ]) {
      assert.ok(!code.includes(banned), `${name} uses ${banned}`);
    }
  }
});

describe('event webview: hostile record content stays text', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  let view: PreviewPage;
  let page: Page;

  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
    view = await openPreview(browser, record, { name: 'xss' });
    page = view.page;
  });
  after(async () => browser?.close());

  test('markup in header fields, the error and tree keys/values is shown literally', async () => {
    assert.equal(await page.locator('h1.event-name .text').textContent(), '<script>window.__pwned=5</script>CreateUser');
    assert.equal(await page.locator('.event-source-value .text').textContent(), '"><img src=x onerror=window.__pwned=6>');
    assert.equal(await page.locator('.error-message .text').textContent(), '<b>bold</b>');
    assert.equal(await page.locator('.error-code .text').textContent(), '<i>AccessDenied</i>');
    const ua = page.locator('.field', { hasText: 'User agent' }).locator('dd .text');
    assert.equal(await ua.textContent(), '<img src=x onerror="window.__pwned=1">');
    const values = await page
      .locator('details[data-section="requestParameters"] .row')
      .evaluateAll((rows) => rows.map((r) => [r.querySelector('.key')?.textContent, r.querySelector('.value')?.textContent ?? null]));
    assert.deepEqual(values.slice(0, 5), [
      ['userName', '<script>window.__pwned=2</script>'],
      ['policy', '"><svg onload=window.__pwned=3>'],
      [IMG_KEY, 'key attack'],
      ['link', 'javascript:window.__pwned=7'],
      ['dollar', "$& $' $` </script><script>window.__pwned=8</script><!--"],
    ]);
    assert.ok(
      values.some(([k]) => k === '__proto__'),
      '__proto__ is shown as the data key it is',
    );
    assert.equal(
      await page.locator('[data-path="requestParameters.nested.deep[0]"] .value').textContent(),
      '<iframe src=javascript:window.__pwned=9></iframe>',
    );
    await assertInert(view);
  });

  test('the odd key gets a bracketed, quoted path when copied', async () => {
    const row = page.locator('details[data-section="requestParameters"] .row', { hasText: 'key attack' });
    await row.hover();
    await row.getByRole('button', { name: 'Path', exact: true }).click();
    assert.deepEqual((await view.posted()).at(-1), { type: 'copy', text: `requestParameters[${JSON.stringify(IMG_KEY)}]`, what: 'path' });
  });

  test('opening every section, Raw JSON and searching for markup keeps it inert', async () => {
    const closed = page.locator('details:not([open]) > summary');
    while ((await closed.count()) > 0) await closed.first().click();
    // Raw JSON is filled on the details 'toggle' event, which fires after the click returns.
    await page.locator('.raw-json', { hasText: 'eventVersion' }).waitFor();
    const raw = await page.locator('.raw-json').textContent();
    assert.ok(raw?.includes('<script>window.__pwned=2</script>'));
    assert.deepEqual(JSON.parse(raw ?? ''), record);
    await page.keyboard.press('Control+f');
    await page.keyboard.type('<script>');
    await page.locator('.match-count[data-query="<script>"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('mark', { hasText: '<script>' }).first().textContent(), '<script>');
    assert.ok((await page.locator('mark').count()) >= 4);
    await page.locator('.field', { hasText: 'Request ID' }).hover();
    await assertInert(view);
  });
});
