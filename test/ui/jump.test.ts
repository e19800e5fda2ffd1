/**
 * The seed story as a person lives it (code-server + Chromium): deploy.log holds CloudFormation's
 * status reason; right-click its request ID → "Go to Event for Request ID" → the event panel opens
 * beside the log showing the failed CreateBackupVault and its encryptionKeyArn; follow the key ID
 * to the kms:CreateKey that made it; the hover knows the event; the input box refuses a RequestToken.
 * Served by the fake CloudTrail endpoint with the sample account (testEnv.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../harness/bootstrap';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import { clickContextMenuItem, notifications, openFile, openWorkbench, rightClickEditorText, runCommand, type Workbench } from '../harness/ui';

/** The visible event webview (hidden ones keep their iframe). */
function visibleWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** Runs a palette command that opens its own input box (runCommand waits for the palette to close). */
async function startCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
}

/** Reveals `text` in the active editor with Find, leaving it selected and the editor focused. */
async function revealText(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+f');
  await page.locator('.find-widget.visible').waitFor({ state: 'visible' });
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

/** Waits until one of the event webviews shows `text` (pinned panels stay visible next to the new one). */
async function waitForWebviewText(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = page.locator('iframe.webview.ready');
    for (let i = 0; i < (await frames.count()); i++) {
      const inner = page.frameLocator(`iframe.webview.ready >> nth=${i}`).frameLocator('#active-frame');
      if (await inner.getByText(text).first().isVisible().catch(() => false)) return;
    }
    if (Date.now() > deadline) throw new Error(`no event webview shows "${text}"`);
    await page.waitForTimeout(250);
  }
}

function eventTabs(page: Page) {
  return page.locator('.tabs-container .tab', { hasText: /^(CreateBackupVault|CreateKey) · \d{2}:\d{2}:\d{2}/ });
}

describe('Request-ID jump (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let requestId = '';
  let requestToken = '';
  let statusLine = '';

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    const log = readFileSync(join(world.workspace, 'deploy.log'), 'utf8');
    requestId = /Request ID: ([0-9a-f-]{36})/.exec(log)?.[1] ?? '';
    requestToken = /RequestToken: ([0-9a-f-]{36})/.exec(log)?.[1] ?? '';
    statusLine = log.split('\n').find((l) => l.includes(requestId)) ?? '';
    assert.ok(requestId && requestToken && statusLine);
    wb = await openWorkbench({
      workspace: world.workspace,
      env: world.env,
      settings: { 'trailLens.endpointUrl': world.fakeUrl },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  test('right-click the request ID in deploy.log → the event opens beside the log', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openFile(page, 'deploy.log');
    await rightClickEditorText(page, requestId);
    await clickContextMenuItem(page, 'Go to Event for Request ID');

    const view = visibleWebview(page);
    await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 60_000 });
    await view.getByText('encryptionKeyArn').first().waitFor({ state: 'visible' });
    await view.getByText('CreateBackupVault').first().waitFor({ state: 'visible' });
    await eventTabs(page).first().waitFor({ state: 'visible' });
    // Beside, not over: the log is still on screen in its own group, and the panel did not take focus.
    assert.equal(await page.locator('.editor-group-container').count(), 2, 'two editor groups');
    await page.locator('.tabs-container .tab', { hasText: 'deploy.log' }).first().waitFor({ state: 'visible' });
    const focused = await page.evaluate(() => document.activeElement?.closest('.editor-group-container')?.querySelector('.tab.active')?.textContent ?? '');
    assert.match(focused, /deploy\.log/, 'focus stays in the log');
    console.log(`screenshot: ${await wb.screenshot('jump-found')}`);
  });

  test('the hover on the request ID now shows the event without a search', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await page.locator('.tabs-container .tab', { hasText: 'deploy.log' }).first().click();
    // The panel beside made the log narrower: the ID wrapped out of view, so find it first.
    await revealText(page, requestId);
    // Keyboard hover (Ctrl+K Ctrl+I) at the cursor, which Find left on the ID.
    await page.keyboard.press('Control+k');
    await page.keyboard.press('Control+i');
    const hover = page.locator('.monaco-hover-content').filter({ hasText: 'CreateBackupVault' }).first();
    await hover.waitFor({ state: 'visible' });
    const text = await hover.innerText();
    assert.match(text, /InvalidParameterValueException/);
    assert.match(text, /Open Event/);
    console.log(`screenshot: ${await wb.screenshot('jump-hover')}`);
    await page.keyboard.press('Escape');
  });

  test('pin the event, then follow the KMS key ID to the CreateKey that created it', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const view = visibleWebview(page);
    const pin = view.locator('vscode-button[title^="Keep this event"]').first();
    await pin.click();
    await view.locator('vscode-button[title^="Keep this event"][aria-pressed="true"]', { hasText: 'Pinned' }).waitFor({ state: 'visible' });

    const row = view.locator('li[data-path="requestParameters.encryptionKeyArn"] > .row');
    await row.hover();
    await row.locator('button[title^="Find events"]').click();
    // CreateKey is not loaded yet (the tree shows the newest page, the jump read Backup events only):
    // the person is offered a search around the event, or it is already among the loaded ones.
    const pick = page.locator('.quick-input-widget');
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (await pick.isVisible()) break;
      // An Extension Development Host may only light the bell: notifications() opens the center then.
      if ((await notifications(page)).some((t) => t.includes('No other loaded event holds'))) {
        console.log(`screenshot: ${await wb.screenshot('jump-find-value-offer')}`);
        const offer = page.locator('.notification-list-item', { hasText: 'No other loaded event holds' }).first();
        const expand = offer.locator('.codicon-notifications-expand');
        if (await expand.isVisible()) await expand.click(); // collapsed in the center: buttons hidden
        await offer.getByRole('button', { name: /Search CloudTrail/ }).click();
        await pick.waitFor({ state: 'visible', timeout: 30_000 });
        break;
      }
      if (Date.now() > deadline) {
        console.log(`screenshot: ${await wb.screenshot('jump-find-value-nothing')}`);
        assert.fail('neither a quick pick nor an offer to search appeared');
      }
      await page.waitForTimeout(500);
    }
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'CreateKey' }).first();
    await item.waitFor({ state: 'visible' });
    const itemText = (await item.innerText()).replace(/\s+/g, ' ');
    assert.match(itemText, /responseElements\.keyMetadata\.keyId/, `the relation is named: ${itemText}`);
    console.log(`screenshot: ${await wb.screenshot('jump-find-value')}`);
    await item.click();

    // The pinned panel stays; CreateKey opens in a second one.
    await page.locator('.tabs-container .tab', { hasText: /^CreateKey · / }).first().waitFor({ state: 'visible' });
    assert.equal(await eventTabs(page).count(), 2, 'pinned CreateBackupVault + new CreateKey');
    await waitForWebviewText(page, 'keyMetadata');
    console.log(`screenshot: ${await wb.screenshot('jump-followed')}`);
  });

  test('the input box validates pasted text and refuses a RequestToken', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    await startCommand(page, 'Trail Lens: Go to Event for Request ID');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    const message = page.locator('.quick-input-widget .quick-input-message');
    await input.fill(`(RequestToken: ${requestToken}, HandlerErrorCode: InvalidRequest)`);
    await message.filter({ hasText: 'That is a CloudFormation RequestToken, not a request ID' }).waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('jump-input-token')}`);
    await input.fill('nothing to see here');
    await message.filter({ hasText: 'No request ID found in that text' }).waitFor({ state: 'visible' });
    await input.fill(statusLine);
    await message.filter({ hasText: `Will search for ${requestId}` }).waitFor({ state: 'visible' });
    await input.press('Enter');
    await visibleWebview(page).getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 30_000 });
    console.log(`screenshot: ${await wb.screenshot('jump-input-found')}`);

    // "Open as JSON" in the panel: a read-only JSON document beside it, folding included.
    await visibleWebview(page).locator('vscode-button', { hasText: 'Open as JSON' }).first().click();
    const jsonTab = page.locator('.tabs-container .tab', { hasText: /^CreateBackupVault-[0-9a-f-]+\.json/ }).first();
    await jsonTab.waitFor({ state: 'visible' });
    await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: '"encryptionKeyArn"' }).first().waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('jump-json')}`);
  });

  test('a request ID that is not there says what was searched', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await startCommand(page, 'Trail Lens: Go to Event for Request ID');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    // A time hint close to now keeps the search short: the first window is what is reported.
    await input.fill(`${new Date().toISOString()} (Service: Kms, Status Code: 400, Request ID: 00000000-1111-4222-8333-444444444444)`);
    await input.press('Enter');
    const expected = 'No event with request ID 00000000-1111-4222-8333-444444444444';
    // An Extension Development Host may only light the bell: notifications() opens the center then.
    const deadline = Date.now() + 120_000;
    let shown: string[] = [];
    while (!shown.some((t) => t.includes(expected)) && Date.now() < deadline) {
      await page.waitForTimeout(1000);
      shown = await notifications(page);
    }
    const text = shown.find((t) => t.includes(expected));
    assert.ok(text, `no not-found message; notifications: ${JSON.stringify(shown)}`);
    assert.match(text, /Searched EventSource = kms\.amazonaws\.com .+ UTC \(\d+ pages?\)/, 'names the server-side filter and window');
    assert.match(text, /\d+ calls?, \d+ events/, 'says how much was read');
    const item = page.locator('.notification-list-item', { hasText: expected }).first();
    const expand = item.locator('.codicon-notifications-expand');
    if (await expand.isVisible()) await expand.click();
    for (const label of ['Another Region…', 'Copy Athena Query', 'Copy CloudTrail Lake Query']) {
      await item.getByRole('button', { name: label }).waitFor({ state: 'visible' });
    }
    console.log(`screenshot: ${await wb.screenshot('jump-not-found')}`);
  });
});
