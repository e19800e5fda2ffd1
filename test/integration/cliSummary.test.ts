/**
 * `trail-lens summary` through the built CLI (dist/cli.js): on trail log files and on the fake
 * endpoint (LookupEvents over HTTP through the real SDK), with exact json, csv and table output,
 * the noise rules on and off, --filter, and the usage errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { SUMMARY_RECORDS } from '../fixtures/summary/records';
import { cli, homeWithProfile } from './cliRun';

const TABLE = [
  'errorCode               count  share  first                    last',
  'AccessDenied                3  60.0%  2026-01-10 10:05:00 UTC  2026-01-10 12:40:00 UTC',
  'LimitExceededException      1  20.0%  2026-01-11 09:30:00 UTC  2026-01-11 09:30:00 UTC',
  'ThrottlingException         1  20.0%  2026-01-11 09:00:00 UTC  2026-01-11 09:00:00 UTC',
  '',
].join('\n');

/** Whole days from the fixture's times to three days ago (hours stay as they are). */
const SHIFT = Math.floor((Date.now() - 3 * 86_400_000 - Date.parse('2026-01-10T00:00:00Z')) / 86_400_000) * 86_400_000;

describe('trail-lens summary', () => {
  let home: string;
  let dir: string;
  let file: string;
  let fake: FakeCloudTrail;
  let recentFile: string;

  before(async () => {
    home = homeWithProfile('us-east-1');
    dir = mkdtempSync(join(tmpdir(), 'tl-summary-'));
    file = join(dir, 'trail.json');
    writeFileSync(file, JSON.stringify({ Records: SUMMARY_RECORDS }));
    // LookupEvents holds 90 days: the endpoint serves the same events moved to the last few days.
    const recent = SUMMARY_RECORDS.map((r) => ({
      ...r,
      eventTime: new Date(Date.parse(r.eventTime) + SHIFT).toISOString().replace('.000Z', 'Z'),
    }));
    recentFile = join(dir, 'recent.json');
    writeFileSync(recentFile, JSON.stringify({ Records: recent }));
    fake = await startFakeCloudTrail({ records: recent, rate: 2, region: 'us-east-1' });
  });
  after(() => {
    fake.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  test('a file, default table: error codes with share and first/last; stderr says what was read and hidden', async () => {
    const r = await cli(['summary', file], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, TABLE);
    assert.equal(
      r.stderr,
      'Read 1 file\n5 failed calls summarised of 9 events; 2026-01-10 10:05:00 UTC – 2026-01-11 09:30:00 UTC; 2 hidden by noise rules (service-linked roles: 2; --noise off includes them)\n',
    );
  });

  test('--noise off --format json: the Config NotFound calls are counted', async () => {
    const r = await cli(['summary', file, '--noise', 'off', '--format', 'json'], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `{
  "by": "errorCode",
  "total": 7,
  "hidden": 0,
  "rows": [
    {
      "key": "AccessDenied",
      "count": 3,
      "share": 0.4286,
      "first": "2026-01-10T10:05:00Z",
      "last": "2026-01-10T12:40:00Z"
    },
    {
      "key": "NoSuchCORSConfiguration",
      "count": 2,
      "share": 0.2857,
      "first": "2026-01-10T11:09:30Z",
      "last": "2026-01-10T11:09:31Z"
    },
    {
      "key": "LimitExceededException",
      "count": 1,
      "share": 0.1429,
      "first": "2026-01-11T09:30:00Z",
      "last": "2026-01-11T09:30:00Z"
    },
    {
      "key": "ThrottlingException",
      "count": 1,
      "share": 0.1429,
      "first": "2026-01-11T09:00:00Z",
      "last": "2026-01-11T09:00:00Z"
    }
  ]
}
`,
    );
    assert.match(r.stderr, /7 failed calls summarised of 9 events; .*; noise rules off\n$/);
  });

  test('--by caller --format csv, with and without AWS services; --by hour in time order', async () => {
    const r = await cli(['summary', file, '--by', 'caller', '--format', 'csv'], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'caller,count,share,first,last\nalice,3,0.6,2026-01-10T10:05:00Z,2026-01-10T12:40:00Z\ndeploy/ci-run,1,0.2,2026-01-11T09:00:00Z,2026-01-11T09:00:00Z\n',
    );
    assert.match(r.stderr, /; 1 by AWS services and service-linked roles not listed \(--include-services lists them\)\n$/);
    const all = await cli(['summary', file, '--by', 'caller', '--format', 'json', '--include-services', '--noise', 'off'], { home });
    assert.deepEqual(
      (JSON.parse(all.stdout) as { rows: { key: string }[] }).rows.map((x) => x.key),
      ['alice', 'AWSServiceRoleForConfig/AWSConfig-Describe', 'backup.amazonaws.com', 'deploy/ci-run'],
    );
    const hours = await cli(['summary', file, '--by', 'hour', '--format', 'csv'], { home });
    assert.equal(hours.stdout, 'hour,count,share\n2026-01-10T10:00:00Z,2,0.4\n2026-01-10T12:00:00Z,1,0.2\n2026-01-11T09:00:00Z,2,0.4\n');
  });

  test('--filter keeps what the pattern matches', async () => {
    const r = await cli(['summary', file, '--filter', '{ $.eventSource = "s3.amazonaws.com" }', '--by', 'eventName', '--format', 'csv'], {
      home,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'eventName,count,share,first,last\nGetObject,2,1,2026-01-10T10:05:00Z,2026-01-10T10:20:00Z\n');
    assert.match(r.stderr, /^Read 1 file \(only filter \{ \$\.eventSource = "s3\.amazonaws\.com" \}\)\n/);
  });

  test('no paths: LookupEvents on the endpoint over the window asked for gives the table the same events give from a file', async () => {
    fake.resetStats();
    const start = new Date(Date.parse(SUMMARY_RECORDS[0].eventTime) + SHIFT - 86_400_000).toISOString();
    const end = new Date(Date.parse(start) + 3 * 86_400_000).toISOString();
    const r = await cli(['summary', '--endpoint-url', fake.url, '--no-cache', '--start', start, '--end', end], { home });
    assert.equal(r.code, 0, r.stderr);
    const fromFile = await cli(['summary', recentFile], { home });
    assert.equal(r.stdout, fromFile.stdout);
    const columns = (text: string) =>
      text.split('\n').map((l) =>
        l
          .split(/\s{2,}/)
          .slice(0, 3)
          .join(' '),
      );
    assert.deepEqual(columns(r.stdout), columns(TABLE));
    assert.match(r.stderr, /^Looking up us-east-1: .* UTC\n5 failed calls summarised of 9 events; .*2 hidden by noise rules/);
    assert.ok(fake.stats.calls >= 1, 'LookupEvents was called');
    const json = await cli(
      ['summary', '--endpoint-url', fake.url, '--no-cache', '--start', start, '--end', end, '--noise', 'off', '--format', 'json'],
      { home },
    );
    const rows = (JSON.parse(json.stdout) as { rows: { key: string; count: number }[] }).rows;
    assert.deepEqual(
      rows.slice(0, 2).map((x) => [x.key, x.count]),
      [
        ['AccessDenied', 3],
        ['NoSuchCORSConfiguration', 2],
      ],
    );
  });

  test('usage errors: a bad --by, an s3:// path, an option summary does not take; exit 2 and nothing on stdout', async () => {
    for (const [args, message] of [
      [
        ['summary', file, '--by', 'user'],
        /--by must be one of errorCode, eventSource, eventName, caller, sourceIPAddress, hour, day \(got 'user'\)/,
      ],
      [['summary', 's3://my-trail-bucket/AWSLogs/'], /needs a time window/],
      [['summary', file, '--format', 'jsonl'], /--format must be one of table, json, csv \(got 'jsonl'\)/],
      [['summary', file, '--limit', '3'], /'--limit' is not an option of summary/],
    ] as const) {
      const r = await cli([...args], { home });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    }
  });

  test('--help lists the summary options', async () => {
    const r = await cli(['summary', '--help'], { home });
    assert.equal(r.code, 0);
    for (const opt of ['--by KEY', '--noise on|off', '--include-services', '--filter', '--format FORMAT', '--profile', '--endpoint-url'])
      assert.ok(r.stdout.includes(opt), opt);
  });
});
