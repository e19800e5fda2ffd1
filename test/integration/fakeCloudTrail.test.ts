/**
 * The fake CloudTrail endpoint, exercised through the real @aws-sdk/client-cloudtrail client:
 * if the SDK parses it, signs against it and surfaces its errors as typed exceptions, the
 * extension will behave the same against it as against AWS.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  InvalidEventCategoryException,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  LookupEventsCommand,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import type { LookupAttributeKey, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailRecord } from '../../src/core/record';
import { assumedRole, iamUser, makeRecord, rootUser } from '../fake-cloudtrail/fixtures';
import { signedRegion, startFakeCloudTrail } from '../fake-cloudtrail/server';
import { by, clientFor, lookupIds as lookup, rejectsAs, useFake as useFakeWith } from '../fake-cloudtrail/testing';
import { scratchDir } from '../harness/scratch';

const DAY = 86_400_000;
const NOW = Date.parse('2025-03-10T12:00:00Z');
const clockOptions = { now: () => new Date(NOW) };
const useFake = (options: Parameters<typeof useFakeWith>[0] = {}) => useFakeWith({ ...clockOptions, ...options });

describe('LookupEvents lookup attributes', () => {
  const alice = makeRecord({ at: NOW - 60_000, eventName: 'CreateAccessKey', readOnly: false });
  const session = makeRecord({
    at: NOW - 120_000,
    userIdentity: assumedRole('deploy-role', 'cfn-session', 'ASIAROLEKEY000000001'),
    eventSource: 'kms.amazonaws.com',
    eventName: 'CreateKey',
    readOnly: false,
    resources: [{ ARN: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', type: 'AWS::KMS::Key' }],
  });
  const root = makeRecord({ at: NOW - 180_000, userIdentity: rootUser(), eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' });
  const bucket = makeRecord({
    at: NOW - 240_000,
    userIdentity: iamUser('bob', 'AKIABOBBOBBOBEXAMPLE'),
    eventSource: 's3.amazonaws.com',
    eventName: 'CreateBucket',
    readOnly: false,
    resources: [{ ARN: 'arn:aws:s3:::my-bucket', accountId: '123456789012', type: 'AWS::S3::Bucket' }],
  });
  const { client } = useFake({ records: [alice, session, root, bucket] });

  test('EventId, EventName and EventSource match exactly and case-sensitively', async () => {
    assert.deepEqual(await lookup(client(), by('EventId', session.eventID)), [session.eventID]);
    assert.deepEqual(await lookup(client(), by('EventName', 'CreateBucket')), [bucket.eventID]);
    assert.deepEqual(await lookup(client(), by('EventName', 'createbucket')), []);
    assert.deepEqual(await lookup(client(), by('EventSource', 's3.amazonaws.com')), [root.eventID, bucket.eventID]);
  });

  test('ReadOnly takes "true" or "false"', async () => {
    assert.deepEqual(await lookup(client(), by('ReadOnly', 'true')), [root.eventID]);
    assert.deepEqual(await lookup(client(), by('ReadOnly', 'false')), [alice.eventID, session.eventID, bucket.eventID]);
  });

  test('Username is userName, the session name of an assumed role, or root', async () => {
    assert.deepEqual(await lookup(client(), by('Username', 'alice')), [alice.eventID]);
    assert.deepEqual(await lookup(client(), by('Username', 'cfn-session')), [session.eventID]);
    assert.deepEqual(await lookup(client(), by('Username', 'deploy-role')), []);
    assert.deepEqual(await lookup(client(), by('Username', 'root')), [root.eventID]);
  });

  test('ResourceType, ResourceName (ARN or its last segment) and AccessKeyId', async () => {
    assert.deepEqual(await lookup(client(), by('ResourceType', 'AWS::S3::Bucket')), [bucket.eventID]);
    assert.deepEqual(await lookup(client(), by('ResourceName', 'my-bucket')), [bucket.eventID]);
    assert.deepEqual(await lookup(client(), by('ResourceName', 'arn:aws:s3:::my-bucket')), [bucket.eventID]);
    assert.deepEqual(await lookup(client(), by('ResourceName', '1234abcd-12ab-34cd-56ef-1234567890ab')), [session.eventID]);
    assert.deepEqual(await lookup(client(), by('AccessKeyId', 'AKIABOBBOBBOBEXAMPLE')), [bucket.eventID]);
  });

  test('events carry every response member, CloudTrailEvent being the record as JSON', async () => {
    const out = await client().send(new LookupEventsCommand(by('EventId', session.eventID)));
    const [event] = out.Events ?? [];
    assert.ok(event);
    assert.equal(event.EventName, 'CreateKey');
    assert.equal(event.ReadOnly, 'false');
    assert.equal(event.AccessKeyId, 'ASIAROLEKEY000000001');
    assert.equal(event.EventSource, 'kms.amazonaws.com');
    assert.equal(event.Username, 'cfn-session');
    assert.ok(event.EventTime instanceof Date);
    assert.equal(event.EventTime.getTime(), NOW - 120_000);
    assert.deepEqual(event.Resources, [{ ResourceType: 'AWS::KMS::Key', ResourceName: session.resources?.[0]?.ARN }]);
    assert.deepEqual(JSON.parse(event.CloudTrailEvent as string), session);
    assert.equal(out.NextToken, undefined);
  });

  test('invalid lookup attributes are InvalidLookupAttributesException', async () => {
    const two = { LookupAttributes: [by('EventName', 'A').LookupAttributes![0]!, by('EventSource', 'B').LookupAttributes![0]!] };
    await rejectsAs(lookup(client(), two), 'InvalidLookupAttributesException', InvalidLookupAttributesException);
    await rejectsAs(lookup(client(), by('RequestId' as LookupAttributeKey, 'x')), 'InvalidLookupAttributesException');
    await rejectsAs(lookup(client(), by('EventName', '')), 'InvalidLookupAttributesException');
    await rejectsAs(lookup(client(), by('ReadOnly', 'True')), 'InvalidLookupAttributesException');
  });
});

describe('LookupEvents time range, window and order', () => {
  const t = (minutesAgo: number): number => NOW - minutesAgo * 60_000;
  const sameSecond = [makeRecord({ at: t(5) }), makeRecord({ at: t(5) }), makeRecord({ at: t(5) })];
  const records: CloudTrailRecord[] = [
    makeRecord({ at: t(1) }),
    ...sameSecond.slice().reverse(),
    makeRecord({ at: t(10) }),
    makeRecord({ at: NOW - 89 * DAY }),
    makeRecord({ at: NOW - 91 * DAY }),
    makeRecord({ at: NOW - 30 * DAY, eventCategory: 'Data', eventName: 'GetObject' }),
  ];
  const { client } = useFake({ records });

  test('events come newest first, equal times ordered by eventID', async () => {
    const ids = await lookup(client());
    const expected = [records[0]!, ...sameSecond, records[4]!, records[5]!].map((r) => r.eventID);
    assert.deepEqual(ids, expected);
  });

  test('only the last 90 days by the server clock are visible; data events never are', async () => {
    const ids = await lookup(client(), { StartTime: new Date(NOW - 200 * DAY) });
    assert.ok(ids.includes(records[5]!.eventID), 'an 89-day-old event is visible');
    assert.ok(!ids.includes(records[6]!.eventID), 'a 91-day-old event is not');
    assert.ok(!ids.includes(records[7]!.eventID), 'data events are not returned by LookupEvents');
  });

  test('StartTime and EndTime are inclusive, fractional seconds accepted', async () => {
    const ids = await lookup(client(), { StartTime: new Date(t(10)), EndTime: new Date(t(5)) });
    assert.deepEqual(ids, [...sameSecond.map((r) => r.eventID), records[4]!.eventID]);
    const narrow = await lookup(client(), { StartTime: new Date(t(5) + 1), EndTime: new Date(t(1) - 1) });
    assert.deepEqual(narrow, []);
    assert.deepEqual(await lookup(client(), { EndTime: new Date(t(10) + 500) }), [records[4]!.eventID, records[5]!.eventID]);
  });

  test('StartTime after EndTime is InvalidTimeRangeException', async () => {
    const input = { StartTime: new Date(t(1)), EndTime: new Date(t(2)) };
    await rejectsAs(lookup(client(), input), 'InvalidTimeRangeException', InvalidTimeRangeException);
  });

  test('EventCategory insight returns no management events; other values are rejected', async () => {
    assert.deepEqual(await lookup(client(), { EventCategory: 'insight' }), []);
    const bad = lookup(client(), { EventCategory: 'management' as 'insight' });
    await rejectsAs(bad, 'InvalidEventCategoryException', InvalidEventCategoryException);
  });
});

describe('LookupEvents paging', () => {
  const records = Array.from({ length: 137 }, (_, i) =>
    makeRecord({ at: NOW - Math.floor(i / 3) * 1000, eventSource: i % 2 ? 'iam.amazonaws.com' : 'ec2.amazonaws.com' }),
  );
  const { fake, client } = useFake({ records });

  test('the paginator walks a finite chain with every event exactly once', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateLookupEvents({ client: client(), pageSize: 10 }, {})) {
      pages++;
      assert.ok((page.Events ?? []).length <= 10);
      seen.push(...(page.Events ?? []).map((e) => e.EventId as string));
    }
    assert.equal(pages, 14);
    assert.equal(new Set(seen).size, 137);
    assert.deepEqual(new Set(seen), new Set(records.map((r) => r.eventID)));
  });

  test('MaxResults defaults to 50 and must be 1–50', async () => {
    assert.equal((await lookup(client())).length, 50);
    assert.equal((await lookup(client(), { MaxResults: 1 })).length, 1);
    assert.equal((await lookup(client(), { MaxResults: 50 })).length, 50);
    await rejectsAs(lookup(client(), { MaxResults: 0 }), 'InvalidMaxResultsException', InvalidMaxResultsException);
    await rejectsAs(lookup(client(), { MaxResults: 51 }), 'InvalidMaxResultsException');
  });

  test('a NextToken reused with other parameters, or forged, is InvalidNextTokenException', async () => {
    const base: LookupEventsCommandInput = { MaxResults: 5, ...by('EventSource', 'iam.amazonaws.com') };
    const first = await client().send(new LookupEventsCommand(base));
    const token = first.NextToken;
    assert.ok(token);
    const misuse: LookupEventsCommandInput[] = [
      { ...base, MaxResults: 6 },
      { ...base, ...by('EventSource', 'ec2.amazonaws.com') },
      { ...base, StartTime: new Date(NOW - DAY) },
      { ...base, EndTime: new Date(NOW) },
      { ...base, EventCategory: 'insight' },
      { MaxResults: 5 },
    ];
    for (const input of misuse) {
      await rejectsAs(lookup(client(), { ...input, NextToken: token }), 'InvalidNextTokenException', InvalidNextTokenException);
    }
    await rejectsAs(lookup(client(), { ...base, NextToken: 'not-a-token' }), 'InvalidNextTokenException');
    const forged = Buffer.from(JSON.stringify({ t: NOW, i: records[0]!.eventID, m: 'x' })).toString('base64url');
    await rejectsAs(lookup(client(), { ...base, NextToken: forged }), 'InvalidNextTokenException');
    assert.equal((await lookup(client(), { ...base, NextToken: token })).length, 5);
  });

  test('paging stays duplicate-free while records are added mid-chain', async () => {
    const seen: string[] = [];
    const newer = makeRecord({ at: NOW });
    const older = makeRecord({ at: NOW - 40_000 });
    let page = 0;
    for await (const out of paginateLookupEvents({ client: client(), pageSize: 25 }, {})) {
      seen.push(...(out.Events ?? []).map((e) => e.EventId as string));
      if (++page === 2) fake().addRecords([newer, older]);
    }
    assert.equal(seen.length, new Set(seen).size, 'no duplicates');
    assert.ok(!seen.includes(newer.eventID), 'an event newer than the cursor belongs to a fresh query');
    assert.ok(seen.includes(older.eventID), 'an event behind the cursor is picked up');
    assert.equal(seen.length, 138);
  });

  test('thousands of records answer quickly (pre-sorted, indexed)', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      makeRecord({ at: NOW - i * 420_000, eventName: i % 10 === 0 ? 'RareCall' : 'GetUser' }),
    );
    const big = await startFakeCloudTrail({ rate: 0, ...clockOptions, records: many });
    const c = clientFor(big);
    try {
      let count = 0;
      for await (const out of paginateLookupEvents({ client: c }, by('EventName', 'RareCall'))) count += out.Events?.length ?? 0;
      assert.equal(count, 1852); // 18,515 records fall inside 90 days at 7-minute spacing; every tenth matches
      const serverMs = big.requests.reduce((sum, r) => sum + r.durationMs, 0);
      assert.ok(serverMs / count < 1, `server spent ${serverMs} ms for ${count} events`);
    } finally {
      c.destroy();
      await big.close();
    }
  });
});

describe('command-line entry', () => {
  /** Starts cli.ts, resolves with its URL (first stdout line) and the child to stop. */
  async function startCli(args: string[]): Promise<{ url: string; child: ChildProcess }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-cloudtrail/cli.ts', ...args], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] as string);
      });
      child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`cli exited with ${code}: ${err}`)));
    });
    return { url, child };
  }

  async function stop(child: ChildProcess): Promise<void> {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  test('serves a {"Records":[…]} file and prints its URL', async () => {
    const dir = scratchDir('fake-cloudtrail-cli-');
    const file = join(dir, 'records.json');
    const records = [makeRecord({ eventName: 'CreateBackupVault' }), makeRecord({ at: Date.now() - 5000 })];
    writeFileSync(file, JSON.stringify({ Records: records }));
    const { url, child } = await startCli(['--records', file, '--rate', '0']);
    try {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const client = clientFor({ url });
      assert.deepEqual(
        await lookup(client),
        records.map((r) => r.eventID),
      );
      client.destroy();
    } finally {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--sample serves the generated sample account in its region', async () => {
    const { url, child } = await startCli(['--sample', '--days', '1', '--rate', '0']);
    try {
      const client = clientFor({ url });
      const out = await client.send(new LookupEventsCommand({ MaxResults: 50 }));
      assert.equal(out.Events?.length, 50);
      assert.ok(out.NextToken);
      const trails = await client.send(new DescribeTrailsCommand({}));
      assert.equal(trails.trailList?.[0]?.HomeRegion, JSON.parse(out.Events?.[0]?.CloudTrailEvent ?? '{}').awsRegion);
      client.destroy();
    } finally {
      await stop(child);
    }
  });

  test('bad flags exit with status 2 and the usage', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fake-cloudtrail/cli.ts', '--rate', 'fast'], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--rate needs a number/);
    assert.match(run.stderr, /Usage:/);
  });
});

describe('perRegion: one history per Region, as the real service keeps it', () => {
  const tokyo = makeRecord({ awsRegion: 'ap-northeast-1', eventName: 'CreateBackupVault' });
  const virginia = makeRecord({ awsRegion: 'us-east-1', eventName: 'CreateRole' });
  const { fake } = useFakeWith({ records: [tokyo, virginia], perRegion: true, region: 'ap-northeast-1' });

  test('the Region in the signature picks the history; a record added later shows in its own Region only', async () => {
    const names = async (region: string) => {
      const client = new CloudTrailClient({
        endpoint: fake().url,
        region,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
        maxAttempts: 1,
      });
      const out = await client.send(new LookupEventsCommand({}));
      client.destroy();
      return (out.Events ?? []).map((e) => e.EventName);
    };
    assert.deepEqual(await names('ap-northeast-1'), ['CreateBackupVault']);
    assert.deepEqual(await names('us-east-1'), ['CreateRole']);
    assert.deepEqual(await names('eu-west-1'), []);
    fake().addRecords([makeRecord({ awsRegion: 'eu-west-1', eventName: 'PutObject' })]);
    assert.deepEqual(await names('eu-west-1'), ['PutObject']);
    assert.deepEqual(await names('us-east-1'), ['CreateRole']);
  });

  test('signedRegion reads the credential scope', () => {
    assert.equal(
      signedRegion('AWS4-HMAC-SHA256 Credential=AKID/20261121/ap-northeast-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=x'),
      'ap-northeast-1',
    );
    assert.equal(signedRegion(undefined), undefined);
  });
});
