/**
 * The multi-Region fake (perRegion) through a second, independent client, the AWS CLI (botocore):
 * each Region signed for answers its own history, and has its own rate-limit bucket, as CloudTrail's
 * limit is per account and Region. Skips without an AWS CLI, except under CI=true.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeRecord } from '../fake-cloudtrail/fixtures';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { scratchDir } from '../harness/scratch';

function findCli(): string | undefined {
  for (const path of [process.env.TRAIL_LENS_AWS_CLI, '/usr/bin/aws', 'aws'].filter((p): p is string => !!p)) {
    try {
      if (/aws-cli\/2\./.test(execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] })))
        return path;
    } catch {
      // not installed or not runnable: try the next candidate
    }
  }
  return undefined;
}

const cli = findCli();
const skip = cli || process.env.CI === 'true' ? false : 'no AWS CLI v2 found (/usr/bin/aws or aws on PATH)';

describe('AWS CLI against the multi-Region fake', { skip }, () => {
  let fake: FakeCloudTrail;
  let home: string;
  const now = Date.now();

  before(async () => {
    assert.ok(cli, 'CI=true: the AWS CLI v2 must be installed');
    fake = await startFakeCloudTrail({
      rate: 1,
      burst: 1,
      perRegion: true,
      region: 'eu-west-1',
      records: [
        makeRecord({ awsRegion: 'eu-west-1', at: now - 60_000, eventName: 'InEuWest1' }),
        makeRecord({ awsRegion: 'us-west-2', at: now - 60_000, eventName: 'InUsWest2' }),
      ],
    });
    home = scratchDir('trail-lens-awscli-regions-');
    writeFileSync(join(home, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = x\n');
  });
  after(() => fake?.close());

  function aws(region: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
    };
    const argv = ['cloudtrail', 'lookup-events', '--endpoint-url', fake.url, '--region', region, '--output', 'json', '--max-items', '50'];
    return new Promise((resolve) => {
      execFile(cli as string, argv, { env, timeout: 90_000, encoding: 'utf8' }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });
  }

  test('each Region answers its own history, signed for by --region', async () => {
    for (const [region, name] of [
      ['eu-west-1', 'InEuWest1'],
      ['us-west-2', 'InUsWest2'],
    ]) {
      const r = await aws(region);
      assert.equal(r.code, 0, r.stderr);
      const events = (JSON.parse(r.stdout) as { Events: { EventName: string }[] }).Events;
      assert.deepEqual(
        events.map((e) => e.EventName),
        [name],
        region,
      );
    }
  });

  test('each Region has its own bucket: two Regions at once are both answered, a second call in one is throttled', async () => {
    // One call per 10 s per Region, each bucket full: far slower than the CLI starts.
    fake.setRate(0.1, 1);
    fake.resetStats();
    const [a, b] = await Promise.all([aws('eu-west-1'), aws('us-west-2')]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const again = await aws('eu-west-1');
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /ThrottlingException/);
    assert.deepEqual(fake.requests.map((q) => `${q.region}:${q.status}`).sort(), ['eu-west-1:200', 'eu-west-1:400', 'us-west-2:200']);
  });
});
