import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EventCache, defaultCacheDir, matchesAttribute } from '../../src/core/cache';
import { makeRecord, assumedRole } from '../fake-cloudtrail/fixtures';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const H = 3600_000;
const dir = () => mkdtempSync(join(tmpdir(), 'tl-cache-'));

describe('EventCache', () => {
  test('persists records across opens and indexes by request and event ID', async () => {
    const d = dir();
    const a = makeRecord({ at: NOW - H, requestID: 'ABC1D2E3-A1BC-1AB2-1234-12345AB6CD7E' });
    const c1 = await EventCache.open('k|us-east-1', { dir: d, now: () => NOW });
    await c1.put([a, a]);
    const c2 = await EventCache.open('k|us-east-1', { dir: d, now: () => NOW });
    assert.equal(c2.size, 1);
    assert.equal(c2.byRequestId('abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e')?.eventID, a.eventID);
    assert.equal(c2.byEventId(a.eventID)?.eventID, a.eventID);
    const other = await EventCache.open('k|eu-west-1', { dir: d });
    assert.equal(other.size, 0, 'separate per key');
  });

  test('remembers complete windows, minus the delivery lag, per attribute', async () => {
    const c = await EventCache.open('k', { dir: dir(), now: () => NOW });
    const q = { attribute: { key: 'EventSource' as const, value: 'kms.amazonaws.com' }, start: new Date(NOW - 10 * H), end: new Date(NOW) };
    await c.put([], { query: q, complete: true });
    const gaps = c.uncovered(q);
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0].start.getTime(), NOW - 15 * 60_000 + 1);
    assert.deepEqual(c.uncovered({ ...q, end: new Date(NOW - H) }), []);
    // An unfiltered complete window covers every attribute.
    const q2 = { start: new Date(NOW - 20 * H), end: new Date(NOW - 12 * H) };
    await c.put([], { query: q2, complete: true });
    assert.deepEqual(c.uncovered({ ...q, start: q2.start, end: q2.end }), []);
    const split = c.uncovered({ attribute: q.attribute, start: new Date(NOW - 30 * H), end: new Date(NOW - 2 * H) });
    assert.equal(split.length, 2, 'the gap before q2 and the gap between q2 and q');
    assert.ok(split[0].start > split[1].start, 'newest first');
  });

  test('query filters by attribute and window, newest first', async () => {
    const c = await EventCache.open('k', { dir: dir(), now: () => NOW });
    const rs = [0, 1, 2, 3].map((i) => makeRecord({ at: NOW - i * H, eventSource: i % 2 ? 'kms.amazonaws.com' : 's3.amazonaws.com' }));
    await c.put(rs);
    const got = c.query({ attribute: { key: 'EventSource', value: 'kms.amazonaws.com' }, start: new Date(NOW - 5 * H), end: new Date(NOW) });
    assert.deepEqual(got.map((r) => r.eventID), [rs[1].eventID, rs[3].eventID]);
  });

  test('is bounded: evicts the oldest events and forgets their coverage', async () => {
    const d = dir();
    const c = await EventCache.open('k', { dir: d, maxEvents: 10, now: () => NOW });
    const rs = Array.from({ length: 12 }, (_, i) => makeRecord({ at: NOW - i * H }));
    await c.put([], { query: { start: new Date(NOW - 24 * H), end: new Date(NOW) }, complete: true });
    await c.put(rs);
    assert.equal(c.size, 9);
    assert.equal(c.byEventId(rs[11].eventID), undefined, 'oldest evicted');
    assert.ok(c.byEventId(rs[0].eventID));
    assert.equal(c.uncovered({ start: new Date(NOW - 24 * H), end: new Date(NOW - 2 * H) }).length, 1);
    const reopened = await EventCache.open('k', { dir: d, maxEvents: 10 });
    assert.equal(reopened.size, 9);
  });

  test('survives a torn line and stores no secrets', async () => {
    const d = dir();
    const c = await EventCache.open('profile:dev|us-east-1', { dir: d });
    await c.put([makeRecord({ at: NOW })]);
    const sub = readdirSync(d)[0];
    appendFileSync(join(d, sub, 'records.jsonl'), '{"eventID":"torn');
    const again = await EventCache.open('profile:dev|us-east-1', { dir: d });
    assert.equal(again.size, 1);
    const meta = readFileSync(join(d, sub, 'meta.json'), 'utf8');
    assert.doesNotMatch(meta, /secret|SecretAccessKey|SessionToken/i);
  });

  test('defaultCacheDir honours XDG_CACHE_HOME', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/trail-lens');
    assert.equal(defaultCacheDir({ HOME: '/home/u' }), '/home/u/.cache/trail-lens');
  });

  test('matchesAttribute follows LookupEvents semantics', () => {
    const r = makeRecord({ userIdentity: assumedRole('Deployer', 'ci-run-7', 'ASIAXYZ'), readOnly: false, resources: [{ ARN: 'arn:aws:kms:us-east-1:123456789012:key/k-1', type: 'AWS::KMS::Key' }] });
    assert.ok(matchesAttribute(r, { key: 'Username', value: 'ci-run-7' }));
    assert.ok(matchesAttribute(r, { key: 'AccessKeyId', value: 'ASIAXYZ' }));
    assert.ok(matchesAttribute(r, { key: 'ReadOnly', value: 'false' }));
    assert.ok(matchesAttribute(r, { key: 'ResourceType', value: 'AWS::KMS::Key' }));
    assert.ok(matchesAttribute(r, { key: 'ResourceName', value: 'k-1' }));
    assert.ok(!matchesAttribute(r, { key: 'EventName', value: 'Nope' }));
  });
});
