/**
 * The panel page's HTML and Content-Security-Policy (src/extension/panels/webviewHtml.ts): its
 * shape in plain Node, and in Chromium that the policy really blocks what a slip would let in.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { TrailLensError } from '../../src/core/errors';
import type { CloudTrailRecord } from '../../src/core/record';
import { contentSecurityPolicy, EMPTY_STYLE_HASH, makeNonce, webviewHtml } from '../../src/extension/panels/webviewHtml';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildWebviewBundle, previewHtml, REPO_ROOT } from '../../scripts/previewWebview';
import { ARTIFACTS } from './previewPage';

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const base = {
  cspSource: CSP_SOURCE,
  scriptUri: 'https://x.vscode-cdn.net/dist/webview/main.js',
  styleUri: 'https://x.vscode-cdn.net/dist/webview/style.css',
};

describe('webviewHtml', () => {
  test('makeNonce: 128 random bits as base64url, different every time', () => {
    const seen = new Set(Array.from({ length: 200 }, () => makeNonce()));
    assert.equal(seen.size, 200);
    for (const n of seen) assert.match(n, /^[A-Za-z0-9_-]{22}$/);
  });

  test('the policy: nothing by default, nonce scripts, no inline styles, theme fonts and images from the webview', () => {
    const nonce = makeNonce();
    assert.equal(
      contentSecurityPolicy(CSP_SOURCE, nonce),
      `default-src 'none'; style-src ${CSP_SOURCE} ${EMPTY_STYLE_HASH}; script-src 'nonce-${nonce}'; img-src ${CSP_SOURCE} data:; font-src ${CSP_SOURCE}`,
    );
    const html = webviewHtml({ ...base, nonce });
    assert.ok(
      html.includes(
        `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(CSP_SOURCE, nonce).replace(/'/g, '&#39;')}">`,
      ),
    );
    assert.ok(!html.includes('unsafe-inline') && !html.includes('unsafe-eval'));
    assert.equal(html.match(/<script\b/g)?.length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="${base.scriptUri}"></script>`));
    assert.ok(html.includes(`<link rel="stylesheet" href="${base.styleUri}">`));
    assert.ok(html.includes('Loading event…'), 'a loading state before the first show');
    assert.ok(!/\son\w+=/.test(html), 'no inline handlers');
  });

  test('accepts vscode.Uri-like values and escapes the title and URLs', () => {
    const uri = { toString: () => 'https://x.vscode-cdn.net/a b/main.js?x="1"&y=<2>' };
    const html = webviewHtml({ ...base, nonce: makeNonce(), scriptUri: uri, title: '<script>alert(1)</script>"' });
    assert.ok(html.includes('<title>&lt;script&gt;alert(1)&lt;/script&gt;&quot;</title>'));
    assert.ok(html.includes('src="https://x.vscode-cdn.net/a b/main.js?x=&quot;1&quot;&amp;y=&lt;2&gt;"'));
  });

  test('refuses a nonce or CSP source that could rewrite the policy', () => {
    for (const nonce of ["abc'; script-src *", 'short', 'a'.repeat(30) + ' b']) {
      assert.throws(
        () => webviewHtml({ ...base, nonce }),
        (e: unknown) => e instanceof TrailLensError && e.code === 'InvalidInput',
      );
    }
    for (const cspSource of [
      "https://a; script-src 'unsafe-inline'",
      "'unsafe-inline'",
      "https://a 'nonce-x'",
      '*',
      '',
      ' ',
      'https://a,b',
    ]) {
      assert.throws(() => webviewHtml({ ...base, nonce: makeNonce(), cspSource }), TrailLensError, JSON.stringify(cspSource));
    }
  });

  test("takes VS Code's cspSource as it comes, including code-server's 'self'", () => {
    const nonce = makeNonce();
    const cspSource = "'self' https://*.vscode-cdn.net";
    const html = webviewHtml({ ...base, nonce, cspSource });
    assert.ok(html.includes(`style-src &#39;self&#39; https://*.vscode-cdn.net ${EMPTY_STYLE_HASH.replace(/'/g, '&#39;')};`));
    assert.ok(html.includes(`img-src &#39;self&#39; https://*.vscode-cdn.net data:`));
  });
});

describe('webviewHtml in Chromium: the policy blocks what slips past', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  test('inline script, inline style, style attributes and remote images are blocked; the bundle runs', async () => {
    const record = JSON.parse(
      readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'webview', 'createBackupVault.json'), 'utf8'),
    ) as CloudTrailRecord;
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'csp-probe.html');
    const smuggled = [
      '<script>window.__inline = 1</script>',
      '<style>#probe { color: rgb(255, 0, 0) }</style>',
      '<div id="probe" style="background-color: rgb(0, 255, 0)">probe</div>',
      '<img id="remote" src="https://example.invalid/x.png">',
    ].join('\n');
    writeFileSync(
      file,
      previewHtml(record, file).replace('<main id="root"', () => `${smuggled}\n<main id="root"`),
    );
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(e.effectiveDirective));
    });
    await page.goto(`file://${file}`);
    await page.locator('.event-name').waitFor(); // the nonce'd bundle ran and rendered
    const result = await page.evaluate(() => {
      const probe = document.getElementById('probe') as HTMLElement;
      return {
        inline: (window as unknown as { __inline?: number }).__inline,
        color: getComputedStyle(probe).color,
        background: getComputedStyle(probe).backgroundColor,
        violations: (window as unknown as { __violations: string[] }).__violations.sort(),
      };
    });
    assert.equal(result.inline, undefined);
    assert.notEqual(result.color, 'rgb(255, 0, 0)');
    assert.notEqual(result.background, 'rgb(0, 255, 0)');
    assert.deepEqual(result.violations, ['img-src', 'script-src-elem', 'style-src-attr', 'style-src-elem']);
    await page.close();
  });
});
