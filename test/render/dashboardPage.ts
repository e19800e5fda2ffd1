/**
 * The error-summary dashboard page outside VS Code: the real page (webviewHtml with
 * dist/webview/dashboard.js and .css, the same CSP) plus a stub acquireVsCodeApi that records what the
 * page posts in window.__posted and answers `ready` with the given summary, in one of the preview
 * themes with VS Code's chart colours for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeNonce, webviewHtml } from '../../src/extension/panels/webviewHtml';
import type { DashboardData, DashboardToHost } from '../../src/protocol/dashboardProtocol';
import { BUNDLE_DIR, scriptJson, THEMES, type ThemeName } from '../../scripts/previewWebview';
import { ARTIFACTS } from './previewPage';

/** VS Code's `charts.*` colours in Dark Modern, Light Modern and Dark High Contrast. */
const CHART_COLOURS: Record<ThemeName, Record<string, string>> = {
  dark: { red: '#f14c4c', blue: '#3794ff', orange: '#d18616', green: '#89d185', purple: '#b180d7' },
  light: { red: '#e51400', blue: '#1a85ff', orange: '#d18616', green: '#388a34', purple: '#652d90' },
  hc: { red: '#f14c4c', blue: '#3794ff', orange: '#d18616', green: '#89d185', purple: '#b180d7' },
};

const rel = (fromDir: string, file: string) => relative(fromDir, file).split(sep).map(encodeURIComponent).join('/');

export function dashboardHtml(outFile: string, data: DashboardData, theme: ThemeName): string {
  const nonce = makeNonce();
  const dir = dirname(resolve(outFile));
  const page = webviewHtml({
    cspSource: 'file:',
    nonce,
    scriptUri: rel(dir, join(BUNDLE_DIR, 'dashboard.js')),
    styleUri: rel(dir, join(BUNDLE_DIR, 'dashboard.css')),
    title: 'Error Summary (preview)',
    loading: 'Summarising the loaded events…',
  });
  const vars = {
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    ...THEMES[theme].vars,
    ...Object.fromEntries(Object.entries(CHART_COLOURS[theme]).map(([k, v]) => [`--vscode-charts-${k}`, v])),
  };
  const stub = `(() => {
  const data = ${scriptJson(data)};
  const vars = ${scriptJson(vars)};
  const kind = ${scriptJson(THEMES[theme].kind)};
  window.__posted = [];
  const html = document.documentElement;
  for (const [k, v] of Object.entries(vars)) html.style.setProperty(k, v);
  html.style.setProperty('background', 'var(--vscode-editor-background)');
  document.addEventListener('DOMContentLoaded', () => document.body.classList.add(kind));
  window.__send = (msg) => window.dispatchEvent(new MessageEvent('message', { data: structuredClone(msg) }));
  window.acquireVsCodeApi = () => Object.freeze({
    postMessage(msg) {
      window.__posted.push(structuredClone(msg));
      if (msg && msg.type === 'ready') setTimeout(() => window.__send({ type: 'summary', data }), 0);
    },
  });
})();`;
  return page.replace('</head>', () => `<script nonce="${nonce}">${stub}</script>\n</head>`);
}

export interface DashboardPage {
  page: Page;
  problems: string[];
  violations(): Promise<string[]>;
  posted(): Promise<DashboardToHost[]>;
}

export async function openDashboardPage(
  browser: Browser,
  data: DashboardData,
  opts: { name: string; theme?: ThemeName; width?: number },
): Promise<DashboardPage> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${opts.name}.html`);
  writeFileSync(file, dashboardHtml(file, data, opts.theme ?? 'dark'));
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1100, height: 1400 }, locale: 'en-US' });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // tsx compiles with keepNames: functions passed to page.evaluate may call a `__name` helper.
  await page.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`file://${file}`);
  await page.locator('.summary-header').waitFor();
  return {
    page,
    problems,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    posted: () => page.evaluate(() => (window as unknown as { __posted: DashboardToHost[] }).__posted),
  };
}
