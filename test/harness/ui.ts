/**
 * Driving the real workbench as a person would (playwright-core + code-server), for test/ui
 * and test/vsix. Selectors and traps: docs/testing.md; every helper waits for what it needs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { openBrowserPage, VIEWPORT } from '../../scripts/workbench/browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from '../../scripts/workbench/codeServer';
import { artifactPath, extensionPath } from './testEnv';

export interface WorkbenchOptions extends Partial<Omit<CodeServerOptions, 'extensionDevelopmentPath'>> {
  /** Default: the repo (or TRAIL_LENS_EXTENSION_PATH). `false`: load none (e.g. an installed VSIX). */
  extensionDevelopmentPath?: string | false;
  /** Files (relative path → text) for the temp workspace made when `workspace` is not given. */
  files?: Record<string, string>;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: CodeServer;
  workspace: string;
  /** Saves `.test-artifacts/ui/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Settings UI tests add: wrapped lines keep long log lines (and their request IDs) on screen. */
// Section headers show their actions without a hover: with several views in the Trail Lens
// container, the Events view's actions sit in its section header (see viewActions).
const UI_SETTINGS = {
  'editor.wordWrap': 'on',
  'editor.minimap.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.view.alwaysShowHeaderActions': true,
};

/** Starts code-server with the extension, opens the page and waits until the workbench is up. */
export async function openWorkbench(opts: WorkbenchOptions = {}): Promise<Workbench> {
  const { files, extensionDevelopmentPath, ...serverOpts } = opts;
  let tempWorkspace: string | undefined;
  let workspace = opts.workspace;
  if (!workspace) {
    tempWorkspace = mkdtempSync(join(tmpdir(), 'trail-lens-ui-ws-'));
    workspace = tempWorkspace;
  }
  for (const [rel, text] of Object.entries(files ?? {})) {
    mkdirSync(dirname(join(workspace, rel)), { recursive: true });
    writeFileSync(join(workspace, rel), text);
  }
  const devPath = extensionDevelopmentPath === false ? undefined : (extensionDevelopmentPath ?? extensionPath());
  const server = await startCodeServer({
    ...serverOpts,
    workspace,
    extensionDevelopmentPath: devPath,
    settings: { ...UI_SETTINGS, ...opts.settings },
  });
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => {});
    await server.stop();
    if (tempWorkspace) rmSync(tempWorkspace, { recursive: true, force: true });
  };
  try {
    const opened = await openBrowserPage();
    browser = opened.browser;
    const page = opened.page;
    page.setDefaultTimeout(15_000);
    await page.goto(server.url);
    await waitForWorkbench(page);
    return {
      page,
      browser,
      server,
      workspace,
      screenshot: async (name) => {
        const path = artifactPath('ui', `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The workbench is usable: activity bar drawn and the explorer/editor parts laid out. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Command palette: F1, `>Title`, wait for the row, Enter (or a click when the row is not the first). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  const focused = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title });
  if ((await focused.count()) > 0) await input.press('Enter');
  else await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Developer: Reload Window, as a person reloads. Unlike `page.reload()`, the workbench first writes
 * its state (the open editors, what extensions stored) and only then reloads the page.
 */
export async function reloadWindow(page: Page): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await loaded;
  await waitForWorkbench(page);
}

/**
 * Holds Ctrl and moves the pointer onto `at` until `active()` says the link under it shows: the
 * link providers answer some time after a document or terminal line appears (later on a loaded
 * machine), and the workbench only looks for a link when the pointer moves. Ctrl stays down.
 */
export async function ctrlHoverUntil(
  page: Page,
  at: { x: number; y: number },
  active: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  await page.keyboard.down('Control');
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    await page.mouse.move(at.x - 12 - (i % 3) * 4, at.y);
    await page.mouse.move(at.x, at.y, { steps: 2 });
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      if (await active()) return;
      await page.waitForTimeout(100);
    }
    if (Date.now() > deadline) {
      await page.keyboard.up('Control');
      throw new Error(`no link showed under Ctrl+hover at ${Math.round(at.x)},${Math.round(at.y)} within ${timeoutMs / 1000} s`);
    }
  }
}

/**
 * The title actions of a view in the side bar: in the side bar's own title when the view is the
 * only one shown, else in the view's section header (Events, Stacks, Trails, Investigation).
 */
export function viewActions(page: Page, view = 'Events'): Locator {
  const section = page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header .title', { hasText: new RegExp(`^${view}$`, 'i') }) })
    .locator('.pane-header .actions');
  return section.or(page.locator('.part.sidebar .title-actions'));
}

/** Opens or folds a side-bar section by clicking its title, until its header says so. */
export async function setSectionExpanded(page: Page, title: string, expanded: boolean): Promise<void> {
  const header = page.locator('.part.sidebar .pane-header', { hasText: title }).first();
  await header.waitFor({ state: 'visible' });
  const deadline = Date.now() + 15_000;
  while ((await header.getAttribute('aria-expanded')) !== String(expanded)) {
    if (Date.now() > deadline) throw new Error(`the ${title} section did not ${expanded ? 'open' : 'fold'}`);
    await header.click({ position: { x: 24, y: 10 } });
    await page
      .waitForFunction(
        ([t, want]) =>
          [...document.querySelectorAll('.part.sidebar .pane-header')].some(
            (h) => h.textContent?.includes(t) && h.getAttribute('aria-expanded') === want,
          ),
        [title, String(expanded)] as const,
        { timeout: 5_000 },
      )
      .catch(() => undefined);
  }
}

/** Quick open (F1 without `>` is file search) and wait for the editor tab. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relPath);
  const name = relPath.split('/').pop() ?? relPath;
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible' });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
}

/** Screen point in the middle of `text` in the active editor's rendered lines, if it is rendered. */
async function textPoint(page: Page, text: string): Promise<{ x: number; y: number } | undefined> {
  return page.evaluate((needle) => {
    const lines = document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line');
    for (const line of Array.from(lines)) {
      // Monaco renders spaces as U+00A0; compare on normal spaces.
      const flat = (line.textContent ?? '').replace(/\u00a0/g, ' ');
      const at = flat.indexOf(needle);
      if (at < 0) continue;
      // Walk the text nodes to turn the character offset into a DOM range.
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0;
      let startSet = false;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent?.length ?? 0;
        if (!startSet && at < seen + len) {
          range.setStart(node, at - seen);
          startSet = true;
        }
        if (startSet && at + needle.length <= seen + len) {
          range.setEnd(node, at + needle.length - seen);
          const r = range.getClientRects()[0] ?? range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        seen += len;
      }
    }
    return undefined;
  }, text);
}

/** `point` lies inside the editor's text area (clear of minimap and scrollbars). */
async function onScreen(page: Page, point: { x: number; y: number } | undefined): Promise<boolean> {
  const box = await page.locator('.editor-instance .monaco-editor .overflow-guard').first().boundingBox();
  if (!point || !box) return false;
  return point.x > box.x + 40 && point.x < box.x + box.width - 140 && point.y > box.y + 5 && point.y < box.y + box.height - 15;
}

/**
 * The on-screen point of `text` in the active editor. When it is scrolled away (a long line,
 * a line below the fold) the editor's Find widget brings it into view, as a person would do.
 */
async function revealText(page: Page, text: string): Promise<{ x: number; y: number }> {
  await page.locator('.editor-instance .monaco-editor .overflow-guard').first().waitFor({ state: 'visible' });
  let point = await textPoint(page, text);
  if (await onScreen(page, point)) return point as { x: number; y: number };
  await page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+F');
  const find = page.locator('.editor-instance .find-widget textarea').first();
  await find.waitFor({ state: 'visible' });
  await find.fill(text);
  await find.press('Enter');
  await find.press('Escape');
  await page.waitForTimeout(200);
  point = await textPoint(page, text);
  if (await onScreen(page, point)) return point as { x: number; y: number };
  throw new Error(`"${text}" is not in the active editor, or not on screen even after Find`);
}

/**
 * Opens the editor context menu at `text` in the active editor (the cursor lands on the text,
 * as when a person right-clicks a word). `select: true` selects the text first by double-click.
 */
export async function rightClickEditorText(page: Page, text: string, opts: { select?: boolean } = {}): Promise<void> {
  const point = await revealText(page, text);
  if (opts.select) await page.mouse.dblclick(point.x, point.y);
  else await page.mouse.click(point.x, point.y);
  await page.mouse.click(point.x, point.y, { button: 'right' });
  await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'visible' });
}

/** Clicks a context-menu entry by its label and waits for the menu to close. */
export async function clickContextMenuItem(page: Page, label: string): Promise<void> {
  const item = page.locator('.context-view .action-item', { hasText: label }).first();
  await item.waitFor({ state: 'visible' });
  await item.click();
  // The menu that held the item closes (another context view, such as a webview's, may stay). A
  // menu that opened under a moving pointer can take the click as the end of the opening gesture:
  // then the item, focused by the pointer, is chosen with Enter, as from the keyboard.
  try {
    await item.waitFor({ state: 'hidden', timeout: 3000 });
  } catch {
    await item.hover();
    await page.keyboard.press('Enter');
    await item.waitFor({ state: 'hidden' });
  }
}

/** Opens a view container from the activity bar by its title (e.g. "Trail Lens"). */
export async function openViewContainer(page: Page, title: string | RegExp): Promise<void> {
  const tab = page.locator('.activitybar').getByRole('tab', { name: title });
  await tab.waitFor({ state: 'visible' });
  // Selected but with the side bar closed (a reload can restore it so): the click opens it again.
  const selected = (await tab.getAttribute('aria-selected')) === 'true';
  if (!selected || !(await page.locator('.part.sidebar').isVisible())) await tab.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible' });
  // Park the pointer at the window's right edge so the tab's tooltip does not cover the view.
  await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height / 2);
}

/** The content of the active webview (nested iframes: `iframe.webview.ready` → `#active-frame`). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** The content of the visible event webview (hidden ones keep their iframe). */
export function visibleWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** A tree item in the side bar by its accessible name. */
export function treeItem(page: Page, name: string | RegExp): Locator {
  return page.locator('.part.sidebar').getByRole('treeitem', { name });
}

/** Waits until one of the event webviews shows `text` (pinned panels keep theirs visible beside the new one). */
export async function waitForWebviewText(page: Page, text: string | RegExp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = page.locator('iframe.webview.ready');
    for (let i = 0; i < (await frames.count()); i++) {
      const inner = page.frameLocator(`iframe.webview.ready >> nth=${i}`).frameLocator('#active-frame');
      if (
        await inner
          .getByText(text)
          .first()
          .isVisible()
          .catch(() => false)
      )
        return;
    }
    if (Date.now() > deadline) throw new Error(`no event webview shows "${String(text)}"`);
    await page.waitForTimeout(250);
  }
}

/**
 * The notification whose message holds `text` (toast or center), waited for, expanded so its buttons
 * show (a collapsed one in the center hides them), scrolled into view, the pointer off the bell.
 */
export async function notificationItem(
  page: Page,
  text: string | RegExp,
  opts: { expand?: boolean } = {},
  timeoutMs = 90_000,
): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  const has = (t: string) => (typeof text === 'string' ? t.includes(text) : text.test(t));
  // An Extension Development Host may only light the bell: notifications() opens the center then.
  while (!(await notifications(page)).some(has)) {
    if (Date.now() > deadline) throw new Error(`no notification says "${text}": ${JSON.stringify(await notifications(page))}`);
    await page.waitForTimeout(500);
  }
  const item = page.locator('.notification-list-item', { hasText: text }).first();
  // Off the bell first: its tooltip would cover the expand button.
  await page.mouse.move(700, 300);
  const expand = item.locator('.codicon-notifications-expand');
  if (opts.expand !== false && (await expand.isVisible().catch(() => false))) await expand.click();
  await item
    .locator('.notification-list-item-buttons-container')
    .scrollIntoViewIfNeeded()
    .catch(() => {});
  await page.mouse.move(700, 300);
  return item;
}

/**
 * Texts of the notifications shown. An Extension Development Host may only light the bell,
 * so when no toast is visible this opens the notification center to read them.
 */
export async function notifications(page: Page): Promise<string[]> {
  const messages = page.locator(
    '.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message',
  );
  if ((await messages.count()) === 0) {
    const bell = page.locator('[id="status.notifications"]');
    if ((await bell.count()) > 0) {
      await bell.click();
      await page
        .locator('.notifications-center')
        .waitFor({ state: 'visible', timeout: 5000 })
        .catch(() => {});
    }
  }
  return (await messages.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}
