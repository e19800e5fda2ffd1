/**
 * The event panel in the founding layout (code-server + Chromium, 1440×900): the failing
 * CreateBackupVault beside deploy.log shows its error, requestParameters and responseElements on the
 * first screen; "Find events" on encryptionKeyArn searches at once and lists the CreateKey that
 * produced the key first; it opens in the same panel with the key highlighted and Back to return;
 * FAILED is red in light, dark and high-contrast themes. Screenshots: .test-artifacts/ui/panel-*.png.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import { clickContextMenuItem, openFile, openWorkbench, rightClickEditorText, visibleWebview, type Workbench } from '../harness/ui';

/** Picks a colour theme through "Preferences: Color Theme", as a person would. */
async function setColorTheme(page: Page, name: string): Promise<void> {
  // Keys typed in the webview stay there: give the workbench focus first (the log's tab).
  await page.locator('.tabs-container .tab', { hasText: 'deploy.log' }).first().click();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ })
    .first()
    .click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.waitForTimeout(1000); // the webview picks the new theme variables up
}

describe('Event panel (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let requestId = '';

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    const log = readFileSync(join(world.workspace, 'deploy.log'), 'utf8');
    requestId = /Request ID: ([0-9a-f-]{36})/.exec(log)?.[1] ?? '';
    assert.ok(requestId);
    wb = await openWorkbench({
      workspace: world.workspace,
      env: world.env,
      settings: { 'trailLens.endpointUrl': world.fakeUrl, 'workbench.colorTheme': 'Default Light Modern' },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  test('beside deploy.log: the error, requestParameters and responseElements are on the first screen', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openFile(page, 'deploy.log');
    await rightClickEditorText(page, requestId);
    await clickContextMenuItem(page, 'Go to Event for Request ID');
    const view = visibleWebview(page);
    await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 60_000 });
    await view.locator('[data-path="requestParameters.encryptionKeyArn"]').waitFor({ state: 'visible' });
    const frame = page.locator('iframe.webview.ready >> visible=true');
    const frameBox = await frame.boundingBox();
    assert.ok(frameBox);
    const bottom = frameBox.y + frameBox.height;
    for (const sel of [
      '.error-callout',
      '[data-path="requestParameters.encryptionKeyArn"]',
      'details[data-section="responseElements"] > summary',
    ]) {
      const b = await view.locator(sel).first().boundingBox();
      assert.ok(
        b && b.y + b.height <= bottom,
        `${sel} ends at ${b ? Math.round(b.y + b.height) : '?'}, below the panel's ${Math.round(bottom)} px`,
      );
    }
    // FAILED is red, not the badge colour WRITE uses.
    const colours = await view.locator('.tag').evaluateAll((tags) => tags.map((t) => [t.textContent, getComputedStyle(t).backgroundColor]));
    const failed = colours.find(([t]) => t === 'failed')?.[1] ?? '';
    const write = colours.find(([t]) => t === 'write')?.[1] ?? '';
    assert.notEqual(failed, write, `FAILED ${failed} vs WRITE ${write}`);
    const [r, g, b] = (failed.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    assert.ok(r > 150 && g < 80 && b < 80, `FAILED is red: ${failed}`);
    await page.mouse.move(5, 450);
    console.log(`screenshot: ${await wb.screenshot('panel-light')}`);
  });

  test(
    'Find events on encryptionKeyArn: searched at once, the producer first, opened in place with the key highlighted, Back returns',
    { skip },
    async () => {
      assert.ok(wb);
      const { page } = wb;
      const view = visibleWebview(page);
      const row = view.locator('li[data-path="requestParameters.encryptionKeyArn"] > .row');
      await row.hover();
      // The buttons sit beside the value, not over it.
      const value = await row.locator('.value').boundingBox();
      const buttons = await row.locator('.actions').boundingBox();
      assert.ok(value && buttons && buttons.x >= value.x + value.width - 1, 'row buttons clear of the value');
      await row.locator('button[title^="Find events"]').click();

      // No "nothing loaded" notice asking for a second click: the pick comes with CloudTrail already read.
      const first = page
        .locator('.quick-input-list .monaco-list-row:not(.quick-input-list-separator-border)', { hasText: /CreateKey/ })
        .first();
      await first.waitFor({ state: 'visible', timeout: 60_000 });
      // (Looking without opening the notification center, which would close the pick.)
      assert.equal(
        await page.locator('.notifications-toasts .notification-list-item', { hasText: 'No other' }).count(),
        0,
        'no second click asked for',
      );
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      const firstEvent = rows.map((t) => t.replace(/\s+/g, ' ').trim()).find((t) => /produced|passed|mentions/.test(t)) ?? '';
      assert.match(
        firstEvent,
        /CreateKey.*produced this value.*responseElements\.keyMetadata\.keyId/,
        `the first event listed: ${firstEvent}`,
      );
      console.log(`screenshot: ${await wb.screenshot('panel-find-value')}`);
      await first.click();

      // Same panel (it was not pinned), now CreateKey, with the key highlighted and a way back.
      await page
        .locator('.tabs-container .tab', { hasText: /^CreateKey · / })
        .first()
        .waitFor({ state: 'visible' });
      assert.equal(
        await page.locator('.tabs-container .tab', { hasText: /^(CreateBackupVault|CreateKey) · / }).count(),
        1,
        'followed in place',
      );
      const keyRow = view.locator('li[data-path="responseElements.keyMetadata.keyId"] > .row.followed');
      await keyRow.waitFor({ state: 'visible' });
      const note = (await view.locator('.followed-note').innerText()).replace(/\s+/g, ' ');
      assert.match(note, /from CreateBackupVault · .*: this event produced it at responseElements\.keyMetadata\.keyId/);
      const back = view.locator('vscode-button.history-back');
      assert.match((await back.getAttribute('title')) ?? '', /^Back to CreateBackupVault · /);
      await page.mouse.move(5, 450);
      console.log(`screenshot: ${await wb.screenshot('panel-follow-key')}`);

      await back.click();
      await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible' });
      assert.match((await view.locator('vscode-button.history-forward').getAttribute('title')) ?? '', /^Forward to CreateKey · /);
    },
  );

  for (const [theme, file] of [
    ['Dark Modern', 'panel-dark'],
    ['Default High Contrast', 'panel-hc'],
  ] as const) {
    test(`${theme}: FAILED and the error callout keep their error colour`, { skip }, async () => {
      assert.ok(wb);
      const { page } = wb;
      await setColorTheme(page, theme);
      const view = visibleWebview(page);
      await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible' });
      const failed = view.locator('.tag.failed');
      const style = await failed.evaluate((t) => ({ bg: getComputedStyle(t).backgroundColor, fg: getComputedStyle(t).color }));
      const red = (c: string) => {
        const [r, g, b] = (c.match(/\d+/g) ?? []).map(Number) as [number, number, number];
        return r > 150 && r > g + 60 && r > b + 60;
      };
      assert.ok(red(style.bg) || red(style.fg), `FAILED is red in ${theme}: ${JSON.stringify(style)}`);
      const border = await view.locator('.error-callout').evaluate((e) => getComputedStyle(e).borderLeftColor);
      assert.ok(red(border), `the callout's border is red in ${theme}: ${border}`);
      await page.mouse.move(5, 450);
      console.log(`screenshot: ${await wb.screenshot(file)}`);
    });
  }
});
