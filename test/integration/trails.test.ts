/**
 * Trail health over the wire: the real SDK client (core's connect) and the AWS CLI (botocore, a
 * second client) against the fake endpoint's DescribeTrails / GetTrailStatus with delivery errors,
 * shadow trails and faults; then the built CLI's `trails` and `read` warnings on the sample
 * account's failing trail, its files generated in a temporary folder.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { listTrailFiles } from '../../src/core/files';
import { loadTrailHealth, shortTime } from '../../src/core/trails/health';
import { generateSampleAccount, writeTrailLogs } from '../../src/sample/account';
import type { FakeTrail } from '../../src/sample/endpoint/server';
import { sampleFailureTime, sampleTrailLayout } from '../../src/sample/trails';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { cli, homeWithProfile } from './cliRun';

const MIN = 60_000;
const NOW = new Date('2026-12-01T16:40:00Z');
const REGION = 'ap-northeast-1';
const ORG_ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail';

const TRAILS: FakeTrail[] = [
  {
    Name: 'local',
    S3BucketName: 'local-logs',
    IsMultiRegionTrail: false,
    status: { IsLogging: true, LatestDeliveryTime: NOW.getTime() - 4 * MIN, LatestNotificationError: 'AuthorizationError' },
  },
  {
    Name: 'org-trail',
    HomeRegion: 'us-east-1',
    TrailARN: ORG_ARN,
    S3BucketName: 'org-logs',
    IsMultiRegionTrail: true,
    IsOrganizationTrail: true,
    status: {
      IsLogging: true,
      LatestDeliveryError: 'AccessDenied',
      LatestDeliveryTime: '2026-12-01T14:05:00.250Z',
      LatestDigestDeliveryError: 'NoSuchBucket',
      LatestCloudWatchLogsDeliveryError: 'AccessDeniedException',
      LatestDeliveryAttemptTime: '2026-12-01T16:37:00Z',
      StartLoggingTime: '2026-06-01T00:00:00Z',
    },
  },
];

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('trail health through the real SDK client', () => {
  let fake: FakeCloudTrail;
  let conn: Connection;

  before(async () => {
    fake = await startFakeCloudTrail({ region: REGION, trails: TRAILS, now: () => NOW });
    conn = await connect({
      endpointUrl: fake.url,
      region: REGION,
      credentials: { accessKeyId: 'AKIDTRAILS', secretAccessKey: 'x' },
      env: {},
    });
  });
  after(async () => {
    conn?.dispose();
    await fake?.close();
  });

  test('every trail with its errors; the shadow trail read by its ARN', async () => {
    fake.resetStats();
    const report = await loadTrailHealth(conn);
    assert.deepEqual(
      report.trails.map((t) => [t.name, t.shadow, t.organization]),
      [
        ['local', false, false],
        ['org-trail', true, true],
      ],
    );
    const org = report.trails.find((t) => t.name === 'org-trail')!;
    assert.deepEqual(org.problems.map((p) => `${p.kind}:${p.code}`).sort(), [
      'cloudWatchLogs:AccessDeniedException',
      'digest:NoSuchBucket',
      'logs:AccessDenied',
    ]);
    assert.equal(org.latestDelivery?.toISOString(), '2026-12-01T14:05:00.250Z');
    assert.deepEqual(report.failing.map((t) => t.name).sort(), ['local', 'org-trail']);
    const asked = fake.requests.filter((r) => r.operation === 'GetTrailStatus').map((r) => r.params.Name);
    assert.deepEqual(asked.sort(), ['arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/local', ORG_ARN].sort());
    assert.equal(fake.requests.find((r) => r.operation === 'DescribeTrails')?.params.includeShadowTrails, true);
  });

  test('GetTrailStatus refused for one trail: that trail says why, the other is still read', async () => {
    fake.addFault({ kind: 'accessDenied', operation: 'GetTrailStatus', match: (r) => r.params.Name === ORG_ARN });
    try {
      const report = await loadTrailHealth(conn);
      const org = report.trails.find((t) => t.name === 'org-trail')!;
      assert.equal(org.statusError?.code, 'AccessDenied');
      assert.match(org.statusError?.message ?? '', /cloudtrail:GetTrailStatus/);
      assert.equal(report.trails.find((t) => t.name === 'local')?.logging, true);
    } finally {
      fake.clearFaults();
    }
  });

  test('DescribeTrails: AccessDenied is a clear error naming the action; throttling and a dropped connection are retried', async () => {
    fake.addFault({ kind: 'accessDenied', operation: 'DescribeTrails', count: 1 });
    await assert.rejects(loadTrailHealth(conn, { retryBaseMs: 1 }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'AccessDenied');
      assert.match(err.message, /not allowed to call cloudtrail:DescribeTrails/);
      return true;
    });
    fake.addFault({ kind: 'throttling', operation: 'DescribeTrails', count: 1 });
    fake.addFault({ kind: 'dropConnection', operation: 'GetTrailStatus', count: 1 });
    assert.equal((await loadTrailHealth(conn, { retryBaseMs: 1 })).trails.length, 2);
    fake.addFault({ kind: 'serviceUnavailable', operation: 'DescribeTrails', count: 3 });
    await assert.rejects(loadTrailHealth(conn, { retryBaseMs: 1 }), /after 3 attempts/);
    fake.clearFaults();
  });
});

// ---- the AWS CLI as a second client ---------------------------------------------------------

function awsCli(): string | undefined {
  for (const path of ['/usr/bin/aws', 'aws']) {
    try {
      if (/aws-cli\/2\./.test(execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] })))
        return path;
    } catch {
      // not installed: try the next
    }
  }
  return undefined;
}
const aws = awsCli();

describe(
  'AWS CLI: describe-trails and get-trail-status against the fake',
  { skip: aws || process.env.CI === 'true' ? false : 'no AWS CLI v2' },
  () => {
    let fake: FakeCloudTrail;
    let home: string;
    before(async () => {
      fake = await startFakeCloudTrail({ region: REGION, trails: TRAILS, now: () => NOW });
      home = mkdtempSync(join(tmpdir(), 'tl-trails-awscli-'));
      dirs.push(home);
      writeFileSync(join(home, 'config'), `[default]\nregion = ${REGION}\n`);
    });
    after(() => fake?.close());

    function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '1',
      };
      const argv = ['cloudtrail', ...args, '--endpoint-url', fake.url, '--region', REGION, '--output', 'json'];
      return new Promise((resolve) => {
        execFile(aws as string, argv, { env, timeout: 90_000, encoding: 'utf8' }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        );
      });
    }

    test('describe-trails lists the shadow trail; get-trail-status by ARN has every error and both time forms', async () => {
      const described = await run(['describe-trails']);
      assert.equal(described.code, 0, described.stderr);
      const list = JSON.parse(described.stdout).trailList as { Name: string; HomeRegion: string; IsOrganizationTrail: boolean }[];
      assert.deepEqual(
        list.map((t) => [t.Name, t.HomeRegion]),
        [
          ['local', REGION],
          ['org-trail', 'us-east-1'],
        ],
      );
      const status = await run(['get-trail-status', '--name', ORG_ARN]);
      assert.equal(status.code, 0, status.stderr);
      const s = JSON.parse(status.stdout) as Record<string, unknown>;
      assert.equal(s.LatestDeliveryError, 'AccessDenied');
      assert.equal(s.LatestDigestDeliveryError, 'NoSuchBucket');
      assert.equal(s.LatestCloudWatchLogsDeliveryError, 'AccessDeniedException');
      assert.equal(s.IsLogging, true);
      // botocore turns epoch timestamps into ISO strings with the offset; the deprecated members arrive as strings.
      assert.equal(Date.parse(String(s.LatestDeliveryTime)), Date.parse('2026-12-01T14:05:00.250Z'));
      assert.equal(s.LatestDeliveryAttemptTime, '2026-12-01T16:37:00Z');
      assert.equal(s.LatestDeliveryAttemptSucceeded, '2026-12-01T14:05:00Z');
      assert.equal(s.TimeLoggingStarted, '2026-06-01T00:00:00Z');
    });

    test('a shadow trail by its name alone is TrailNotFoundException; describe-trails without shadow trails leaves it out', async () => {
      const byName = await run(['get-trail-status', '--name', 'org-trail']);
      assert.notEqual(byName.code, 0);
      assert.match(byName.stderr, /TrailNotFoundException/);
      const noShadow = await run(['describe-trails', '--no-include-shadow-trails']);
      assert.deepEqual(
        (JSON.parse(noShadow.stdout).trailList as { Name: string }[]).map((t) => t.Name),
        ['local'],
      );
    });
  },
);

// ---- the built CLI ---------------------------------------------------------------------------

describe('trail-lens trails and read warnings (built CLI, sample account)', () => {
  // The sample's clock is pinned (TRAIL_LENS_SAMPLE_NOW) so the files written here and the CLI's sample agree.
  const sampleNow = new Date(Math.floor(Date.now() / MIN) * MIN);
  const env = { TRAIL_LENS_SAMPLE_NOW: sampleNow.toISOString() };
  const since = shortTime(sampleFailureTime({ end: sampleNow }));
  let home: string;
  let logs: string;

  before(async () => {
    home = homeWithProfile(REGION);
    dirs.push(home);
    logs = mkdtempSync(join(tmpdir(), 'tl-trails-logs-'));
    dirs.push(logs);
    const account = generateSampleAccount({ now: sampleNow, days: 0.5 });
    await writeTrailLogs(account, logs, { filesPerHour: 6, trail: sampleTrailLayout(account, 'org-trail') });
  });

  test('trails --format json: the failing organisation trail explained; table by default', async () => {
    const r = await cli(['trails', '--sample', '--format', 'json'], { home, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      failing: string[];
      trails: { name: string; shadow: boolean; problems: { code: string; commands: string[] }[] }[];
    };
    assert.deepEqual(out.failing, ['org-trail']);
    const org = out.trails.find((t) => t.name === 'org-trail')!;
    assert.equal(org.shadow, true);
    assert.ok(org.problems[0].commands.includes('aws s3api get-bucket-policy --bucket o-a1b2c3d4e5-org-trail-logs'));
    const table = await cli(['trails', '--sample'], { home, env });
    assert.match(table.stdout, /^trail\s+homeRegion\s+kind\s+health$/m);
    assert.ok(
      table.stdout.includes(`org-trail has not delivered since ${since} (AccessDenied): files after that time are missing`),
      table.stdout,
    );
    assert.match(table.stdout, /Event history \(LookupEvents, the Events view\) does not depend on trails/);
    assert.match(table.stderr, /2 trails in ap-northeast-1; 1 failing/);
    const bad = await cli(['trails', '--sample', '--format', 'csv'], { home, env });
    assert.equal(bad.code, 2);
  });

  test('read --check-trail: the warning comes on stderr before the records; stdout is only the records', async () => {
    const r = await cli(['read', logs, '--check-trail', '--sample', '--limit', '3'], { home, env });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n');
    const warning = lines.findIndex(
      (l) => l === `warning: trail org-trail has not delivered since ${since} (AccessDenied): files after that time are missing`,
    );
    assert.ok(warning >= 0, r.stderr);
    assert.ok(warning < lines.findIndex((l) => /^3 events from/.test(l)));
  });

  test('read without --check-trail makes no call and still reports what the digests say is missing', async () => {
    const { logs: files } = await listTrailFiles([logs]);
    const gone = files.filter((p) => p.includes('/ap-northeast-1/')).sort()[5];
    rmSync(gone);
    const r = await cli(['read', logs, '--format', 'jsonl', '--limit', '1'], { home, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^warning: 1 log file listed by digests is missing \(first: s3:\/\/o-a1b2c3d4e5-org-trail-logs\/AWSLogs\/o-a1b2c3d4e5\//m,
    );
    assert.ok(r.stderr.includes(gone.slice(gone.indexOf('AWSLogs/'))));
    assert.doesNotMatch(r.stderr, /sample account|trail org-trail/);
  });

  test('read --check-trail against an endpoint that refuses DescribeTrails: says so and reads everything', async () => {
    const fake = await startFakeCloudTrail({ region: REGION, trails: TRAILS });
    fake.addFault({ kind: 'accessDenied', operation: 'DescribeTrails' });
    try {
      const r = await cli(['read', logs, '--check-trail', '--endpoint-url', fake.url, '--format', 'jsonl'], { home, env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: could not check the trail's delivery: Access denied: .* cloudtrail:DescribeTrails/);
      assert.ok(r.stdout.trim().split('\n').length > 100);
    } finally {
      await fake.close();
    }
  });
});
