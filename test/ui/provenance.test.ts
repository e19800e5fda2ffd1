/**
 * The failed deployment in the workbench (code-server + Chromium) on the sample account: the request-ID jump
 * opens the failed CreateBackupVault with encryptionKeyArn flagged "Not an ARN" and the ARN it
 * should have been; ONE click on "Where did this value come from?" opens the CreateKey that
 * produced the key ID, in the same panel, with the key ARN beside it. In light and dark themes.
 * Screenshots: .test-artifacts/ui/provenance-*.png.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import { clickContextMenuItem, openFile, openWorkbench, rightClickEditorText, visibleWebview, type Workbench } from '../harness/ui';

const FLAG = 'li[data-path="requestParameters.encryptionKeyArn"] > .shape-flag';

/** Picks a colour theme through "Preferences: Color Theme", as a person would. */
async function setColorTheme(page: Page, name: string): Promise<void> {
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
}

/** Waits until the panel's body has the theme kind's class (the webview picked the theme up). */
async function themeApplied(view: FrameLocator, kind: 'vscode-light' | 'vscode-dark'): Promise<void> {
  await view.locator(`body.${kind}`).waitFor({ state: 'attached', timeout: 30_000 });
}

/** The flag's one click, and what it leads to: CreateKey in the same panel, the key highlighted, its ARN beside. */
async function clickThrough(wb: Workbench, view: FrameLocator, keyArn: string, shot: string): Promise<void> {
  const { page } = wb;
  await view.locator(FLAG).getByRole('button', { name: 'Where did this value come from?' }).click();
  await page
    .locator('.tabs-container .tab', { hasText: /^CreateKey · / })
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  assert.equal(
    await page.locator('.tabs-container .tab', { hasText: /^(CreateBackupVault|CreateKey) · / }).count(),
    1,
    'followed in place',
  );
  await view.locator('li[data-path="responseElements.keyMetadata.keyId"] > .row.followed').waitFor({ state: 'visible' });
  const note = (await view.locator('.followed-note').innerText()).replace(/\s+/g, ' ');
  assert.match(note, /from CreateBackupVault · .*: this event produced it at responseElements\.keyMetadata\.keyId/);
  assert.equal(await view.locator('.followed-note .followed-arn').innerText(), keyArn);
  await page.mouse.move(5, 450);
  console.log(`screenshot: ${await wb.screenshot(shot)}`);
}

describe('Value provenance (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let requestId = '';
  let keyArn = '';

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

  test('the jump opens CreateBackupVault with encryptionKeyArn flagged, in words, and the ARN it should have been', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openFile(page, 'deploy.log');
    await rightClickEditorText(page, requestId);
    await clickContextMenuItem(page, 'Go to Event for Request ID');
    const view = visibleWebview(page);
    await view.getByText('InvalidParameterValueException').first().waitFor({ state: 'visible', timeout: 60_000 });
    const flag = view.locator(FLAG);
    await flag.waitFor({ state: 'visible' });
    assert.equal((await flag.locator('.flag-label').innerText()).trim(), '⚠ Not an ARN:');
    assert.match(await flag.locator('.flag-message').innerText(), /^encryptionKeyArn expects an ARN; this looks like a KMS key ID/);
    // The loaded events hold the CreateKey, so the flag says which ARN it should have been.
    // The jump loads the event's neighbourhood after the panel opens; the hint names the producer
    // once that has arrived.
    const hint = flag.locator('.flag-hint', { hasText: 'returned by CreateKey' });
    await hint.waitFor({ state: 'visible', timeout: 30_000 });
    const text = ((await hint.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    keyArn = /arn:aws:kms:[^ ]+:key\/[0-9a-f-]{36}/.exec(text)?.[0] ?? '';
    assert.ok(keyArn, text);
    assert.match(text, /^It should have been arn:aws:kms:.+ \(returned by CreateKey · .* as keyMetadata\.arn\)\.$/);
    // On the first screen, beside the log: the flag and its one-click way on.
    const frame = await page.locator('iframe.webview.ready >> visible=true').boundingBox();
    const button = await flag.getByRole('button', { name: 'Where did this value come from?' }).boundingBox();
    assert.ok(frame && button && button.y + button.height <= frame.y + frame.height, 'the flag and its button are on the first screen');
    await page.mouse.move(5, 450);
    console.log(`screenshot: ${await wb.screenshot('provenance-flag-light')}`);
  });

  test('one click on "Where did this value come from?" opens the CreateKey that produced the key ID', { skip }, async () => {
    assert.ok(wb);
    await clickThrough(wb, visibleWebview(wb.page), keyArn, 'provenance-createkey-light');
  });

  test('dark theme: Back to the failed call, the same flag, the same one click', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const view = visibleWebview(page);
    await view.locator('vscode-button.history-back').click();
    await view.locator(FLAG).waitFor({ state: 'visible' });
    await setColorTheme(page, 'Dark Modern');
    await themeApplied(visibleWebview(page), 'vscode-dark');
    await view.locator(`${FLAG} .flag-hint`).waitFor({ state: 'visible', timeout: 30_000 });
    await page.mouse.move(5, 450);
    console.log(`screenshot: ${await wb.screenshot('provenance-flag-dark')}`);
    await clickThrough(wb, view, keyArn, 'provenance-createkey-dark');
  });
});
