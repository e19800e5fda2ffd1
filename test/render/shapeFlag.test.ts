/**
 * The shape check in the event webview: the seed story's failing CreateBackupVault has its
 * encryptionKeyArn flagged — in words, as text — and the flag leads to where the value came from.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildWebviewBundle, REPO_ROOT } from '../../scripts/previewWebview';
import { ARTIFACTS, openPreview } from './previewPage';
import type { PreviewPage } from './previewPage';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'webview');
const vault = JSON.parse(readFileSync(join(FIXTURES, 'createBackupVault.json'), 'utf8')) as CloudTrailRecord;
const createKey = JSON.parse(readFileSync(join(FIXTURES, 'createKey.json'), 'utf8')) as CloudTrailRecord;
const KEY_ID = '9z8yxw7u-987z-98zy-z987-9z87y65x4321';
const KEY_ARN = `arn:aws:kms:ap-northeast-1:123456789012:key/${KEY_ID}`;
const PATH = 'requestParameters.encryptionKeyArn';

const flag = (page: Page) => page.locator(`[data-path="${PATH}"] > .shape-flag`);
const send = (page: Page, msg: unknown) => page.evaluate((m) => (window as unknown as { __send(m: unknown): void }).__send(m), msg);

describe('event webview: the shape check', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  let view: PreviewPage;
  let page: Page;

  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
    view = await openPreview(browser, vault, { name: 'shape-flag-dark', theme: 'dark', height: 700 });
    page = view.page;
  });
  after(async () => browser?.close());

  test('the flag is on the first screen, under encryptionKeyArn, and says what is wrong in words', async () => {
    const f = flag(page);
    assert.ok(await f.isVisible());
    assert.equal(await f.getAttribute('role'), 'note');
    assert.equal((await f.locator('.flag-label').textContent())?.trim(), '⚠ Not an ARN:');
    assert.equal(
      await f.locator('.flag-message').textContent(),
      'encryptionKeyArn expects an ARN; this looks like a KMS key ID (an ARN looks like arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).',
    );
    const box = await f.boundingBox();
    assert.ok(box && box.y + box.height <= 700, `on the first screen: ${JSON.stringify(box)}`);
    // Not colour alone: the note says it in words, and the tree item's accessible name says it too.
    assert.match((await page.locator(`[data-path="${PATH}"]`).getAttribute('aria-label')) ?? '', /, flagged: expects an ARN$/);
    // Only that parameter: backupVaultName and the redacted tags are not judged.
    assert.equal(await page.locator('.shape-flag').count(), 1);
    await page.screenshot({ path: join(ARTIFACTS, 'shape-flag-dark.png') });
  });

  test('"Where did this value come from?" and the w key ask the host to trace the value', async () => {
    const before = (await view.posted()).length;
    await flag(page).getByRole('button', { name: 'Where did this value come from?' }).click();
    await page.locator(`[data-path="${PATH}"] > .row`).click();
    await page.keyboard.press('w');
    await page.locator('[data-path="requestParameters.backupVaultName"] > .row').click();
    await page.keyboard.press('w');
    assert.deepEqual((await view.posted()).slice(before), [
      { type: 'traceValue', value: KEY_ID },
      { type: 'traceValue', value: KEY_ID },
      { type: 'traceValue', value: 'my-backup-vault' },
    ]);
  });

  test('the host’s hint adds the ARN it should have been; hints for another event or malformed are ignored', async () => {
    await send(page, {
      type: 'shapeHints',
      eventId: 'another-event',
      hints: [{ path: PATH, arn: 'arn:aws:kms:x:1:key/wrong', source: 'x' }],
    });
    await send(page, { type: 'shapeHints', eventId: vault.eventID, hints: [{ path: PATH, arn: 5, source: 'x' }] });
    await send(page, {
      type: 'shapeHints',
      eventId: vault.eventID,
      hints: [{ path: PATH, arn: KEY_ARN, source: 'returned by CreateKey · 14:48:55 as keyMetadata.arn' }],
    });
    const hint = flag(page).locator('.flag-hint');
    await hint.waitFor();
    assert.equal(await hint.textContent(), `It should have been ${KEY_ARN} (returned by CreateKey · 14:48:55 as keyMetadata.arn).`);
    assert.equal(await page.locator('.flag-hint').count(), 1);
    await page.screenshot({ path: join(ARTIFACTS, 'shape-flag-hint-dark.png') });
    assert.deepEqual(view.problems, []);
    assert.deepEqual(await view.violations(), []);
  });

  test('light theme: the same flag, readable', async () => {
    const light = await openPreview(browser, vault, { name: 'shape-flag-light', theme: 'light', height: 700 });
    await send(light.page, { type: 'shapeHints', eventId: vault.eventID, hints: [{ path: PATH, arn: KEY_ARN, source: 'CreateKey' }] });
    await flag(light.page).locator('.flag-hint').waitFor();
    await light.page.screenshot({ path: join(ARTIFACTS, 'shape-flag-light.png') });
    const colours = await flag(light.page).evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
    assert.notEqual(colours[0], colours[1]);
  });

  test('a value is shown as text, never as HTML, and a call that succeeded is never flagged', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const hostile = { ...vault, requestParameters: { roleArn: evil } };
    const h = await openPreview(browser, hostile, { name: 'shape-flag-hostile' });
    const f = h.page.locator('[data-path="requestParameters.roleArn"] > .shape-flag');
    assert.equal(await h.page.locator('[data-path="requestParameters.roleArn"] > .row .value').textContent(), evil);
    assert.equal(await f.locator('.flag-message').textContent(), 'roleArn expects an ARN.');
    assert.equal(await f.locator('img').count(), 0);
    assert.equal(await h.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    const ok = await openPreview(browser, createKey, { name: 'shape-flag-none' });
    assert.equal(await ok.page.locator('.shape-flag').count(), 0);
  });

  test('a followed value into the producer shows the ARN beside it', async () => {
    const followed = {
      value: KEY_ID,
      from: 'CreateBackupVault · 14:49:02',
      role: 'produced' as const,
      paths: ['responseElements.keyMetadata.keyId'],
      arn: KEY_ARN,
    };
    const k = await openPreview(browser, createKey, { name: 'followed-arn', followed });
    assert.equal(await k.page.locator('.followed-note .followed-arn').textContent(), KEY_ARN);
    assert.match(
      (await k.page.locator('.followed-note').textContent()) ?? '',
      /this event produced it at responseElements\.keyMetadata\.keyId · its ARN: arn:aws:kms:/,
    );
  });
});
