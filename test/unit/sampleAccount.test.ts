import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readRecordPaths } from '../../src/core/files';
import { isRecord } from '../../src/core/record';
import type { CloudTrailRecord } from '../../src/core/record';
import { DATA_EVENT_KEY, DATA_EVENT_REQUEST_ID, generateSampleAccount, STORY_REQUEST_ID, writeTrailLogs } from '../../src/sample/account';
import { classifyRequestId } from '../../src/core/requestId';
import { runLookup } from '../../src/sample/endpoint/lookup';
import { EventStore } from '../../src/sample/endpoint/store';

const NOW = new Date('2024-08-08T07:49:00Z');
const account = generateSampleAccount({ now: NOW });
const { records, story } = account;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const byRequestId = (id: string) => records.filter((r) => r.requestID === id);
const params = (r: CloudTrailRecord) => (r.requestParameters ?? {}) as Record<string, unknown>;

describe('generateSampleAccount', () => {
  test('is deterministic: same seed and now give identical JSON; another seed differs', () => {
    const again = generateSampleAccount({ now: NOW });
    assert.equal(JSON.stringify(again), JSON.stringify(account));
    const other = generateSampleAccount({ now: NOW, seed: 2 });
    assert.notEqual(JSON.stringify(other.records.slice(0, 50)), JSON.stringify(records.slice(0, 50)));
  });

  test('7 days × 1500 events/day, in seconds at most', () => {
    const t0 = performance.now();
    const a = generateSampleAccount({ now: NOW, seed: 7 });
    const ms = performance.now() - t0;
    // A guard against a generator gone quadratic (about 1 s here, 2 s on a loaded machine), not a benchmark.
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
    assert.ok(Math.abs(a.records.length - 7 * 1500) <= 7 * 1500 * 0.02, `${a.records.length} records`);
    assert.equal(a.start.toISOString(), '2024-08-01T07:49:00.000Z');
    assert.equal(a.end.toISOString(), NOW.toISOString());
  });

  test('defaults: now rounded down to the minute, ap-northeast-1, 123456789012', () => {
    const a = generateSampleAccount({ days: 0.5, eventsPerDay: 200 });
    assert.equal(a.end.getTime() % 60_000, 0);
    assert.ok(Date.now() - a.end.getTime() < 61_000);
    assert.equal(a.region, 'ap-northeast-1');
    assert.equal(a.accountId, '123456789012');
  });

  test('every record is well-formed, inside the window, newest first, with unique eventIDs', () => {
    const start = account.start.getTime();
    const end = account.end.getTime();
    const ids = new Set<string>();
    let previous = Infinity;
    for (const r of records) {
      const where = `${r.eventName} ${r.eventID}`;
      assert.ok(isRecord(r), where);
      for (const field of [
        'eventVersion',
        'userIdentity',
        'eventSource',
        'eventName',
        'awsRegion',
        'sourceIPAddress',
        'eventType',
        'eventCategory',
        'recipientAccountId',
      ]) {
        assert.ok(r[field] !== undefined && r[field] !== '', `${where} lacks ${field}`);
      }
      assert.ok('requestParameters' in r && 'responseElements' in r, where);
      assert.ok(['1.08', '1.09', '1.10', '1.11'].includes(r.eventVersion as string), `${where}: eventVersion ${r.eventVersion}`);
      assert.match(r.eventTime, ISO, where);
      const t = Date.parse(r.eventTime);
      assert.ok(t >= start && t <= end, `${where} at ${r.eventTime} is outside the window`);
      assert.ok(t <= previous, `${where} breaks newest-first order`);
      previous = t;
      assert.match(r.eventID, UUID, where);
      assert.ok(!ids.has(r.eventID), `duplicate eventID ${r.eventID}`);
      ids.add(r.eventID);
      if (r.requestID !== undefined) assert.match(r.requestID, r.eventSource === 's3.amazonaws.com' ? /^[0-9A-Z]{16}$/ : UUID, where);
      assert.equal(typeof r.readOnly, 'boolean', where);
      if (r.readOnly && !['AssumeRole', 'AssumeRoleWithWebIdentity'].includes(r.eventName))
        assert.equal(r.responseElements, null, `${where}: reads have null responseElements`);
      if (r.errorCode) assert.equal(r.responseElements, null, where);
      assert.equal(r.recipientAccountId, '123456789012');
      if (r.userIdentity?.invokedBy) assert.equal(r.tlsDetails, undefined, `${where}: service calls carry no tlsDetails`);
    }
  });

  test('looks like a real account: many services, identities, tools; mostly reads; office-hours rhythm', () => {
    const sources = new Set(records.map((r) => r.eventSource.replace('.amazonaws.com', '')));
    for (const s of [
      'ec2',
      's3',
      'iam',
      'sts',
      'kms',
      'lambda',
      'cloudformation',
      'backup',
      'logs',
      'monitoring',
      'dynamodb',
      'rds',
      'ssm',
      'secretsmanager',
      'config',
      'events',
      'sns',
      'sqs',
      'ecr',
      'ecs',
      'signin',
    ]) {
      assert.ok(sources.has(s), `no ${s} events`);
    }
    const types = new Set(records.map((r) => r.userIdentity?.type));
    for (const t of ['IAMUser', 'AssumedRole', 'Root', 'AWSService', 'WebIdentityUser']) assert.ok(types.has(t), `no ${t}`);
    assert.ok(records.some((r) => r.userIdentity?.sessionContext?.sessionIssuer?.userName?.startsWith('AWSReservedSSO_')));
    assert.ok(records.some((r) => r.sessionCredentialFromConsole === 'true'));
    const agents = records.map((r) => r.userAgent ?? '');
    for (const ua of [/^aws-cli\/2\./, /^Boto3\//, /^aws-sdk-java\//, /^console\.amazonaws\.com$/, /Terraform\//])
      assert.ok(
        agents.some((a) => ua.test(a)),
        `no userAgent ${ua}`,
      );
    assert.ok(records.some((r) => /^\d+\.\d+\.\d+\.\d+$/.test(r.sourceIPAddress ?? '')));
    const reads = records.filter((r) => r.readOnly).length / records.length;
    assert.ok(reads > 0.75 && reads < 0.97, `read share ${reads}`);
    const errors = new Set(records.map((r) => r.errorCode));
    for (const e of [
      'AccessDenied',
      'AccessDeniedException',
      'Client.UnauthorizedOperation',
      'ThrottlingException',
      'Client.RequestLimitExceeded',
    ])
      assert.ok(errors.has(e), `no ${e}`);
    // JST office hours (00–09 UTC) are busier than the night (15–21 UTC)
    const hour = (r: CloudTrailRecord) => new Date(r.eventTime).getUTCHours();
    const day = records.filter((r) => hour(r) < 9).length / 9;
    const night = records.filter((r) => hour(r) >= 15 && hour(r) < 21).length / 6;
    assert.ok(day > night * 1.8, `day ${day.toFixed(0)}/h vs night ${night.toFixed(0)}/h`);
    // S3 bucket calls and KMS calls fill resources[] like real records (an object call names the object first)
    assert.ok(
      records
        .filter((r) => r.eventSource === 's3.amazonaws.com' && r.eventName !== 'ListBuckets' && r.eventCategory !== 'Data')
        .every((r) => r.resources?.[0]?.type === 'AWS::S3::Bucket'),
    );
  });

  test('AWS Config service-linked-role NotFound noise recurs as on a real account', () => {
    const config = records.filter((r) => r.userIdentity?.arn?.includes('assumed-role/AWSServiceRoleForConfig/'));
    const expected: [string, string][] = [
      ['GetBucketReplication', 'ReplicationConfigurationNotFoundError'],
      ['GetBucketCors', 'NoSuchCORSConfiguration'],
      ['GetBucketWebsite', 'NoSuchWebsiteConfiguration'],
      ['GetObjectLockConfiguration', 'ObjectLockConfigurationNotFoundError'],
      ['GetPolicy20150331v2', 'ResourceNotFoundException'],
    ];
    for (const [name, code] of expected) {
      const hits = config.filter((r) => r.eventName === name && r.errorCode === code);
      assert.ok(hits.length >= 7, `${name}/${code}: ${hits.length}`);
      assert.ok(hits.every((r) => r.sourceIPAddress === 'config.amazonaws.com' && r.userIdentity?.invokedBy === 'config.amazonaws.com'));
      // on a schedule: on several different days
      assert.ok(new Set(hits.map((r) => r.eventTime.slice(0, 10))).size >= 6, `${name} not recurring`);
    }
    const lambda = config.find((r) => r.eventName === 'GetPolicy20150331v2');
    assert.equal(
      lambda?.userIdentity?.sessionContext?.sessionIssuer?.arn,
      'arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
    );
    assert.equal(lambda?.errorMessage, 'The resource you requested does not exist.');
  });

  test('console sign-ins: success with MFAUsed, failure, and the hidden user name', () => {
    const logins = records.filter((r) => r.eventName === 'ConsoleLogin');
    assert.ok(
      logins.every(
        (r) =>
          r.eventType === 'AwsConsoleSignIn' &&
          r.eventSource === 'signin.amazonaws.com' &&
          r.requestParameters === null &&
          r.requestID === undefined,
      ),
    );
    const ok = logins.filter((r) => (r.responseElements as { ConsoleLogin?: string })?.ConsoleLogin === 'Success');
    assert.ok(ok.length >= 5);
    assert.ok(ok.some((r) => (r.additionalEventData as { MFAUsed?: string }).MFAUsed === 'Yes'));
    assert.ok(ok.some((r) => r.userIdentity?.type === 'Root' && r.awsRegion === 'us-east-1'));
    const failed = logins.filter((r) => (r.responseElements as { ConsoleLogin?: string })?.ConsoleLogin === 'Failure');
    assert.ok(failed.some((r) => r.errorMessage === 'Failed authentication'));
    const hidden = failed.find((r) => r.userIdentity?.userName === 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.ok(hidden);
    assert.equal(hidden.errorMessage, 'No username found in supplied account');
  });

  test('the failed-deployment story is there and consistent', () => {
    assert.equal(story.requestId, STORY_REQUEST_ID);
    assert.equal(STORY_REQUEST_ID, 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e');
    const failed = byRequestId(story.requestId);
    assert.equal(failed.length, 1, 'request ID R occurs exactly once');
    const vault = failed[0];
    assert.equal(vault.eventID, story.failedEventId);
    assert.equal(vault.eventTime, story.failedEventTime);
    assert.equal(vault.eventSource, 'backup.amazonaws.com');
    assert.equal(vault.eventName, 'CreateBackupVault');
    assert.equal(vault.errorCode, 'InvalidParameterValueException');
    assert.equal(vault.errorMessage, 'Invalid Key provided by the user. %s');
    assert.equal(vault.sourceIPAddress, 'cloudformation.amazonaws.com');
    assert.equal(vault.userAgent, 'cloudformation.amazonaws.com');
    assert.equal(params(vault).backupVaultTags, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.match(String(params(vault).creatorRequestId), UUID);

    const createKey = records.find((r) => r.eventID === story.createKeyEventId);
    assert.ok(createKey);
    assert.equal(createKey.eventName, 'CreateKey');
    assert.equal(createKey.sourceIPAddress, 'cloudformation.amazonaws.com');
    const meta = (createKey.responseElements as { keyMetadata: { keyId: string; arn: string } }).keyMetadata;
    assert.equal(meta.keyId, story.keyId);
    assert.equal(meta.arn, story.keyArn);
    assert.match(story.keyId, UUID);
    assert.equal(params(vault).encryptionKeyArn, meta.keyId, 'the key ID went where an ARN was needed');
    assert.ok(Date.parse(createKey.eventTime) < Date.parse(vault.eventTime));
    // the same CloudFormation service-role session made both calls
    assert.equal(createKey.userIdentity?.accessKeyId, vault.userIdentity?.accessKeyId);
    assert.match(vault.userIdentity?.arn ?? '', /assumed-role\/cfn-exec-role\/AWSCloudFormation$/);

    const failAt = Date.parse(vault.eventTime);
    assert.ok(Math.abs(account.end.getTime() - 2 * 3600_000 - failAt) < 5 * 60_000, 'about two hours before now');
    assert.equal(
      story.statusReason,
      `Resource handler returned message: "Invalid Key provided by the user. %s (Service: Backup, Status Code: 400, Request ID: ${story.requestId})" (RequestToken: ${story.statusReason.match(/RequestToken: ([0-9a-f-]{36})/)?.[1]}, HandlerErrorCode: InvalidRequest)`,
    );
    assert.ok(story.logLine.includes(story.statusReason));
    assert.match(story.logLine, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);

    const named = (name: string) =>
      records.filter((r) => r.eventName === name && r.userIdentity?.invokedBy === 'cloudformation.amazonaws.com');
    for (const name of ['CreateRole', 'CreateAlias', 'TagResource', 'ScheduleKeyDeletion', 'DeleteRole'])
      assert.ok(named(name).length >= 1, `no CloudFormation ${name}`);
    const deletion = named('ScheduleKeyDeletion').find((r) => params(r).keyId === story.keyId);
    assert.ok(deletion && Date.parse(deletion.eventTime) > failAt, 'rollback schedules the key for deletion');
    const userCalls = records.filter((r) => r.eventSource === 'cloudformation.amazonaws.com' && params(r).stackName === story.stackName);
    // The ROLLBACK_COMPLETE stack is kept for the investigation (the sample's CloudFormation serves it).
    assert.ok(userCalls.some((r) => r.eventName === 'CreateStack') && !userCalls.some((r) => r.eventName === 'DeleteStack'));

    const hour = records.filter((r) => r.eventSource === 'backup.amazonaws.com' && Math.abs(Date.parse(r.eventTime) - failAt) < 3600_000);
    assert.ok(hour.length >= 8, `only ${hour.length} backup events near the failure`);
    const sameDay = records.filter(
      (r) => r.userIdentity?.invokedBy === 'cloudformation.amazonaws.com' && r.eventTime.slice(0, 10) === vault.eventTime.slice(0, 10),
    );
    assert.ok(new Set(sameDay.map((r) => r.userIdentity?.accessKeyId)).size >= 2, 'other CloudFormation deploys that day');
  });

  test('a data event (a refused S3 GetObject) is in the records, and LookupEvents leaves it out as AWS does', () => {
    const account = generateSampleAccount({ now: NOW });
    const hits = account.records.filter((r) => r.requestID === DATA_EVENT_REQUEST_ID);
    assert.equal(hits.length, 1);
    const [r] = hits;
    assert.equal(classifyRequestId(DATA_EVENT_REQUEST_ID), 's3', 'an S3 request ID the jump accepts');
    assert.equal(r.eventName, 'GetObject');
    assert.equal(r.eventCategory, 'Data');
    assert.equal(r.managementEvent, false);
    assert.equal(r.errorCode, 'AccessDenied');
    assert.equal((r.requestParameters as { key?: string }).key, DATA_EVENT_KEY);
    assert.equal(r.resources?.[0]?.type, 'AWS::S3::Object');
    const story = account.records.find((x) => x.requestID === STORY_REQUEST_ID)!;
    assert.ok(Date.parse(r.eventTime) < Date.parse(story.eventTime), 'before the failed deployment');
    const store = new EventStore();
    store.addRecords(account.records);
    const page = runLookup(
      store,
      { visibility: 'management', maxResults: 50, startMs: Date.parse(r.eventTime) - 600_000, endMs: Date.parse(r.eventTime) + 600_000 },
      NOW.getTime(),
      'k',
    );
    assert.ok(page.Events.length > 0, 'other events of those minutes are there');
    assert.ok(!page.Events.some((e) => e.CloudTrailEvent.includes(DATA_EVENT_REQUEST_ID)), 'the data event is not');
  });

  test('storyHoursAgo moves the failed deployment back; out-of-range values are refused', () => {
    const now = new Date('2026-11-21T12:00:00Z');
    const a = generateSampleAccount({ now, days: 3, eventsPerDay: 50, storyHoursAgo: 30 });
    const ago = (now.getTime() - Date.parse(a.story.failedEventTime)) / 3600_000;
    assert.ok(ago > 29.9 && ago < 30, `${ago} h ago`);
    assert.throws(() => generateSampleAccount({ now, days: 1, storyHoursAgo: 30 }), /storyHoursAgo/);
  });

  test('holds attacker-controlled markup for security tests', () => {
    const nasty = records.find((r) => r.userAgent === '<img src=x onerror=alert(1)>');
    assert.ok(nasty);
    assert.ok(JSON.stringify(nasty.requestParameters).includes('<script>alert(1)</script>'));
    assert.ok(records.some((r) => (r.userAgent ?? '').includes('\u001b[31m')));
  });

  test('options: region, account, volume; bad options are InvalidInput', () => {
    const small = generateSampleAccount({ now: NOW, days: 1, eventsPerDay: 300, region: 'eu-west-1', accountId: '111122223333' });
    assert.ok(small.records.every((r) => r.recipientAccountId === '111122223333'));
    assert.ok(small.records.filter((r) => r.awsRegion === 'eu-west-1').length > small.records.length * 0.8);
    assert.equal(small.records.filter((r) => r.requestID === STORY_REQUEST_ID).length, 1);
    for (const bad of [{ days: 0 }, { eventsPerDay: -1 }, { accountId: '12' }, { region: 'mars' }]) {
      assert.throws(
        () => generateSampleAccount({ now: NOW, ...bad }),
        (e: unknown) => (e as { code?: string }).code === 'InvalidInput',
      );
    }
  });
});

describe('writeTrailLogs', () => {
  test('writes the S3 layout and round-trips through readRecordPaths (digests skipped)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trail-lens-sample-'));
    try {
      const small = generateSampleAccount({ now: NOW, days: 1, eventsPerDay: 800 });
      const paths = await writeTrailLogs(small, dir, { filesPerHour: 4 });
      const rel = paths.map((p) => relative(dir, p).split(sep).join('/'));
      const logs = rel.filter((p) => p.includes('/CloudTrail/'));
      const digests = rel.filter((p) => p.includes('/CloudTrail-Digest/'));
      assert.equal(logs.length + digests.length, paths.length);
      for (const p of logs) {
        assert.match(
          p,
          /^AWSLogs\/123456789012\/CloudTrail\/(ap-northeast-1|us-east-1|us-west-2)\/\d{4}\/\d\d\/\d\d\/123456789012_CloudTrail_(ap-northeast-1|us-east-1|us-west-2)_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/,
        );
      }
      for (const p of digests) {
        assert.match(
          p,
          /^AWSLogs\/123456789012\/CloudTrail-Digest\/[a-z0-9-]+\/\d{4}\/\d\d\/\d\d\/123456789012_CloudTrail-Digest_[a-z0-9-]+_management-events_ap-northeast-1_\d{8}T\d{6}Z\.json\.gz$/,
        );
      }
      assert.ok(digests.length >= 24, `${digests.length} digests for a day`);
      const digest = JSON.parse(gunzipSync(await readFile(paths[paths.length - 1])).toString());
      assert.ok(digest.awsAccountId && digest.digestStartTime && Array.isArray(digest.logFiles));

      const skipped: string[] = [];
      const ids: string[] = [];
      let unordered = 0;
      for await (const file of readRecordPaths([dir], { onSkip: (p) => skipped.push(p) })) {
        assert.equal(file.kind, 'trail-log');
        ids.push(...file.records.map((r) => r.eventID));
        if (file.records.some((r, i) => i > 0 && r.eventTime > file.records[i - 1].eventTime)) unordered++;
      }
      assert.equal(skipped.length, digests.length);
      assert.equal(ids.length, small.records.length);
      assert.deepEqual(new Set(ids), new Set(small.records.map((r) => r.eventID)));
      assert.ok(unordered > 0, 'records inside files are not sorted, like real trail files');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
