/**
 * Request IDs as a person sees them in logs (code-server + Chromium): a dotted underline under the
 * request ID in deploy.log (not under the RequestToken beside it), in light, dark and high-contrast
 * themes; Ctrl+click on it, Ctrl+Alt+R with the cursor on it and the context menu (which shows the
 * keybinding) all run the jump; in the integrated terminal the ID is a link that runs it too.
 * Served by the fake CloudTrail endpoint with the sample account (testEnv.ts), like jump.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { storyIds } from '../../scripts/workbench/demoWorkspace';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import { ctrlHoverUntil, openFile, openWorkbench, rightClickEditorText, runCommand, type Workbench } from '../harness/ui';

const SETTINGS = {
  'editor.wordWrap': 'on',
  'editor.minimap.enabled': false,
  // The DOM renderer: the terminal's text is in the page, where the test can find the ID.
  'terminal.integrated.gpuAcceleration': 'off',
};

function visibleWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** The texts in the active editor drawn with a dotted underline (the request-ID decoration). */
function underlined(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line span span')]
      .filter((s) => {
        const style = getComputedStyle(s);
        return style.textDecorationLine.includes('underline') && style.textDecorationStyle === 'dotted';
      })
      .map((s) => (s.textContent ?? '').replace(/\u00a0/g, ' ')),
  );
}

/** Screen point in the middle of the last occurrence of `text` in the terminal's rows. */
function terminalPoint(page: Page, text: string): Promise<{ x: number; y: number } | undefined> {
  return page.evaluate((needle) => {
    const rows = [...document.querySelectorAll('.terminal-wrapper .xterm-rows > div')].reverse();
    for (const row of rows) {
      const flat = (row.textContent ?? '').replace(/\u00a0/g, ' ');
      const at = flat.lastIndexOf(needle);
      if (at < 0) continue;
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent?.length ?? 0;
        const mid = at + Math.floor(needle.length / 2);
        if (mid < seen + len) {
          const range = document.createRange();
          range.setStart(node, mid - seen);
          range.setEnd(node, mid - seen + 1);
          const r = range.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }
        seen += len;
      }
    }
    return undefined;
  }, text);
}

/** Preferences: Color Theme (Ctrl+K Ctrl+T), as a person picks one. */
async function pickColorTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Control+t');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(theme);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: theme }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function waitForFailedEvent(page: Page): Promise<void> {
  const view = visibleWebview(page);
  await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 60_000 });
  await view.getByText('CreateBackupVault').first().waitFor({ state: 'visible' });
}

/** Ctrl+hover until the link shows (`active`), screenshot `<shot>-hover`, Ctrl+click, then the failed event opens. */
async function ctrlClick(wb: Workbench, at: { x: number; y: number }, active: () => Promise<boolean>, shot: string): Promise<void> {
  const { page } = wb;
  await ctrlHoverUntil(page, at, active);
  console.log(`screenshot: ${await wb.screenshot(`${shot}-hover`)}`);
  await page.mouse.click(at.x, at.y);
  await page.keyboard.up('Control');
  await waitForFailedEvent(page);
  console.log(`screenshot: ${await wb.screenshot(shot)}`);
}

/** The terminal draws the link under the pointer as followable (pointer cursor) while Ctrl is down. */
function terminalLinkActive(page: Page): Promise<boolean> {
  return page.evaluate(() => document.querySelector('.terminal-wrapper .xterm-cursor-pointer') !== null);
}

describe('request-ID underlines and links (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let requestId = '';
  let requestToken = '';

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    ({ requestId, requestToken } = storyIds(world.workspace));
    wb = await openWorkbench({
      workspace: world.workspace,
      env: world.env,
      settings: { ...SETTINGS, 'trailLens.endpointUrl': world.fakeUrl },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  test(
    'the request ID in deploy.log is underlined, the RequestToken is not, in light, dark and high-contrast themes',
    { skip },
    async () => {
      assert.ok(wb && world);
      const { page } = wb;
      await openFile(page, 'deploy.log');
      const themes: [string, string][] = [
        ['Light 2026', 'links-underline-light'],
        ['Dark 2026', 'links-underline-dark'],
        ['Dark High Contrast', 'links-underline-hc'],
      ];
      for (const [theme, shot] of themes) {
        await pickColorTheme(page, theme);
        const kind = theme.includes('High Contrast') ? 'hc-black' : theme.includes('Dark') ? 'vs-dark' : 'vs';
        await page.waitForFunction((name) => document.querySelector('.monaco-workbench')?.classList.contains(name) ?? false, kind, {
          timeout: 15_000,
        });
        await page
          .locator('.view-lines', { hasText: requestId.slice(0, 8) })
          .first()
          .waitFor({ state: 'visible' });
        let marks: string[] = [];
        const deadline = Date.now() + 10_000;
        while ((marks = await underlined(page)).length === 0 && Date.now() < deadline) await page.waitForTimeout(200);
        // A wrapped line can split the ID over two rows: the pieces make up the ID.
        assert.equal(marks.join(''), requestId, `underlined: ${JSON.stringify(marks)}`);
        assert.ok(!marks.some((m) => requestToken.includes(m)), 'the RequestToken is underlined');
        console.log(`screenshot: ${await wb.screenshot(shot)}`);
      }
    },
  );

  test('the context menu shows Ctrl+Alt+R beside the jump', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await rightClickEditorText(page, requestId.slice(0, 8));
    const item = page.locator('.context-view .action-item', { hasText: 'Go to Event for Request ID' }).first();
    await item.waitFor({ state: 'visible' });
    assert.match(await item.locator('.keybinding').innerText(), /^Ctrl\+Alt\+R$/);
    console.log(`screenshot: ${await wb.screenshot('links-context-menu')}`);
    await page.keyboard.press('Escape');
  });

  test('Ctrl+Alt+R on the request ID opens its event', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    // rightClickEditorText left the cursor on the ID.
    await page.keyboard.press('Control+Alt+r');
    await waitForFailedEvent(page);
    console.log(`screenshot: ${await wb.screenshot('links-keybinding')}`);
    await runCommand(page, 'View: Close All Editors');
  });

  test('Ctrl+click on the underlined request ID opens its event', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openFile(page, 'deploy.log');
    await rightClickEditorText(page, requestId.slice(0, 8));
    await page.keyboard.press('Escape');
    // The editor redraws its lines as the menu closes: take the box of a span that is on screen now.
    const span = page.locator('.editor-instance .view-line span', { hasText: requestId.slice(0, 8) }).last();
    let box = null;
    for (const deadline = Date.now() + 10_000; !box && Date.now() < deadline;) {
      await span.waitFor({ state: 'visible' });
      box = await span.boundingBox();
    }
    assert.ok(box, 'the request ID is not on screen');
    // Ctrl+hover marks the link, then the click follows it.
    const link = page.locator('.editor-instance .detected-link-active').first();
    await ctrlClick(wb, { x: box.x + 10, y: box.y + box.height / 2 }, () => link.isVisible(), 'links-ctrl-click');
    await runCommand(page, 'View: Close All Editors');
  });

  test('in the integrated terminal the request ID is a link that opens its event', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper .xterm-rows').first().waitFor({ state: 'visible' });
    await page.locator('.terminal-wrapper .xterm-helper-textarea').first().focus();
    // Printed by the shell, as an SDK's error would be; the hints give Service: Backup.
    await page.keyboard.type(`printf '%s\\n' 'An error occurred (Service: Backup, Status Code: 400, Request ID: '${requestId}')'`);
    await page.keyboard.press('Enter');
    let point: { x: number; y: number } | undefined;
    const deadline = Date.now() + 15_000;
    while (!(point = await terminalPoint(page, `Request ID: ${requestId}`)) && Date.now() < deadline) await page.waitForTimeout(250);
    assert.ok(point, 'the printed line is not in the terminal');
    // The point is the middle of "Request ID: <id>": a little right of it is inside the ID.
    await ctrlClick(wb, { x: point.x + 130, y: point.y }, () => terminalLinkActive(page), 'links-terminal');
  });
});
