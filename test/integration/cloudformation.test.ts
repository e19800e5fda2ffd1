/**
 * CloudFormation through the real @aws-sdk/client-cloudformation against the fake endpoint's Query
 * protocol, on the sample account's stacks: listing, operations, each failure → its CloudTrail
 * event (request ID in ≤ 2 LookupEvents calls, correlation, none), paging, the DescribeStackEvents
 * fallback, errors and the endpoint settings.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { stackFailures } from '../../src/core/cloudformation/failures';
import { listStacks, stackOperations } from '../../src/core/cloudformation/stacks';
import type { TrailLensError } from '../../src/core/errors';
import { generateSampleAccount, type SampleAccount } from '../../src/sample/account';
import { STORY_REQUEST_ID } from '../../src/sample/story';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { writeAwsFiles } from '../harness/testEnv';

const NOW = new Date('2026-11-21T12:00:00Z');

describe('CloudFormation through the real SDK against the fake endpoint', () => {
  let account: SampleAccount;
  let fake: FakeCloudTrail;
  let connection: Connection;

  before(async () => {
    account = generateSampleAccount({ now: NOW });
    fake = await startFakeCloudTrail({ records: account.records, stacks: account.stacks, rate: 2, region: account.region, cfnPageSize: 4 });
    connection = await connect({
      endpointUrl: fake.url,
      cloudFormationEndpointUrl: fake.url,
      region: account.region,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
    });
  });
  after(async () => {
    connection?.dispose();
    await fake?.close();
  });

  test('listStacks reads every page (ListStacks with StackStatusFilter) and puts failed stacks first', async () => {
    fake.resetStats();
    const stacks = await listStacks(connection);
    assert.deepEqual(
      stacks.map((s) => [s.stackName, s.failed]),
      [
        ['orders-events-stg', true],
        ['orders-seed-dev', true],
        ['orders-backup-prd', true],
        ['orders-monitoring', false],
        ['orders-api-prd', false],
        ['orders-network', false],
        ['CDKToolkit', false],
      ],
    );
    const calls = fake.requests.filter((r) => r.operation === 'ListStacks');
    assert.equal(calls.length, 2, 'seven stacks in pages of four');
    assert.ok(calls.every((r) => r.protocol === 'query' && r.params.Version === '2010-05-15' && r.params['StackStatusFilter.member.1']));
    assert.ok(!calls[0].params.NextToken && calls[1].params.NextToken);
  });

  test('stackOperations: LastOperations, each with its DescribeEvents status and start', async () => {
    const ops = await stackOperations(connection, 'orders-seed-dev');
    assert.deepEqual(
      ops.map((o) => [o.operationType, o.status]),
      [
        ['UPDATE_STACK', 'FAILED'],
        ['CREATE_STACK', 'SUCCEEDED'],
      ],
    );
    assert.ok(ops[0].time && ops[1].time && ops[0].time > ops[1].time);
  });

  test('a failure whose reason carries the request ID → the CreateBackupVault event in at most 2 LookupEvents calls', async () => {
    fake.resetStats();
    const [failure, ...rest] = await stackFailures(connection, 'orders-backup-prd', { now: NOW });
    assert.equal(rest.length, 0);
    assert.equal(failure.logicalResourceId, 'BackupVault');
    assert.equal(failure.resourceType, 'AWS::Backup::BackupVault');
    assert.equal(failure.status, 'CREATE_FAILED');
    assert.equal(failure.statusReason, account.story.statusReason);
    assert.equal(failure.requestId, STORY_REQUEST_ID);
    assert.equal(failure.matchedBy, 'requestID');
    assert.equal(failure.event?.eventID, account.story.failedEventId);
    assert.equal(failure.event?.eventName, 'CreateBackupVault');
    assert.ok(failure.timestamp.getTime() > Date.parse(account.story.failedEventTime), 'the stack event follows the call');
    assert.equal(failure.deliveryMayLag, false);
    const lookups = fake.requests.filter((r) => r.operation === 'LookupEvents');
    assert.ok(lookups.length >= 1 && lookups.length <= 2, `${lookups.length} LookupEvents calls`);
    assert.equal(failure.calls, lookups.length);
    assert.deepEqual(lookups[0].params.LookupAttributes, [{ AttributeKey: 'EventSource', AttributeValue: 'backup.amazonaws.com' }]);
    const used = fake.requests.filter((r) => r.protocol === 'query').map((r) => r.operation);
    assert.deepEqual(used, ['DescribeStacks', 'DescribeEvents'], 'DescribeEvents with the operation and FailedEvents');
    const describe = fake.requests.find((r) => r.operation === 'DescribeEvents');
    assert.equal(describe?.params['Filters.FailedEvents'], 'true');
    assert.match(String(describe?.params.OperationId), /^[0-9a-f-]{36}$/);
  });

  test('a failure without a request ID → correlated with the failed CreateQueue, every page read, the decoy ranked below', async () => {
    fake.resetStats();
    const [failure] = await stackFailures(connection, 'orders-events-stg', { now: NOW });
    assert.equal(failure.logicalResourceId, 'OrdersQueue');
    assert.equal(failure.requestId, undefined);
    assert.equal(failure.matchedBy, 'correlation');
    assert.equal(failure.event?.eventName, 'CreateQueue');
    assert.equal(failure.event?.errorCode, 'InvalidParameterValue');
    assert.match(failure.searched, /^Correlated \(logical ID in the request, service sqs\.amazonaws\.com/);
    assert.match(
      failure.searched,
      /ReadOnly = false, every page: .* \(\d+ pages?\) — \d+ events, 2 failed calls by CloudFormation or its service role/,
    );
    const lookups = fake.requests.filter((r) => r.operation === 'LookupEvents');
    assert.ok(lookups.every((r) => JSON.stringify(r.params.LookupAttributes) === '[{"AttributeKey":"ReadOnly","AttributeValue":"false"}]'));
  });

  test('a custom resource failure: its log stream, no event, and what was scanned', async () => {
    const [failure] = await stackFailures(connection, 'orders-seed-dev', { now: NOW });
    assert.equal(failure.status, 'UPDATE_FAILED');
    assert.equal(failure.event, null);
    assert.equal(failure.matchedBy, null);
    assert.match(failure.logStream ?? '', /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.match(
      failure.searched,
      /^No failed call by CloudFormation .* matches SeedData \(Custom::SeedData\): ReadOnly = false, every page/,
    );
    const create = (await stackOperations(connection, 'orders-seed-dev'))[1].operationId;
    assert.deepEqual(await stackFailures(connection, 'orders-seed-dev', { operationId: create, now: NOW }), [], 'the create succeeded');
  });

  test('a failure under 15 minutes old says CloudTrail may not have delivered it yet', async () => {
    const [failure] = await stackFailures(connection, 'orders-seed-dev', {
      now: new Date(Date.parse(account.story.failedEventTime) + 30 * 60_000),
    });
    assert.equal(failure.deliveryMayLag, true);
  });

  test('a request ID that is not in the window: no event, and the search says where an IAM call is recorded', async () => {
    const at = new Date(NOW.getTime() - 3600_000);
    const id = 'arn:aws:cloudformation:ap-northeast-1:123456789012:stack/iam-stack/1';
    const reason =
      'Resource handler returned message: "Role name is too long (Service: Iam, Status Code: 400, Request ID: 11111111-2222-4333-8444-555555555555)" (RequestToken: 22222222-3333-4444-8555-666666666666, HandlerErrorCode: InvalidRequest)';
    fake.setStacks([
      ...account.stacks,
      {
        stackName: 'iam-stack',
        stackId: id,
        status: 'ROLLBACK_COMPLETE',
        creationTime: at,
        operations: [{ operationId: 'op-iam', operationType: 'CREATE_STACK', status: 'FAILED' }],
        resources: [],
        events: [
          {
            eventId: 'e1',
            timestamp: at,
            operationId: 'op-iam',
            logicalResourceId: 'iam-stack',
            resourceType: 'AWS::CloudFormation::Stack',
            status: 'CREATE_IN_PROGRESS',
            reason: 'User Initiated',
          },
          {
            eventId: 'e2',
            timestamp: new Date(at.getTime() + 5000),
            operationId: 'op-iam',
            logicalResourceId: 'AppRole',
            resourceType: 'AWS::IAM::Role',
            status: 'CREATE_FAILED',
            reason,
          },
        ],
      },
    ]);
    try {
      fake.resetStats();
      const [failure] = await stackFailures(connection, 'iam-stack', { now: NOW });
      assert.equal(failure.requestId, '11111111-2222-4333-8444-555555555555');
      assert.equal(failure.event, null);
      assert.equal(failure.matchedBy, null);
      assert.match(
        failure.searched,
        /^No event with request ID 11111111-2222-4333-8444-555555555555 in ap-northeast-1: searched EventSource = iam\.amazonaws\.com/,
      );
      assert.match(failure.searched, /iam\.amazonaws\.com is a global service: its events are recorded in us-east-1\.$/);
      assert.ok(fake.requests.filter((r) => r.operation === 'LookupEvents').length <= 2, 'the window is not widened');
    } finally {
      fake.setStacks(account.stacks);
    }
  });

  test('without DescribeEvents (an older endpoint) the same failures come from DescribeStackEvents, paged', async () => {
    const old = await startFakeCloudTrail({
      records: account.records,
      stacks: account.stacks,
      rate: 0,
      describeEvents: false,
      cfnPageSize: 3,
    });
    const c = await connect({
      endpointUrl: old.url,
      cloudFormationEndpointUrl: old.url,
      region: account.region,
      credentials: { accessKeyId: 'A', secretAccessKey: 'x' },
    });
    try {
      const [failure] = await stackFailures(c, 'orders-backup-prd', { now: NOW });
      assert.equal(failure.event?.eventID, account.story.failedEventId);
      const pages = old.requests.filter((r) => r.operation === 'DescribeStackEvents');
      assert.ok(pages.length >= 2, 'paged with NextToken');
      assert.ok(old.requests.some((r) => r.operation === 'DescribeEvents' && r.errorCode === 'InvalidAction'));
    } finally {
      c.dispose();
      await old.close();
    }
  });

  test('errors: a stack that does not exist, access denied, throttling — each named for CloudFormation', async () => {
    await assert.rejects(stackFailures(connection, 'no-such-stack'), (err: TrailLensError) => {
      assert.equal(err.code, 'InvalidRequest');
      assert.match(err.message, /^Stack no-such-stack does not exist in ap-northeast-1/);
      return true;
    });
    fake.addFault({ kind: 'accessDenied', operation: 'DescribeStacks', count: 1 });
    await assert.rejects(stackFailures(connection, 'orders-backup-prd'), (err: TrailLensError) => {
      assert.equal(err.code, 'AccessDenied');
      assert.match(err.message, /not allowed to call cloudformation:DescribeStacks/);
      assert.match(err.hint ?? '', /AWSCloudFormationReadOnlyAccess/);
      return true;
    });
    // Throttling is retried (0.5, 1, 2 s): a short burst passes, a lasting one is reported as throttling.
    fake.resetStats();
    fake.addFault({ kind: 'throttling', operation: 'ListStacks', count: 1 });
    assert.equal((await listStacks(connection)).length, 7);
    assert.deepEqual(
      fake.requests.filter((r) => r.operation === 'ListStacks').map((r) => r.errorCode),
      ['Throttling', undefined, undefined],
    );
    fake.addFault({ kind: 'throttling', operation: 'ListStacks', count: 4 });
    await assert.rejects(
      listStacks(connection),
      (err: TrailLensError) => err.code === 'Throttled' && /CloudFormation is throttling ListStacks/.test(err.message),
    );
    fake.clearFaults();
  });

  test('the CloudFormation endpoint comes from AWS_ENDPOINT_URL_CLOUDFORMATION, apart from CloudTrail’s', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tl-cfn-env-'));
    try {
      const files = writeAwsFiles(home);
      const env = {
        HOME: home,
        AWS_CONFIG_FILE: files.config,
        AWS_SHARED_CREDENTIALS_FILE: files.credentials,
        AWS_ENDPOINT_URL_CLOUDFORMATION: fake.url,
      };
      const c = await connect({ env, region: account.region, profile: 'default', endpointUrl: 'http://127.0.0.1:9' });
      try {
        assert.equal(c.cloudFormation.endpoint, fake.url);
        assert.equal(c.endpoint, 'http://127.0.0.1:9');
        assert.ok((await listStacks(c)).length >= 7);
      } finally {
        c.dispose();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
