/**
 * The error-summary dashboard in a real extension host against the fake endpoint: the command
 * opens it over the Events view's loaded events, the host posts the aggregates (not the events),
 * and a change of noise rules summarises again.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/commandIds';
import type { DashboardData } from '../../../src/protocol/dashboardProtocol';
import { events, resetView, setSetting, trailLens, until } from './trailLensHelpers';

async function summary(check: (d: DashboardData) => boolean, timeoutMs = 20_000): Promise<DashboardData> {
  const api = await trailLens();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const posted = api.getErrorSummary();
    if (posted?.type === 'summary' && check(posted.data)) return posted.data;
    if (Date.now() > deadline) throw new Error(`no matching summary posted; last: ${JSON.stringify(posted)?.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Trail Lens error summary', function () {
  this.timeout(60_000);

  before(async () => {
    await trailLens();
    await resetView();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetView();
  });

  it('summarises the loaded events and summarises again when the noise rules change', async () => {
    const tree = await until((t) => {
      assert.equal(t.phase, 'ready');
      assert.ok(events(t).length > 0);
    });
    const loaded = events(tree);
    const failed = loaded.filter((e) => e.icon === 'error').length;
    await vscode.commands.executeCommand(Commands.showErrorSummary);
    const off = await summary((d) => d.loaded >= loaded.length);
    assert.equal(off.noiseRules.length, 0);
    assert.ok(off.failed >= failed, `${off.failed} failed calls summarised, ${failed} shown as failed`);
    assert.equal(off.total, off.failed);
    assert.ok(
      off.top.errorCode.every((r, i, rows) => i === 0 || rows[i - 1].count >= r.count),
      'most frequent first',
    );
    assert.equal(
      off.timeline.reduce((n, p) => n + p.count, 0),
      off.total,
      'the timeline counts every summarised call',
    );
    await setSetting('noise.hideServiceLinkedRoles', true);
    const on = await summary((d) => d.noiseRules.includes('service-linked roles'));
    assert.equal(on.total + on.hidden, on.failed);
    assert.ok(on.top.caller.every((r) => !r.key.startsWith('AWSServiceRoleFor')));
  });
});
