/**
 * The request-ID jump across Regions in a real extension host, against the fake endpoint serving
 * the sample account with each Region's own history: the sample's request ID in us-west-2 is not in
 * the current Region; searching several Regions at once finds it, opens the panel, and leaves the
 * Events view on the Region it was on.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/commandIds';
import type { JumpOutcome, JumpRequest } from '../../../src/extension/jump/requestSearch';
import { OTHER_REGION, OTHER_REGION_REQUEST_ID } from '../../../src/sample/otherRegion';
import { resetView, setSetting, trailLens } from './trailLensHelpers';

async function jump(arg: JumpRequest): Promise<JumpOutcome> {
  const outcome = await vscode.commands.executeCommand<JumpOutcome | undefined>(Commands.goToRequestId, arg);
  assert.ok(outcome, 'the command failed (see the extension host log)');
  return outcome;
}

function eventTab(prefix: string): boolean {
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some(
      (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('trailLens.event') && t.label.startsWith(prefix),
    ),
  );
}

describe('Request-ID jump across Regions', function () {
  this.timeout(120_000);

  before(async function () {
    if (!process.env.TRAIL_LENS_TEST_ENDPOINT) this.skip();
    await trailLens();
    await resetView();
  });

  afterEach(async () => {
    await setSetting('requestIdSearch.regions', undefined);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetView();
  });

  it('the current Region alone does not have it, and the not-found message offers Search All Regions', async () => {
    const outcome = await jump({ requestId: OTHER_REGION_REQUEST_ID, hintsText: '(Service: Lambda, Status Code: 400)', maxDays: 1 });
    assert.equal(outcome.outcome, 'notFound', JSON.stringify(outcome));
    if (outcome.outcome !== 'notFound') return;
    assert.notEqual(outcome.region, OTHER_REGION);
    assert.ok(outcome.more.includes('Search All Regions'), JSON.stringify(outcome.more));
  });

  it('searching several Regions at once finds it in us-west-2, opens the panel, and keeps the Events view where it was', async () => {
    const outcome = await jump({
      requestId: OTHER_REGION_REQUEST_ID,
      hintsText: '(Service: Lambda, Status Code: 400)',
      regions: ['eu-west-1', OTHER_REGION, 'ap-southeast-2'],
      maxDays: 7,
    });
    assert.equal(outcome.outcome, 'found', JSON.stringify(outcome));
    if (outcome.outcome !== 'found') return;
    assert.equal(outcome.region, OTHER_REGION);
    assert.equal(outcome.record.requestID, OTHER_REGION_REQUEST_ID);
    assert.equal(outcome.record.eventName, 'CreateFunction20150331');
    assert.match(outcome.summary, new RegExp(`Found ${OTHER_REGION_REQUEST_ID} in ${OTHER_REGION} — 4 targets searched in parallel`));
    const deadline = Date.now() + 10_000;
    while (!eventTab('CreateFunction20150331') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(eventTab('CreateFunction20150331'), 'the event panel shows it');
    // The tree shows its own Region: an event found in another stays in the panel only.
    const tree = await (await trailLens()).getTreeSnapshot();
    assert.ok(!JSON.stringify(tree.nodes).includes(outcome.record.eventID), 'the Events view stays on its Region');
  });

  it('the setting trailLens.requestIdSearch.regions presets the Regions; Cancel stops every Region', async () => {
    await setSetting('requestIdSearch.regions', ['all']);
    const cancel = new vscode.CancellationTokenSource();
    setTimeout(() => cancel.cancel(), 1500);
    const outcome = await jump({ requestId: 'deadbeef-0000-4000-8000-00000000beef', maxDays: 7, token: cancel.token });
    assert.equal(outcome.outcome, 'cancelled', JSON.stringify(outcome).slice(0, 400));
  });
});
