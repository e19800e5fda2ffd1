/** Timestamps in text, time and duration arguments, and their formatting. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TrailLensError } from '../../src/core/errors';
import {
  findTimestamps,
  formatDuration,
  formatWindow,
  parseDuration,
  parseTimeArg,
  parseTimeRange,
  parseZone,
  windowFromArgs,
} from '../../src/core/time';

const NOW = new Date('2024-08-09T00:00:00Z');

describe('findTimestamps: one format per row', () => {
  // [text, ISO instant expected for the first timestamp, zoneKnown, the matched text]
  const rows: Array<[string, string, boolean, string]> = [
    ['at 2024-08-08T05:49:02Z ok', '2024-08-08T05:49:02.000Z', true, '2024-08-08T05:49:02Z'],
    ['2024-08-08T14:49:02+09:00 x', '2024-08-08T05:49:02.000Z', true, '2024-08-08T14:49:02+09:00'],
    ['2024-08-08T05:49:02.123456Z', '2024-08-08T05:49:02.123Z', true, '2024-08-08T05:49:02.123456Z'],
    ['2024-08-08T07:49:02-0700', '2024-08-08T14:49:02.000Z', true, '2024-08-08T07:49:02-0700'],
    ['2024-08-08 05:49:02.123 INFO', '2024-08-08T05:49:02.123Z', false, '2024-08-08 05:49:02.123'],
    ['2024-08-08T05:49 deploy', '2024-08-08T05:49:00.000Z', false, '2024-08-08T05:49'],
    ['2024-08-08 14:48:55,123 - MainThread - botocore', '2024-08-08T14:48:55.123Z', false, '2024-08-08 14:48:55,123'],
    ['2024-08-08 14:49:02 UTC+0900\tCREATE_FAILED', '2024-08-08T05:49:02.000Z', true, '2024-08-08 14:49:02 UTC+0900'],
    ['2024-08-08 05:49:02 UTC', '2024-08-08T05:49:02.000Z', true, '2024-08-08 05:49:02 UTC'],
    ['2024-08-08 14:49:02 JST', '2024-08-08T05:49:02.000Z', true, '2024-08-08 14:49:02 JST'],
    ['2024/08/08 14:48:55 operation error', '2024-08-08T14:48:55.000Z', false, '2024/08/08 14:48:55'],
    ['1.2.3.4 - - [08/Aug/2024:14:48:55 +0900] "GET / HTTP/1.1"', '2024-08-08T05:48:55.000Z', true, '08/Aug/2024:14:48:55 +0900'],
    ['Aug  8 14:48:55 host sshd[1]: x', '2024-08-08T14:48:55.000Z', false, 'Aug  8 14:48:55'],
    ["'date': 'Thu, 08 Aug 2024 05:49:02 GMT'", '2024-08-08T05:49:02.000Z', true, 'Thu, 08 Aug 2024 05:49:02 GMT'],
    ['Thu Aug 08 05:49:02 UTC 2024', '2024-08-08T05:49:02.000Z', true, 'Thu Aug 08 05:49:02 UTC 2024'],
    ['Aug 8, 2024, 2:48:55 PM', '2024-08-08T14:48:55.000Z', false, 'Aug 8, 2024, 2:48:55 PM'],
    ['August 08, 2024, 14:49:02 (UTC+09:00)', '2024-08-08T05:49:02.000Z', true, 'August 08, 2024, 14:49:02 (UTC+09:00)'],
    ['Aug 8, 2024, 12:05:00 AM', '2024-08-08T00:05:00.000Z', false, 'Aug 8, 2024, 12:05:00 AM'],
    ['8/8/2024, 2:49:02 PM', '2024-08-08T14:49:02.000Z', false, '8/8/2024, 2:49:02 PM'],
    ['28/7/2024, 14:49:02', '2024-07-28T14:49:02.000Z', false, '28/7/2024, 14:49:02'],
    ['{"eventTime": 1723096142}', '2024-08-08T05:49:02.000Z', true, '1723096142'],
    ['{"timestamp":1723096142123,"message":"x"}', '2024-08-08T05:49:02.123Z', true, '1723096142123'],
    ['created_at=1723096142', '2024-08-08T05:49:02.000Z', true, '1723096142'],
  ];
  for (const [text, iso, zoneKnown, matched] of rows) {
    test(text, () => {
      const found = findTimestamps(text, { now: NOW });
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0].time.toISOString(), iso);
      assert.equal(found[0].zoneKnown, zoneKnown);
      assert.equal(text.slice(found[0].start, found[0].end), matched);
    });
  }

  test('not timestamps: impossible dates, bare numbers, IDs, versions', () => {
    for (const text of [
      '2024-02-30T10:00:00Z',
      '2024-08-08T25:00:00Z',
      'account 123456789012',
      '{"count": 1723096142}',
      '{"eventTime": 9999999999999}',
      'Request ID: abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
      'aws-cli/2.15.30 Python/3.11.8',
      '13:00 PM',
    ]) {
      assert.deepEqual(findTimestamps(text, { now: NOW }), [], text);
    }
  });

  test('several timestamps come back in document order without overlaps', () => {
    const text = "2024-08-08 14:48:55,388 - Response headers: {'Date': 'Thu, 08 Aug 2024 05:48:55 GMT'} at 2024-08-08T05:48:56Z";
    const found = findTimestamps(text, { now: NOW });
    assert.deepEqual(
      found.map((f) => f.zoneKnown),
      [false, true, true],
    );
    for (let i = 1; i < found.length; i++) assert.ok(found[i].start >= found[i - 1].end);
  });

  test('syslog times without a year are never more than a day in the future', () => {
    const jan = new Date('2025-01-02T00:00:00Z');
    assert.equal(findTimestamps('Dec 31 23:59:00 host x', { now: jan })[0].time.toISOString(), '2024-12-31T23:59:00.000Z');
    assert.equal(findTimestamps('Jan  1 10:00:00 host x', { now: jan })[0].time.toISOString(), '2025-01-01T10:00:00.000Z');
  });

  test("timeZone 'local' reads zone-less times in the process's zone; stated zones are unaffected", () => {
    const local = findTimestamps('2024-08-08 14:48:55', { timeZone: 'local' })[0];
    assert.equal(local.time.getTime(), new Date(2024, 7, 8, 14, 48, 55).getTime());
    assert.equal(local.zoneKnown, false);
    assert.equal(findTimestamps('2024-08-08T05:49:02Z', { timeZone: 'local' })[0].time.toISOString(), '2024-08-08T05:49:02.000Z');
  });
});

test('parseZone', () => {
  assert.equal(parseZone('Z'), 0);
  assert.equal(parseZone(' UTC+0900'), 540);
  assert.equal(parseZone('(UTC-03:30)'), -210);
  assert.equal(parseZone('GMT+9'), 540);
  assert.equal(parseZone('+05:45'), 345);
  assert.equal(parseZone('PDT'), -420);
  assert.equal(parseZone('CST'), undefined); // China or US Central: unknown
  assert.equal(parseZone('+15:00'), undefined);
  assert.equal(parseZone(undefined), undefined);
});

describe('parseTimeArg', () => {
  const cases: Array<[string, string]> = [
    ['now', '2024-08-09T00:00:00.000Z'],
    ['15m', '2024-08-08T23:45:00.000Z'],
    ['2h', '2024-08-08T22:00:00.000Z'],
    ['3d', '2024-08-06T00:00:00.000Z'],
    ['1w', '2024-08-02T00:00:00.000Z'],
    ['-90m', '2024-08-08T22:30:00.000Z'],
    ['2h ago', '2024-08-08T22:00:00.000Z'],
    ['1h30m', '2024-08-08T22:30:00.000Z'],
    ['1723096142', '2024-08-08T05:49:02.000Z'],
    ['1723096142123', '2024-08-08T05:49:02.123Z'],
    ['2024-08-08', '2024-08-08T00:00:00.000Z'],
    ['2024-08-08T05:49:02Z', '2024-08-08T05:49:02.000Z'],
    ['2024-08-08T14:49:02+09:00', '2024-08-08T05:49:02.000Z'],
    ['2024-08-08 05:49', '2024-08-08T05:49:00.000Z'], // zone-less: UTC, like CloudTrail
    ['2024-08-08 14:49:02 UTC+0900', '2024-08-08T05:49:02.000Z'],
  ];
  for (const [arg, iso] of cases) test(arg, () => assert.equal(parseTimeArg(arg, NOW).toISOString(), iso));

  test('anything else is InvalidInput with a hint', () => {
    for (const bad of ['', 'yesterday', '2024-13-01', '15', '15x', 'now-ish', '2024-08-08T05:49:02Z and more']) {
      assert.throws(
        () => parseTimeArg(bad, NOW),
        (e: unknown) => e instanceof TrailLensError && e.code === 'InvalidInput' && !!e.hint && e.message.includes('not a time'),
        bad,
      );
    }
  });
});

describe('parseDuration / formatDuration', () => {
  const cases: Array<[string, number]> = [
    ['15m', 15 * 60_000],
    ['2h', 2 * 3_600_000],
    ['90d', 90 * 86_400_000],
    ['30s', 30_000],
    ['1w', 7 * 86_400_000],
    ['500ms', 500],
    ['1h30m', 90 * 60_000],
    ['1h 30m', 90 * 60_000],
    ['2 hours', 2 * 3_600_000],
    ['1.5h', 90 * 60_000],
    ['PT15M', 15 * 60_000],
    ['P1DT2H', 26 * 3_600_000],
    ['P1W', 7 * 86_400_000],
    ['pt30s', 30_000],
  ];
  for (const [text, ms] of cases) test(`${text} → ${ms}`, () => assert.equal(parseDuration(text), ms));

  test('refuses what would be a guess', () => {
    for (const bad of ['', '15', '-5m', 'abc', 'P', 'PT', '5 parsecs', '1h-', 'x'.repeat(200)]) {
      assert.throws(
        () => parseDuration(bad),
        (e: unknown) => e instanceof TrailLensError && e.code === 'InvalidInput',
        bad,
      );
    }
  });

  test('formatDuration: compact, at most two units, and parseable back', () => {
    assert.equal(formatDuration(15 * 60_000), '15m');
    assert.equal(formatDuration(90 * 60_000), '1h 30m');
    assert.equal(formatDuration(90 * 86_400_000), '90d');
    assert.equal(formatDuration(1500), '1.5s');
    assert.equal(formatDuration(250), '250ms');
    assert.equal(formatDuration(0), '0ms');
    assert.equal(formatDuration(-60_000), '-1m');
    assert.equal(formatDuration(86_400_000 + 3_600_000 + 60_000), '1d 1h');
    for (const ms of [15 * 60_000, 90 * 60_000, 3 * 86_400_000, 45_000]) assert.equal(parseDuration(formatDuration(ms)), ms);
  });
});

test('formatWindow', () => {
  const w = (a: string, b: string) => formatWindow({ start: new Date(a), end: new Date(b) });
  assert.equal(w('2024-08-08T09:40:00Z', '2024-08-08T10:20:00Z'), '09:40–10:20 UTC');
  assert.equal(w('2024-08-07T23:00:00Z', '2024-08-08T01:00:00Z'), '2024-08-07 23:00 – 2024-08-08 01:00 UTC');
  assert.equal(w('2024-08-08T05:34:02Z', '2024-08-08T05:54:02Z'), '05:34:02–05:54:02 UTC');
});

describe('parseTimeRange: the one range parser (extension custom range) over parseTimeArg (CLI)', () => {
  const iso = (r: ReturnType<typeof parseTimeRange>) => (r.kind === 'absolute' ? [r.start.toISOString(), r.end.toISOString()] : r.ms);
  test('a duration stays relative', () => {
    assert.equal(iso(parseTimeRange('36h', NOW)), 36 * 3_600_000);
    assert.equal(iso(parseTimeRange('PT90M', NOW)), 90 * 60_000);
  });
  test('one time runs to now; a pair splits at "/", "..", "–", " to " or a space', () => {
    assert.deepEqual(iso(parseTimeRange('2024-08-08', NOW)), ['2024-08-08T00:00:00.000Z', NOW.toISOString()]);
    for (const sep of ['/', ' / ', '..', ' – ', ' to ', ' ']) {
      assert.deepEqual(
        iso(parseTimeRange(`2024-08-08T05:00Z${sep}2024-08-08T06:00Z`, NOW)),
        ['2024-08-08T05:00:00.000Z', '2024-08-08T06:00:00.000Z'],
        sep,
      );
    }
    // A "/" inside a time (Go's log format) is not taken for the separator.
    assert.deepEqual(iso(parseTimeRange('2024/08/08 05:00:00/2024/08/08 06:00:00', NOW)), [
      '2024-08-08T05:00:00.000Z',
      '2024-08-08T06:00:00.000Z',
    ]);
    assert.deepEqual(iso(parseTimeRange('3d to 2d', NOW)), ['2024-08-06T00:00:00.000Z', '2024-08-07T00:00:00.000Z']);
  });
  test('errors name the part that is wrong', () => {
    const fails = (text: string, re: RegExp) =>
      assert.throws(
        () => parseTimeRange(text, NOW),
        (e: unknown) => e instanceof TrailLensError && e.code === 'InvalidInput' && re.test(e.message),
        text,
      );
    fails('', /Enter a duration/);
    fails('soon', /not a duration, a time/);
    fails('2024-08-08T10:00Z/yesterday', /"yesterday" is not a time/);
    fails('tomorrow/2024-08-08T10:00Z', /"tomorrow" is not a time/);
    fails('2024-08-08T10:00Z/2024-08-08T09:00Z', /must be before the end/);
    fails('x'.repeat(300), /too long/);
  });
});

describe("windowFromArgs: the CLI's --start/--end/--around/--window", () => {
  const w = (args: Parameters<typeof windowFromArgs>[0]) => {
    const r = windowFromArgs(args, NOW, 90 * 86_400_000);
    return r && [r.start.toISOString(), r.end.toISOString()];
  };
  test('each form', () => {
    assert.equal(w({}), undefined);
    assert.deepEqual(w({ around: '2024-08-08T12:00Z' }), ['2024-08-08T11:30:00.000Z', '2024-08-08T12:30:00.000Z']);
    assert.deepEqual(w({ around: '1h', window: '10m' }), ['2024-08-08T22:50:00.000Z', '2024-08-08T23:10:00.000Z']);
    assert.deepEqual(w({ window: '2h' }), ['2024-08-08T22:00:00.000Z', NOW.toISOString()]);
    assert.deepEqual(w({ start: '2024-08-08' }), ['2024-08-08T00:00:00.000Z', NOW.toISOString()]);
    assert.deepEqual(w({ end: '2024-08-08' }), ['2024-05-11T00:00:00.000Z', '2024-08-08T00:00:00.000Z']);
  });
  test('conflicts and reversed windows are InvalidInput', () => {
    assert.throws(() => w({ around: 'now', start: '1d' }), /not both/);
    assert.throws(() => w({ start: '1h', end: '2h' }), /must be before the end/);
  });
});
