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
import type { Locator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import {
  clickContextMenuItem,
  notificationItem,
  notifications,
  openFile,
  openWorkbench,
  rightClickEditorText,
  runCommand,
  visibleWebview,
  waitForWebviewText,
  type Workbench,
} from '../harness/ui';

/** Runs a palette command that opens its own input box (runCommand waits for the palette to close). */
async function startCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
}

/** "Go to Event for Request ID" from the palette; resolves to its input box, shown. */
async function openJumpBox(page: Page): Promise<Locator> {
  await startCommand(page, 'Trail Lens: Go to Event for Request ID');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  return input;
}

/** Reveals `text` in the active editor with Find, leaving it selected and the editor focused. */
async function revealText(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+f');
  await page.locator('.find-widget.visible').waitFor({ state: 'visible' });
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

/**
 * Labels of elements a person cannot read whole: text cut by an ellipsis, or the element itself
 * pushed past the edge of its notification (or status bar) and clipped there.
 */
async function clipped(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((els) =>
    els
      .filter((e) => {
        const box = (e.closest('.notification-list-item, .part.statusbar') ?? document.body).getBoundingClientRect();
        const r = e.getBoundingClientRect();
        // No named inner functions: the test's transpiler would wrap them in a helper the page lacks.
        return (
          [e, ...Array.from(e.querySelectorAll('*'))].some((n) => n.scrollWidth > n.clientWidth + 1) ||
          r.right > box.right - 1 ||
          r.left < box.left
        );
      })
      .map((e) => `${e.textContent ?? ''} (${Math.round(e.getBoundingClientRect().width)}px)`),
  );
}

/** True when a rendered line of the deploy.log editor that starts the request ID lies inside that editor's viewport. */
async function idLineOnScreen(page: Page, id: string): Promise<boolean> {
  return page.evaluate(
    (head) => {
      const group = Array.from(document.querySelectorAll('.editor-group-container')).find((g) =>
        g.querySelector('.tab.active')?.textContent?.includes('deploy.log'),
      );
      const guard = group?.querySelector('.monaco-editor .overflow-guard');
      if (!guard) return false;
      const box = guard.getBoundingClientRect();
      return Array.from(guard.querySelectorAll('.view-line')).some((line) => {
        if (!(line.textContent ?? '').includes(head)) return false;
        const r = line.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom;
      });
    },
    id.slice(0, 8),
  );
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
    const focused = await page.evaluate(
      () => document.activeElement?.closest('.editor-group-container')?.querySelector('.tab.active')?.textContent ?? '',
    );
    assert.match(focused, /deploy\.log/, 'focus stays in the log');
    // The log re-wrapped for its narrower group: the clicked line is brought back into view.
    const deadline = Date.now() + 5000;
    while (!(await idLineOnScreen(page, requestId))) {
      if (Date.now() > deadline) assert.fail('the clicked request ID scrolled out of view when the panel opened');
      await page.waitForTimeout(200);
    }
    // A short status, shown whole (the full summary is in the log).
    const status = page.locator('.part.statusbar .statusbar-item', { hasText: 'Found CreateBackupVault' }).first();
    await status.waitFor({ state: 'visible' });
    assert.match((await status.innerText()).trim(), /^Found CreateBackupVault \((from the cache|\d+ calls?, [\d.]+ s)\)$/);
    assert.deepEqual(await clipped(status.locator('.statusbar-item-label')), [], 'the status is not cut off');
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
    await page
      .locator('.tabs-container .tab', { hasText: /^CreateKey · / })
      .first()
      .waitFor({ state: 'visible' });
    assert.equal(await eventTabs(page).count(), 2, 'pinned CreateBackupVault + new CreateKey');
    await waitForWebviewText(page, 'keyMetadata');
    console.log(`screenshot: ${await wb.screenshot('jump-followed')}`);
  });

  test('the input box validates pasted text and refuses a RequestToken', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    const input = await openJumpBox(page);
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
    await page
      .locator('.editor-instance .monaco-editor .view-lines', { hasText: '"encryptionKeyArn"' })
      .first()
      .waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('jump-json')}`);
  });

  test('two request IDs in pasted text: the person chooses, the reason the first is preferred under the other', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const other = '00000000-2222-4222-8333-444444444444';
    const input = await openJumpBox(page);
    await input.fill(`first attempt Request ID: ${other}; retried, Request ID: ${requestId}`);
    const message = page.locator('.quick-input-widget .quick-input-message');
    await message.filter({ hasText: '2 request IDs in this text: you will choose' }).waitFor({ state: 'visible' });
    await input.press('Enter');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: requestId }).first().waitFor({ state: 'visible' });
    assert.equal(await rows.count(), 2);
    const first = (await rows.nth(0).innerText()).replace(/\s+/g, ' ');
    const second = (await rows.nth(1).innerText()).replace(/\s+/g, ' ');
    assert.match(first, new RegExp(`${other}.*"Request ID".*Preferred`));
    assert.match(second, new RegExp(`${requestId}.*Not preferred: the same rank as the chosen ID, which comes first in the text`));
    console.log(`screenshot: ${await wb.screenshot('jump-choose')}`);
    await rows.nth(1).click();
    await waitForWebviewText(page, 'InvalidParameterValueException', 30_000);
  });

  test('an event ID pasted into the input box opens that event (cache, else LookupEvents by EventId)', { skip }, async () => {
    assert.ok(wb && world);
    const { page } = wb;
    const { CloudTrailClient, LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
    const client = new CloudTrailClient({
      endpoint: world.fakeUrl,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    });
    const out = await client.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] }),
    );
    client.destroy();
    const eventId = out.Events?.[0]?.EventId;
    assert.ok(eventId, 'the sample account has a CreateKey');
    await runCommand(page, 'View: Close All Editors');
    const input = await openJumpBox(page);
    await input.fill(`"eventID": "${eventId}",`);
    await page
      .locator('.quick-input-widget .quick-input-message')
      .filter({ hasText: `Will open the event with event ID ${eventId}` })
      .waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('jump-input-event-id')}`);
    await input.press('Enter');
    await page
      .locator('.tabs-container .tab', { hasText: /^CreateKey · / })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await waitForWebviewText(page, 'keyMetadata');
  });

  test('a long scan says how far back it has read, the share done and the time left', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await runCommand(page, 'View: Close All Editors');
    const input = await openJumpBox(page);
    // No hints at all: newest-first over 90 days.
    await input.fill('00000000-3333-4222-8333-444444444444');
    await input.press('Enter');
    const deadline = Date.now() + 60_000;
    let line = '';
    while (!/back to \d{4}-\d\d-\d\d \d\d:\d\d UTC · \d+% · about .+ left/.test(line)) {
      if (Date.now() > deadline) assert.fail(`no progress with position, share and estimate: ${line}`);
      await page.waitForTimeout(300);
      line = (await notifications(page)).find((t) => t.includes('Finding request 00000000-3333')) ?? '';
    }
    console.log(`progress: ${line}`);
    console.log(`screenshot: ${await wb.screenshot('jump-progress')}`);
    const item = page.locator('.notification-list-item', { hasText: 'Finding request 00000000-3333' }).first();
    await item.getByRole('button', { name: 'Cancel' }).click();
    await item.waitFor({ state: 'hidden' });
  });

  test(
    'a request ID not there minutes after the call: says CloudTrail may not have delivered it, short buttons, Keep Looking counts down',
    { skip },
    async () => {
      assert.ok(wb);
      const { page } = wb;
      const input = await openJumpBox(page);
      // A time hint close to now keeps the search short: the first window is what is reported.
      await input.fill(`${new Date().toISOString()} (Service: Kms, Status Code: 400, Request ID: 00000000-1111-4222-8333-444444444444)`);
      await input.press('Enter');
      const expected = 'No event with request ID 00000000-1111-4222-8333-444444444444';
      const item = await notificationItem(page, expected, {}, 120_000);
      const text = await item.locator('.notification-list-item-message').innerText();
      assert.match(text, /Searched EventSource = kms\.amazonaws\.com .+ UTC \(\d+ pages?\)/, 'names the server-side filter and window');
      assert.match(text, /\d+ calls?, \d+ events/, 'says how much was read');
      assert.match(
        text,
        /CloudTrail may not have delivered it yet \(the request was less than a minute ago\): Keep Looking searches again until/,
      );
      for (const label of ['Keep Looking', 'Region…', 'More…']) {
        await item.getByRole('button', { name: label }).waitFor({ state: 'visible' });
      }
      assert.deepEqual(await clipped(item.getByRole('button')), [], 'no button label is cut off');
      // The pointer away from the bell, so its tooltip does not cover the buttons in the picture.
      await page.mouse.move(700, 300);
      await page.waitForTimeout(300);
      console.log(`screenshot: ${await wb.screenshot('jump-not-found')}`);

      await item.getByRole('button', { name: 'Keep Looking' }).click();
      const waiting = await notificationItem(page, 'Waiting for CloudTrail to deliver request 00000000-1111', {}, 30_000);
      await waiting
        .filter({ hasText: /next look in \d+ s · looking until (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC \(1[45] min left\)/ })
        .waitFor({ state: 'visible' });
      console.log(`screenshot: ${await wb.screenshot('jump-keep-looking')}`);
      await waiting.getByRole('button', { name: 'Cancel' }).click();
      await waiting.waitFor({ state: 'hidden' });
    },
  );

  test('an older miss: Show Events puts the searched window in the Events view; More… offers the rest, explained', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const miss = async () => {
      // The earlier miss of this ID may still be listed: start from none.
      await runCommand(page, 'Notifications: Clear All Notifications');
      const input = await openJumpBox(page);
      await input.fill(
        `${new Date(Date.now() - 3600_000).toISOString()} (Service: Kms, Status Code: 400, Request ID: 00000000-1111-4222-8333-444444444444)`,
      );
      await input.press('Enter');
      return notificationItem(page, 'No event with request ID 00000000-1111-4222-8333-444444444444', {}, 120_000);
    };
    let item = await miss();
    assert.doesNotMatch(await item.innerText(), /may not have delivered/, 'an hour ago is past the delivery lag');
    // The rings already reached 90 days: nothing to widen, so the first step is to look at what was read.
    for (const label of ['Show Events', 'Region…', 'More…']) await item.getByRole('button', { name: label }).waitFor({ state: 'visible' });
    assert.deepEqual(await clipped(item.getByRole('button')), [], 'no button label is cut off');
    await item.getByRole('button', { name: 'More…' }).click();
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'Set Up Athena…' }).first().waitFor({ state: 'visible' });
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    assert.ok(
      texts.some((t) => /Set Up Athena… not set up: opens the setting trailLens\.athena\.table/.test(t)),
      JSON.stringify(texts),
    );
    assert.ok(
      texts.some((t) => /Set Up CloudWatch Logs… not set up: opens the setting trailLens\.cloudWatchLogs\.logGroup/.test(t)),
      JSON.stringify(texts),
    );
    console.log(`screenshot: ${await wb.screenshot('jump-more')}`);
    await page.keyboard.press('Escape');

    item = await miss();
    await item.getByRole('button', { name: 'Show Events' }).click();
    const status = page.locator('.part.statusbar .statusbar-item', { hasText: /Events view: kms\.amazonaws\.com, / }).first();
    await status.waitFor({ state: 'visible' });
    assert.deepEqual(await clipped(status), [], 'the status is not cut off');
    // The view reloads for that window (the kms events of the last 90 days), newest first.
    await page.locator('.part.sidebar').getByText('Loading events…').waitFor({ state: 'hidden', timeout: 30_000 });
    await page
      .locator('.part.sidebar [role="treeitem"]', { hasText: /CreateKey|Decrypt|DescribeKey|GenerateDataKey/ })
      .first()
      .waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('jump-show-events')}`);
  });
});
