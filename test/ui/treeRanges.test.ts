/**
 * Honest ranges in the Events view (code-server + Chromium, the sample account through the fake
 * endpoint): after the request-ID jump from deploy.log, the failed CreateBackupVault of two hours ago
 * sits in a stretch of its own with its neighbours, a "Not loaded" row separates it from the newest
 * page, its hour says which part is loaded, the message lists the loaded stretches after the range
 * asked for, and the failed row names its error code. Clicking the gap row loads it.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import {
  clickContextMenuItem,
  openFile,
  openViewContainer,
  openWorkbench,
  rightClickEditorText,
  treeItem,
  visibleWebview,
  type Workbench,
} from '../harness/ui';

const THEME = process.env.TRAIL_LENS_UI_THEME;
/** A time, with its date when the stretches are not all in one UTC day. */
const T = String.raw`(?:\d{2}-\d{2} )?\d{2}:\d{2}`;
const TWO_STRETCHES = new RegExp(`^Last 90 days · \\d+ events loaded: ${T}–${T}, ${T}–${T} UTC$`);

describe('Events view ranges after a jump (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;
  let requestId = '';

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    requestId = /Request ID: ([0-9a-f-]{36})/.exec(readFileSync(join(world.workspace, 'deploy.log'), 'utf8'))?.[1] ?? '';
    assert.ok(requestId);
    wb = await openWorkbench({
      workspace: world.workspace,
      env: world.env,
      settings: {
        'trailLens.endpointUrl': world.fakeUrl,
        'trailLens.groupBy': 'hour',
        ...(THEME ? { 'workbench.colorTheme': THEME } : {}),
      },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  const messageText = async (wb: Workbench) => {
    const message = wb.page.locator('.part.sidebar .tree-explorer-viewlet-tree-view-message, .part.sidebar .message').first();
    return (await message.isVisible()) ? (await message.innerText()).replace(/\s+/g, ' ').trim() : '';
  };

  test('the jumped-to event gets its own loaded stretch and the time between is a "Not loaded" row', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openViewContainer(page, /Trail Lens/);
    await treeItem(page, /^(Today|Yesterday|\w{3}) \d{4}-\d{2}-\d{2} \d{2}:00 UTC/)
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 })
      .catch(async (err: unknown) => {
        console.log(`rows: ${JSON.stringify(await page.locator('.part.sidebar [role="treeitem"]').allInnerTexts())}`);
        console.log(`screenshot: ${await wb!.screenshot('tree-ranges-failure')}`);
        throw err;
      });
    await openFile(page, 'deploy.log');
    await rightClickEditorText(page, requestId);
    await clickContextMenuItem(page, 'Go to Event for Request ID');
    // The failed row leads with its error code.
    const failed = treeItem(page, /^CreateBackupVault, .*failed with InvalidParameterValueException/);
    await failed.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match((await failed.innerText()).replace(/\s+/g, ' '), /^CreateBackupVault\s*InvalidParameterValueException · \d+ h ago · /);
    let text = '';
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      text = await messageText(wb);
      if (TWO_STRETCHES.test(text)) break;
    }
    console.log(`message: ${text}`);
    assert.match(text, TWO_STRETCHES);
    // The tree renders only the rows in view: walk up from the found event to the gap row above its stretch.
    const gap = treeItem(page, new RegExp(`^Not loaded: ${T}–${T} UTC`));
    await failed.click();
    // The stretch holds the event's neighbourhood (±15 minutes): up to a few hundred rows on a busy hour.
    for (let i = 0; i < 400 && !(await gap.count()); i++) await page.keyboard.press('ArrowUp');
    await gap.first().waitFor({ state: 'visible', timeout: 10_000 });
    const rows = (await page.locator('.part.sidebar [role="treeitem"]').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    console.log(`rows: ${JSON.stringify(rows)}`);
    assert.ok(
      rows.some((r) => new RegExp(` · loaded ${T}–${T} UTC only$`).test(r)),
      'a partly loaded hour says which part it holds',
    );
    // The event the click opened is drawn in the panel before the picture is taken.
    await visibleWebview(page).locator('.event-name').first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.mouse.move(900, 500);
    const shot = await wb.screenshot(`tree-ranges${THEME ? `-${THEME.replace(/\W+/g, '-').toLowerCase()}` : ''}`);
    console.log(`screenshot: ${shot}`);
    // README's picture, retaken on request only: a test run leaves the repository as it was.
    if (!THEME && process.env.TRAIL_LENS_UPDATE_SCREENSHOTS === '1')
      copyFileSync(shot, join(__dirname, '..', '..', 'docs', 'screenshots', 'tree.png'));
  });

  test('clicking the "Not loaded" row loads that stretch', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    const gap = treeItem(page, /^Not loaded: /).first();
    const before = (await gap.innerText()).replace(/\s+/g, ' ');
    await gap.click();
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(250)) {
      const rows = await treeItem(page, /^Not loaded: /).allInnerTexts();
      if (!rows.some((r) => r.replace(/\s+/g, ' ') === before)) break;
    }
    const after = (await treeItem(page, /^Not loaded: /).allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
    assert.ok(!after.includes(before), `the gap ${before} is still there: ${JSON.stringify(after)}`);
    console.log(`screenshot: ${await wb.screenshot('tree-ranges-gap-loaded')}`);
  });
});
