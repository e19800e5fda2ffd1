/**
 * The Trails view in a real extension host: the test endpoint's healthy trail, the sample
 * account's failing organisation trail (badge, message, explanation, Explain document), and
 * DescribeTrails refused (an error row with Retry; the Events view unaffected).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/commandIds';
import type { TrailsSnapshot } from '../../../src/extension/trails/trailsView';
import { startFakeCloudTrail, type FakeCloudTrail } from '../../fake-cloudtrail/server';
import { resetView, setSetting, trailLens, until } from './trailLensHelpers';

async function trailsUntil(check: (s: TrailsSnapshot) => void, timeoutMs = 20_000): Promise<TrailsSnapshot> {
  const api = await trailLens();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await api.getTrailsSnapshot();
    try {
      check(s);
      return s;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${(err as Error).message}\nTrails view was: ${JSON.stringify(s, null, 1).slice(0, 3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Trail Lens trails view', function () {
  this.timeout(60_000);
  const fakes: FakeCloudTrail[] = [];

  before(async () => {
    await trailLens();
    await resetView();
  });

  after(async () => {
    await resetView();
    await Promise.all(fakes.map((f) => f.close()));
  });

  it("shows the test endpoint's healthy trail with no badge", async () => {
    await vscode.commands.executeCommand(Commands.refreshTrails);
    const s = await trailsUntil((t) => assert.equal(t.phase, 'ready'));
    const trail = s.rows.find((r) => r.label === 'management-events');
    assert.ok(trail, 'management-events is listed');
    assert.match(trail.description ?? '', /^logging · last delivery /);
    assert.equal(s.badge, undefined);
    assert.equal(s.message, undefined);
    assert.ok(trail.children.some((c) => c.label === 'Logging: on'));
  });

  it('on the sample account: the failing organisation trail, the badge, the explanation and the Explain document', async () => {
    await vscode.commands.executeCommand(Commands.exploreSample);
    await vscode.commands.executeCommand(Commands.refreshTrails);
    const s = await trailsUntil((t) => {
      assert.equal(t.phase, 'ready');
      assert.ok(t.rows.some((r) => r.label === 'org-trail'));
    });
    assert.deepEqual(s.badge, { value: 1, tooltip: '1 trail is failing delivery' });
    assert.match(
      s.message ?? '',
      /^Trail org-trail has not delivered since .+ UTC \(AccessDenied\): files after that time are missing\. Event history is not affected\.$/,
    );
    const org = s.rows[0];
    assert.equal(org.label, 'org-trail', 'the failing trail comes first');
    assert.match(org.description ?? '', /^organization, shadow · failing: S3 AccessDenied, digest AccessDenied/);
    assert.match(org.tooltip ?? '', /bucket policy or the KMS key policy no longer lets CloudTrail write/);
    assert.match(org.tooltip ?? '', /aws s3api get-bucket-policy --bucket o-a1b2c3d4e5-org-trail-logs/);
    const problem = org.children.find((c) => c.label === 'Log file delivery to S3: AccessDenied');
    assert.ok(problem, 'the S3 delivery problem is a row of its own');
    assert.match(problem.tooltip ?? '', /does not depend on trails/);
    assert.ok(org.children.some((c) => c.label === 'Home Region: us-east-1' && /shadow trail in ap-northeast-1/.test(c.description ?? '')));
    assert.ok(s.rows.some((r) => r.label === 'The Events view is not affected'));

    await vscode.commands.executeCommand(Commands.explainTrail, 'org-trail');
    const doc = await explainDocument();
    assert.equal(doc.uri.scheme, 'trail-lens-trail');
    assert.equal(doc.languageId, 'markdown');
    const text = doc.getText();
    assert.match(text, /^# Trail org-trail/);
    assert.match(
      text,
      /aws cloudtrail get-trail-status --name arn:aws:cloudtrail:us-east-1:123456789012:trail\/org-trail --region us-east-1/,
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('DescribeTrails refused: an error row naming the action, with Retry; the Events view still loads', async () => {
    const fake = await startFakeCloudTrail({ rate: 0 });
    fakes.push(fake);
    fake.addFault({ kind: 'accessDenied', operation: 'DescribeTrails' });
    await resetView();
    await setSetting('endpointUrl', fake.url);
    await vscode.commands.executeCommand(Commands.refreshTrails);
    const s = await trailsUntil((t) => assert.equal(t.phase, 'error'));
    const row = s.rows[0];
    assert.equal(row.label, 'Access denied: not allowed to call cloudtrail:DescribeTrails');
    assert.match(row.tooltip ?? '', /Nothing else is affected/);
    assert.ok(row.children.some((c) => c.label === 'Retry'));
    assert.equal(s.badge, undefined);
    await until((t) => assert.equal(t.phase, 'ready'));
    fake.clearFaults();
    await vscode.commands.executeCommand(Commands.refreshTrails);
    await trailsUntil((t) => assert.equal(t.phase, 'ready'));
  });
});

/** The Explain document once it is the active editor. */
async function explainDocument(timeoutMs = 10_000): Promise<vscode.TextDocument> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.uri.scheme === 'trail-lens-trail') return doc;
    if (Date.now() > deadline) throw new Error(`the Explain document did not open (active: ${doc?.uri.toString() ?? 'none'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
