/**
 * The event webview in Chromium with the shipped bundle, showing the seed story's failing
 * CreateBackupVault: what a person sees, and what each control posts to the host.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CloudTrailRecord } from '../../src/core/record';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildWebviewBundle, REPO_ROOT } from '../../scripts/previewWebview';
import { openPreview, search } from './previewPage';
import type { PreviewPage } from './previewPage';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'webview');
const vault = JSON.parse(readFileSync(join(FIXTURES, 'createBackupVault.json'), 'utf8')) as CloudTrailRecord;
const createKey = JSON.parse(readFileSync(join(FIXTURES, 'createKey.json'), 'utf8')) as CloudTrailRecord;
const KEY_ID = '9z8yxw7u-987z-98zy-z987-9z87y65x4321';

const node = (page: Page, path: string) => page.locator(`[data-path="${path}"]`);
const row = (page: Page, path: string) => page.locator(`[data-path="${path}"] > .row`);

describe('event webview: CreateBackupVault (seed 000)', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  let view: PreviewPage;
  let page: Page;

  before(async () => {
    await buildWebviewBundle();
    browser = await launchBrowser();
    view = await openPreview(browser, vault, { name: 'createBackupVault' });
    page = view.page;
  });
  after(async () => browser?.close());

  test('loads without errors or CSP violations and says ready first', async () => {
    const posted = await view.posted();
    assert.deepEqual(posted[0], { type: 'ready' });
    assert.deepEqual(await view.violations(), []);
    assert.deepEqual(view.problems, []);
  });

  test('header shows the call, the error front and centre, and who made it', async () => {
    assert.equal((await page.locator('h1.event-name .text').textContent())?.trim(), 'CreateBackupVault');
    assert.equal(await page.locator('.event-source-value .text').textContent(), 'backup.amazonaws.com');
    const callout = page.locator('.error-callout');
    assert.ok(await callout.isVisible());
    assert.equal(await callout.locator('.error-code .text').textContent(), 'InvalidParameterValueException');
    assert.equal(await callout.locator('.error-message .text').textContent(), 'Invalid Key provided by the user. %s');
    assert.equal(await callout.locator('.error-code').evaluate((e) => getComputedStyle(e.parentElement as Element).fontWeight), '700');
    const fields = await page
      .locator('.field')
      .evaluateAll((els) =>
        Object.fromEntries(els.map((e) => [e.querySelector('dt')?.textContent, e.querySelector('dd .text')?.textContent])),
      );
    assert.equal(fields['Request ID'], 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e');
    assert.equal(fields['Source IP'], 'cloudformation.amazonaws.com');
    assert.equal(fields['Invoked by'], 'cloudformation.amazonaws.com');
    assert.equal(fields['Time (UTC)'], '2024-08-08 05:49:02 UTC');
    assert.match(fields['Time (local)'] ?? '', /Aug 8, 2024, 02:49:02 PM GMT\+9/);
    // Compact: the facts on one line, the identity on one line that expands to every field.
    assert.equal(await page.locator('.identity').evaluate((d) => (d as HTMLDetailsElement).open), false);
    assert.match(
      (await page.locator('.identity-line').textContent()) ?? '',
      /^AssumedRole cfn-exec-role-SYSTEMNAME-STAGE · via cloudformation\.amazonaws\.com$/,
    );
    const facts = await page.locator('.facts').boundingBox();
    assert.ok(facts && facts.height < 60, `facts take at most two lines (${facts?.height}px)`);
    assert.equal(fields['Account'], '123456789012');
    assert.equal(fields['Session issuer'], 'cfn-exec-role-SYSTEMNAME-STAGE (Role)');
  });

  test('requestParameters is open with encryptionKeyArn visible; the tags are a redacted tag', async () => {
    assert.equal(await page.locator('details[data-section="requestParameters"]').evaluate((d) => (d as HTMLDetailsElement).open), true);
    assert.ok(await row(page, 'requestParameters.encryptionKeyArn').isVisible());
    assert.equal(await row(page, 'requestParameters.encryptionKeyArn').locator('.value.string').textContent(), KEY_ID);
    const tags = row(page, 'requestParameters.backupVaultTags');
    assert.equal(await tags.locator('.value.redacted .tag').textContent(), 'redacted');
    assert.equal(await tags.locator('.value.string').count(), 0, 'the marker is not shown as a plain string');
    assert.equal(await page.locator('details[data-section="responseElements"] .note').textContent(), 'null (nothing recorded)');
    assert.equal(await page.locator('details[data-section="raw"]').evaluate((d) => (d as HTMLDetailsElement).open), false);
  });

  test('sections and nodes collapse and expand', async () => {
    await page.locator('details[data-section="userIdentity"] > summary').click();
    const ctx = node(page, 'userIdentity.sessionContext');
    assert.equal(await ctx.getAttribute('aria-expanded'), 'true');
    assert.ok(await row(page, 'userIdentity.sessionContext.sessionIssuer').isVisible());
    await row(page, 'userIdentity.sessionContext').click();
    assert.equal(await ctx.getAttribute('aria-expanded'), 'false');
    assert.equal(await row(page, 'userIdentity.sessionContext.sessionIssuer').isVisible(), false);
    assert.equal(await row(page, 'userIdentity.sessionContext').locator('.summary').textContent(), '{3}');
    await row(page, 'userIdentity.sessionContext').click();
    assert.equal(await ctx.getAttribute('aria-expanded'), 'true');
    assert.ok(await row(page, 'userIdentity.sessionContext.sessionIssuer.arn').isVisible());
  });

  test('copy value, copy path and find post the right messages', async () => {
    const before = (await view.posted()).length;
    const target = row(page, 'requestParameters.encryptionKeyArn');
    await target.hover();
    await target.getByRole('button', { name: 'Path', exact: true }).click();
    await target.getByRole('button', { name: 'Copy', exact: true }).click();
    await target.getByRole('button', { name: 'Find events' }).click();
    await page.locator('.field', { hasText: 'Request ID' }).hover();
    await page.getByRole('button', { name: 'Copy Request ID' }).click();
    const posted = (await view.posted()).slice(before);
    assert.deepEqual(posted, [
      { type: 'copy', text: 'requestParameters.encryptionKeyArn', what: 'path' },
      { type: 'copy', text: KEY_ID, what: 'value' },
      { type: 'findValue', value: KEY_ID },
      { type: 'copy', text: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e', what: 'value' },
    ]);
    assert.match((await page.locator('#status').textContent()) ?? '', /Copied/);

    // Whole sections: the summary's Copy copies without toggling the section.
    const summary = page.locator('details[data-section="requestParameters"] > summary');
    await summary.hover();
    await summary.getByRole('button', { name: 'Copy' }).click();
    const raw = page.locator('details[data-section="raw"] > summary');
    await raw.hover();
    await raw.getByRole('button', { name: 'Copy' }).click();
    const [section, record] = (await view.posted()).slice(-2);
    assert.deepEqual(section, { type: 'copy', text: JSON.stringify(vault.requestParameters, null, 2), what: 'value' });
    assert.deepEqual(record, { type: 'copy', text: JSON.stringify(vault, null, 2), what: 'record' });
    assert.equal(await page.locator('details[data-section="requestParameters"]').evaluate((d) => (d as HTMLDetailsElement).open), true);
    assert.equal(await page.locator('details[data-section="raw"]').evaluate((d) => (d as HTMLDetailsElement).open), false);
  });

  test('pin, open as JSON and reveal in tree', async () => {
    const pin = page.locator('.header-actions vscode-button').first();
    assert.equal(await pin.textContent(), 'Pin');
    await pin.click();
    await page.waitForFunction(() => document.querySelector('.header-actions vscode-button')?.getAttribute('aria-pressed') === 'true');
    assert.equal(await pin.textContent(), 'Pinned');
    await page.locator('.header-actions vscode-button', { hasText: 'Open as JSON' }).click();
    await page.locator('.header-actions vscode-button', { hasText: 'Reveal in tree' }).click();
    const types = (await view.posted()).map((m) => m.type);
    assert.deepEqual(types.slice(-3), ['togglePin', 'openJson', 'revealInTree']);
  });

  test('related events, resource history and copy as Markdown ask the host, naming only the action', async () => {
    for (const text of ['Related events', 'Resource history', 'Copy as Markdown']) {
      await page.locator('.header-actions vscode-button', { hasText: text }).click();
    }
    assert.deepEqual((await view.posted()).slice(-3), [
      { type: 'investigate', action: 'related' },
      { type: 'investigate', action: 'history' },
      { type: 'investigate', action: 'copyMarkdown' },
    ]);
  });

  test('keyboard: arrows move focus, Left/Right collapse and expand, c and p copy', async () => {
    await row(page, 'requestParameters.backupVaultName').click();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-path'));
    assert.equal(await focused(), 'requestParameters.backupVaultName');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'requestParameters.backupVaultTags');
    await page.keyboard.press('End');
    assert.equal(await focused(), 'requestParameters.creatorRequestId');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'requestParameters.encryptionKeyArn');
    assert.equal(await node(page, 'requestParameters.encryptionKeyArn').getAttribute('tabindex'), '0');
    assert.equal(await node(page, 'requestParameters.backupVaultName').getAttribute('tabindex'), '-1');
    const before = (await view.posted()).length;
    await page.keyboard.press('p');
    await page.keyboard.press('c');
    await page.keyboard.press('f');
    assert.deepEqual((await view.posted()).slice(before), [
      { type: 'copy', text: 'requestParameters.encryptionKeyArn', what: 'path' },
      { type: 'copy', text: KEY_ID, what: 'value' },
      { type: 'findValue', value: KEY_ID },
    ]);

    await row(page, 'userIdentity.sessionContext').click();
    await row(page, 'userIdentity.sessionContext').click(); // toggled twice: expanded again, focused
    assert.equal(await focused(), 'userIdentity.sessionContext');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await node(page, 'userIdentity.sessionContext').getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('ArrowRight');
    assert.equal(await node(page, 'userIdentity.sessionContext').getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'userIdentity.sessionContext.sessionIssuer');
    await page.keyboard.press('ArrowLeft'); // expanded: collapses
    await page.keyboard.press('ArrowLeft'); // collapsed: goes to the parent
    assert.equal(await focused(), 'userIdentity.sessionContext');
    await page.keyboard.press('Enter');
    assert.equal(await node(page, 'userIdentity.sessionContext').getAttribute('aria-expanded'), 'false');
    await page.keyboard.press(' ');
    assert.equal(await node(page, 'userIdentity.sessionContext').getAttribute('aria-expanded'), 'true');
  });

  test('search: Ctrl+F focuses the box, matches are highlighted, counted and stepped through', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Control+f');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'VSCODE-TEXT-FIELD');
    assert.equal(await search(page, 'encryptionKeyArn'), '1 of 1 match');
    assert.equal(await row(page, 'requestParameters.encryptionKeyArn').locator('.key mark').textContent(), 'encryptionKeyArn');

    // The box filters: rows without a match, and sections without one, are hidden until it is cleared.
    assert.equal(await row(page, 'requestParameters.backupVaultName').isVisible(), false);
    assert.equal(await page.locator('details[data-section="userIdentity"]').isVisible(), false);
    await page.keyboard.press('Escape');
    await page.locator('.match-count[data-query=""]').waitFor({ state: 'attached' });
    assert.equal(await row(page, 'requestParameters.backupVaultName').isVisible(), true);

    // A match inside a collapsed node of a closed section opens and expands its way to it.
    await page.locator('details[data-section="userIdentity"] > summary').click(); // close it
    assert.equal(await search(page, 'mfaAuthenticated'), '1 of 1 match');
    assert.ok(await row(page, 'userIdentity.sessionContext.attributes.mfaAuthenticated').isVisible());

    // Principal ARN, session issuer and issuer ARN in the header; the same three in userIdentity.
    const total = 6;
    assert.equal(await search(page, 'SYSTEMNAME'), `1 of ${total} matches`);
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.match-count').textContent(), `2 of ${total} matches`);
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter');
    assert.equal(await page.locator('.match-count').textContent(), `${total} of ${total} matches`);
    assert.equal(await page.locator('.current').count(), 1);

    // The marker text itself is searchable even though it is shown as a tag.
    assert.equal(await search(page, 'HIDDEN_DUE'), '1 of 1 match');
    assert.ok(await row(page, 'requestParameters.backupVaultTags').evaluate((r) => r.classList.contains('match')));
  });

  test('collapse state and search text survive a reload with the saved state; another event resets them', async () => {
    await search(page, 'x'); // the last test left a filter: clear it, so every row can be clicked
    await page.keyboard.press('Escape');
    await page.locator('.match-count[data-query=""]').waitFor({ state: 'attached' });
    await row(page, 'userIdentity.sessionContext.attributes').click(); // collapse a node that is open by default
    await page.locator('details[data-section="other"] > summary').click(); // open a section closed by default
    assert.equal(await search(page, 'creatorRequestId'), '1 of 1 match');
    const saved = await view.state();
    assert.ok(saved && typeof saved === 'object');

    const again = await openPreview(browser, vault, { name: 'createBackupVault-reload', initialState: saved });
    const p2 = again.page;
    assert.equal(await p2.locator('.match-count[data-query="creatorRequestId"]').textContent(), '1 of 1 match');
    assert.equal(await p2.locator('.search-field').evaluate((e) => (e as HTMLElement & { value: string }).value), 'creatorRequestId');
    assert.equal(await node(p2, 'userIdentity.sessionContext.attributes').getAttribute('aria-expanded'), 'false');
    assert.equal(await p2.locator('details[data-section="other"]').evaluate((d) => (d as HTMLDetailsElement).open), true);
    assert.equal(await node(p2, 'userIdentity.sessionContext.attributes').getAttribute('tabindex'), '0', 'keyboard position kept');

    // Hiding userIdentity and requestParameters: only the first carries over to the next event.
    await p2.locator('.search-field').evaluate((e) => e.shadowRoot?.querySelector('input')?.focus());
    await p2.keyboard.press('Escape');
    await p2.locator('.match-count[data-query=""]').waitFor({ state: 'attached' });
    await p2.locator('details[data-section="userIdentity"] > summary').click();
    await p2.locator('details[data-section="requestParameters"] > summary').click();
    assert.equal(await p2.locator('details[data-section="requestParameters"]').evaluate((d) => (d as HTMLDetailsElement).open), false);

    // The host shows another event in the same panel: per-event state resets; a section kind the
    // person hid stays hidden, but requestParameters opens again and an opened section closes again.
    await p2.evaluate(
      (rec) =>
        (window as unknown as { __send(m: unknown): void }).__send({
          type: 'show',
          recordJson: JSON.stringify(rec),
          context: { source: 'sample' },
          pinned: false,
        }),
      createKey,
    );
    await p2.waitForFunction(() => document.querySelector('h1.event-name .text')?.textContent === 'CreateKey');
    assert.equal(await p2.locator('.search-field').evaluate((e) => (e as HTMLElement & { value: string }).value), '');
    const open = (id: string) => p2.locator(`details[data-section="${id}"]`).evaluate((d) => (d as HTMLDetailsElement).open);
    assert.equal(await open('requestParameters'), true, 'never carried: the next event shows its parameters');
    assert.equal(await open('responseElements'), true);
    assert.equal(await open('userIdentity'), false, 'hidden by the person: stays hidden');
    assert.equal(await open('other'), false, 'opened for one event only');
    assert.equal(await node(p2, 'userIdentity.sessionContext.attributes').getAttribute('aria-expanded'), 'true');
    assert.equal(await p2.locator('.context').textContent(), 'Sample account · ap-northeast-1 · built-in data');
    assert.deepEqual(again.problems, []);
    assert.deepEqual(await again.violations(), []);
  });

  test('value-following: CreateKey offers "Find events" on its key ID and key ARN', async () => {
    const k = await openPreview(browser, createKey, { name: 'createKey' });
    const keyId = row(k.page, 'responseElements.keyMetadata.keyId');
    await keyId.hover();
    await keyId.getByRole('button', { name: 'Find events' }).click();
    const last = (await k.posted()).at(-1);
    assert.deepEqual(last, { type: 'findValue', value: KEY_ID });
    assert.equal(await row(k.page, 'responseElements.keyMetadata.keyUsage').getByRole('button', { name: 'Find events' }).count(), 0);
    assert.equal(
      await row(k.page, 'resources[0].ARN').locator('.value').textContent(),
      `arn:aws:kms:ap-northeast-1:123456789012:key/${KEY_ID}`,
    );
    assert.equal(await k.page.locator('.error-callout').count(), 0, 'no callout for a call that succeeded');
  });

  test('before the first show: a progress ring and "Loading event…", and ready already posted', async () => {
    const waiting = await openPreview(browser, vault, { name: 'loading', autoShow: false });
    const p = waiting.page;
    await p.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual(await waiting.posted(), [{ type: 'ready' }]);
    assert.equal((await p.locator('.loading').textContent())?.trim(), 'Loading event…');
    assert.equal(await p.locator('#root').getAttribute('aria-busy'), 'true');
    assert.ok(
      await p
        .locator('vscode-progress-ring')
        .evaluate((e) => customElements.get('vscode-progress-ring') !== undefined && e.shadowRoot !== null),
    );
    await p.evaluate(
      (rec) =>
        (window as unknown as { __send(m: unknown): void }).__send({
          type: 'show',
          recordJson: JSON.stringify(rec),
          context: { source: 'lookup', profile: 'dev' },
          pinned: true,
        }),
      vault,
    );
    await p.locator('.event-name').waitFor();
    assert.equal(await p.locator('#root').getAttribute('aria-busy'), null);
    assert.equal(await p.locator('.loading').count(), 0);
    assert.equal(await p.locator('.header-actions vscode-button').first().getAttribute('aria-pressed'), 'true');
    assert.equal(await p.locator('.context').textContent(), 'Profile dev · ap-northeast-1 · from LookupEvents');
    assert.deepEqual(waiting.problems, []);
    await p.close();
  });

  test('malformed host messages are ignored', async () => {
    const p = view.page;
    await p.evaluate(() => {
      const send = (window as unknown as { __send(m: unknown): void }).__send;
      send({ type: 'show', recordJson: 'x', context: { source: 'file' }, pinned: false });
      send({ type: 'show', recordJson: '{"eventName":7}', context: { source: 'file' }, pinned: false });
      send({ type: 'show', recordJson: '{}', context: { source: 'evil' }, pinned: false });
      // The object form the protocol used before: records travel as JSON text now.
      send({ type: 'show', record: { eventName: 'Evil' }, context: { source: 'file' }, pinned: false });
      send({ type: 'setPinned', pinned: 'yes' });
      send(null);
      send('show');
    });
    assert.equal(await p.locator('h1.event-name .text').textContent(), 'CreateBackupVault');
    assert.deepEqual(view.problems, []);
  });
});
