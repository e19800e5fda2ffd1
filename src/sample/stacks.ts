/**
 * The sample account's CloudFormation stacks, served by the endpoint's CloudFormation (Query
 * protocol) and consistent with its CloudTrail records:
 * - `orders-backup-prd` (ROLLBACK_COMPLETE): the failed deployment. `BackupVault` fails with the status reason that
 *   carries the request ID of the failed CreateBackupVault (story.ts), its stack event 1.8 s after
 *   the CloudTrail event.
 * - `orders-events-stg` (ROLLBACK_COMPLETE), 40 minutes after the story: `OrdersQueue` fails with
 *   `Internal Failure` and no request ID; its CloudTrail event is CloudFormation's failed
 *   sqs:CreateQueue (maxReceiveCount 0), next to an unrelated failed call CloudFormation retried, so
 *   finding it takes correlation.
 * - `orders-seed-dev` (UPDATE_ROLLBACK_COMPLETE), 25 minutes after the story: a custom resource whose
 *   reason names its CloudWatch log stream; its failing call was made by its Lambda function, so no
 *   CloudFormation call explains it.
 * - healthy stacks: orders-network, orders-api-prd, orders-monitoring, CDKToolkit.
 */
import type { CloudTrailRecord } from '../core/record';
import type { FakeOperation, FakeStack, FakeStackEvent, FakeStackResource } from './endpoint/cloudformation';
import { buildRecord, roleCaller, serviceCaller, UA } from './build';
import type { Env } from './build';
import { assumeRoleCall, stackArn } from './catalogOps';
import type { SampleStory } from './story';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const STACK = 'AWS::CloudFormation::Stack';

/** One stack's history as it is written: events in time order, resources as they end up. */
class StackBuilder {
  readonly events: FakeStackEvent[] = [];
  readonly resources = new Map<string, FakeStackResource>();
  readonly operations: FakeOperation[] = [];
  readonly stackId: string;

  constructor(
    private readonly env: Env,
    readonly stackName: string,
  ) {
    this.stackId = stackArn(env, stackName);
  }

  operation(type: string, status: string): string {
    const id = this.env.rng.uuid();
    this.operations.unshift({ operationId: id, operationType: type, status });
    return id;
  }

  event(operationId: string, t: number, logical: string, type: string, status: string, reason?: string, physical?: string): void {
    this.events.push({
      eventId: type === STACK ? this.env.rng.uuid() : `${logical}-${status}-${new Date(t).toISOString()}`,
      timestamp: new Date(t),
      operationId,
      logicalResourceId: logical,
      physicalResourceId: physical ?? (type === STACK ? this.stackId : undefined),
      resourceType: type,
      status,
      reason,
    });
    if (type !== STACK) {
      if (status === 'DELETE_COMPLETE') this.resources.delete(logical);
      else
        this.resources.set(logical, {
          logicalResourceId: logical,
          physicalResourceId: physical,
          resourceType: type,
          status,
          reason,
          timestamp: new Date(t),
        });
    }
  }

  /** A resource created in three events: IN_PROGRESS, "Resource creation Initiated" with its ID, COMPLETE. */
  created(op: string, start: number, end: number, logical: string, type: string, physical: string): void {
    this.event(op, start, logical, type, 'CREATE_IN_PROGRESS');
    this.event(op, start + 700, logical, type, 'CREATE_IN_PROGRESS', 'Resource creation Initiated', physical);
    this.event(op, end, logical, type, 'CREATE_COMPLETE', undefined, physical);
  }

  deleted(op: string, start: number, end: number, logical: string, type: string, physical?: string): void {
    this.event(op, start, logical, type, 'DELETE_IN_PROGRESS', undefined, physical);
    this.event(op, end, logical, type, 'DELETE_COMPLETE', undefined, physical);
  }

  build(status: string, created: number, extra: Partial<FakeStack> = {}): FakeStack {
    const updated = this.operations.length > 1 ? Math.max(...this.events.map((e) => e.timestamp.getTime())) : undefined;
    return {
      stackName: this.stackName,
      stackId: this.stackId,
      status,
      creationTime: new Date(created),
      ...(updated ? { lastUpdatedTime: new Date(updated) } : {}),
      operations: this.operations,
      events: this.events,
      resources: [...this.resources.values()],
      ...extra,
    };
  }
}

/** The failed deployment's stack, on the story's timeline (story.ts: CreateStack at t0, CreateBackupVault fails at failAt). */
function backupStack(env: Env, story: SampleStory, failAt: number): FakeStack {
  const b = new StackBuilder(env, story.stackName);
  const t0 = story.createdAt;
  const s = (sec: number) => t0 + sec * SECOND;
  const op = b.operation('CREATE_STACK', 'FAILED');
  b.event(op, t0 + 800, story.stackName, STACK, 'CREATE_IN_PROGRESS', 'User Initiated');
  b.created(op, s(2), s(19), 'BackupRole', 'AWS::IAM::Role', story.backupRoleName);
  b.created(op, s(4), s(21), 'BackupKey', 'AWS::KMS::Key', story.keyId);
  b.created(op, s(21) + 400, s(23), 'BackupKeyAlias', 'AWS::KMS::Alias', story.aliasName);
  b.event(op, failAt - 1200, 'BackupVault', 'AWS::Backup::BackupVault', 'CREATE_IN_PROGRESS');
  b.event(op, failAt + 1843, 'BackupVault', 'AWS::Backup::BackupVault', 'CREATE_FAILED', story.statusReason);
  b.event(
    op,
    failAt + 2600,
    story.stackName,
    STACK,
    'ROLLBACK_IN_PROGRESS',
    'The following resource(s) failed to create: [BackupVault]. Rollback requested by user.',
  );
  b.deleted(op, failAt + 3200, failAt + 3900, 'BackupVault', 'AWS::Backup::BackupVault');
  b.deleted(op, failAt + 5500, failAt + 6800, 'BackupKeyAlias', 'AWS::KMS::Alias', story.aliasName);
  b.deleted(op, failAt + 7400, failAt + 9100, 'BackupKey', 'AWS::KMS::Key', story.keyId);
  b.deleted(op, failAt + 9600, failAt + 13_400, 'BackupRole', 'AWS::IAM::Role', story.backupRoleName);
  b.event(op, failAt + 14_100, story.stackName, STACK, 'ROLLBACK_COMPLETE');
  return b.build('ROLLBACK_COMPLETE', t0 + 800, { roleArn: env.inv.roles.cfn.arn, description: 'Backup vault for orders-prd' });
}

/** CloudFormation's session as the stack's service role (invokedBy cloudformation.amazonaws.com), with its AssumeRole. */
function cfnCaller(env: Env, t: number, out: CloudTrailRecord[]) {
  const accessKeyId = `ASIA${env.rng.upper(16)}`;
  out.push(
    buildRecord(
      env,
      serviceCaller('cloudformation.amazonaws.com'),
      t,
      assumeRoleCall(env, env.inv.roles.cfn, 'AWSCloudFormation', t, accessKeyId),
    ),
  );
  return roleCaller(env, env.inv.roles.cfn, 'AWSCloudFormation', { creationMs: t, invokedBy: 'cloudformation.amazonaws.com', accessKeyId });
}

function deployer(env: Env, t: number) {
  return roleCaller(env, env.inv.roles.ssoAdmin, 'yuki.tanaka@example.com', { ip: '203.0.113.24', ua: '', creationMs: t - 20 * MINUTE });
}

/** A queue whose RedrivePolicy has maxReceiveCount 0: SQS refuses it, the handler reports only Internal Failure. */
function eventsStack(env: Env, at: number, out: CloudTrailRecord[]): FakeStack {
  const { rng, region, accountId } = env;
  const name = 'orders-events-stg';
  const b = new StackBuilder(env, name);
  const user = deployer(env, at);
  const sqsUrl = (q: string) => `https://sqs.${region}.amazonaws.com/${accountId}/${q}`;
  const dlqName = `${name}-OrdersDlq-${rng.upper(12)}`;
  const queueName = `${name}-OrdersQueue-${rng.upper(12)}`;
  const dlqArn = `arn:aws:sqs:${region}:${accountId}:${dlqName}`;
  out.push(
    buildRecord(env, user, at, {
      source: 'cloudformation',
      name: 'CreateStack',
      readOnly: false,
      req: {
        stackName: name,
        templateBody: '{"Resources":{"OrdersDlq":…}}',
        roleARN: env.inv.roles.cfn.arn,
        tags: [{ key: 'Project', value: 'orders' }],
      },
      res: { stackId: b.stackId },
      ua: UA.cli('cloudformation', 'CreateStack'),
    }),
  );
  const cfn = cfnCaller(env, at + 1100, out);
  const s = (sec: number) => at + sec * SECOND;
  const op = b.operation('CREATE_STACK', 'FAILED');
  b.event(op, at + 900, name, STACK, 'CREATE_IN_PROGRESS', 'User Initiated');
  out.push(
    buildRecord(env, cfn, s(4), {
      source: 'sqs',
      name: 'CreateQueue',
      readOnly: false,
      req: { queueName: dlqName, attributes: { MessageRetentionPeriod: '1209600' } },
      res: { queueUrl: sqsUrl(dlqName) },
    }),
  );
  // Not the failure: SQS had not yet propagated the new queue; CloudFormation retried and succeeded.
  out.push(
    buildRecord(env, cfn, s(6), {
      source: 'sqs',
      name: 'SetQueueAttributes',
      readOnly: false,
      req: { queueUrl: sqsUrl(dlqName), attributes: { SqsManagedSseEnabled: 'true' } },
      errorCode: 'AWS.SimpleQueueService.NonExistentQueue',
      errorMessage: 'The specified queue does not exist.',
    }),
    buildRecord(env, cfn, s(9), {
      source: 'sqs',
      name: 'SetQueueAttributes',
      readOnly: false,
      req: { queueUrl: sqsUrl(dlqName), attributes: { SqsManagedSseEnabled: 'true' } },
    }),
  );
  b.created(op, s(3), s(12), 'OrdersDlq', 'AWS::SQS::Queue', sqsUrl(dlqName));
  b.event(op, s(13), 'OrdersQueue', 'AWS::SQS::Queue', 'CREATE_IN_PROGRESS');
  const redrive = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '0' });
  out.push(
    buildRecord(env, cfn, s(14), {
      source: 'sqs',
      name: 'CreateQueue',
      readOnly: false,
      req: { queueName, attributes: { RedrivePolicy: redrive, VisibilityTimeout: '60' } },
      errorCode: 'InvalidParameterValue',
      errorMessage: `Value ${redrive} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.`,
    }),
  );
  const reason = `Resource handler returned message: "Internal Failure" (RequestToken: ${rng.uuid()}, HandlerErrorCode: InternalFailure)`;
  b.event(op, s(15) + 300, 'OrdersQueue', 'AWS::SQS::Queue', 'CREATE_FAILED', reason);
  b.event(
    op,
    s(16),
    name,
    STACK,
    'ROLLBACK_IN_PROGRESS',
    'The following resource(s) failed to create: [OrdersQueue]. Rollback requested by user.',
  );
  b.deleted(op, s(17), s(17) + 500, 'OrdersQueue', 'AWS::SQS::Queue');
  out.push(buildRecord(env, cfn, s(18), { source: 'sqs', name: 'DeleteQueue', readOnly: false, req: { queueUrl: sqsUrl(dlqName) } }));
  b.deleted(op, s(18) - 400, s(79), 'OrdersDlq', 'AWS::SQS::Queue', sqsUrl(dlqName));
  b.event(op, s(80), name, STACK, 'ROLLBACK_COMPLETE');
  return b.build('ROLLBACK_COMPLETE', at + 900, {
    roleArn: env.inv.roles.cfn.arn,
    description: 'Order events queue and its dead-letter queue',
  });
}

/** An update whose custom resource's Lambda answered FAILED: the cause is in its log stream, not in CloudFormation's calls. */
function seedStack(env: Env, at: number, out: CloudTrailRecord[]): FakeStack {
  const { rng } = env;
  const name = 'orders-seed-dev';
  const b = new StackBuilder(env, name);
  const created = at - 9 * DAY;
  const first = b.operation('CREATE_STACK', 'SUCCEEDED');
  b.event(first, created, name, STACK, 'CREATE_IN_PROGRESS', 'User Initiated');
  b.created(first, created + 2000, created + 31_000, 'SeedData', 'Custom::SeedData', `${name}-SeedData-${rng.upper(12)}`);
  b.event(first, created + 32_000, name, STACK, 'CREATE_COMPLETE');
  out.push(
    buildRecord(env, deployer(env, at), at, {
      source: 'cloudformation',
      name: 'UpdateStack',
      readOnly: false,
      req: {
        stackName: name,
        usePreviousTemplate: false,
        templateURL: `https://s3.${env.region}.amazonaws.com/${env.inv.buckets[2]}/${name}/${rng.hex(32)}.template`,
      },
      res: { stackId: b.stackId },
      ua: UA.cli('cloudformation', 'UpdateStack'),
    }),
  );
  const op = b.operation('UPDATE_STACK', 'FAILED');
  const physical = b.resources.get('SeedData')?.physicalResourceId;
  const stream = `${new Date(at).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${rng.hex(32)}`;
  b.event(op, at + 700, name, STACK, 'UPDATE_IN_PROGRESS', 'User Initiated');
  b.event(op, at + 2100, 'SeedData', 'Custom::SeedData', 'UPDATE_IN_PROGRESS', undefined, physical);
  b.event(
    op,
    at + 9400,
    'SeedData',
    'Custom::SeedData',
    'UPDATE_FAILED',
    `Received response status [FAILED] from custom resource. Message returned: See the details in CloudWatch Log Stream: ${stream} (RequestId: ${rng.uuid()})`,
    physical,
  );
  b.event(op, at + 10_200, name, STACK, 'UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [SeedData].');
  b.event(op, at + 11_000, 'SeedData', 'Custom::SeedData', 'UPDATE_IN_PROGRESS', undefined, physical);
  b.event(op, at + 14_500, 'SeedData', 'Custom::SeedData', 'UPDATE_COMPLETE', undefined, physical);
  b.event(op, at + 15_300, name, STACK, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  b.event(op, at + 16_000, name, STACK, 'UPDATE_ROLLBACK_COMPLETE');
  return b.build('UPDATE_ROLLBACK_COMPLETE', created, { roleArn: env.inv.roles.cfn.arn, description: 'Seeds the dev tables' });
}

/** A stack that deployed fine: created (and, with updatedAt, updated) with its resources complete. */
function healthyStack(env: Env, name: string, createdAt: number, resources: [string, string][], updatedAt?: number): FakeStack {
  const b = new StackBuilder(env, name);
  const op = b.operation('CREATE_STACK', 'SUCCEEDED');
  b.event(op, createdAt, name, STACK, 'CREATE_IN_PROGRESS', 'User Initiated');
  resources.forEach(([logical, type], i) =>
    b.created(op, createdAt + 2000 + i * 900, createdAt + 20_000 + i * 1300, logical, type, `${name}-${logical}-${env.rng.upper(12)}`),
  );
  b.event(op, createdAt + 40_000, name, STACK, 'CREATE_COMPLETE');
  if (updatedAt) {
    const up = b.operation('UPDATE_STACK', 'SUCCEEDED');
    b.event(up, updatedAt + 9000, name, STACK, 'UPDATE_IN_PROGRESS', 'User Initiated');
    b.event(up, updatedAt + 60_000, name, STACK, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    b.event(up, updatedAt + 62_000, name, STACK, 'UPDATE_COMPLETE');
  }
  return b.build(updatedAt ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE', createdAt, { roleArn: env.inv.roles.cfn.arn });
}

export function sampleStacks(env: Env, story: SampleStory, failAt: number): { stacks: FakeStack[]; records: CloudTrailRecord[] } {
  const records: CloudTrailRecord[] = [];
  const stacks = [
    backupStack(env, story, failAt),
    eventsStack(env, failAt + 40 * MINUTE, records),
    seedStack(env, failAt + 25 * MINUTE, records),
    healthyStack(env, 'orders-network', failAt - 120 * DAY, [
      ['Vpc', 'AWS::EC2::VPC'],
      ['PrivateSubnetA', 'AWS::EC2::Subnet'],
      ['PrivateSubnetC', 'AWS::EC2::Subnet'],
    ]),
    healthyStack(env, 'orders-api-prd', failAt - 60 * DAY, [['ApiFunction', 'AWS::Lambda::Function']], failAt - 6 * 3600_000),
    healthyStack(env, 'orders-monitoring', failAt - 45 * DAY, [['ApiErrorsAlarm', 'AWS::CloudWatch::Alarm']], failAt - 4 * 3600_000),
    healthyStack(env, 'CDKToolkit', failAt - 200 * DAY, [['StagingBucket', 'AWS::S3::Bucket']]),
  ];
  return { stacks, records };
}
