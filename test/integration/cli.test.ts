/**
 * The built CLI (dist/cli.js) as a user runs it: real credentials files in a temporary HOME, the
 * fake endpoint serving the sample account, exit codes, stdout/stderr separation.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatWindow } from '../../src/core/time';
import { writeTrailLogs, type SampleAccount } from '../../src/sample/account';
import type { FakeCloudTrail } from '../fake-cloudtrail/server';
import { CLI, cli, homeWithProfile, sampleEndpoint } from './cliRun';
import { scratchDir } from '../harness/scratch';

describe('trail-lens CLI', () => {
  let account: SampleAccount;
  let fake: FakeCloudTrail;
  let home: string;
  const now = new Date();

  before(async () => {
    ({ account, fake } = await sampleEndpoint(now));
    home = homeWithProfile(account.region);
  });
  after(() => fake.close());

  test('find-request resolves the failed-deployment status reason in a few calls', async () => {
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
    const nocache = await cli(
      ['find-request', '--no-cache', '--endpoint-url', fake.url, '--source', 'backup.amazonaws.com', account.story.requestId],
      { home },
    );
    assert.equal(nocache.code, 0, nocache.stderr);
    assert.ok(fake.stats.calls > 0);
  });

  test('--sample: the built-in sample account answers with no AWS configured at all', async () => {
    const bare = scratchDir('tl-cli-bare-');
    const r = await cli(['find-request', '--sample', account.story.statusReason], { home: bare });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).eventName, 'CreateBackupVault');
    assert.match(r.stderr, /sample account/);
    const clash = await cli(['lookup', '--sample', '--profile', 'x'], { home: bare });
    assert.equal(clash.code, 2);
  });

  test('reads the text from stdin with -', async () => {
    const r = await cli(['find-request', '--endpoint-url', fake.url, '-'], {
      home,
      input: `Deploy failed:\n${account.story.statusReason}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).requestID, account.story.requestId);
  });

  test('an invisible character pasted inside the ID is removed, and said where it was', async () => {
    const id = account.story.requestId;
    const pasted = account.story.statusReason.replace(id, `${id.slice(0, 18)}\u200b${id.slice(18)}`);
    const r = await cli(['find-request', '--endpoint-url', fake.url, pasted], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).requestID, id);
    assert.match(
      r.stderr,
      /note: Removed 1 invisible character from the text: U\+200B ZERO WIDTH SPACE at offset \d+ \(inside the request ID\)/,
    );
  });

  test("find-request --window alone starts the search that long before the text's timestamp", async () => {
    const t = new Date(Math.floor((now.getTime() - 2 * 3600_000) / 60_000) * 60_000);
    const text = `${t.toISOString()} Request ID: 0a1b2c3d-0000-4000-8000-000000000001 (Service: Backup)`;
    const r = await cli(['find-request', '--no-cache', '--endpoint-url', fake.url, '--window', '45m', '--max-days', '1', text], { home });
    assert.equal(r.code, 1, r.stderr);
    // The first searched window: 45 min before the text's time to 5 min after it (with dates when it spans midnight UTC).
    const first = formatWindow({ start: new Date(t.getTime() - 45 * 60_000), end: new Date(t.getTime() + 5 * 60_000) });
    assert.ok(r.stderr.includes(first), r.stderr);
    assert.match(r.stderr, new RegExp(`around ${new Date(t.getTime() - 45 * 60_000).toISOString()}`));
  });

  test('not found: exit 1, what was searched and what to try next on stderr, nothing on stdout', async () => {
    const r = await cli(
      [
        'find-request',
        '--no-cache',
        '--endpoint-url',
        fake.url,
        '--around',
        new Date(now.getTime() - 3600_000).toISOString(),
        '--window',
        '5m',
        '--max-days',
        '1',
        'Request ID: 0a1b2c3d-0000-4000-8000-000000000000 (Service: Backup)',
      ],
      { home },
    );
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /No event with request ID 0a1b2c3d-0000-4000-8000-000000000000/);
    assert.match(r.stderr, /Region/);
    assert.match(r.stderr, /SELECT/);
  });

  test('not found minutes after the request: exit 5, CloudTrail may not have delivered it yet, until when', async () => {
    const at = new Date(now.getTime() - 3 * 60_000);
    const text = `${at.toISOString()} ERROR (Service: Backup, Status Code: 400, Request ID: 0a1b2c3d-0000-4000-8000-000000000005)`;
    const r = await cli(['find-request', '--no-cache', '--endpoint-url', fake.url, '--max-days', '1', text], { home });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /CloudTrail may not have delivered it yet \(the request was [34] minutes ago\)/);
    const until = new Date(at.getTime() + 15 * 60_000).toISOString().slice(11, 19);
    assert.ok(
      r.stderr.includes(`Exit 5: run it again until ${new Date(at.getTime() + 15 * 60_000).toISOString().slice(0, 10)} ${until} UTC`),
      r.stderr,
    );
    // --around says when the request was made, whatever the text says.
    const old = await cli(
      [
        'find-request',
        '--no-cache',
        '--endpoint-url',
        fake.url,
        '--around',
        new Date(now.getTime() - 3600_000).toISOString(),
        '--window',
        '5m',
        '--max-days',
        '1',
        text,
      ],
      { home },
    );
    assert.equal(old.code, 1, old.stderr);
    assert.doesNotMatch(old.stderr, /may not have delivered/);
  });

  test('a labelled event ID is looked up by EventId in one call', async () => {
    fake.resetStats();
    const r = await cli(['find-request', '--no-cache', '--endpoint-url', fake.url, `"eventID": "${account.story.createKeyEventId}"`], {
      home,
    });
    assert.equal(r.code, 0, r.stderr);
    const record = JSON.parse(r.stdout);
    assert.equal(record.eventID, account.story.createKeyEventId);
    assert.equal(record.eventName, 'CreateKey');
    assert.match(r.stderr, /Found event .+ by EventId \(\d+ calls?/);
    // One page answers it; a throttled attempt (earlier tests drain the fake's 2/s bucket) is retried.
    const { calls, throttled } = fake.stats.byOperation.LookupEvents;
    assert.equal(calls - throttled, 1, `${calls} calls, ${throttled} throttled`);
    const missing = await cli(['find-request', '--no-cache', '--endpoint-url', fake.url, 'EventId: 0a1b2c3d-0000-4000-8000-00000000000e'], {
      home,
    });
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /No event with event ID 0a1b2c3d-0000-4000-8000-00000000000e/);
  });

  test('usage and configuration errors exit 2 with a clear message', async () => {
    const none = await cli(['find-request', 'no id in this text'], { home });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /No request ID found/);
    const token = await cli(['find-request', '(RequestToken: a1234bc5-1a23-1234-1234-123456789a01, HandlerErrorCode: InvalidRequest)'], {
      home,
    });
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

  test('lookup: an AWS error mid-stream still leaves a complete JSON document, exit 3', async () => {
    fake.addFault({ kind: 'accessDenied', operation: 'LookupEvents', skip: 1 });
    try {
      const r = await cli(['lookup', '--no-cache', '--endpoint-url', fake.url, '--limit', '400'], { home });
      assert.equal(r.code, 3, r.stderr);
      assert.ok(Array.isArray(JSON.parse(r.stdout)), 'stdout is one closed JSON array');
      assert.match(r.stderr, /cloudtrail:LookupEvents/);
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
      for (const args of [
        ['lookup', '--no-cache', '--endpoint-url', fake.url],
        ['find-request', '--no-cache', '--endpoint-url', fake.url, '0a1b2c3d-0000-4000-8000-000000000000'],
      ]) {
        const r = await cli(args, { home });
        assert.equal(r.code, 3, r.stderr);
        assert.match(
          r.stderr,
          /trail-lens: The endpoint returned a malformed LookupEvents response: page 2 hands out a NextToken it already gave before\. Trail Lens stopped this search after 2 pages/,
        );
        assert.match(r.stderr, /Check the endpoint URL/);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      }
    } finally {
      fake.clearFaults();
    }
  });

  test('lookup: Ctrl+C after the first page closes the array and exits 130', async () => {
    fake.addFault({ kind: 'latency', operation: 'LookupEvents', latencyMs: 5000, skip: 1 });
    try {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(home, '.cache') };
      const child = spawn(process.execPath, [CLI, 'lookup', '--no-cache', '--endpoint-url', fake.url, '--limit', '400'], { env });
      let stdout = '';
      let stderr = '';
      let interrupted = false;
      child.stdout.on('data', (b) => {
        stdout += b;
        if (!interrupted && stdout.includes('"eventID"')) interrupted = child.kill('SIGINT');
      });
      child.stderr.on('data', (b) => (stderr += b));
      const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
      assert.equal(code, 130, stderr);
      const printed = JSON.parse(stdout);
      assert.ok(printed.length > 0 && printed.length < 400, `${printed.length} events printed before Ctrl+C`);
      assert.match(stderr, /Cancelled/);
    } finally {
      fake.clearFaults();
    }
  });

  test('an endpoint error message with escape sequences reaches stderr printable', async () => {
    fake.addFault({
      kind: 'error',
      operation: 'LookupEvents',
      code: 'ValidationException',
      status: 400,
      message: 'bad \u001b]0;pwned\u0007\u001b[2J input',
    });
    try {
      const r = await cli(['lookup', '--no-cache', '--endpoint-url', fake.url, '--limit', '5'], { home });
      assert.notEqual(r.code, 0);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(r.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      assert.match(r.stderr, /\\x1b\]0;pwned/);
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
      assert.match(
        notices[0] ?? '',
        /^warning: CloudTrail is throttling LookupEvents: this search has waited \d+(\.\d)?s for it so far and keeps retrying/,
      );
      assert.match(r.stderr, /^5 events$/m);
    } finally {
      fake.clearFaults();
    }
  });

  test('lookup streams events in each format', async () => {
    const attr = ['--attribute', 'EventSource=backup.amazonaws.com', '--endpoint-url', fake.url, '--limit', '7', '--no-cache'];
    const jsonl = await cli(['lookup', ...attr, '--format', 'jsonl'], { home });
    assert.equal(jsonl.code, 0, jsonl.stderr);
    const lines = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
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
    const dir = scratchDir('tl-cli-logs-');
    await writeTrailLogs(account, dir);
    const r = await cli(['read', dir, '--format', 'jsonl', '--newest-first'], { home });
    assert.equal(r.code, 0, r.stderr);
    const got = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(got.length, account.records.length);
    assert.match(r.stderr, /\(\d+ digest files skipped\)/, 'digests are counted, not listed one by one');
    assert.doesNotMatch(r.stderr, /^skipped /m);
    for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].eventTime >= got[i].eventTime);
    const filtered = await cli(['read', dir, '--source', 'kms.amazonaws.com', '--format', 'jsonl'], { home });
    assert.ok(
      filtered.stdout
        .trim()
        .split('\n')
        .every((l) => JSON.parse(l).eventSource === 'kms.amazonaws.com'),
    );
  });

  test('read: malformed JSON names the file and position, exit 4 (some input could not be read)', async () => {
    const dir = scratchDir('tl-cli-bad-');
    writeFileSync(join(dir, 'broken.json'), '{"Records": [\n  {"eventTime": "2024-01-01T00:00:00Z",,}\n]}');
    const r = await cli(['read', join(dir, 'broken.json')], { home });
    assert.equal(r.code, 4);
    assert.equal(r.stdout, '[]\n');
    assert.match(r.stderr, /broken\.json/);
    assert.match(r.stderr, /2:\d+/);
    const gz = join(dir, 'bad.json.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    const r2 = await cli(['read', gz], { home });
    assert.equal(r2.code, 4);
    assert.match(r2.stderr, /bad\.json\.gz/);
  });
});
