/** IAM, STS, KMS, Secrets Manager, SSM, CloudFormation, Logs, CloudWatch, Config and EventBridge operations. */
import { awsDate } from './build';
import type { Env, Json } from './build';
import type { Catalog, OpCtx } from './catalogTypes';
import { tags } from './catalogTypes';
import type { KmsKey, Role } from './inventory';
import { stableUuid } from './random';

function anyRole(c: OpCtx): Role {
  const { roles, lambdaRoles } = c.env.inv;
  return c.env.rng.pick([
    roles.github,
    roles.cfn,
    roles.ecsTask,
    roles.ecsExec,
    roles.backup,
    roles.datadog,
    ...Object.values(lambdaRoles),
  ]);
}

function key(c: OpCtx): KmsKey {
  return c.env.rng.pick(c.env.inv.keys);
}

function keyResources(env: Env, k: { arn: string }) {
  return [{ accountId: env.accountId, type: 'AWS::KMS::Key', ARN: k.arn }];
}

export function secretArn(env: Env, name: string): string {
  return `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${name}-${stableUuid(name).slice(0, 6)}`;
}

export function stackArn(env: Env, name: string): string {
  return `arn:aws:cloudformation:${env.region}:${env.accountId}:stack/${name}/${stableUuid(`${env.accountId}/${name}`)}`;
}

function stack(c: OpCtx): string {
  return c.env.rng.pick(c.env.inv.stacks);
}

/** kms:Decrypt as a service makes it for its caller; the encryption context names what was decrypted. */
export function kmsDecryptContext(env: Env, via: string): Json {
  const { rng, inv, region, accountId } = env;
  switch (via) {
    case 'secretsmanager.amazonaws.com': {
      const name = rng.pick(inv.secrets);
      return { SecretARN: secretArn(env, name), SecretVersionId: stableUuid(`v/${name}`) };
    }
    case 'ssm.amazonaws.com':
      return { PARAMETER_ARN: `arn:aws:ssm:${region}:${accountId}:parameter${rng.pick(inv.parameters)}` };
    case 's3.amazonaws.com':
      return { 'aws:s3:arn': `arn:aws:s3:::${inv.buckets[4]}/raw/dt=${rng.int(1, 28)}/part-${rng.hex(8)}.parquet` };
    default:
      return { 'aws:lambda:FunctionArn': `arn:aws:lambda:${region}:${accountId}:function:${rng.pick(inv.functions)}` };
  }
}

/** sts:AssumeRole; the new session's access key appears in the records of everything it then does. */
export function assumeRoleCall(env: Env, role: Role, session: string, t: number, accessKeyId: string) {
  return {
    source: 'sts',
    name: 'AssumeRole',
    readOnly: true,
    req: { roleArn: role.arn, roleSessionName: session, durationSeconds: 3600 },
    res: {
      credentials: { accessKeyId, expiration: awsDate(t + 3600_000) },
      assumedRoleUser: {
        assumedRoleId: `${role.id}:${session}`,
        arn: `arn:aws:sts::${env.accountId}:assumed-role/${role.name}/${session}`,
      },
    },
    resources: [{ accountId: env.accountId, type: 'AWS::IAM::Role', ARN: role.arn }],
  };
}

const policyDoc = (statement: Json) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

export const OPS: Catalog = {
  'iam:GetRole': { ro: true, make: (c) => ({ req: { roleName: anyRole(c).name } }) },
  'iam:ListRoles': { ro: true },
  'iam:ListUsers': { ro: true },
  'iam:GetUser': { ro: true, make: (c) => ({ req: { userName: c.env.rng.pick(Object.values(c.env.inv.users)).name } }) },
  'iam:ListAttachedRolePolicies': { ro: true, make: (c) => ({ req: { roleName: anyRole(c).name } }) },
  'iam:ListRolePolicies': { ro: true, make: (c) => ({ req: { roleName: anyRole(c).name } }) },
  'iam:ListInstanceProfilesForRole': { ro: true, make: (c) => ({ req: { roleName: anyRole(c).name } }) },
  'iam:GetPolicy': { ro: true, make: (c) => ({ req: { policyArn: `arn:aws:iam::${c.env.accountId}:policy/orders-deploy-policy` } }) },
  'iam:GetPolicyVersion': {
    ro: true,
    make: (c) => ({ req: { policyArn: `arn:aws:iam::${c.env.accountId}:policy/orders-deploy-policy`, versionId: 'v3' } }),
  },
  'iam:ListPolicies': { ro: true, make: () => ({ req: { scope: 'Local', onlyAttached: false } }) },
  'iam:GetAccountSummary': { ro: true },
  'iam:ListAccessKeys': { ro: true, make: (c) => ({ req: { userName: c.env.rng.pick(Object.values(c.env.inv.users)).name } }) },
  'iam:ListMFADevices': { ro: true, make: (c) => ({ req: { userName: c.env.inv.users.hiro.name } }) },
  'iam:GetAccountPasswordPolicy': {
    ro: true,
    miss: [1, 'NoSuchEntityException', (c) => `The Password Policy with domain name ${c.env.accountId} cannot be found.`],
  },
  'iam:AttachRolePolicy': {
    ro: false,
    make: (c) => ({ req: { roleName: anyRole(c).name, policyArn: 'arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy' } }),
  },
  'iam:PutRolePolicy': {
    ro: false,
    make: (c) => ({
      req: {
        roleName: anyRole(c).name,
        policyName: 'allow-orders-queue',
        policyDocument: policyDoc({
          Effect: 'Allow',
          Action: ['sqs:SendMessage'],
          Resource: `arn:aws:sqs:${c.env.region}:${c.env.accountId}:orders-events`,
        }),
      },
    }),
  },
  'iam:TagRole': { ro: false, make: (c) => ({ req: { roleName: anyRole(c).name, tags: tags({ Owner: 'orders-team' }) } }) },

  'sts:GetCallerIdentity': { ro: true },

  'kms:Decrypt': {
    ro: true,
    make: (c) => {
      const k = key(c);
      return {
        req: { encryptionContext: kmsDecryptContext(c.env, c.caller.invokedBy ?? ''), encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
        resources: keyResources(c.env, k),
      };
    },
  },
  'kms:GenerateDataKey': {
    ro: true,
    make: (c) => {
      const k = key(c);
      return {
        req: { keyId: k.arn, encryptionContext: kmsDecryptContext(c.env, c.caller.invokedBy ?? ''), keySpec: 'AES_256' },
        resources: keyResources(c.env, k),
      };
    },
  },
  'kms:DescribeKey': {
    ro: true,
    make: (c) => {
      const k = key(c);
      return { req: { keyId: c.env.rng.chance(0.5) ? k.alias : k.id }, resources: keyResources(c.env, k) };
    },
  },
  'kms:GetKeyRotationStatus': {
    ro: true,
    make: (c) => {
      const k = key(c);
      return { req: { keyId: k.id }, resources: keyResources(c.env, k) };
    },
  },
  'kms:GetKeyPolicy': {
    ro: true,
    make: (c) => {
      const k = key(c);
      return { req: { keyId: k.id, policyName: 'default' }, resources: keyResources(c.env, k) };
    },
  },
  'kms:ListResourceTags': {
    ro: true,
    make: (c) => {
      const k = key(c);
      return { req: { keyId: k.id }, resources: keyResources(c.env, k) };
    },
  },
  'kms:ListAliases': { ro: true },
  'kms:ListKeys': { ro: true },

  'secretsmanager:GetSecretValue': {
    ro: true,
    make: (c) => ({ req: { secretId: secretArn(c.env, c.env.rng.pick(c.env.inv.secrets)) } }),
  },
  'secretsmanager:DescribeSecret': { ro: true, make: (c) => ({ req: { secretId: c.env.rng.pick(c.env.inv.secrets) } }) },
  'secretsmanager:ListSecrets': { ro: true },
  'secretsmanager:GetResourcePolicy': { ro: true, make: (c) => ({ req: { secretId: c.env.rng.pick(c.env.inv.secrets) } }) },

  'ssm:GetParameter': {
    ro: true,
    make: (c) => ({ req: { name: c.env.rng.pick(c.env.inv.parameters), withDecryption: true } }),
    miss: [0.01, 'ParameterNotFound', ''],
  },
  'ssm:GetParameters': { ro: true, make: (c) => ({ req: { names: c.env.inv.parameters.slice(0, 3), withDecryption: true } }) },
  'ssm:GetParametersByPath': { ro: true, make: () => ({ req: { path: '/orders/prd', recursive: true, withDecryption: true } }) },
  'ssm:DescribeParameters': { ro: true, make: () => ({ req: { maxResults: 50 } }) },
  'ssm:DescribeInstanceInformation': { ro: true, make: () => ({ req: { maxResults: 50 } }) },
  'ssm:ListCommandInvocations': { ro: true, make: () => ({ req: { details: false, maxResults: 50 } }) },
  'ssm:PutParameter': {
    ro: false,
    make: (c) => ({
      req: { name: '/orders/prd/feature-flags', type: 'String', value: 'HIDDEN_DUE_TO_SECURITY_REASONS', overwrite: true },
      res: { version: c.env.rng.int(12, 40), tier: 'Standard' },
    }),
  },
  'ssm:UpdateInstanceInformation': {
    ro: false,
    make: (c) => ({
      req: {
        instanceId: c.caller.arn.split('/').pop(),
        agentVersion: '3.3.551.0',
        agentStatus: 'Active',
        platformType: 'Linux',
        platformName: 'Amazon Linux',
        platformVersion: '2023',
        iPAddress: c.caller.ip,
        computerName: `ip-${c.caller.ip.replace(/\./g, '-')}.${c.env.region}.compute.internal`,
        agentName: 'amazon-ssm-agent',
        availabilityZone: `${c.env.region}a`,
      },
    }),
  },
  'ssm:StartSession': {
    ro: false,
    make: (c) => {
      const sessionId = `${(c.caller.arn.split('/').pop() ?? 'user').split('@')[0]}-${c.env.rng.hex(17)}`;
      return {
        req: { target: c.env.rng.pick(c.env.inv.instances) },
        res: {
          sessionId,
          tokenValue: 'Value hidden due to security reasons.',
          streamUrl: `wss://ssmmessages.${c.env.region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=AAEAA`,
        },
      };
    },
  },

  'cloudformation:DescribeStacks': { ro: true, make: (c) => ({ req: c.env.rng.chance(0.6) ? { stackName: stack(c) } : null }) },
  'cloudformation:DescribeStackEvents': { ro: true, make: (c) => ({ req: { stackName: stack(c) } }) },
  'cloudformation:DescribeStackResources': { ro: true, make: (c) => ({ req: { stackName: stack(c) } }) },
  'cloudformation:ListStackResources': { ro: true, make: (c) => ({ req: { stackName: stack(c) } }) },
  'cloudformation:GetTemplate': { ro: true, make: (c) => ({ req: { stackName: stack(c), templateStage: 'Original' } }) },
  'cloudformation:ListStacks': {
    ro: true,
    make: () => ({ req: { stackStatusFilter: ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'ROLLBACK_COMPLETE'] } }),
  },

  'logs:DescribeLogGroups': { ro: true, make: (c) => ({ req: c.env.rng.chance(0.5) ? { logGroupNamePrefix: '/aws/lambda/' } : null }) },
  'logs:DescribeLogStreams': {
    ro: true,
    make: (c) => ({ req: { logGroupName: c.env.rng.pick(c.env.inv.logGroups), orderBy: 'LastEventTime', descending: true, limit: 50 } }),
  },
  'logs:StartQuery': {
    ro: true,
    make: (c) => ({
      req: {
        logGroupNames: [c.env.rng.pick(c.env.inv.logGroups)],
        startTime: Math.floor(c.t / 1000) - 3600,
        endTime: Math.floor(c.t / 1000),
        queryString: 'fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 100',
      },
      res: null,
    }),
  },
  'logs:DescribeQueries': { ro: true, make: () => ({ req: { status: 'Complete' } }) },
  'logs:CreateLogStream': {
    ro: false,
    make: (c) => {
      // Lambda and ECS create streams for their own log group: the session name says whose
      const session = c.caller.arn.split('/').pop() ?? '';
      const group = c.env.inv.functions.includes(session) ? `/aws/lambda/${session}` : c.env.rng.pick(c.env.inv.logGroups.slice(-2));
      const day = new Date(c.t).toISOString().slice(0, 10).replace(/-/g, '/');
      const stream = group.startsWith('/aws/lambda/') ? `${day}/[$LATEST]${c.env.rng.hex(32)}` : `ecs/app/${c.env.rng.hex(32)}`;
      return { req: { logGroupName: group, logStreamName: stream } };
    },
  },
  'logs:PutRetentionPolicy': {
    ro: false,
    make: (c) => ({ req: { logGroupName: c.env.rng.pick(c.env.inv.logGroups), retentionInDays: 30 } }),
  },

  'monitoring:DescribeAlarms': {
    ro: true,
    make: (c) => ({ req: c.env.rng.chance(0.5) ? { alarmNames: [c.env.rng.pick(c.env.inv.alarms)] } : { stateValue: 'ALARM' } }),
  },
  'monitoring:DescribeAlarmHistory': {
    ro: true,
    make: (c) => ({ req: { alarmName: c.env.rng.pick(c.env.inv.alarms), historyItemType: 'StateUpdate' } }),
  },
  'monitoring:ListDashboards': { ro: true },
  'monitoring:GetDashboard': { ro: true, make: () => ({ req: { dashboardName: 'orders-prd-overview' } }) },
  'monitoring:PutMetricAlarm': {
    ro: false,
    make: (c) => ({
      req: {
        alarmName: c.env.rng.pick(c.env.inv.alarms),
        metricName: 'Errors',
        namespace: 'AWS/Lambda',
        statistic: 'Sum',
        dimensions: [{ name: 'FunctionName', value: c.env.rng.pick(c.env.inv.functions) }],
        period: 60,
        evaluationPeriods: 5,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [`arn:aws:sns:${c.env.region}:${c.env.accountId}:orders-alerts`],
      },
    }),
  },

  'config:DescribeConfigurationRecorders': { ro: true },
  'config:DescribeConfigurationRecorderStatus': { ro: true },
  'config:DescribeDeliveryChannels': { ro: true },
  'config:DescribeConfigRules': { ro: true },
  'config:DescribeComplianceByConfigRule': { ro: true, make: () => ({ req: { complianceTypes: ['NON_COMPLIANT'] } }) },
  'config:GetComplianceDetailsByConfigRule': {
    ro: true,
    make: () => ({ req: { configRuleName: 's3-bucket-server-side-encryption-enabled', complianceTypes: ['NON_COMPLIANT'], limit: 100 } }),
  },

  'events:ListRules': { ro: true, make: () => ({ req: { limit: 100 } }) },
  'events:DescribeRule': { ro: true, make: (c) => ({ req: { name: c.env.rng.pick(c.env.inv.rules) } }) },
  'events:ListTargetsByRule': { ro: true, make: (c) => ({ req: { rule: c.env.rng.pick(c.env.inv.rules) } }) },
  'events:PutRule': {
    ro: false,
    make: (c) => ({
      req: {
        name: 'nightly-report-schedule',
        scheduleExpression: 'cron(0 18 * * ? *)',
        state: 'ENABLED',
        description: 'Nightly report at 03:00 JST',
      },
      res: { ruleArn: `arn:aws:events:${c.env.region}:${c.env.accountId}:rule/nightly-report-schedule` },
    }),
  },
};
