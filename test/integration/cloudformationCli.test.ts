/**
 * The fake's CloudFormation proved with a second client, the AWS CLI (botocore's Query serializer
 * and XML parser), and `trail-lens stack-failures` through the built CLI with its exit codes.
 * The AWS CLI part skips without an AWS CLI, except under CI=true, where a missing CLI fails the run.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { generateSampleAccount } from '../../src/sample/account';
import { STORY_REQUEST_ID } from '../../src/sample/story';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { awsCliFor, awsCliSkip, type AwsCli } from '../harness/awsCli';
import { cli, homeWithProfile } from './cliRun';

describe('AWS CLI against the fake CloudFormation', { skip: awsCliSkip }, () => {
  let fake: FakeCloudTrail;
  let cli: AwsCli;
  before(async () => {
    const account = generateSampleAccount({ now: new Date('2026-11-21T12:00:00Z') });
    fake = await startFakeCloudTrail({ records: [], stacks: account.stacks, rate: 0, region: account.region, cfnPageSize: 3 });
    cli = awsCliFor('cloudformation', fake.url);
  });
  after(async () => {
    cli?.close();
    await fake?.close();
  });
  const aws = (args: string[]) => cli.run(args);

  test('describe-stack-events auto-paginates newest first; list-stacks filters; describe-stacks has LastOperations', async () => {
    fake.resetStats();
    const events = await aws(['describe-stack-events', '--stack-name', 'orders-backup-prd']);
    assert.equal(events.code, 0, events.stderr);
    const list = JSON.parse(events.stdout).StackEvents as { Timestamp: string; ResourceStatus: string; LogicalResourceId: string }[];
    assert.ok(list.length > 10);
    assert.equal(list[0].ResourceStatus, 'ROLLBACK_COMPLETE');
    assert.ok(list.some((e) => e.LogicalResourceId === 'BackupVault' && e.ResourceStatus === 'CREATE_FAILED'));
    const times = list.map((e) => Date.parse(e.Timestamp));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.ok(fake.requests.filter((r) => r.operation === 'DescribeStackEvents').length >= 4, 'the CLI followed NextToken');

    const failed = await aws(['list-stacks', '--stack-status-filter', 'ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE']);
    assert.equal(failed.code, 0, failed.stderr);
    const names = (JSON.parse(failed.stdout).StackSummaries as { StackName: string }[]).map((s) => s.StackName).sort();
    assert.deepEqual(names, ['orders-backup-prd', 'orders-events-stg', 'orders-seed-dev']);

    const stacks = await aws(['describe-stacks', '--stack-name', 'orders-backup-prd']);
    assert.equal(stacks.code, 0, stacks.stderr);
    const [stack] = JSON.parse(stacks.stdout).Stacks as {
      StackStatus: string;
      RoleARN: string;
      LastOperations?: { OperationType: string }[];
    }[];
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    assert.match(stack.RoleARN, /:role\/cfn-exec-role$/);
    if (stack.LastOperations) assert.equal(stack.LastOperations[0].OperationType, 'CREATE_STACK');
  });

  test("describe-stacks on a missing stack: botocore reads the XML error's code and message", async () => {
    const run = await aws(['describe-stacks', '--stack-name', 'no-such-stack']);
    assert.notEqual(run.code, 0);
    assert.match(
      run.stderr,
      /An error occurred \(ValidationError\) when calling the DescribeStacks operation: Stack with id no-such-stack does not exist/,
    );
  });
});

describe('trail-lens stack-failures through the built CLI', () => {
  let home: string;
  before(() => {
    home = homeWithProfile('ap-northeast-1');
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  test('the failed orders-backup-prd: the documented JSON with the CreateBackupVault record; exit 0', async () => {
    const run = await cli(['stack-failures', '--sample', 'orders-backup-prd', '--format', 'json'], { home });
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Record<string, unknown>[];
    assert.equal(out.length, 1);
    assert.deepEqual(Object.keys(out[0]), [
      'logicalResourceId',
      'resourceType',
      'status',
      'statusReason',
      'timestamp',
      'requestId',
      'matchedBy',
      'event',
      'searched',
    ]);
    assert.equal(out[0].requestId, STORY_REQUEST_ID);
    assert.equal(out[0].matchedBy, 'requestID');
    assert.equal((out[0].event as { eventName: string }).eventName, 'CreateBackupVault');
    assert.match(run.stderr, /1 failed resource, 1 with its CloudTrail event \(1 LookupEvents call\)/);
  });

  test('correlation in the table; a custom resource without an event exits 1 and names its log stream', async () => {
    const table = await cli(['stack-failures', '--sample', 'orders-events-stg', '--format', 'table'], { home });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^OrdersQueue {2}AWS::SQS::Queue {2}CREATE_FAILED/);
    assert.match(table.stdout, /sqs\.amazonaws\.com CreateQueue {2}InvalidParameterValue {2}\(by correlation;/);
    const none = await cli(['stack-failures', '--sample', 'orders-seed-dev'], { home });
    assert.equal(none.code, 1, none.stderr);
    const [failure] = JSON.parse(none.stdout) as { event: unknown; matchedBy: unknown; searched: string }[];
    assert.equal(failure.event, null);
    assert.equal(failure.matchedBy, null);
    assert.match(none.stderr, /SeedData: the custom resource's log stream is \d{4}\/\d\d\/\d\d\/\[\$LATEST\]/);
  });

  test("--operation reads another of the stack's operations; one it does not have is a usage error", async () => {
    const seed = generateSampleAccount().stacks.find((x) => x.stackName === 'orders-seed-dev');
    const create = seed?.operations.find((o) => o.operationType === 'CREATE_STACK')?.operationId ?? '';
    const ok = await cli(['stack-failures', '--sample', seed?.stackId ?? '', '--operation', create], { home });
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), []);
    assert.match(ok.stderr, /No failed resources in stack arn:aws:cloudformation:.*orders-seed-dev/);
    const bad = await cli(['stack-failures', '--sample', 'orders-seed-dev', '--operation', 'no-such-op'], { home });
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /Operation no-such-op is not one of stack orders-seed-dev's last operations\.\nIts last operations: .*\(UPDATE_STACK\), .*\(CREATE_STACK\)\./,
    );
  });

  test('exit codes: 3 for an AWS error (no such stack), 2 for usage', async () => {
    const missing = await cli(['stack-failures', '--sample', 'no-such-stack'], { home });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /Stack no-such-stack does not exist in ap-northeast-1/);
    assert.equal((await cli(['stack-failures', '--sample'], { home })).code, 2);
    const format = await cli(['stack-failures', '--sample', 'x', '--format', 'csv'], { home });
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be one of json, table \(got/);
    assert.equal((await cli(['stack-failures', '--sample', 'x', '--limit', '3'], { home })).code, 2, 'not an option of stack-failures');
  });
});
