import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planWindows } from '../../src/core/find';

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
    const w = planWindows({ times: [new Date(t)] }, now, 90, 30);
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

describe('planWindows with a zone-less timestamp', () => {
  test('reads it as UTC first, then over every zone, then wider', () => {
    const t = now - 2 * 86_400_000;
    const wide = { start: new Date(t - 14 * 3600_000 - 15 * MIN), end: new Date(t + 12 * 3600_000 + 5 * MIN) };
    const w = planWindows({ times: [new Date(t)], window: wide, zoneKnown: false }, now, 90, 30);
    assert.deepEqual(w[0], { start: t - 30 * MIN, end: t + 5 * MIN });
    assert.equal(w[1].start, t + 5 * MIN + 1, 'then the newer part of the wide window');
    assert.equal(w[1].end, wide.end.getTime());
    assert.equal(w[2].end, t - 30 * MIN - 1, 'then its older part');
    assert.equal(w[2].start, wide.start.getTime());
  });
});

describe('planWindows never plans slivers', () => {
  test('a hint at now leaves no sub-second window at the newer edge', () => {
    const w = planWindows({ times: [new Date(now - 1000)] }, now, 90, 30);
    assert.ok(w.every((x) => x.end - x.start >= 1000), JSON.stringify(w));
  });
});
