/**
 * Filter patterns and noise rules in the Events view as a person uses them (code-server +
 * Chromium, the sample account through the fake CloudTrail endpoint, the last 24 hours): a custom
 * noise rule that does not parse is reported naming it and the column; the view counts what each
 * rule hid and one click shows them again; a pattern typed with an error says where, fixed it
 * shows "N shown of M scanned"; a CIS preset from the same picker reads the whole window.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { notifications, openViewContainer, openWorkbench, treeItem, type Workbench } from '../harness/ui';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';

const CUSTOM_RULES = [
  { label: 'EC2 describe calls', pattern: '{ $.eventSource = ec2.amazonaws.com && $.eventName = Describe* }' },
  { label: 'Secrets Manager reads', pattern: '{ $.eventName = GetSecretValue }' },
  { label: 'Broken rule', pattern: '{ $.eventName = }' },
];

/** The view's message line, polled until it matches (it follows the rows by a render). */
async function waitForMessage(page: Page, re: RegExp, timeoutMs = 30_000): Promise<string> {
  const message = page.locator('.part.sidebar .tree-explorer-viewlet-tree-view-message, .part.sidebar .message').first();
  let text = '';
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await page.waitForTimeout(200)) {
    text = (await message.isVisible()) ? (await message.innerText()).trim() : '';
    if (re.test(text)) return text;
  }
  assert.fail(`the view message never matched ${re}: ${JSON.stringify(text)}`);
}

async function openPatternPicker(page: Page): Promise<void> {
  await page
    .locator('.part.sidebar .title-actions')
    .getByRole('button', { name: /Filter Events by Pattern/ })
    .click();
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
}

/** Runs a step; when it fails, the screen is saved as `<name>-failed` before the error goes on. */
async function step(wb: Workbench, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    console.log(`screenshot of the failure: ${await wb.screenshot(`${name}-failed`)}`);
    throw err;
  }
}

/** Rows under "N hidden by noise rules", as their accessible names. */
async function hiddenRows(page: Page): Promise<string[]> {
  const names = await page
    .locator('.part.sidebar [role="treeitem"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return names.filter((n) => /: [\d,]+ hidden|^Show all [\d,]+/.test(n));
}

describe('Filter patterns and noise rules (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    wb = await openWorkbench({
      workspace: world.workspace,
      env: world.env,
      settings: {
        'trailLens.endpointUrl': world.fakeUrl,
        'trailLens.timeRange': '24h',
        'trailLens.noise.hideAwsServiceCalls': true,
        'trailLens.noise.customRules': CUSTOM_RULES,
        'workbench.colorTheme': 'Light 2026',
      },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  test('a custom noise rule whose pattern does not parse is reported, naming the rule and the column', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openViewContainer(page, /Trail Lens/);
    let texts: string[] = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(500)) {
      texts = await notifications(page);
      if (texts.some((t) => t.includes('"Broken rule"'))) break;
    }
    const said = texts.filter((t) => t.includes('"Broken rule"'));
    console.log(`notifications: ${JSON.stringify(texts)}`);
    assert.equal(said.length, 1, 'reported once');
    assert.match(
      said[0],
      /The custom noise rule "Broken rule" \(trailLens\.noise\.customRules\[2\]\) is skipped: .*column 17: expected a value/,
    );
    await page.keyboard.press('Escape');
  });

  test(
    'a pattern typed with an error says the column and what was expected; fixed, the view shows N shown of M scanned',
    { skip },
    async () => {
      assert.ok(wb);
      const { page } = wb;
      await openPatternPicker(page);
      const input = page.locator('.quick-input-widget input');
      await input.fill('{ $.errorCode = ');
      const typed = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Column 17: expected a value' }).first();
      await step(wb, 'filter-pattern-picker', () => typed.waitFor({ state: 'visible' }));
      console.log(`screenshot: ${await wb.screenshot('filter-pattern-picker-error')}`);
      await typed.click();
      // The input box that validates as you type, on the same text.
      const widget = page.locator('.quick-input-widget');
      await step(wb, 'filter-pattern-input', () => widget.getByText(/Column 17: expected a value after '='/).waitFor({ state: 'visible' }));
      console.log(`screenshot: ${await wb.screenshot('filter-pattern-input-error')}`);
      await input.fill('{ $.errorCode = "*" }');
      await widget.getByText(/Column \d+: expected/).waitFor({ state: 'hidden' });
      await input.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      await waitForMessage(page, /^Last 24 hours · \{ \$\.errorCode = "\*" \} · \d+ shown of [\d,]+ scanned: .+ UTC/, 30_000);
      // It reads on until a page (50) of matches is shown: wait for the scan to end.
      await treeItem(page, /^Scanning older events/).waitFor({ state: 'detached', timeout: 90_000 });
      const text = await waitForMessage(page, /^Last 24 hours · \{ \$\.errorCode = "\*" \} · \d+ shown of [\d,]+ scanned: .+ UTC/);
      console.log(`message: ${text}`);
      const [, shown, scanned] = /· (\d+) shown of ([\d,]+) scanned/.exec(text)!.map((x) => x.replace(/,/g, ''));
      assert.ok(Number(shown) > 0 && Number(shown) <= 50, `shown ${shown}`);
      assert.ok(Number(scanned) > Number(shown), `scanned ${scanned}`);
      // Every event row is a failed call.
      const names = await page
        .locator('.part.sidebar [role="treeitem"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      const eventRows = names.filter((n) => / ago, | just now, /.test(n));
      assert.ok(eventRows.length > 0);
      for (const n of eventRows) assert.match(n, /failed with /);
      // The pattern is the view's description too (what a screen reader says of its header).
      assert.ok((await page.locator('.part.sidebar .pane-header[aria-label*="$.errorCode"]').count()) > 0);
      console.log(`screenshot: ${await wb.screenshot('filter-pattern-shown')}`);
    },
  );

  test('a CIS preset from the same picker reads the whole window, and the picker remembers the pattern', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openPatternPicker(page);
    const input = page.locator('.quick-input-widget input');
    // The recent pattern is offered first under "Recent".
    await page.locator('.quick-input-list .monaco-list-row', { hasText: '{ $.errorCode = "*" }' }).first().waitFor({ state: 'visible' });
    await input.fill('Unauthorized');
    const preset = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Unauthorized API calls' }).first();
    await preset.waitFor({ state: 'visible' });
    await preset.click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // 24 hours of the sample account is about 30 pages at 2 requests/s: wait for the window to be read.
    const text = await waitForMessage(page, /UnauthorizedOperation.* · \d+ shown of [\d,]+ scanned: .+ UTC/, 30_000);
    await treeItem(page, /^Scanning older events/).waitFor({ state: 'detached', timeout: 90_000 });
    await treeItem(page, /^Load older events…/).waitFor({ state: 'detached', timeout: 10_000 });
    const done = await waitForMessage(page, /UnauthorizedOperation.* · \d+ shown of [\d,]+ scanned: .+ UTC/);
    console.log(`message: ${text} → ${done}`);
    const names = await page
      .locator('.part.sidebar [role="treeitem"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    for (const n of names.filter((x) => / ago, | just now, /.test(x)))
      assert.match(n, /failed with (AccessDenied|Client\.UnauthorizedOperation)/);
    console.log(`screenshot: ${await wb.screenshot('filter-pattern-cis-light')}`);
    await pickColorTheme(page, 'Dark 2026');
    await page.waitForFunction(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark') ?? false, undefined, {
      timeout: 15_000,
    });
    console.log(`screenshot: ${await wb.screenshot('filter-pattern-cis-dark')}`);
  });

  test('Clear Filter clears the pattern; the view counts what each noise rule hid, and one click shows them again', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await page
      .locator('.part.sidebar .title-actions')
      .getByRole('button', { name: /Clear Filter/ })
      .click();
    // The pages the scans read stay loaded: the message counts them all, and what the rules hid.
    const message = await waitForMessage(page, /^Last 24 hours · [\d,]+ events? loaded: .+ UTC · [\d,]+ hidden by noise rules$/);
    const total = Number(/([\d,]+) hidden by noise rules$/.exec(message)![1].replace(/,/g, ''));
    let rows: string[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      rows = await hiddenRows(page);
      if (rows.some((r) => r.startsWith('Show all'))) break;
    }
    console.log(`message: ${message}; hidden rows: ${JSON.stringify(rows)}`);
    const perRule = rows.filter((r) => !r.startsWith('Show all'));
    assert.deepEqual(perRule.map((r) => r.split(':')[0]).sort(), [
      'Calls made by AWS services',
      'EC2 describe calls',
      'Secrets Manager reads',
    ]);
    const counts = perRule.map((r) => Number(/: ([\d,]+) hidden/.exec(r)![1].replace(/,/g, '')));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      total,
      'the rules’ counts add up to the total',
    );
    assert.ok(rows.some((r) => r.startsWith(`Show all ${total.toLocaleString('en-US')}`)));
    console.log(`screenshot: ${await wb.screenshot('noise-hidden-counts-dark')}`);

    // One rule: its row shows its events again, the others stay.
    await treeItem(page, /^Secrets Manager reads: /).click();
    await treeItem(page, /^Secrets Manager reads: /).waitFor({ state: 'detached', timeout: 20_000 });
    await waitForMessage(page, /^Last 24 hours · [\d,]+ events? loaded: .+ UTC · [\d,]+ hidden by noise rules$/);
    assert.equal((await hiddenRows(page)).filter((r) => !r.startsWith('Show all')).length, 2);
    // All: no rule hides anything.
    await treeItem(page, /^Show all [\d,]+/).click();
    await treeItem(page, /hidden by noise rules/).waitFor({ state: 'detached', timeout: 20_000 });
    console.log(`message: ${await waitForMessage(page, /^Last 24 hours · [\d,]+ events? loaded: .+ UTC$/)}`);
    console.log(`screenshot: ${await wb.screenshot('noise-shown-again-dark')}`);
  });
});

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
