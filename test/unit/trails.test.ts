/**
 * Trail health in plain Node: the explanation table, health and its one-line warnings, trail-file
 * locations and which trails deliver them, digest parsing (malformed and truncated digests named),
 * missing files and gaps, and the sample account's trails and failing trail's files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import type { Trail } from '@aws-sdk/client-cloudtrail';
import { listTrailFiles } from '../../src/core/files';
import { checkDigests, describeDigestCheck, findGaps, newestByRegion, parseDigest } from '../../src/core/trails/digest';
import { explainTrailError, explanationLines, type DeliveryKind } from '../../src/core/trails/explain';
import { deliveryWarning, describeHealth, isFailing, shortTime, trailHealth } from '../../src/core/trails/health';
import { locationsOf, locationsOfAccount, parseTrailPath, trailsDelivering } from '../../src/core/trails/paths';
import { generateSampleAccount, writeTrailLogs } from '../../src/sample/account';
import { sampleFailureTime, sampleTrailLayout, sampleTrails } from '../../src/sample/trails';

const NOW = new Date('2026-12-01T16:40:00Z');
const ORG_TRAIL: Trail = {
  Name: 'org-trail',
  TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail',
  HomeRegion: 'us-east-1',
  S3BucketName: 'org-logs',
  KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k1',
  IsMultiRegionTrail: true,
  IsOrganizationTrail: true,
};
const LOCAL_TRAIL: Trail = {
  Name: 'local',
  TrailARN: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/local',
  HomeRegion: 'eu-west-1',
  S3BucketName: 'acct-logs',
  S3KeyPrefix: 'team/ct',
  IsMultiRegionTrail: false,
  IsOrganizationTrail: false,
};

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tl-trails-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('explainTrailError', () => {
  const target = { name: 'org-trail', arn: ORG_TRAIL.TrailARN, homeRegion: 'us-east-1', bucket: 'org-logs', kmsKeyId: 'k1' };

  test('AccessDenied on S3: the bucket policy or the KMS key policy, with the commands that show them', () => {
    const e = explainTrailError('logs', 'AccessDenied', target);
    assert.match(e.summary, /no longer allowed to write to s3:\/\/org-logs\/AWSLogs\//);
    assert.match(e.cause, /bucket policy or the KMS key policy/);
    assert.ok(e.commands.includes('aws s3api get-bucket-policy --bucket org-logs'));
    assert.ok(e.commands.includes('aws kms get-key-policy --key-id k1 --policy-name default'));
    assert.ok(e.commands.includes(`aws cloudtrail get-trail-status --name ${ORG_TRAIL.TrailARN} --region us-east-1`));
  });

  test('NoSuchBucket: the bucket is gone', () => {
    const e = explainTrailError('logs', 'NoSuchBucket', target);
    assert.match(e.summary, /org-logs no longer exists/);
    assert.ok(e.commands.includes('aws s3api head-bucket --bucket org-logs'));
  });

  test('KMS errors, SNS topic errors and CloudWatch Logs role errors each get their own words', () => {
    assert.match(explainTrailError('logs', 'KMS.DisabledException', target).summary, /cannot use the KMS key k1/);
    assert.match(
      explainTrailError('notification', 'AuthorizationError', { ...target, snsTopicArn: 'arn:aws:sns:us-east-1:1:t' }).summary,
      /not allowed to publish to arn:aws:sns/,
    );
    assert.match(explainTrailError('notification', 'NotFound', target).summary, /SNS topic .* does not exist/);
    const role = explainTrailError('cloudWatchLogs', 'AccessDeniedException', { ...target, logsRoleArn: 'arn:aws:iam::1:role/CT_Logs' });
    assert.match(role.summary, /through the role arn:aws:iam::1:role\/CT_Logs/);
    assert.ok(role.commands.includes('aws iam get-role --role-name CT_Logs'));
    assert.match(
      explainTrailError('cloudWatchLogs', 'ResourceNotFoundException', {
        ...target,
        logGroupArn: 'arn:aws:logs:us-east-1:1:log-group:CT:*',
      }).commands[0],
      /--log-group-name-prefix CT$/,
    );
  });

  test('a digest error says validation is lost; an unknown code still names the destination and the status command', () => {
    assert.match(explainTrailError('digest', 'AccessDenied', target).cause, /validate-logs/);
    const unknown = explainTrailError('logs', 'SlowDown', target);
    assert.match(unknown.summary, /Log file delivery to S3 to s3:\/\/org-logs\/AWSLogs\/ is failing \(SlowDown\)/);
    assert.ok(unknown.commands.some((c) => c.startsWith('aws cloudtrail get-trail-status')));
  });

  test('names a shell would read are quoted in commands', () => {
    const e = explainTrailError('logs', 'NoSuchBucket', { name: "it's mine", bucket: 'b' });
    assert.ok(e.commands.includes(`aws cloudtrail get-trail-status --name 'it'\\''s mine'`));
  });

  test('every kind renders as lines with the code and commands', () => {
    for (const kind of ['logs', 'digest', 'notification', 'cloudWatchLogs'] as DeliveryKind[]) {
      const lines = explanationLines(explainTrailError(kind, 'AccessDenied', target));
      assert.match(lines[0], /: AccessDenied$/);
      assert.ok(lines.some((l) => l.startsWith('  $ aws ')));
    }
  });
});

describe('trail health', () => {
  const failing = trailHealth(
    ORG_TRAIL,
    { IsLogging: true, LatestDeliveryError: 'AccessDenied', LatestDeliveryTime: new Date('2026-12-01T14:05:00Z'), $metadata: {} },
    'eu-west-1',
  );
  const healthy = trailHealth(
    LOCAL_TRAIL,
    { IsLogging: true, LatestDeliveryTime: new Date('2026-12-01T16:36:00Z'), $metadata: {} },
    'eu-west-1',
  );

  test('marks shadow and organisation trails and collects each error field', () => {
    assert.equal(failing.shadow, true);
    assert.equal(failing.organization, true);
    assert.equal(healthy.shadow, false);
    assert.deepEqual(
      failing.problems.map((p) => [p.kind, p.code]),
      [['logs', 'AccessDenied']],
    );
    const all = trailHealth(
      LOCAL_TRAIL,
      {
        IsLogging: true,
        LatestNotificationError: 'NotFound',
        LatestCloudWatchLogsDeliveryError: 'AccessDeniedException',
        LatestDigestDeliveryError: 'NoSuchBucket',
        $metadata: {},
      },
      'eu-west-1',
    );
    assert.deepEqual(all.problems.map((p) => p.kind).sort(), ['cloudWatchLogs', 'digest', 'notification']);
    assert.ok(isFailing(all) && isFailing(failing) && !isFailing(healthy));
  });

  test('the warning before results', () => {
    assert.equal(
      deliveryWarning(failing, NOW),
      'trail org-trail has not delivered since 14:05 UTC (AccessDenied): files after that time are missing',
    );
    assert.equal(deliveryWarning(healthy, NOW), undefined);
    const never = trailHealth(ORG_TRAIL, { LatestDeliveryError: 'NoSuchBucket', IsLogging: true, $metadata: {} }, 'us-east-1');
    assert.match(deliveryWarning(never, NOW) ?? '', /failing to deliver \(NoSuchBucket\) and has no successful delivery/);
    const stopped = trailHealth(
      LOCAL_TRAIL,
      { IsLogging: false, StopLoggingTime: new Date('2026-11-20T09:00:00Z'), $metadata: {} },
      'eu-west-1',
    );
    assert.equal(deliveryWarning(stopped, NOW), 'trail local is not logging since 2026-11-20 09:00 UTC: files after that time are missing');
  });

  test('one-line health', () => {
    assert.equal(describeHealth(failing, NOW), 'failing: S3 AccessDenied · last delivery 14:05 UTC');
    assert.equal(describeHealth(healthy, NOW), 'logging · last delivery 16:36 UTC');
    assert.equal(shortTime(new Date('2026-11-29T14:05:00Z'), NOW), '2026-11-29 14:05 UTC');
  });
});

describe('trail file locations', () => {
  test('parses the S3 layout with and without an organisation, prefix and digest folder', () => {
    const log = parseTrailPath(
      '/data/team/ct/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/12/01/111122223333_CloudTrail_eu-west-1_20261201T1405Z_abc.json.gz',
    );
    assert.deepEqual(
      { ...log, delivered: log?.delivered?.toISOString() },
      {
        before: '/data/team/ct',
        account: '111122223333',
        region: 'eu-west-1',
        digest: false,
        key: 'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/12/01/111122223333_CloudTrail_eu-west-1_20261201T1405Z_abc.json.gz',
        delivered: '2026-12-01T14:05:00.000Z',
      },
    );
    const digest = parseTrailPath(
      'AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail-Digest/us-east-1/2026/12/01/222233334444_CloudTrail-Digest_us-east-1_org_us-east-1_20261201T150131Z.json.gz',
    );
    assert.equal(digest?.orgId, 'o-a1b2c3d4e5');
    assert.equal(digest?.digest, true);
    assert.equal(digest?.delivered?.toISOString(), '2026-12-01T15:01:31.000Z');
    assert.equal(parseTrailPath('/tmp/lookup-events.json'), undefined);
  });

  test('matches trails by organisation, account, prefix, Region and bucket; costs no call to tell the account', () => {
    const trails = [trailHealth(ORG_TRAIL, undefined, 'us-east-1'), trailHealth(LOCAL_TRAIL, undefined, 'eu-west-1')];
    const names = (loc: Parameters<typeof trailsDelivering>[0]) => trailsDelivering(loc, trails).map((t) => t.name);
    assert.deepEqual(names({ before: '/x', orgId: 'o-a1b2c3d4e5', account: '999988887777', region: 'sa-east-1' }), ['org-trail']);
    assert.deepEqual(names({ before: '/data/team/ct', account: '111122223333', region: 'eu-west-1' }), ['local']);
    assert.deepEqual(names({ before: '/data/other', account: '111122223333', region: 'eu-west-1' }), [], 'prefix differs');
    assert.deepEqual(names({ before: '/data/team/ct', account: '111122223333', region: 'us-east-2' }), [], 'single-Region trail');
    assert.deepEqual(names({ before: '/data/team/ct', account: '555555555555', region: 'eu-west-1' }), [], 'another account');
    assert.deepEqual(
      names({ before: '/y', orgId: 'o-a1b2c3d4e5', account: '1', region: 'us-east-1', bucket: 'elsewhere' }),
      [],
      'another bucket',
    );
    const keys = [parseTrailPath('/d/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/12/01/f_20261201T1405Z_a.json.gz')!];
    assert.equal(locationsOf([...keys, ...keys]).length, 1);
    assert.equal(locationsOfAccount(locationsOf(keys), '111122223333'), true);
    assert.equal(locationsOfAccount(locationsOf(keys), undefined), false);
  });
});

function digestText(o: Record<string, unknown>): string {
  return JSON.stringify({
    awsAccountId: '111122223333',
    digestS3Bucket: 'acct-logs',
    digestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/12/01/x_20261201T150000Z.json.gz',
    previousDigestS3Object: null,
    ...o,
  });
}

describe('digest files', () => {
  test('parses the digest structure and names what is wrong with a bad one', () => {
    const d = parseDigest(
      digestText({
        digestStartTime: '2026-12-01T14:00:00Z',
        digestEndTime: '2026-12-01T15:00:00Z',
        logFiles: [{ s3Bucket: 'b', s3Object: 'k', hashValue: 'h' }],
      }),
      'd.json',
    );
    assert.equal(d.region, 'eu-west-1');
    assert.equal(d.logFiles[0].s3Object, 'k');
    assert.throws(() => parseDigest('{"awsAccountId":"1", "logFi', 'cut.json'), /^Error: cut\.json: invalid JSON .*truncated/);
    assert.throws(
      () => parseDigest(digestText({ digestStartTime: '2026-12-01T14:00:00Z', digestEndTime: 'soon', logFiles: [] }), 'e.json'),
      /e\.json: not a CloudTrail digest: digestEndTime is not a time/,
    );
    assert.throws(
      () => parseDigest(digestText({ digestStartTime: '2026-12-01T14:00:00Z', digestEndTime: '2026-12-01T15:00:00Z' }), 'f.json'),
      /logFiles is missing/,
    );
    assert.throws(
      () =>
        parseDigest(
          digestText({ digestStartTime: '2026-12-01T14:00:00Z', digestEndTime: '2026-12-01T15:00:00Z', logFiles: [{}] }),
          'g.json',
        ),
      /logFiles\[0\] has no s3Bucket/,
    );
    assert.throws(() => parseDigest('[1]', 'h.json'), /expected one JSON object/);
  });

  test('gaps: hours between digests with none covering them; backfill overlaps are not gaps', () => {
    const d = (start: string, end: string) => parseDigest(digestText({ digestStartTime: start, digestEndTime: end, logFiles: [] }), start);
    const gaps = findGaps([
      d('2026-12-01T12:01:31Z', '2026-12-01T13:01:31Z'),
      d('2026-12-01T15:01:31Z', '2026-12-01T16:01:31Z'),
      d('2026-12-01T13:01:31Z', '2026-12-01T13:30:00Z'),
      d('2026-12-01T13:10:00Z', '2026-12-01T13:40:00Z'),
    ]);
    assert.deepEqual(
      gaps.map((g) => [g.start.toISOString(), g.end.toISOString()]),
      [['2026-12-01T13:40:00.000Z', '2026-12-01T15:01:31.000Z']],
    );
  });

  test("the sample's failing trail: files stop at its failure; a deleted file, a deleted digest and a truncated digest are each reported", async () => {
    const account = generateSampleAccount({ now: NOW, days: 0.5 });
    const dir = tempDir();
    const layout = sampleTrailLayout(account, 'org-trail');
    await writeTrailLogs(account, dir, { filesPerHour: 6, trail: layout });
    const { logs, digests } = await listTrailFiles([dir]);
    assert.ok(logs.every((p) => p.includes('/AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail/')));
    const newest = newestByRegion(logs);
    assert.ok(
      [...newest.values()].every((t) => t < sampleFailureTime(account)),
      'nothing delivered after the failure',
    );
    const clean = await checkDigests(digests, logs);
    assert.equal(clean.missing.length, 0);
    assert.equal(clean.gaps.length, 0);
    assert.ok(clean.listed > 10);
    assert.deepEqual(describeDigestCheck(clean, newest, NOW), []);
    assert.ok(clean.digests.every((d) => d.bucket === layout.bucket));

    // One log file gone in the middle, the last ones of a Region gone, one digest gone, one cut short.
    const ap = logs.filter((p) => p.includes('/ap-northeast-1/')).sort();
    const middle = ap[3];
    const tail = ap.slice(-2);
    const apDigests = digests.filter((p) => p.includes('/ap-northeast-1/')).sort();
    for (const p of [middle, ...tail, apDigests[2]]) rmSync(p);
    writeFileSync(apDigests[4], gzipSync('{"awsAccountId":"123456789012","digestStart').subarray(0, 20));
    const left = await listTrailFiles([dir]);
    const check = await checkDigests(left.digests, left.logs);
    assert.ok(check.missing.some((m) => middle.endsWith(m.key)));
    assert.deepEqual(
      check.unreadable.map((u) => [u.path, u.reason]),
      [[apDigests[4], 'is not a readable gzip file: it is truncated or corrupt.']],
    );
    assert.equal(check.gaps.length, 2, 'the deleted digest and the unreadable one each leave an hour with no digest');
    const lines = describeDigestCheck(check, newestByRegion(left.logs), NOW);
    assert.match(
      lines[0],
      /^\d+ log files listed by digests are missing \(first: s3:\/\/o-a1b2c3d4e5-org-trail-logs\/AWSLogs\/o-a1b2c3d4e5\/123456789012\/CloudTrail\/ap-northeast-1\//,
    );
    assert.ok(lines.some((l) => /^no digest for .* UTC \(123456789012, ap-northeast-1\)/.test(l)));
    assert.ok(
      lines.some((l) => l === `digest ${apDigests[4]} could not be read: is not a readable gzip file: it is truncated or corrupt.`),
    );
  });

  test('only the newest files missing reads as "files from HH:MM UTC on are missing"', async () => {
    const account = generateSampleAccount({ now: NOW, days: 0.25 });
    const dir = tempDir();
    await writeTrailLogs(account, dir, { filesPerHour: 4, trail: sampleTrailLayout(account, 'management-events') });
    const { logs, digests } = await listTrailFiles([dir]);
    const us = logs.filter((p) => p.includes('/ap-northeast-1/')).sort();
    const gone = us.slice(-3);
    for (const p of gone) rmSync(p);
    const present = logs.filter((p) => !gone.includes(p));
    const check = await checkDigests(digests, present);
    assert.equal(check.missing.length, 3);
    const first = parseTrailPath(gone[0])!.delivered!;
    const [line] = describeDigestCheck(check, newestByRegion(present), NOW);
    assert.ok(line.endsWith(`; files from ${shortTime(first, NOW)} on are missing`), line);
  });

  test('a Region with no log file read is not reported missing', async () => {
    const account = generateSampleAccount({ now: NOW, days: 0.25 });
    const dir = tempDir();
    await writeTrailLogs(account, dir, { filesPerHour: 2 });
    const { logs, digests } = await listTrailFiles([dir]);
    const check = await checkDigests(
      digests,
      logs.filter((p) => p.includes('/ap-northeast-1/')),
    );
    assert.equal(check.missing.length, 0);
    assert.ok(readdirSync(join(dir, 'AWSLogs', '123456789012', 'CloudTrail')).includes('us-east-1'));
    assert.deepEqual(check.regionsNotRead, ['us-east-1']);
  });
});

describe('sample trails', () => {
  test('one healthy trail and one organisation trail failing with AccessDenied since HH:05, two hours before now', () => {
    const account = generateSampleAccount({ now: NOW, days: 0.25 });
    const [healthy, failing] = sampleTrails(account);
    assert.equal(healthy.Name, 'management-events');
    assert.equal(failing.Name, 'org-trail');
    assert.equal(failing.IsOrganizationTrail, true);
    assert.equal(sampleFailureTime(account).toISOString(), '2026-12-01T14:05:00.000Z');
    const status = typeof failing.status === 'function' ? failing.status(NOW) : failing.status;
    assert.equal(status?.LatestDeliveryError, 'AccessDenied');
  });
});
