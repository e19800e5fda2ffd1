import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planWindows } from '../../src/core/find';
import { collectHints } from '../../src/core/hints';

const MIN = 60_000;
const DAY = 86_400_000;
const now = Date.parse('2026-11-21T12:00:00Z');

describe('planWindows', () => {
  test('without a time hint: one newest-first window back maxDays', () => {
    assert.deepEqual(planWindows({ times: [] }, now, 90, 30), [{ start: now - 90 * DAY, end: now }]);
    assert.deepEqual(planWindows({ times: [] }, now, 7, 30), [{ start: now - 7 * DAY, end: now }]);
  });

  test('with a time hint: rings widen outward, never overlap, and cover maxDays exactly', () => {
    const t = now - 2 * 3600_000;
    const text = `${new Date(t).toISOString()} ERROR (Service: Kms, Status Code: 400, Request ID: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d)`;
    const w = planWindows(collectHints(text, { now: new Date(now) }), now, 90, 30);
    assert.deepEqual(w[0], { start: t - 30 * MIN, end: t + 5 * MIN });
    // Disjoint and complete.
    const sorted = [...w].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i].start > sorted[i - 1].end, 'no overlap');
    const total = w.reduce((s, x) => s + (x.end - x.start), 0);
    assert.ok(Math.abs(total - 90 * DAY) < 10 * 1000, `covers 90 days (got ${total / DAY})`);
    assert.equal(Math.min(...w.map((x) => x.start)), now - 90 * DAY);
    assert.equal(Math.max(...w.map((x) => x.end)), now);
    // The second window is the newer part of the ±6 h ring.
    assert.equal(w[1].start, t + 5 * MIN + 1);
  });

  test('an explicit window hint is searched first, clipped to now', () => {
    const start = new Date(now - 10 * MIN);
    const end = new Date(now + 10 * MIN);
    const w = planWindows({ times: [new Date(now)], window: { start, end } }, now, 90, 30);
    assert.deepEqual(w[0], { start: start.getTime(), end: now });
  });

  test('a hint older than maxDays falls back to the allowed window', () => {
    const w = planWindows({ times: [new Date(now - 200 * DAY)] }, now, 90, 30);
    assert.deepEqual(w, [{ start: now - 90 * DAY, end: now }]);
  });
});

describe('trailLens.requestIdSearch.aroundMinutes through collectHints → planWindows', () => {
  const t = now - 2 * 3600_000;
  const iso = new Date(t).toISOString(); // "…Z": the zone is known
  const text = `${iso} ERROR (Service: Kms, Status Code: 400, Request ID: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d)`;
  const plan = (aroundMinutes: number | undefined, body = text) =>
    planWindows(collectHints(body, { now: new Date(now), aroundMinutes }), now, 90, aroundMinutes ?? 30);

  for (const minutes of [1, 5, 30, 90, 1440]) {
    test(`${minutes} min: the first window starts ${minutes} min before the text's time and ends 5 min after`, () => {
      assert.deepEqual(plan(minutes)[0], { start: t - minutes * MIN, end: t + 5 * MIN });
    });
  }

  test('the default is 30 minutes', () => assert.deepEqual(plan(undefined)[0], { start: t - 30 * MIN, end: t + 5 * MIN }));

  test('a wider setting searches fewer rings first: the ±6 h ring starts where the first window ended', () => {
    const w = plan(120);
    assert.equal(w[1].start, t + 5 * MIN + 1);
    assert.equal(w[2].end, t - 120 * MIN - 1);
  });

  test('a zone-less time: read as UTC over the setting first, then across every zone', () => {
    const local = new Date(t)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ''); // no zone
    const w = plan(60, `${local} ERROR Request ID: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d`);
    assert.deepEqual(w[0], { start: t - 60 * MIN, end: t + 5 * MIN });
    // The rest of [t − 14 h − 60 min, t + 12 h + 5 min], clipped to now: newer part, then older part.
    assert.deepEqual(w[1], { start: t + 5 * MIN + 1, end: now });
    assert.deepEqual(w[2], { start: t - 14 * 3600_000 - 60 * MIN, end: t - 60 * MIN - 1 });
  });

  test('the first window ends 5 min after the time even when the time is the last minute (delivery lag)', () => {
    const recent = new Date(now - 60_000).toISOString();
    const w = planWindows(collectHints(`${recent} Request ID: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d`, { now: new Date(now) }), now, 90, 30);
    assert.deepEqual(w[0], { start: now - 60_000 - 30 * MIN, end: now });
  });
});

describe('planWindows never plans slivers', () => {
  test('a hint at now leaves no sub-second window at the newer edge', () => {
    const w = planWindows({ times: [new Date(now - 1000)] }, now, 90, 30);
    assert.ok(
      w.every((x) => x.end - x.start >= 1000),
      JSON.stringify(w),
    );
  });
});
