/**
 * Opens a record in the event webview preview (scripts/previewWebview.ts) in Chromium and collects
 * what went wrong on the page: console errors, uncaught exceptions and CSP violations.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import type { WebviewToHost } from '../../src/protocol/protocol';
import type { PreviewOptions } from '../../scripts/previewWebview';
import { previewHtml, REPO_ROOT } from '../../scripts/previewWebview';

export const ARTIFACTS = join(REPO_ROOT, '.test-artifacts', 'render');

export interface PreviewPage {
  page: Page;
  file: string;
  /** Console errors, page errors and securitypolicyviolation reports, as text. */
  problems: string[];
  violations(): Promise<string[]>;
  posted(): Promise<WebviewToHost[]>;
  state(): Promise<unknown>;
}

export interface OpenOptions extends PreviewOptions {
  name: string;
  width?: number;
  height?: number;
  /** Seeds getState() as VS Code would after the panel was hidden and shown again. */
  initialState?: unknown;
  /** false: the stub does not answer `ready` with `show`, leaving the page in its loading state. */
  autoShow?: boolean;
  /** The browser's time zone; Tokyo by default (the seed story's), so local time differs from UTC. */
  timezoneId?: string;
}

export async function openPreview(browser: Browser, record: CloudTrailRecord, opts: OpenOptions): Promise<PreviewPage> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${opts.name}.html`);
  writeFileSync(file, previewHtml(record, file, opts));
  const page = await browser.newPage({
    viewport: { width: opts.width ?? 1000, height: opts.height ?? 900 },
    timezoneId: opts.timezoneId ?? 'Asia/Tokyo',
    locale: 'en-US',
  });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // tsx compiles test files with esbuild's keepNames, so functions passed to page.evaluate may
  // call a `__name` helper that only exists in Node; give the page a no-op one.
  await page.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
  await page.addInitScript(
    ({ seed, autoShow }) => {
      const w = window as unknown as { __cspViolations: string[]; __vscodeState?: unknown; __autoShow?: boolean };
      w.__cspViolations = [];
      w.__autoShow = autoShow;
      if (seed !== undefined) w.__vscodeState = seed;
      document.addEventListener('securitypolicyviolation', (e) => {
        w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    },
    { seed: opts.initialState, autoShow: opts.autoShow ?? true },
  );
  await page.goto(`file://${file}`);
  if (opts.autoShow !== false) await page.locator('.event-name').waitFor();
  return {
    page,
    file,
    problems,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted),
    state: () => page.evaluate(() => (window as unknown as { __vscodeState: unknown }).__vscodeState),
  };
}

/** Types a query into the search box (Ctrl+F) and waits until the count is for that query; returns the count. */
export async function search(page: Page, query: string): Promise<string> {
  await page.keyboard.press('Control+f');
  await page.keyboard.press('Control+a');
  await page.keyboard.type(query);
  const count = page.locator(`.match-count[data-query="${query}"]`);
  await count.waitFor({ state: 'attached' });
  return (await count.textContent()) ?? '';
}
