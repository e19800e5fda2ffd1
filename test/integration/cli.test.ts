/**
 * The built CLI (dist/cli.js) as a user runs it: real credentials files in a temporary HOME, the
 * fake endpoint serving the sample account, exit codes, stdout/stderr separation.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateSampleAccount, writeTrailLogs, type SampleAccount } from '../../src/sample/account';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';

const CLI = join(__dirname, '../../dist/cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function homeWithProfile(region: string): string {
  const home = mkdtempSync(join(tmpdir(), 'tl-cli-home-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.aws', 'config'), `[default]\nregion = ${region}\n\n[profile other]\nregion = us-west-2\n`);
  writeFileSync(join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIDCLITEST\naws_secret_access_key = secret\n\n[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = secret\n');
  return home;
}

function cli(args: string[], opts: { home: string; input?: string; env?: Record<string, string> }): Promise<Run> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.home, XDG_CACHE_HOME: join(opts.home, '.cache'), ...opts.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

describe('trail-lens CLI', () => {
  let account: SampleAccount;
  let fake: FakeCloudTrail;
  let home: string;
  const now = new Date();

  before(async () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is built (node esbuild.mjs)');
    account = generateSampleAccount({ now });
    fake = await startFakeCloudTrail({ records: account.records, rate: 2, region: account.region });
    home = homeWithProfile(account.region);
  });
  after(() => fake.close());

  test('find-request resolves the seed-000 status reason in a few calls', async () => {
    fake.resetStats();
    const r = await cli(['find-request', '--endpoint-url', fake.url, account.story.logLine], { home });
    assert.equal(r.code, 0, r.stderr);
    const record = JSON.parse(r.stdout);
    assert.equal(record.eventName, 'CreateBackupVault');
    assert.equal(record.errorCode, 'InvalidParameterValueException');
    assert.equal(record.requestParameters.encryptionKeyArn, account.story.keyId);
    assert.match(r.stderr, /backup\.amazonaws\.com/);
    assert.ok(fake.stats.byOperation.LookupEvents.calls <= 3, `${fake.stats.byOperation.LookupEvents.calls} calls`);
    assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning|at .*\.js:\d+/);
  });

  test('a repeat answers from the cache with zero calls, and --no-cache goes to the API', async () => {
    fake.resetStats();
    const again = await cli(['find-request', '--endpoint-url', fake.url, account.story.requestId], { home });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(fake.stats.calls, 0);
    assert.match(again.stderr, /cache/i);
    const nocache = await cli(['find-request', '--no-cache', '--endpoint-url', fake.url, '--source', 'backup.amazonaws.com', account.story.requestId], { home });
    assert.equal(nocache.code, 0, nocache.stderr);
    assert.ok(fake.stats.calls > 0);
  });

  test('--sample: the built-in sample account answers with no AWS configured at all', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'tl-cli-bare-'));
    const r = await cli(['find-request', '--sample', account.story.statusReason], { home: bare });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).eventName, 'CreateBackupVault');
    assert.match(r.stderr, /sample account/);
    const clash = await cli(['lookup', '--sample', '--profile', 'x'], { home: bare });
    assert.equal(clash.code, 2);
  });

  test('reads the text from stdin with -', async () => {
    const r = await cli(['find-request', '--endpoint-url', fake.url, '-'], { home, input: `Deploy failed:\n${account.story.statusReason}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).requestID, account.story.requestId);
  });

  test('not found: exit 1, what was searched and what to try next on stderr, nothing on stdout', async () => {
    const r = await cli(['find-request', '--no-cache', '--endpoint-url', fake.url, '--around', new Date(now.getTime() - 3600_000).toISOString(), '--window', '5m', '--max-days', '1', 'Request ID: 0a1b2c3d-0000-4000-8000-000000000000 (Service: Backup)'], { home });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /No event with request ID 0a1b2c3d-0000-4000-8000-000000000000/);
    assert.match(r.stderr, /Region/);
    assert.match(r.stderr, /SELECT/);
  });

  test('usage and configuration errors exit 2 with a clear message', async () => {
    const none = await cli(['find-request', 'no id in this text'], { home });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /No request ID found/);
    const token = await cli(['find-request', '(RequestToken: a1234bc5-1a23-1234-1234-123456789a01, HandlerErrorCode: InvalidRequest)'], { home });
    assert.equal(token.code, 2);
    assert.match(token.stderr, /not a CloudTrail request ID/);
    const badAttr = await cli(['lookup', '--attribute', 'RequestId=x'], { home });
    assert.equal(badAttr.code, 2);
    assert.match(badAttr.stderr, /--attribute must be KEY=VALUE/);
    const profile = await cli(['lookup', '--profile', 'nope', '--endpoint-url', fake.url], { home });
    assert.equal(profile.code, 2);
    assert.match(profile.stderr, /nope/);
    const unknown = await cli(['frobnicate'], { home });
    assert.equal(unknown.code, 2);
    const help = await cli(['find-request', '--help'], { home });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: trail-lens find-request/);
  });

  test('AWS errors exit 3: AccessDenied names the missing permission', async () => {
    fake.addFault({ kind: 'accessDenied', operation: 'LookupEvents' });
    try {
      const r = await cli(['lookup', '--no-cache', '--endpoint-url', fake.url, '--limit', '5'], { home });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /cloudtrail:LookupEvents/);
      assert.doesNotMatch(r.stderr, /secret|AKIDCLITEST/);
    } finally {
      fake.clearFaults();
    }
  });

  test('an endpoint that repeats its NextToken: lookup and find-request stop with a clear error, --limit N stops after N events', async () => {
    fake.addFault({ kind: 'tokenLoop', operation: 'LookupEvents' });
    try {
      fake.resetStats();
      const limited = await cli(['lookup', '--no-cache', '--endpoint-url', fake.url, '--limit', '10', '--format', 'jsonl'], { home });
      assert.equal(limited.code, 0, limited.stderr);
      assert.equal(limited.stdout.trim().split('\n').length, 10);
      assert.equal(fake.stats.byOperation.LookupEvents.calls, 1);
      for (const args of [['lookup', '--no-cache', '--endpoint-url', fake.url], ['find-request', '--no-cache', '--endpoint-url', fake.url, '0a1b2c3d-0000-4000-8000-000000000000']]) {
        const r = await cli(args, { home });
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stderr, /trail-lens: The endpoint returned a malformed LookupEvents response: page 2 hands out a NextToken it already gave before\. Trail Lens stopped this search after 2 pages/);
        assert.match(r.stderr, /Check the endpoint URL/);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      }
    } finally {
      fake.clearFaults();
    }
  });

  test('a malformed answer is named, with what was wrong, never as the TypeError it causes', async () => {
    fake.addFault({ kind: 'malformedBody', operation: 'LookupEvents', body: '{"Events":"surprise"}' });
    try {
      const r = await cli(['lookup', '--no-cache', '--endpoint-url', fake.url, '--limit', '5'], { home });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /returned a malformed LookupEvents response: Events is a string \("surprise"\), not a list\./);
      assert.doesNotMatch(r.stderr, /is not a function|\n\s+at /);
    } finally {
      fake.clearFaults();
    }
  });

  test('throttling that lasts is reported on stderr once, with how long the search has waited, even when stderr is not a terminal', async () => {
    fake.addFault({ kind: 'throttling', operation: 'LookupEvents', count: 4 });
    try {
      const r = await cli(['lookup', '--no-cache', '--endpoint-url', fake.url, '--limit', '5'], { home });
      assert.equal(r.code, 0, r.stderr);
      const notices = r.stderr.split('\n').filter((l) => /throttling/i.test(l));
      assert.equal(notices.length, 1, r.stderr);
      assert.match(notices[0] ?? '', /^warning: CloudTrail is throttling LookupEvents: this search has waited \d+(\.\d)?s for it so far and keeps retrying/);
      assert.match(r.stderr, /^5 events$/m);
    } finally {
      fake.clearFaults();
    }
  });

  test('lookup streams events in each format', async () => {
    const attr = ['--attribute', 'EventSource=backup.amazonaws.com', '--endpoint-url', fake.url, '--limit', '7', '--no-cache'];
    const jsonl = await cli(['lookup', ...attr, '--format', 'jsonl'], { home });
    assert.equal(jsonl.code, 0, jsonl.stderr);
    const lines = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 7);
    assert.ok(lines.every((r) => r.eventSource === 'backup.amazonaws.com'));
    const json = await cli(['lookup', ...attr], { home });
    assert.equal(JSON.parse(json.stdout).length, 7);
    const csv = await cli(['lookup', ...attr, '--format', 'csv'], { home });
    assert.match(csv.stdout.split('\n')[0], /^eventTime,eventSource,eventName/);
    assert.equal(csv.stdout.trim().split('\n').length, 8);
    const tableOut = await cli(['lookup', ...attr, '--format', 'table'], { home });
    assert.match(tableOut.stdout, /eventTime\s+eventSource\s+eventName/);
  });

  test('read: trail log files in the S3 layout give the same records, newest first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-cli-logs-'));
    await writeTrailLogs(account, dir);
    const r = await cli(['read', dir, '--format', 'jsonl'], { home });
    assert.equal(r.code, 0, r.stderr);
    const got = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(got.length, account.records.length);
    assert.match(r.stderr, /\(\d+ digest files skipped\)/, 'digests are counted, not listed one by one');
    assert.doesNotMatch(r.stderr, /^skipped /m);
    for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].eventTime >= got[i].eventTime);
    const filtered = await cli(['read', dir, '--source', 'kms.amazonaws.com', '--format', 'jsonl'], { home });
    assert.ok(filtered.stdout.trim().split('\n').every((l) => JSON.parse(l).eventSource === 'kms.amazonaws.com'));
  });

  test('read: malformed JSON names the file and position, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-cli-bad-'));
    writeFileSync(join(dir, 'broken.json'), '{"Records": [\n  {"eventTime": "2024-01-01T00:00:00Z",,}\n]}');
    const r = await cli(['read', join(dir, 'broken.json')], { home });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.json/);
    assert.match(r.stderr, /2:\d+/);
    const gz = join(dir, 'bad.json.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    const r2 = await cli(['read', gz], { home });
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /bad\.json\.gz/);
  });
});
