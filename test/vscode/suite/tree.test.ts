/**
 * The Events tree in a real extension host against the fake CloudTrail endpoint (sample account
 * records): ordering and grouping, filtering, paging, noise rules, empty and error states.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeCloudTrail, type FakeCloudTrail } from '../../fake-cloudtrail/server';
import { Commands } from '../../../src/extension/commandIds';
import { closedPort, events, node, resetView, setSetting, testEndpoint, trailLens, until } from './trailLensHelpers';

describe('Trail Lens events tree', function () {
  this.timeout(60_000);
  const fakes: FakeCloudTrail[] = [];

  before(async () => {
    await trailLens();
    await resetView();
  });

  afterEach(async () => {
    await resetView();
  });

  after(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });

  it('loads events newest first under expanded day headers', async () => {
    const s = await until((t) => {
      assert.equal(t.phase, 'ready');
      assert.ok(events(t).length >= 10, 'too few events');
    });
    const groups = s.nodes.filter((n) => n.contextValue === 'trailLens.group');
    assert.ok(groups.length >= 1);
    for (const g of groups) assert.match(g.id, /^\d{4}-\d{2}-\d{2}$/, 'day header ids are the UTC day');
    assert.deepEqual(
      groups.map((g) => g.id),
      [...groups.map((g) => g.id)].sort().reverse(),
      'days newest first',
    );
    const times = events(s).map((e) => Date.parse(e.eventTime!));
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], `event ${i} is newer than the one above it`);
    for (const g of groups) {
      for (const e of g.children ?? []) assert.equal(e.eventTime!.slice(0, 10), g.id, 'event under the wrong day');
    }
    const first = events(s)[0];
    assert.equal(first.contextValue, 'trailLens.event');
    assert.ok(['error', 'edit', 'eye'].includes(first.icon!), `icon ${first.icon}`);
    assert.match(first.description!, /ago|just now/);
    assert.match(s.message!, /^Last 90 days · \d+ events? loaded: .+ UTC$/);
    // A failed call leads its row with the error code.
    const failed = events(s).find((e) => e.icon === 'error');
    if (failed) assert.match(failed.description!, /^[A-Za-z.]+(Exception|Error|Denied|NotFound|Fault)?\w* · /);
  });

  it('groups by hour when the setting says so', async () => {
    await setSetting('groupBy', 'hour');
    const s = await until((t) => assert.match(t.nodes.find((n) => n.contextValue === 'trailLens.group')?.id ?? '', /T\d{2}$/));
    for (const g of s.nodes.filter((n) => n.contextValue === 'trailLens.group')) {
      for (const e of g.children ?? []) assert.equal(e.eventTime!.slice(0, 13), g.id);
    }
  });

  it('filters by EventSource on the server and shows the filter in the message', async () => {
    const before = await until((t) => assert.ok(events(t).length > 0));
    const sources = new Set(events(before).map((e) => e.eventSource));
    assert.ok(sources.size > 1, 'the first page should mix services');
    const source = events(before)[events(before).length - 1].eventSource!;
    await vscode.commands.executeCommand(Commands.setFilter, { key: 'EventSource', value: source });
    const s = await until((t) => {
      assert.equal(t.phase, 'ready');
      assert.ok(t.message?.includes(`EventSource = ${source}`), `message: ${t.message}`);
    });
    assert.ok(events(s).length > 0);
    for (const e of events(s)) assert.equal(e.eventSource, source);
  });

  it('an empty result says so and offers to widen the range or clear the filter', async () => {
    await vscode.commands.executeCommand(Commands.setFilter, { key: 'EventName', value: 'NoSuchApiCallAnywhere' });
    const s = await until((t) => assert.ok(node(t, 'status:empty')));
    const empty = node(s, 'status:empty')!;
    assert.match(empty.label, /^No events in the last 90 days · EventName = NoSuchApiCallAnywhere$/);
    assert.deepEqual(
      empty.children?.map((c) => c.label),
      ['Widen time range…', 'Clear filter'],
    );
  });

  it('"Load older events…" appends the next page without duplicates and ignores double clicks', async () => {
    await setSetting('pageSize', 7);
    const first = await until((t) => {
      assert.equal(events(t).length, 7);
      assert.ok(node(t, 'loadOlder'), 'no Load older row');
    });
    assert.equal(node(first, 'loadOlder')!.label, 'Load older events…');
    // Two clicks in a row: the second lands while the first is loading and must be ignored.
    await Promise.all([vscode.commands.executeCommand(Commands.loadOlder), vscode.commands.executeCommand(Commands.loadOlder)]);
    const second = await until((t) => assert.equal(events(t).length, 14));
    const ids = events(second).map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate events');
    assert.deepEqual(
      ids.slice(0, 7),
      events(first).map((e) => e.id),
      'the first page stays on top',
    );
    const times = events(second).map((e) => Date.parse(e.eventTime!));
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], 'older page is not below the first');
  });

  it('hiding read-only calls with no filter asks CloudTrail for ReadOnly = false: full pages of changes', async () => {
    await setSetting('pageSize', 7);
    await until((t) =>
      assert.ok(
        events(t).some((e) => e.icon === 'eye'),
        'no read-only events loaded',
      ),
    );
    await setSetting('noise.hideReadOnly', true);
    const s = await until((t) => {
      assert.equal(t.phase, 'ready');
      assert.match(t.message ?? '', /^Last 90 days · read-only calls left out \(ReadOnly = false\) · 7 events loaded: /);
    });
    assert.equal(events(s).length, 7, 'a whole page of changes, none hidden on the client');
    assert.ok(!/hidden by noise rules/.test(s.message!));
    assert.ok(!events(s).some((e) => e.icon === 'eye'), 'a read-only event is shown');
  });

  it('with another filter set, hiding read-only calls is a noise rule on the loaded events and the message counts them', async () => {
    const all = await until((t) =>
      assert.ok(
        events(t).some((e) => e.icon === 'eye'),
        'no read-only events loaded',
      ),
    );
    const source = events(all).find((e) => e.icon === 'eye')!.eventSource!;
    await vscode.commands.executeCommand(Commands.setFilter, { key: 'EventSource', value: source });
    const filtered = await until((t) => assert.ok(t.message?.includes(`EventSource = ${source}`) && t.phase === 'ready'));
    const total = events(filtered).length;
    await setSetting('noise.hideReadOnly', true);
    const s = await until((t) => assert.match(t.message ?? '', / · \d+ hidden by noise rules$/));
    const hidden = Number(/(\d+) hidden by noise rules/.exec(s.message!)![1]);
    assert.equal(events(s).length + hidden, total);
    assert.ok(!events(s).some((e) => e.icon === 'eye'), 'a read-only event is still shown');
  });

  it('Refresh adds what is new at the top and keeps what was paged in', async () => {
    await setSetting('pageSize', 7);
    await until((t) => assert.ok(node(t, 'loadOlder')));
    await vscode.commands.executeCommand(Commands.loadOlder);
    await vscode.commands.executeCommand(Commands.loadOlder);
    const paged = await until((t) => assert.equal(events(t).length, 21));
    await vscode.commands.executeCommand(Commands.refresh);
    const s = await until((t) => assert.equal(t.phase, 'ready'));
    assert.deepEqual(
      events(s)
        .map((e) => e.id)
        .slice(0, 21),
      events(paged).map((e) => e.id),
      'the paged-in events stay',
    );
  });

  it('the message names a custom range, and Clear Filter clears it with the filter', async () => {
    await vscode.commands.executeCommand(Commands.setTimeRange, '3d');
    await vscode.commands.executeCommand(Commands.setFilter, { key: 'EventName', value: 'NoSuchApiCallAnywhere' });
    await until((t) =>
      assert.match(node(t, 'status:empty')?.label ?? '', /^No events in the last 3 days · EventName = NoSuchApiCallAnywhere$/),
    );
    await vscode.commands.executeCommand(Commands.clearFilter);
    const s = await until((t) => assert.match(t.message ?? '', /^Last 90 days · \d+ events? loaded: /));
    assert.ok(events(s).length > 0);
  });

  it('AccessDenied shows a red error node with hint and Retry, and keeps the loaded events', async () => {
    const loaded = await until((t) => assert.ok(events(t).length > 0));
    const denied = await startFakeCloudTrail({ faults: [{ kind: 'accessDenied', operation: 'LookupEvents' }] });
    fakes.push(denied);
    await setSetting('endpointUrl', denied.url);
    const s = await until((t) => assert.ok(node(t, 'error:load'), 'no error node'));
    const error = node(s, 'error:load')!;
    assert.match(error.label, /Access denied/);
    assert.equal(error.icon, 'error');
    assert.ok(node(s, 'action:load:retry'));
    assert.deepEqual(
      events(s).map((e) => e.id),
      events(loaded).map((e) => e.id),
      'loaded events must stay',
    );
    // Retry once the endpoint works again.
    await setSetting('endpointUrl', testEndpoint());
    await until((t) => assert.ok(!node(t, 'error:load') && t.phase === 'ready'));
  });

  it('expired credentials and an unreachable endpoint each get their own error text', async () => {
    await until((t) => assert.ok(events(t).length > 0));
    const expired = await startFakeCloudTrail({ faults: [{ kind: 'expiredToken', operation: 'LookupEvents' }] });
    fakes.push(expired);
    await setSetting('endpointUrl', expired.url);
    await until((t) => assert.match(node(t, 'error:load')?.label ?? '', /expired/i));
    await setSetting('endpointUrl', `http://127.0.0.1:${await closedPort()}`);
    const s = await until((t) => assert.match(node(t, 'error:load')?.label ?? '', /Cannot reach CloudTrail/), 30_000);
    assert.ok(events(s).length > 0, 'loaded events must stay');
  });

  it('throttling shows as waiting, then the events load', async () => {
    const throttling = await startFakeCloudTrail({
      records: [],
      faults: [{ kind: 'throttling', operation: 'LookupEvents', count: 3 }],
    });
    fakes.push(throttling);
    await setSetting('endpointUrl', throttling.url);
    const api = await trailLens();
    let sawWaiting = false;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const t = await api.getTreeSnapshot({ wait: false });
      if (node(t, 'status:throttled')) sawWaiting = true;
      if (sawWaiting && t.phase !== 'loading') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(sawWaiting, 'never showed the throttled row');
    const s = await until((t) => assert.equal(t.phase, 'ready'));
    assert.ok(!node(s, 'error:load'), 'throttling must not end in an error');
  });
});
