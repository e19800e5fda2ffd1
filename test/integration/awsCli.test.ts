/**
 * Protocol fidelity through a second, independent client: the AWS CLI (botocore) against the
 * fake endpoint. botocore sends the long X-Amz-Target form, integer epoch times, auto-paginates
 * and reads error codes only from `__type`, so it catches what the JS SDK would let slide.
 * Skips without an AWS CLI, except under CI=true, where a missing CLI fails the run.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CloudTrailRecord } from '../../src/core/record';
import { assumedRole, makeRecord } from '../fake-cloudtrail/fixtures';
import { startFakeCloudTrail } from '../fake-cloudtrail/server';
import type { FakeCloudTrail } from '../fake-cloudtrail/server';
import { scratchDir } from '../harness/scratch';

interface Cli {
  path: string;
  major: number;
}

/** TRAIL_LENS_AWS_CLI if set, then Debian's CLI v2: the `aws` on PATH may be a pyenv-installed v1. */
function findCli(): Cli | undefined {
  const override = process.env.TRAIL_LENS_AWS_CLI;
  for (const path of override ? [override] : ['/usr/bin/aws', 'aws']) {
    if (path.startsWith('/') && !existsSync(path)) continue;
    try {
      const out = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const match = /aws-cli\/(\d+)\./.exec(out);
      if (match) return { path, major: Number(match[1]) };
    } catch {
      // not installed or not runnable: try the next candidate
    }
  }
  return undefined;
}

const cli = findCli();
const onCi = process.env.CI === 'true';
const skip = cli ? false : 'no AWS CLI found (/usr/bin/aws or aws on PATH)';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const NOW = Date.now();
const kmsKey = makeRecord({
  at: NOW - 120_000,
  eventSource: 'kms.amazonaws.com',
  eventName: 'CreateKey',
  readOnly: false,
  userIdentity: assumedRole('cfn-exec', 'AWSCloudFormation'),
  sourceIPAddress: 'cloudformation.amazonaws.com',
  resources: [{ ARN: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-0000-4000-8000-00000000aaaa', type: 'AWS::KMS::Key' }],
});
const records: CloudTrailRecord[] = [kmsKey, ...Array.from({ length: 119 }, (_, i) => makeRecord({ at: NOW - (i + 3) * 60_000 }))];

describe('AWS CLI against the fake endpoint', { skip }, () => {
  let fake: FakeCloudTrail;
  let home: string;

  before(async () => {
    fake = await startFakeCloudTrail({ records, rate: 0 });
    home = scratchDir('trail-lens-awscli-');
    writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\n');
    writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = x\n');
  });
  after(async () => {
    await fake?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Runs `aws cloudtrail …` in a sealed environment: temp HOME and config, dummy keys, no pager. */
  function aws(args: string[], env: Record<string, string> = {}): Promise<Run> {
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      TZ: 'UTC',
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_CLI_AUTO_PROMPT: 'off',
    };
    // A pyenv shim finds its interpreter through PYENV_ROOT, which defaults to the real HOME.
    if (!(cli as Cli).path.startsWith('/usr/')) base.PYENV_ROOT = process.env.PYENV_ROOT ?? join(process.env.HOME ?? '', '.pyenv');
    const argv = ['cloudtrail', ...args, '--endpoint-url', fake.url, '--region', 'us-east-1', '--output', 'json'];
    return new Promise((resolve) => {
      execFile((cli as Cli).path, argv, { env: { ...base, ...env }, timeout: 90_000, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function json(args: string[]): Promise<Record<string, unknown>> {
    const run = await aws(args);
    assert.equal(run.code, 0, `aws ${args.join(' ')} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  type CliEvent = { EventId: string; EventTime: string | number; Username?: string; CloudTrailEvent: string; ReadOnly: string };
  const eventTimeMs = (value: string | number): number => (typeof value === 'number' ? value * 1000 : Date.parse(value));

  test('lookup-events auto-paginates the whole history, newest first, with no duplicates', async () => {
    fake.resetStats();
    const out = await json(['lookup-events', '--page-size', '25']);
    const events = out.Events as CliEvent[];
    assert.equal(events.length, 120);
    assert.equal(new Set(events.map((e) => e.EventId)).size, 120);
    assert.equal(out.NextToken, undefined);
    assert.deepEqual(
      events.map((e) => e.EventId),
      records.map((r) => r.eventID),
    );
    const calls = fake.requests.filter((r) => r.operation === 'LookupEvents');
    assert.equal(calls.length, 5, 'five pages of 25');
    assert.ok(calls.every((r) => r.params.MaxResults === 25));
    assert.equal(calls[0]?.target, 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents');
    const [first] = events;
    assert.ok(first);
    if ((cli as Cli).major >= 2) assert.match(String(first.EventTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/, 'CLI v2 prints ISO times');
    assert.equal(eventTimeMs(first.EventTime), Date.parse(kmsKey.eventTime));
    assert.deepEqual(JSON.parse(first.CloudTrailEvent), kmsKey);
    assert.equal(first.Username, 'AWSCloudFormation');
    assert.equal(first.ReadOnly, 'false');
  });

  test('lookup-events with --lookup-attributes and a time range', async () => {
    const bySource = await json(['lookup-events', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=kms.amazonaws.com']);
    assert.deepEqual(
      (bySource.Events as CliEvent[]).map((e) => e.EventId),
      [kmsKey.eventID],
    );
    const start = new Date(NOW - 10.5 * 60_000).toISOString();
    const end = new Date(NOW - 4.5 * 60_000).toISOString();
    const ranged = await json(['lookup-events', '--start-time', start, '--end-time', end]);
    const expected = records.filter((r) => Date.parse(r.eventTime) >= Date.parse(start) && Date.parse(r.eventTime) <= Date.parse(end));
    assert.equal(expected.length, 6);
    assert.deepEqual(
      (ranged.Events as CliEvent[]).map((e) => e.EventId),
      expected.map((r) => r.eventID),
    );
  });

  test('lookup-events by AccessKeyId and by ResourceName (the ARN and its bare ID), as related events and resource history use them', async () => {
    const ids = async (key: string, value: string) =>
      ((await json(['lookup-events', '--lookup-attributes', `AttributeKey=${key},AttributeValue=${value}`])).Events as CliEvent[]).map(
        (e) => e.EventId,
      );
    assert.deepEqual(await ids('AccessKeyId', 'ASIAEXAMPLEEXAMPLE01'), [kmsKey.eventID]);
    assert.equal((await ids('AccessKeyId', 'AKIAIOSFODNN7EXAMPLE')).length, records.length - 1);
    assert.deepEqual(await ids('ResourceName', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-0000-4000-8000-00000000aaaa'), [
      kmsKey.eventID,
    ]);
    assert.deepEqual(await ids('ResourceName', '1234abcd-0000-4000-8000-00000000aaaa'), [kmsKey.eventID]);
    assert.deepEqual(await ids('ResourceName', '1234abcd'), [], 'matched exactly, never as a substring');
  });

  test('describe-trails and get-trail-status', async () => {
    const described = await json(['describe-trails']);
    const trails = described.trailList as { Name: string; TrailARN: string; IsMultiRegionTrail: boolean }[];
    assert.equal(trails.length, 1);
    assert.equal(trails[0]?.IsMultiRegionTrail, true);
    const status = await json(['get-trail-status', '--name', trails[0]?.TrailARN ?? '']);
    assert.equal(status.IsLogging, true);
    assert.ok(Math.abs(eventTimeMs(status.LatestDeliveryTime as string) - Date.now()) < 3_600_000);
  });

  test('CloudTrail errors print "An error occurred (Code) when calling the Operation operation"', async () => {
    const missing = await aws(['get-trail-status', '--name', 'missing']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(TrailNotFoundException\) when calling the GetTrailStatus operation: Unknown trail/);
    const reversed = await aws([
      'lookup-events',
      '--start-time',
      new Date(NOW).toISOString(),
      '--end-time',
      new Date(NOW - 60_000).toISOString(),
    ]);
    assert.match(reversed.stderr, /An error occurred \(InvalidTimeRangeException\) when calling the LookupEvents operation/);
    fake.addFault({ kind: 'accessDenied', count: 1 });
    const denied = await aws(['lookup-events']);
    assert.match(
      denied.stderr,
      /An error occurred \(AccessDeniedException\) when calling the LookupEvents operation: User: arn:aws:iam::123456789012:user\/x is not authorized to perform: cloudtrail:LookupEvents/,
    );
  });

  test('botocore treats the fake ThrottlingException as retryable throttling', async () => {
    fake.addFault({ kind: 'throttling', count: 1 });
    const once = await aws(['lookup-events', '--max-items', '1'], { AWS_MAX_ATTEMPTS: '1' });
    assert.match(
      once.stderr,
      /An error occurred \(ThrottlingException\) when calling the LookupEvents operation \(reached max retries: 0\): Rate exceeded/,
    );
    fake.resetStats();
    fake.addFault({ kind: 'throttling', count: 1 });
    const retried = await aws(['lookup-events', '--max-items', '1'], { AWS_MAX_ATTEMPTS: '3' });
    assert.equal(retried.code, 0, retried.stderr);
    assert.equal(fake.stats.throttled, 1);
    assert.equal(fake.stats.byOperation.LookupEvents?.calls, 2);
  });
});

test('an AWS CLI is available under CI', { skip: onCi ? false : 'not running under CI=true' }, () => {
  assert.ok(cli, 'CI=true requires an AWS CLI at /usr/bin/aws or on PATH');
});
