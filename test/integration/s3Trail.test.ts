/**
 * S3 trail sources against a real S3-compatible server (s3rver, test/harness/s3Server.ts) holding
 * the sample account in the trail layout: through the real @aws-sdk/client-s3 (Connection.s3), the
 * built CLI, and the AWS CLI as a second client. Faults s3rver cannot produce (AccessDenied, KMS,
 * another Region) come from the harness's thin layer in S3's own XML; a missing prefix is s3rver's.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { TrailLensError } from '../../src/core/errors';
import type { CloudTrailRecord } from '../../src/core/record';
import { listTrailObjects, readS3Objects, searchS3ForRequestId } from '../../src/core/s3Trail';
import { generateSampleAccount, STORY_REQUEST_ID, type SampleAccount } from '../../src/sample/account';
import { DENIED_BUCKET, EU_BUCKET, KMS_BUCKET, TRAIL_BUCKET, TRAIL_PREFIX, startTestS3, type TestS3 } from '../harness/s3Server';
import { CLI, cli, homeWithProfile } from './cliRun';

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
let account: SampleAccount;
let s3: TestS3;
let connection: Connection;
let story: CloudTrailRecord;

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TrailLensError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, pattern);
    return true;
  });
}

function around(t: string, minutes: number) {
  const at = Date.parse(t);
  return { start: new Date(at - minutes * 60_000), end: new Date(at + minutes * 60_000) };
}

describe('S3 trail source on s3rver', () => {
  before(async () => {
    // One day: the bucket then holds under 1,000 keys (see test/harness/s3Server.ts).
    account = generateSampleAccount({ now: new Date(), days: 1 });
    story = account.records.find((r) => r.requestID === STORY_REQUEST_ID) as CloudTrailRecord;
    s3 = await startTestS3(account);
    connection = await connect({ region: 'us-east-1', s3EndpointUrl: s3.url, credentials: CREDENTIALS, env: {} });
  });
  after(async () => {
    connection?.dispose();
    await s3?.stop();
  });

  test('lists only the days and objects whose delivery time can hold the window, and finds the request', async () => {
    const window = around(story.eventTime, 10);
    const listing = await listTrailObjects(connection.s3, { bucket: TRAIL_BUCKET, prefix: TRAIL_PREFIX }, { window });
    const all = s3.keys.filter((k) => k.includes('/CloudTrail/'));
    assert.ok(listing.objects.length > 0 && listing.objects.length < all.length / 10, `${listing.objects.length} of ${all.length}`);
    assert.ok(listing.ruledOut > 0);
    const result = await searchS3ForRequestId(connection.s3, listing, STORY_REQUEST_ID);
    assert.equal(result.hits.length, 1);
    assert.equal(result.hits[0].record.eventName, 'CreateBackupVault');
    assert.ok(result.hits[0].record.errorCode);
    assert.match(result.hits[0].path, /^s3:\/\/trail-lens-logs\/org-trail\/AWSLogs\/\d{12}\/CloudTrail\//);
  });

  test('reads the window’s records through the streaming reader, 8 objects at a time', async () => {
    const window = around(story.eventTime, 60);
    const listing = await listTrailObjects(connection.s3, { bucket: TRAIL_BUCKET, prefix: `${TRAIL_PREFIX}/` }, { window });
    const ids = new Set<string>();
    for await (const batch of readS3Objects(connection.s3, listing)) for (const r of batch.records) ids.add(r.eventID);
    assert.ok(ids.has(story.eventID));
    const inWindow = account.records.filter(
      (r) => Date.parse(r.eventTime) >= window.start.getTime() && Date.parse(r.eventTime) <= window.end.getTime(),
    );
    for (const r of inWindow) assert.ok(ids.has(r.eventID), `${r.eventID} at ${r.eventTime} was read`);
  });

  test('errors a person can act on: denied listing, KMS, another Region, a missing prefix, no window', async () => {
    const window = around(story.eventTime, 10);
    await rejectsWith(
      listTrailObjects(connection.s3, { bucket: DENIED_BUCKET, prefix: '' }, { window }),
      'AccessDenied',
      /ListObjectsV2 on bucket trail-lens-denied \(IAM action s3:ListBucket\)/,
    );
    const kms = await listTrailObjects(
      connection.s3,
      { bucket: KMS_BUCKET, prefix: '' },
      { window: { start: new Date(0), end: new Date() } },
    );
    assert.equal(kms.objects.length, 1);
    await rejectsWith(
      (async () => {
        for await (const b of readS3Objects(connection.s3, kms, { onError: () => assert.fail('KMS denial stops the read') })) void b;
      })(),
      'AccessDenied',
      /cannot decrypt s3:\/\/trail-lens-kms\/.* kms:Decrypt/,
    );
    await rejectsWith(
      listTrailObjects(connection.s3, { bucket: EU_BUCKET, prefix: '' }, { window }),
      'Config',
      /Bucket trail-lens-eu is not in us-east-1: it is in eu-west-1/,
    );
    await rejectsWith(
      listTrailObjects(connection.s3, { bucket: TRAIL_BUCKET, prefix: 'wrong-prefix' }, { window }),
      'InvalidInput',
      /No trail log files under s3:\/\/trail-lens-logs\/wrong-prefix\/AWSLogs\/.*s3:\/\/trail-lens-logs\/wrong-prefix\/ holds nothing/,
    );
    await rejectsWith(
      listTrailObjects(connection.s3, { bucket: TRAIL_BUCKET, prefix: '' }, { window }),
      'InvalidInput',
      /holds org-trail\//,
    );
    await rejectsWith(
      listTrailObjects(connection.s3, { bucket: TRAIL_BUCKET, prefix: TRAIL_PREFIX }, {}),
      'InvalidInput',
      /needs a time window/,
    );
  });

  describe('through the built CLI', { skip: existsSync(CLI) ? false : 'dist/cli.js is not built (node esbuild.mjs)' }, () => {
    const env = () => ({
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    });
    test('read s3://… with a window; without one it is a usage error', async () => {
      const home = homeWithProfile('us-east-1');
      const w = around(story.eventTime, 20);
      const run = await cli(
        ['read', `s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}`, '--start', w.start.toISOString(), '--end', w.end.toISOString()],
        { home, env: env() },
      );
      assert.equal(run.code, 0, run.stderr);
      const records = JSON.parse(run.stdout) as CloudTrailRecord[];
      assert.ok(records.some((r) => r.requestID === STORY_REQUEST_ID));
      assert.equal(new Set(records.map((r) => r.eventID)).size, records.length);
      assert.match(run.stderr, /Listing .* objects? to read/);
      // The error summary reads the same objects.
      const summary = await cli(
        [
          'summary',
          `s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}`,
          '--start',
          w.start.toISOString(),
          '--end',
          w.end.toISOString(),
          '--format',
          'json',
        ],
        { home, env: env() },
      );
      assert.equal(summary.code, 0, summary.stderr);
      const failed = records.filter((r) => r.errorCode).length;
      assert.ok(failed > 0, 'the window holds failed calls');
      const table = JSON.parse(summary.stdout) as { total: number; hidden: number; rows: { key: string }[] };
      assert.equal(table.total + table.hidden, failed);
      assert.ok(table.rows.some((row) => row.key === 'InvalidParameterValueException'));
      const bare = await cli(['read', `s3://${TRAIL_BUCKET}`], { home, env: env() });
      assert.equal(bare.code, 2);
      assert.match(bare.stderr, /needs a time window[\s\S]*--window 1h/);
    });

    test('find-request --files s3://… finds the failed CreateBackupVault; a miss says what was searched (exit 1)', async () => {
      const home = homeWithProfile('us-east-1');
      const url = `s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}`;
      const found = await cli(['find-request', '--files', url, '--around', story.eventTime, STORY_REQUEST_ID], { home, env: env() });
      assert.equal(found.code, 0, found.stderr);
      assert.equal(JSON.parse(found.stdout).eventName, 'CreateBackupVault');
      const miss = await cli(['find-request', '--files', url, '--around', story.eventTime, 'f00dcafe-0000-4000-8000-00000000b0b0'], {
        home,
        env: env(),
      });
      assert.equal(miss.code, 1, miss.stderr);
      assert.match(miss.stderr, /is in none of \d+ objects? in .*s3:\/\/trail-lens-logs\/org-trail\/AWSLogs\//);
      const denied = await cli(['find-request', '--files', `s3://${DENIED_BUCKET}/x`, '--around', story.eventTime, STORY_REQUEST_ID], {
        home,
        env: env(),
      });
      assert.equal(denied.code, 3, denied.stderr);
      assert.match(denied.stderr, /s3:ListBucket/);
    });
  });

  test(
    'the AWS CLI lists the same bucket (a second client of the same server)',
    { skip: process.env.CI === 'true' || existsSync('/usr/bin/aws') ? false : 'no AWS CLI' },
    async () => {
      // Asynchronously: the server runs in this process.
      const { stdout: out } = await promisify(execFile)(
        '/usr/bin/aws',
        ['s3', 'ls', '--recursive', `s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}/`, '--endpoint-url', s3.url],
        {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH ?? '/usr/bin',
            AWS_ACCESS_KEY_ID: 'S3RVER',
            AWS_SECRET_ACCESS_KEY: 'S3RVER',
            AWS_DEFAULT_REGION: 'us-east-1',
            HOME: '/nonexistent',
          },
          timeout: 120_000,
        },
      );
      const listed = out
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).slice(3).join(' '));
      assert.deepEqual(listed.sort(), [...s3.keys].sort());
    },
  );
});
