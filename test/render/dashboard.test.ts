/**
 * The error-summary dashboard bundle in Chromium, fed aggregates of the sample account built by the
 * host's own code (buildDashboardData): charts and their tables are drawn, clicks post filters,
 * hostile keys render as text only, the CSP holds, and the three themes are screenshotted.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, skipWithoutChromium } from '../../scripts/workbench/browser';
import { buildDashboardData } from '../../src/extension/dashboard/dashboardData';
import type { DashboardData } from '../../src/protocol/dashboardProtocol';
import { generateSampleAccount } from '../../src/sample/account';
import type { CloudTrailRecord } from '../../src/core/record';
import { builtInNoiseRules } from '../../src/core/noise';
import { ARTIFACTS } from './previewPage';
import { openDashboardPage } from './dashboardPage';
import { ensureWebviewBundle } from '../../scripts/previewWebview';

const HOSTILE = '<img src=x onerror=alert(1)>';

async function sampleData(noise: boolean, extra: CloudTrailRecord[] = []): Promise<DashboardData> {
  const account = generateSampleAccount({ now: new Date('2026-03-10T12:00:00Z') });
  const data = await buildDashboardData({
    records: [...account.records, ...extra],
    rules: noise ? builtInNoiseRules().filter((r) => r.id === 'serviceLinkedRoles') : [],
    includeHidden: false,
    includeServiceCallers: false,
    scope: 'Last 7 days · 10500 events loaded',
    hasOlder: false,
  });
  assert.ok(data);
  return data;
}

function hostileRecords(): CloudTrailRecord[] {
  return Array.from({ length: 40 }, (_, i) => ({
    eventID: `hostile-${i}`,
    eventTime: `2026-03-10T0${i % 9}:00:00Z`,
    eventSource: `${HOSTILE}.amazonaws.com`,
    eventName: '"><svg onload=alert(2)>',
    errorCode: HOSTILE,
    sourceIPAddress: '<script>alert(3)</script>',
    userIdentity: { type: 'IAMUser', userName: '<b>mallory</b>' },
  }));
}

describe('error-summary dashboard (render)', { skip: skipWithoutChromium() }, () => {
  let browser: Browser;
  before(async () => {
    await ensureWebviewBundle();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  test('noise rules off: the Config NotFound codes lead the chart and its table; five top lists and a timeline', async () => {
    const p = await openDashboardPage(browser, await sampleData(false), { name: 'dashboard-noise-off' });
    const codes = p.page.locator('.top-errorCode table tbody tr td.key');
    assert.equal(await codes.count(), 10);
    const first = (await codes.first().textContent()) ?? '';
    assert.match(first, /ConfigurationNotFoundError|NoSuchBucketPolicy|NoSuchCORSConfiguration|NoSuchWebsiteConfiguration/);
    assert.equal(await p.page.locator('.top-errorCode svg g[role="button"]').count(), 10);
    assert.equal(await p.page.locator('section.panel').count(), 6);
    assert.ok((await p.page.locator('.timeline svg g[role="button"]').count()) >= 7, 'a bar per day');
    assert.match((await p.page.locator('#noise').textContent()) ?? '', /No noise rules are on/);
    assert.match((await p.page.locator('.top-caller .note').textContent()) ?? '', /by AWS services and service-linked roles not listed/);
    assert.deepEqual(p.problems, []);
    assert.deepEqual(await p.violations(), []);
    await p.page.close();
  });

  test('noise rules on: the Config codes are gone and the hidden count is stated', async () => {
    const data = await sampleData(true);
    const p = await openDashboardPage(browser, data, { name: 'dashboard-noise-on' });
    const keys = await p.page.locator('.top-errorCode table tbody td.key').allTextContents();
    for (const noise of [
      'ReplicationConfigurationNotFoundError',
      'ObjectLockConfigurationNotFoundError',
      'NoSuchCORSConfiguration',
      'NoSuchWebsiteConfiguration',
    ])
      assert.ok(!keys.includes(noise), `${noise} hidden`);
    assert.match(
      (await p.page.locator('#noise').textContent()) ?? '',
      new RegExp(`Noise rules on: service-linked roles — ${data.hidden} failed calls hidden`),
    );
    await p.page.close();
  });

  test('a bar, a table key and a day post what the host filters by; Enter on a focused bar does too', async () => {
    const data = await sampleData(true);
    const p = await openDashboardPage(browser, data, { name: 'dashboard-clicks' });
    const top = data.top.errorCode[0].key;
    await p.page.locator('.top-errorCode svg g[role="button"]').first().click();
    await p.page.locator('.top-caller table button.link').first().click();
    await p.page.locator('.timeline svg g[role="button"]').first().click();
    await p.page.locator('.top-eventSource svg g[role="button"]').first().focus();
    await p.page.keyboard.press('Enter');
    const label = await p.page.locator('.top-errorCode svg g[role="button"]').first().getAttribute('aria-label');
    assert.match(label ?? '', new RegExp(`^${top}: \\d+ failed calls \\(\\d+\\.\\d%\\)\\. Filter the Events view to this error code$`));
    await p.page.locator('#include-hidden').check();
    const posted = (await p.posted()).filter((m) => m.type !== 'ready');
    assert.deepEqual(posted, [
      { type: 'filter', dimension: 'errorCode', key: top },
      { type: 'filter', dimension: 'caller', key: data.top.caller[0].key },
      { type: 'timeRange', start: data.timeline[0].start, bucket: data.bucket },
      { type: 'filter', dimension: 'eventSource', key: data.top.eventSource[0].key },
      { type: 'options', includeHidden: true, includeServiceCallers: false },
    ]);
    await p.page.close();
  });

  test('hostile keys are text: no element, attribute or script comes from them', async () => {
    const p = await openDashboardPage(browser, await sampleData(true, hostileRecords()), { name: 'dashboard-hostile' });
    assert.equal(await p.page.locator('.top-errorCode table td.key').first().textContent(), HOSTILE);
    assert.equal(await p.page.locator('img, script:not([nonce]), b, svg svg').count(), 0);
    const titles = await p.page.locator('.top-sourceIPAddress svg title').allTextContents();
    assert.ok(titles.some((t) => t.startsWith('<script>alert(3)</script>:')));
    const fired = await p.page.evaluate(() => (window as unknown as { alerted?: boolean }).alerted === true);
    assert.equal(fired, false);
    assert.deepEqual(p.problems, []);
    assert.deepEqual(await p.violations(), []);
    await p.page.close();
  });

  test('a message that is not the host shape draws nothing new', async () => {
    const p = await openDashboardPage(browser, await sampleData(true), { name: 'dashboard-bad-message' });
    const before = await p.page.locator('#totals').textContent();
    await p.page.evaluate(() => {
      const send = (window as unknown as { __send: (m: unknown) => void }).__send;
      send({ type: 'summary', data: { scope: 1 } });
      send({ type: 'summary', data: null });
      send({ type: 'nonsense' });
    });
    assert.equal(await p.page.locator('#totals').textContent(), before);
    await p.page.close();
  });

  for (const theme of ['light', 'dark', 'hc'] as const) {
    test(`${theme} theme: screenshot, chart text in the theme's foreground, bars in its chart colours`, async () => {
      const p = await openDashboardPage(browser, await sampleData(false), { name: `dashboard-${theme}`, theme });
      const colours = await p.page.evaluate(() => {
        const style = (sel: string) => getComputedStyle(document.querySelector(sel)!);
        return { label: style('.chart text.label').fill, bar: style('.top-errorCode .bar').fill, body: style('body').color };
      });
      assert.equal(colours.label, colours.body, 'chart labels use the foreground');
      assert.notEqual(colours.bar, 'rgb(0, 0, 0)');
      await p.page.screenshot({ path: join(ARTIFACTS, `dashboard-${theme}.png`), fullPage: true });
      await p.page.close();
    });
  }
});
