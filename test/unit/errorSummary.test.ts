/** The error summary in core: counts, shares, noise per rule, callers without AWS services, time buckets, bounded memory. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bucketFor, ErrorSummaryBuilder, noiseClassifier } from '../../src/core/errorSummary/aggregate';
import { TopCounts } from '../../src/core/errorSummary/topCounts';
import { builtInNoiseRules } from '../../src/core/noise';
import { generateSampleAccount } from '../../src/sample/account';
import { SUMMARY_RECORDS } from '../fixtures/summary/records';

const SLR = builtInNoiseRules().filter((r) => r.id === 'serviceLinkedRoles');

describe('ErrorSummaryBuilder', () => {
  test('without noise rules: every failed call, error codes most frequent first with share and first/last', () => {
    const b = new ErrorSummaryBuilder();
    b.add(SUMMARY_RECORDS);
    const s = b.summary();
    assert.deepEqual([s.scanned, s.failed, s.total, s.hidden], [9, 7, 7, 0]);
    assert.deepEqual(
      b.top('errorCode').map((r) => [r.key, r.count, Math.round(r.share * 1000) / 1000, r.first, r.last]),
      [
        ['AccessDenied', 3, 0.429, '2026-01-10T10:05:00Z', '2026-01-10T12:40:00Z'],
        ['NoSuchCORSConfiguration', 2, 0.286, '2026-01-10T11:09:30Z', '2026-01-10T11:09:31Z'],
        ['LimitExceededException', 1, 0.143, '2026-01-11T09:30:00Z', '2026-01-11T09:30:00Z'],
        ['ThrottlingException', 1, 0.143, '2026-01-11T09:00:00Z', '2026-01-11T09:00:00Z'],
      ],
    );
    assert.equal(s.first, '2026-01-10T10:05:00Z');
    assert.equal(s.last, '2026-01-11T09:30:00Z');
  });

  test('noise rules hide their calls from every list and count them per rule; includeHidden puts them back', () => {
    const b = new ErrorSummaryBuilder({ noise: noiseClassifier(SLR) });
    b.add(SUMMARY_RECORDS);
    assert.deepEqual(b.summary().hiddenByRule, { 'service-linked roles': 2 });
    assert.deepEqual([b.summary().total, b.summary().hidden], [5, 2]);
    assert.deepEqual(
      b.top('errorCode').map((r) => [r.key, r.share]),
      [
        ['AccessDenied', 0.6],
        ['LimitExceededException', 0.2],
        ['ThrottlingException', 0.2],
      ],
    );
    const all = new ErrorSummaryBuilder({ noise: noiseClassifier(SLR), includeHidden: true });
    all.add(SUMMARY_RECORDS);
    assert.deepEqual([all.summary().total, all.summary().hidden], [7, 2]);
    assert.equal(all.top('errorCode')[1].key, 'NoSuchCORSConfiguration');
  });

  test('callers leave out AWS services and service-linked roles unless asked; other lists keep their calls', () => {
    const b = new ErrorSummaryBuilder();
    b.add(SUMMARY_RECORDS);
    assert.deepEqual(
      b.top('caller').map((r) => [r.key, r.count]),
      [
        ['alice', 3],
        ['deploy/ci-run', 1],
      ],
    );
    assert.equal(b.summary().serviceCalls, 3);
    assert.equal(b.top('sourceIPAddress')[1].key, 'config.amazonaws.com');
    const withServices = new ErrorSummaryBuilder({ includeServiceCallers: true });
    withServices.add(SUMMARY_RECORDS);
    assert.deepEqual(
      withServices.top('caller').map((r) => r.key),
      ['alice', 'AWSServiceRoleForConfig/AWSConfig-Describe', 'backup.amazonaws.com', 'deploy/ci-run'],
    );
  });

  test('errors per hour and per day, contiguous for a chart or only the busy buckets', () => {
    const b = new ErrorSummaryBuilder();
    b.add(SUMMARY_RECORDS);
    assert.deepEqual(b.timeline('day'), [
      { start: '2026-01-10T00:00:00Z', count: 5 },
      { start: '2026-01-11T00:00:00Z', count: 2 },
    ]);
    const hours = b.timeline('hour');
    assert.equal(hours.length, 24);
    assert.deepEqual(hours.slice(0, 4), [
      { start: '2026-01-10T10:00:00Z', count: 2 },
      { start: '2026-01-10T11:00:00Z', count: 2 },
      { start: '2026-01-10T12:00:00Z', count: 1 },
      { start: '2026-01-10T13:00:00Z', count: 0 },
    ]);
    assert.deepEqual(b.timeline('hour', false).at(-1), { start: '2026-01-11T09:00:00Z', count: 2 });
    assert.equal(b.timeline('hour', false).length, 4);
    assert.equal(bucketFor('2026-01-10T00:00:00Z', '2026-01-12T23:00:00Z'), 'hour');
    assert.equal(bucketFor('2026-01-10T00:00:00Z', '2026-01-20T00:00:00Z'), 'day');
  });

  test('fed in batches it gives the same answer as fed at once', () => {
    const once = new ErrorSummaryBuilder();
    once.add(SUMMARY_RECORDS);
    const batches = new ErrorSummaryBuilder();
    for (let i = 0; i < SUMMARY_RECORDS.length; i += 2) batches.add(SUMMARY_RECORDS.slice(i, i + 2));
    assert.deepEqual(batches.top('errorCode'), once.top('errorCode'));
    assert.deepEqual(batches.summary(), once.summary());
  });

  test('the sample account: Config NotFound noise dominates with rules off; a clean picture with them on (seed 003)', () => {
    const { records } = generateSampleAccount({ now: new Date('2026-03-10T12:00:00Z') });
    const off = new ErrorSummaryBuilder();
    off.add(records);
    const CONFIG_CODES = [
      'ObjectLockConfigurationNotFoundError',
      'ReplicationConfigurationNotFoundError',
      'NoSuchBucketPolicy',
      'NoSuchCORSConfiguration',
      'NoSuchWebsiteConfiguration',
      'ResourceNotFoundException',
    ];
    assert.deepEqual(
      off
        .top('errorCode', 6)
        .map((r) => r.key)
        .sort(),
      [...CONFIG_CODES].sort(),
    );
    const on = new ErrorSummaryBuilder({ noise: noiseClassifier(SLR) });
    on.add(records);
    const s = on.summary();
    assert.ok(s.hidden > s.total, `the noise (${s.hidden}) outnumbers the rest (${s.total})`);
    const codes = on.top('errorCode').map((r) => r.key);
    for (const code of [
      'ObjectLockConfigurationNotFoundError',
      'ReplicationConfigurationNotFoundError',
      'NoSuchCORSConfiguration',
      'NoSuchWebsiteConfiguration',
    ])
      assert.ok(!codes.includes(code), `${code} is Config's alone`);
    assert.ok(
      on.top('errorCode', 5).every((r) => r.share < 0.25),
      'no code dominates once the noise is gone',
    );
  });
});

describe('TopCounts', () => {
  test('exact while the keys fit; past capacity the frequent keys stay, with an error bound', () => {
    const t = new TopCounts(10);
    for (let i = 0; i < 500; i++) t.add('hot', i);
    for (let i = 0; i < 200; i++) t.add(`rare-${i}`, i);
    for (let i = 0; i < 100; i++) t.add('warm', i);
    const top = t.top(2);
    assert.equal(top[0].key, 'hot');
    assert.equal(top[0].count, 500);
    assert.equal(top[0].error, 0);
    assert.equal(top[1].key, 'warm');
    assert.ok(top[1].count >= 100 && top[1].count - top[1].error <= 100);
    assert.equal(t.approximate, true);
    assert.ok(t.top().length <= 10);
    assert.throws(() => new TopCounts(1), RangeError);
  });
});
