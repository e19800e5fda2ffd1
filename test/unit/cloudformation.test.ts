/** Status reasons, stack statuses and order, and the correlation's ranking (core/cloudformation). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { madeByStack, rankCandidates, scoreCandidate } from '../../src/core/cloudformation/failures';
import {
  compareStacks,
  isCancellation,
  isFailedStackStatus,
  readStatusReason,
  resourceTypeEventSource,
} from '../../src/core/cloudformation/reason';
import type { FailedResourceEvent } from '../../src/core/cloudformation/stacks';
import type { CloudTrailRecord } from '../../src/core/record';
import { assumedRole, makeRecord } from '../fake-cloudtrail/fixtures';

const T = Date.parse('2026-11-21T10:00:00Z');
const failure: FailedResourceEvent = {
  logicalResourceId: 'OrdersQueue',
  resourceType: 'AWS::SQS::Queue',
  status: 'CREATE_FAILED',
  statusReason: 'Internal Failure',
  timestamp: new Date(T),
};
const byCfn = (over: Partial<CloudTrailRecord> & { at: number }): CloudTrailRecord =>
  makeRecord({
    readOnly: false,
    userIdentity: { ...assumedRole('cfn-exec-role', 'AWSCloudFormation'), invokedBy: 'cloudformation.amazonaws.com' },
    sourceIPAddress: 'cloudformation.amazonaws.com',
    errorCode: 'InvalidParameterValue',
    ...over,
  });

describe('status reasons', () => {
  test('a handler message: the labelled request ID and its service; the RequestToken is not one', () => {
    const facts = readStatusReason(
      'Resource handler returned message: "Invalid Key provided by the user. %s (Service: Backup, Status Code: 400, Request ID: abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e)" (RequestToken: a1234bc5-1a23-1234-1234-123456789a01, HandlerErrorCode: InvalidRequest)',
    );
    assert.deepEqual(facts, { requestId: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e', eventSource: 'backup.amazonaws.com' });
  });
  test('no request ID: Internal Failure, a bare token, a Java v1 message with one', () => {
    assert.deepEqual(readStatusReason('Internal Failure'), {});
    assert.deepEqual(
      readStatusReason(
        'Resource handler returned message: "Internal Failure" (RequestToken: 34b5fa90-3e67-4364-84bb-6e9eef78e29d, HandlerErrorCode: InternalFailure)',
      ),
      {},
    );
    assert.equal(
      readStatusReason(
        'Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: MBHBER1HYTDVJ3RS; Proxy: null)',
      ).requestId,
      'MBHBER1HYTDVJ3RS',
    );
  });
  test("a cfn-response custom resource: the log stream, and its Lambda RequestId is not CloudTrail's", () => {
    const facts = readStatusReason(
      'Received response status [FAILED] from custom resource. Message returned: See the details in CloudWatch Log Stream: 2026/11/21/[$LATEST]0123456789abcdef0123456789abcdef (RequestId: 1f5a9c2e-8b1d-4c3a-9e6f-2b7d4a1c8e90)',
    );
    assert.deepEqual(facts, { logStream: '2026/11/21/[$LATEST]0123456789abcdef0123456789abcdef' });
  });
  test('resource types → their event source; cancellations are consequences', () => {
    assert.equal(resourceTypeEventSource('AWS::Backup::BackupVault'), 'backup.amazonaws.com');
    assert.equal(resourceTypeEventSource('AWS::SQS::Queue'), 'sqs.amazonaws.com');
    assert.equal(resourceTypeEventSource('Custom::SeedData'), undefined);
    assert.ok(isCancellation('Resource creation cancelled'));
    assert.ok(!isCancellation('Resource creation Initiated'));
  });
});

describe('stacks', () => {
  test('failed statuses: *_FAILED and every rollback, not the in-progress or complete ones', () => {
    for (const s of [
      'CREATE_FAILED',
      'ROLLBACK_COMPLETE',
      'UPDATE_ROLLBACK_COMPLETE',
      'UPDATE_ROLLBACK_FAILED',
      'IMPORT_ROLLBACK_COMPLETE',
      'DELETE_FAILED',
    ])
      assert.ok(isFailedStackStatus(s), s);
    for (const s of ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'REVIEW_IN_PROGRESS', undefined])
      assert.ok(!isFailedStackStatus(s), String(s));
  });
  test('order: failed first, then the most recently changed, then by name', () => {
    const s = (stackName: string, failed: boolean, t: number) => ({ stackName, failed, lastUpdated: new Date(t) });
    const sorted = [s('b', false, 3), s('a', false, 3), s('old-fail', true, 1), s('new-ok', false, 9), s('new-fail', true, 5)].sort(
      compareStacks,
    );
    assert.deepEqual(
      sorted.map((x) => x.stackName),
      ['new-fail', 'old-fail', 'new-ok', 'a', 'b'],
    );
  });
});

describe('correlation', () => {
  test('only failed calls by CloudFormation or the stack role count', () => {
    const role = 'arn:aws:iam::123456789012:role/deploy';
    assert.ok(madeByStack(byCfn({ at: T }), undefined));
    assert.ok(!madeByStack(byCfn({ at: T, errorCode: undefined }), undefined));
    const asRole = makeRecord({ at: T, errorCode: 'X', userIdentity: assumedRole('deploy', 's') });
    assert.equal(asRole.userIdentity?.sessionContext?.sessionIssuer?.arn, role);
    assert.ok(madeByStack(asRole, role));
    assert.ok(!madeByStack(asRole, undefined));
  });
  test('identity outranks time: the logical ID in the request beats a nearer call of the same service', () => {
    const right = byCfn({
      at: T - 90_000,
      eventSource: 'sqs.amazonaws.com',
      eventName: 'CreateQueue',
      requestParameters: { queueName: 'stg-OrdersQueue-ABC' },
    });
    const near = byCfn({
      at: T - 2000,
      eventSource: 'sqs.amazonaws.com',
      eventName: 'SetQueueAttributes',
      requestParameters: { queueUrl: 'https://sqs/…/dlq' },
    });
    const other = byCfn({ at: T - 1000, eventSource: 'ssm.amazonaws.com', eventName: 'PutParameter', requestParameters: { name: '/x' } });
    const ranked = rankCandidates(failure, [near, other, right]);
    assert.deepEqual(
      ranked.map((c) => c.record.eventName),
      ['CreateQueue', 'SetQueueAttributes'],
      'a call of another service with no identity is no candidate',
    );
    assert.deepEqual(ranked[0].why.slice(0, 2), ['logical ID in the request', 'service sqs.amazonaws.com']);
  });
  test('the physical ID counts most; calls after the stack event are penalised double', () => {
    const withId = { ...failure, physicalResourceId: 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/q1' };
    const physical = scoreCandidate(
      withId,
      byCfn({ at: T - 60_000, eventSource: 'sqs.amazonaws.com', requestParameters: { queueUrl: withId.physicalResourceId } }),
    );
    const logical = scoreCandidate(
      withId,
      byCfn({ at: T - 1000, eventSource: 'sqs.amazonaws.com', requestParameters: { queueName: 'OrdersQueue' } }),
    );
    assert.ok(physical && logical && physical.score > logical.score);
    const before = scoreCandidate(failure, byCfn({ at: T - 20_000, eventSource: 'sqs.amazonaws.com' }));
    const after = scoreCandidate(failure, byCfn({ at: T + 20_000, eventSource: 'sqs.amazonaws.com' }));
    assert.equal(before?.score, 28);
    assert.equal(after?.score, 26);
  });
});
