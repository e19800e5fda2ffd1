/**
 * No credentials anywhere (an empty HOME, no AWS variables): the Events view shows the welcome
 * content with its three buttons, and "Explore the Sample Account" opens the built-in sample
 * account with real events, all without AWS.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { openViewContainer, openWorkbench, treeItem, type Workbench, viewActions } from '../harness/ui';
import { prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';

describe('welcome without credentials (UI)', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;

  before(async () => {
    if (skip) return;
    world = await prepareSuiteEnvironment();
    const home = join(world.root, 'empty-home');
    mkdirSync(home, { recursive: true });
    wb = await openWorkbench({
      workspace: world.workspace,
      env: {
        ...world.env,
        HOME: home,
        AWS_CONFIG_FILE: undefined,
        AWS_SHARED_CREDENTIALS_FILE: undefined,
        TRAIL_LENS_TEST_ENDPOINT: undefined,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      toolchain: 'toolchain' in tc ? tc.toolchain : undefined,
    });
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
  });

  test('the Events view explains and offers a profile, the config file and the sample account', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await openViewContainer(page, /Trail Lens/);
    const sidebar = page.locator('.part.sidebar');
    await sidebar.getByText('No AWS credentials were found for Trail Lens.').waitFor({ state: 'visible', timeout: 30_000 });
    for (const name of ['Choose a Profile', 'Open AWS Config', 'Explore the Sample Account']) {
      await sidebar.getByRole('button', { name }).waitFor({ state: 'visible' });
    }
    await page.locator('.part.statusbar').getByText('No AWS credentials').waitFor({ state: 'visible' });
    // Actions that need a connection are hidden until there is one; refresh and the pickers stay.
    const actions = viewActions(page);
    await actions.getByRole('button', { name: /Refresh/ }).waitFor({ state: 'visible' });
    for (const name of [/Go to Event for Request ID/, /Filter by Lookup Attribute/, /Set Time Range/]) {
      assert.equal(await actions.getByRole('button', { name }).count(), 0, `${String(name)} is offered without credentials`);
    }
    console.log(`screenshot: ${await wb.screenshot('welcome-no-credentials')}`);
  });

  test('"Explore the Sample Account" shows the sample account and its events', { skip }, async () => {
    assert.ok(wb);
    const { page } = wb;
    await page.locator('.part.sidebar').getByRole('button', { name: 'Explore the Sample Account' }).click();
    await treeItem(page, /^Sample account @ ap-northeast-1/).waitFor({ state: 'visible', timeout: 30_000 });
    await treeItem(page, /^(Today|Yesterday|\w{3}) \d{4}-\d{2}-\d{2} UTC/)
      .first()
      .waitFor({ state: 'visible' });
    const rows = await page.locator('.part.sidebar [role="treeitem"]').count();
    assert.ok(rows > 5, `only ${rows} rows`);
    await page.locator('.part.statusbar').getByText('Sample account @ ap-northeast-1').waitFor({ state: 'visible' });
    // With a connection, the title bar offers the search and the filters again.
    await viewActions(page)
      .getByRole('button', { name: /Filter by Lookup Attribute/ })
      .waitFor({ state: 'visible' });
    console.log(`screenshot: ${await wb.screenshot('welcome-sample-account')}`);
  });
});
