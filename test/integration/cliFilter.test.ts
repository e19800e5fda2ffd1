/**
 * `--filter PATTERN` on the built CLI (dist/cli.js): `read` over trail log files and `lookup`
 * against the fake endpoint serving the sample account; the "N shown of M scanned" line; --limit
 * counting matching events; a bad pattern is a usage error with a caret under its column.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SampleAccount } from '../../src/sample/account';
import type { CloudTrailRecord } from '../../src/core/record';
import type { FakeCloudTrail } from '../fake-cloudtrail/server';
import { cli, homeWithProfile, sampleEndpoint } from './cliRun';

const ACCESS_DENIED = '{ $.errorCode = "AccessDenied" }';
const lines = (out: string): CloudTrailRecord[] =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CloudTrailRecord);

describe('trail-lens --filter', () => {
  let account: SampleAccount;
  let fake: FakeCloudTrail;
  let home: string;
  let dir: string;
  let file: string;
  const now = new Date();
  /** The service with the most AccessDenied management calls in this run's account (the counts move with the hour). */
  const mostDeniedSource = (): string => {
    const since = now.getTime() - 90 * 86_400_000;
    const denied = new Map<string, number>();
    for (const x of account.records)
      if (x.errorCode === 'AccessDenied' && x.managementEvent !== false && Date.parse(x.eventTime) >= since)
        denied.set(x.eventSource, (denied.get(x.eventSource) ?? 0) + 1);
    return [...denied].sort((a, b) => b[1] - a[1])[0][0];
  };

  before(async () => {
    ({ account, fake } = await sampleEndpoint(now));
    home = homeWithProfile(account.region);
    dir = mkdtempSync(join(tmpdir(), 'tl-filter-'));
    file = join(dir, 'trail.json');
    writeFileSync(file, JSON.stringify({ Records: account.records }));
  });
  after(() => {
    fake.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  test(`read FILE --filter '${ACCESS_DENIED}' prints exactly the AccessDenied events and says how many were scanned`, async () => {
    const r = await cli(['read', file, '--filter', ACCESS_DENIED], { home });
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as CloudTrailRecord[];
    const expected = account.records.filter((x) => x.errorCode === 'AccessDenied');
    assert.ok(expected.length > 0);
    assert.deepEqual(printed.map((x) => x.eventID).sort(), expected.map((x) => x.eventID).sort());
    assert.match(r.stderr, new RegExp(`${expected.length} shown of ${account.records.length} scanned from 1 file`));
  });

  test('read: --limit counts matching events and the output says where it stopped; other options still apply', async () => {
    const r = await cli(['read', file, '--filter', '{ $.errorCode = "AccessDenied*" }', '--limit', '3', '--format', 'jsonl'], { home });
    assert.equal(r.code, 0, r.stderr);
    const printed = lines(r.stdout);
    assert.equal(printed.length, 3);
    assert.ok(printed.every((x) => x.errorCode?.startsWith('AccessDenied')));
    assert.match(r.stderr, /3 shown of \d+ scanned from 1 file · stopped at --limit 3/);
    const both = await cli(['read', file, '--source', 'iam.amazonaws.com', '--filter', ACCESS_DENIED, '--format', 'jsonl'], { home });
    assert.equal(both.code, 0, both.stderr);
    const iam = account.records.filter((x) => x.errorCode === 'AccessDenied' && x.eventSource === 'iam.amazonaws.com');
    assert.equal(lines(both.stdout).length, iam.length);
  });

  test('a pattern that matches nothing: an empty document and "0 shown of M scanned", exit 0', async () => {
    const r = await cli(['read', file, '--filter', '{ $.errorCode = "NoSuchThing" }'], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
    assert.match(r.stderr, new RegExp(`0 shown of ${account.records.length} scanned`));
  });

  test('a bad pattern is a usage error: the pattern, a caret under the column, what was expected; exit 2, nothing on stdout', async () => {
    for (const command of [
      ['read', file],
      ['lookup', '--endpoint-url', fake.url, '--no-cache'],
    ]) {
      fake.resetStats();
      const r = await cli([...command, '--filter', '{ $.errorCode = }'], { home });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      const text = r.stderr.split('\n');
      const at = text.indexOf('{ $.errorCode = }');
      assert.ok(at >= 0, r.stderr);
      assert.equal(text[at + 1], ' '.repeat(16) + '^');
      assert.equal(text[at + 2], "column 17: expected a value after '=' (a string, a number, or a quoted string)");
      assert.match(r.stderr, new RegExp(`Run 'trail-lens ${command[0]} --help'`));
      assert.equal(fake.stats.calls, 0, 'no call is made for a bad pattern');
    }
    const regex = await cli(['read', file, '--filter', '{ $.eventName = %(Get|Put)% }'], { home });
    assert.equal(regex.code, 2);
    assert.match(regex.stderr, /column 18: parentheses \(groups\) are not supported in a %regex%/);
  });

  test('--filter is an option of lookup and read only', async () => {
    const r = await cli(['find-request', '--filter', ACCESS_DENIED, 'x'], { home });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'--filter' is not an option of find-request/);
    const help = await cli(['lookup', '--help'], { home });
    assert.match(help.stdout, /--filter PATTERN/);
  });

  test('lookup --filter against the endpoint: the attribute narrows what is fetched, the pattern what is shown', async () => {
    fake.resetStats();
    const since = now.getTime() - 90 * 86_400_000;
    const source = mostDeniedSource();
    const r = await cli(
      ['lookup', '--no-cache', '--endpoint-url', fake.url, '--source', source, '--filter', ACCESS_DENIED, '--format', 'jsonl'],
      {
        home,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    // Event history holds management events only: the sample's S3 data event is the trail's alone.
    const inWindow = account.records.filter(
      (x) => x.eventSource === source && x.managementEvent !== false && Date.parse(x.eventTime) >= since,
    );
    const expected = inWindow.filter((x) => x.errorCode === 'AccessDenied');
    assert.ok(expected.length > 1);
    assert.deepEqual(
      lines(r.stdout)
        .map((x) => x.eventID)
        .sort(),
      expected.map((x) => x.eventID).sort(),
    );
    assert.match(r.stderr, new RegExp(`${expected.length} shown of ${inWindow.length} scanned`));
    assert.match(r.stderr, /filter \{ \$\.errorCode = "AccessDenied" \}/);
  });

  test('lookup --filter --limit N: N matching events, then it stops scanning and says so', async () => {
    fake.resetStats();
    const r = await cli(
      [
        'lookup',
        '--no-cache',
        '--endpoint-url',
        fake.url,
        '--source',
        mostDeniedSource(),
        '--filter',
        ACCESS_DENIED,
        '--limit',
        '1',
        '--format',
        'jsonl',
      ],
      { home },
    );
    assert.equal(r.code, 0, r.stderr);
    const printed = lines(r.stdout);
    assert.equal(printed.length, 1);
    assert.equal(printed[0].errorCode, 'AccessDenied');
    const m = /1 shown of (\d+) scanned · stopped at --limit 1: older events were not scanned/.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.ok(Number(m[1]) >= 1);
  });
});
