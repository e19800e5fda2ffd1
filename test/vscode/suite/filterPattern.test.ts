/**
 * Filter patterns and noise rules in a real extension host against the fake CloudTrail endpoint
 * (sample account records): trailLens.setFilterPattern applies a pattern without asking and reads
 * on until a page of matches is shown, Stop keeps the unread time a gap, a bad pattern changes
 * nothing, Clear Filter clears it, and custom noise rules count what they hid and show it again.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/commandIds';
import type { TreeSnapshot } from '../../../src/extension/views/eventsTree';
import { events, node, resetView, setSetting, trailLens, until } from './trailLensHelpers';

/** Polls the tree as it is now (not after the running load) until `check` passes. */
async function whileLoading(check: (s: TreeSnapshot) => void, timeoutMs = 20_000): Promise<TreeSnapshot> {
  const api = await trailLens();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await api.getTreeSnapshot({ wait: false });
    try {
      check(s);
      return s;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const SCANNED = /· ([\d,]+) shown of ([\d,]+) scanned: .+ UTC/;

describe('Trail Lens filter patterns and noise rules', function () {
  this.timeout(90_000);

  before(async () => {
    await trailLens();
    await resetView();
  });

  afterEach(async () => {
    await setSetting('noise.customRules', undefined);
    await setSetting('noise.hideAwsServiceCalls', undefined);
    await resetView();
  });

  it('a pattern given to trailLens.setFilterPattern filters what is shown and reads on to a page of matches', async () => {
    await until((t) => assert.equal(t.phase, 'ready'));
    await vscode.commands.executeCommand(Commands.setFilterPattern, '{ $.errorCode = "*" }');
    const s = await until((t) => {
      assert.match(t.message ?? '', SCANNED);
      assert.ok(!node(t, 'status:scanning'), 'still scanning');
    }, 60_000);
    const [, shown, scanned] = SCANNED.exec(s.message!)!.map((x) => x.replace(/,/g, ''));
    assert.match(s.message!, /^Last 90 days · \{ \$\.errorCode = "\*" \} · /);
    // A page of matches: the last page read may bring a few more than 50.
    assert.ok(Number(shown) >= 50 && Number(shown) < 100, `${shown} shown`);
    assert.ok(Number(scanned) > 50);
    assert.equal(events(s).length, Number(shown));
    for (const e of events(s)) assert.equal(e.icon, 'error', `${e.label} is not a failed call`);
    assert.ok(node(s, 'loadOlder'), 'the rest of the 90 days is marked as not loaded');
  });

  it('the attribute narrows what is fetched and the pattern what is shown', async () => {
    await vscode.commands.executeCommand(Commands.setFilter, { key: 'EventSource', value: 's3.amazonaws.com' });
    await vscode.commands.executeCommand(Commands.setFilterPattern, '{ $.eventName = GetBucket* }');
    const s = await until((t) => {
      assert.match(t.message ?? '', /^Last 90 days · EventSource = s3\.amazonaws\.com · \{ \$\.eventName = GetBucket\* \} · \d+ shown of/);
      assert.ok(!node(t, 'status:scanning'));
    }, 60_000);
    assert.ok(events(s).length > 0);
    for (const e of events(s)) {
      assert.equal(e.eventSource, 's3.amazonaws.com');
      assert.match(e.label, /^GetBucket/);
    }
  });

  it('Stop ends a scan and keeps the time not read marked; Clear Filter clears the pattern', async () => {
    await until((t) => assert.equal(t.phase, 'ready'));
    await vscode.commands.executeCommand(Commands.setFilterPattern, '{ $.eventName = NoSuchCallAnywhere }');
    // While it scans (the whole 90 days, a minute and more at 2 requests/s), without waiting for it.
    await whileLoading((t) => assert.ok(node(t, 'status:scanning'), 'no scanning row'));
    await vscode.commands.executeCommand(Commands.stopScan);
    const s = await until((t) => {
      assert.ok(!node(t, 'status:scanning'));
      assert.match(t.message ?? '', /· 0 shown of [\d,]+ scanned: /);
    }, 20_000);
    assert.ok(node(s, 'loadOlder'), 'the unread time is a gap to load');
    const empty = node(s, 'status:empty');
    assert.match(empty?.label ?? '', /^No events in what is loaded \(.+ UTC\) · \{ \$\.eventName = NoSuchCallAnywhere \}$/);
    await vscode.commands.executeCommand(Commands.clearFilter);
    await until((t) => assert.match(t.message ?? '', /^Last 90 days · \d+ events? loaded: /));
  });

  it('a pattern that does not parse changes nothing', async () => {
    await vscode.commands.executeCommand(Commands.setFilterPattern, '{ $.readOnly IS FALSE }');
    const before = await until((t) => assert.match(t.message ?? '', /\{ \$\.readOnly IS FALSE \} · /));
    await vscode.commands.executeCommand(Commands.setFilterPattern, '{ $.errorCode = ');
    const after = await until((t) => assert.equal(t.phase, 'ready'));
    assert.match(after.message ?? '', /\{ \$\.readOnly IS FALSE \} · /);
    assert.equal(after.message?.split(' · ')[1], before.message?.split(' · ')[1]);
  });

  it('custom noise rules and the AWS-services rule count what each hid, and one click shows them again', async () => {
    await setSetting('noise.hideAwsServiceCalls', true);
    await setSetting('noise.customRules', [
      { label: 'EC2 describes', pattern: '{ $.eventSource = ec2.amazonaws.com && $.eventName = Describe* }' },
    ]);
    // Read on so both rules have something to hide.
    await vscode.commands.executeCommand(Commands.setFilterPattern, '{ $.readOnly IS TRUE }');
    const s = await until((t) => {
      assert.ok(!node(t, 'status:scanning'));
      assert.ok(node(t, 'noise:awsServices') && node(t, 'noise:custom:EC2 describes'), 'no per-rule rows');
    }, 60_000);
    const hidden = node(s, 'status:hidden')!;
    const total = Number(/^([\d,]+) hidden by noise rules$/.exec(hidden.label)![1].replace(/,/g, ''));
    const counts = hidden
      .children!.filter((c) => c.id !== 'noise:all')
      .map((c) => Number(/^([\d,]+) /.exec(c.label)![1].replace(/,/g, '')));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      total,
    );
    assert.match(s.message ?? '', new RegExp(`· ${total.toLocaleString('en-US')} hidden by noise rules$`));
    for (const e of events(s)) assert.notEqual(e.eventSource === 'ec2.amazonaws.com' && /^Describe/.test(e.label), true);

    await vscode.commands.executeCommand(Commands.showHidden, 'custom:EC2 describes');
    const shownAgain = await until((t) => assert.ok(!node(t, 'noise:custom:EC2 describes') && node(t, 'noise:awsServices')));
    assert.ok(events(shownAgain).some((e) => e.eventSource === 'ec2.amazonaws.com' && /^Describe/.test(e.label)));
    await vscode.commands.executeCommand(Commands.showHidden);
    await until((t) => assert.ok(!node(t, 'status:hidden')));
  });
});
