/**
 * Everyday traffic: callers (people, CI, workloads, a monitoring integration, AWS services) each
 * make bursts of calls with their own daily rhythm, tools, addresses and error habits.
 */
import type { CloudTrailRecord } from '../core/record';
import { buildRecord, denied, roleCaller, serviceCaller, throttled, UA, userCaller } from './build';
import type { Call, Caller, Env } from './build';
import { COMPUTE } from './catalogCompute';
import { DATA } from './catalogData';
import { assumeRoleCall, OPS } from './catalogOps';
import type { Catalog } from './catalogTypes';
import type { Rng } from './random';

export const CATALOG: Catalog = { ...COMPUTE, ...DATA, ...OPS };

export interface CallOptions {
  ua?: string;
  denyRate?: number;
  /** Only writes are denied (a read-only permission set), or any call (a too-narrow policy). */
  denyWritesOnly?: boolean;
  throttleRate?: number;
}

/** One catalog operation as one record, with the caller's error habits applied. */
export function catalogRecord(env: Env, caller: Caller, key: string, t: number, opts: CallOptions = {}): CloudTrailRecord {
  const def = CATALOG[key];
  if (!def) throw new Error(`sample catalog has no ${key}`);
  const [source, name] = key.split(':') as [string, string];
  const requestID = source === 's3' ? env.rng.upper(16) : env.rng.uuid();
  const ctx = { env, caller, requestID, t };
  const call: Call = { source, name, readOnly: def.ro, req: null, requestID, ua: opts.ua, ...def.make?.(ctx) };
  const { rng } = env;
  if (opts.denyRate && (!def.ro || !opts.denyWritesOnly) && rng.chance(opts.denyRate)) {
    Object.assign(call, denied(caller, source, name, def.target?.(ctx)));
  } else if (opts.throttleRate && rng.chance(opts.throttleRate)) {
    Object.assign(call, throttled(source));
  } else if (def.miss && rng.chance(def.miss[0])) {
    const message = def.miss[2];
    call.errorCode = def.miss[1];
    call.errorMessage = typeof message === 'function' ? message(ctx) : message;
  }
  return buildRecord(env, caller, t, call);
}

// --- rhythm -------------------------------------------------------------------------------------

/** UTC offsets in hours for the regions a sample account is likely to use; people work in local time. */
const REGION_UTC_OFFSET: Record<string, number> = {
  'ap-northeast-1': 9,
  'ap-northeast-2': 9,
  'ap-northeast-3': 9,
  'ap-southeast-1': 8,
  'ap-southeast-2': 10,
  'ap-south-1': 5.5,
  'eu-west-1': 0,
  'eu-west-2': 0,
  'eu-central-1': 1,
  'eu-north-1': 1,
  'us-east-1': -5,
  'us-east-2': -5,
  'us-west-1': -8,
  'us-west-2': -8,
  'ca-central-1': -5,
  'sa-east-1': -3,
};

export function localOffsetMs(region: string): number {
  return (REGION_UTC_OFFSET[region] ?? 0) * 3600_000;
}

type Rhythm = 'office' | 'workload' | 'flat' | 'night';

const OFFICE_HOURS = [0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.04, 0.15, 0.5, 1, 1, 1, 0.6, 1, 1, 1, 1, 0.9, 0.5, 0.3, 0.2, 0.1, 0.06, 0.03];

function weight(rhythm: Rhythm, localMs: number): number {
  if (rhythm === 'flat') return 1;
  const d = new Date(localMs);
  const hour = d.getUTCHours();
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  if (rhythm === 'night') return hour >= 1 && hour <= 3 ? 1 : 0.01;
  if (rhythm === 'office') return OFFICE_HOURS[hour] * (weekend ? 0.08 : 1);
  return (0.35 + 0.65 * OFFICE_HOURS[hour]) * (weekend ? 0.6 : 1);
}

export function sampleTime(rng: Rng, start: number, end: number, rhythm: Rhythm, offsetMs: number): number {
  for (let i = 0; i < 200; i++) {
    const t = start + rng.next() * (end - start);
    if (rng.next() < weight(rhythm, t + offsetMs)) return t;
  }
  return start + rng.next() * (end - start);
}

// --- callers ------------------------------------------------------------------------------------

interface Profile {
  share: number;
  rhythm: Rhythm;
  burst: [number, number];
  /** Seconds between calls in a burst. */
  gap: [number, number];
  ops: readonly (readonly [string, number])[];
  session: (env: Env, t: number) => Caller;
  uaFor?: (source: string, name: string) => string;
  opts?: CallOptions;
  /** Records that open a session, e.g. the OIDC sign-in of a CI run. */
  prelude?: (env: Env, caller: Caller, t: number) => CloudTrailRecord[];
  /** Records a service makes on the caller's behalf right after a call (Secrets Manager → KMS). */
  follow?: boolean;
}

const READS_BROAD: [string, number][] = [
  ['ec2:DescribeInstances', 8],
  ['ec2:DescribeSecurityGroups', 3],
  ['ec2:DescribeVpcs', 2],
  ['ec2:DescribeSubnets', 2],
  ['ec2:DescribeVolumes', 2],
  ['ec2:DescribeRegions', 1],
  ['s3:ListBuckets', 4],
  ['s3:GetBucketPolicy', 1],
  ['s3:GetBucketVersioning', 1],
  ['lambda:ListFunctions20150331', 3],
  ['lambda:GetFunction20150331v2', 3],
  ['logs:DescribeLogGroups', 3],
  ['logs:DescribeLogStreams', 3],
  ['logs:StartQuery', 2],
  ['monitoring:DescribeAlarms', 2],
  ['cloudformation:DescribeStacks', 4],
  ['cloudformation:DescribeStackEvents', 2],
  ['cloudformation:ListStacks', 1],
  ['iam:GetRole', 2],
  ['iam:ListRoles', 1],
  ['dynamodb:DescribeTable', 2],
  ['dynamodb:ListTables', 1],
  ['rds:DescribeDBInstances', 2],
  ['ecs:DescribeServices', 2],
  ['ecs:ListTasks', 1],
  ['ecr:DescribeImages', 1],
  ['sqs:GetQueueAttributes', 1],
  ['sns:ListTopics', 1],
  ['ssm:GetParameter', 2],
  ['secretsmanager:ListSecrets', 1],
  ['kms:ListAliases', 1],
  ['kms:DescribeKey', 1],
  ['backup:ListBackupJobs', 1],
  ['events:ListRules', 1],
  ['config:DescribeComplianceByConfigRule', 1],
  ['sts:GetCallerIdentity', 2],
];
const WRITES_HUMAN: [string, number][] = [
  ['ec2:StartInstances', 1],
  ['ec2:StopInstances', 1],
  ['ec2:CreateTags', 1],
  ['ec2:AuthorizeSecurityGroupIngress', 0.5],
  ['lambda:UpdateFunctionConfiguration20150331v2', 1],
  ['ssm:PutParameter', 1],
  ['ssm:StartSession', 1.5],
  ['logs:PutRetentionPolicy', 0.5],
  ['s3:PutBucketTagging', 0.5],
  ['sqs:SetQueueAttributes', 0.5],
  ['sns:Subscribe', 0.3],
  ['iam:TagRole', 0.3],
  ['events:PutRule', 0.3],
];
const withWrites = (reads: [string, number][], writes: [string, number][], writeShare: number): [string, number][] => {
  const rw = reads.reduce((s, [, w]) => s + w, 0);
  const ww = writes.reduce((s, [, w]) => s + w, 0);
  return [...reads, ...writes.map(([k, w]): [string, number] => [k, (w / ww) * rw * (writeShare / (1 - writeShare))])];
};
const TERRAFORM_READS: [string, number][] = [
  ['ec2:DescribeVpcs', 3],
  ['ec2:DescribeSubnets', 4],
  ['ec2:DescribeSecurityGroups', 5],
  ['ec2:DescribeRouteTables', 3],
  ['ec2:DescribeInstances', 2],
  ['ec2:DescribeAvailabilityZones', 1],
  ['ec2:DescribeImages', 1],
  ['ec2:DescribeTags', 1],
  ['iam:GetRole', 5],
  ['iam:ListAttachedRolePolicies', 4],
  ['iam:ListRolePolicies', 3],
  ['iam:GetPolicy', 2],
  ['iam:GetPolicyVersion', 2],
  ['s3:GetBucketPolicy', 2],
  ['s3:GetBucketAcl', 2],
  ['s3:GetBucketVersioning', 2],
  ['s3:GetBucketEncryption', 2],
  ['s3:GetBucketTagging', 2],
  ['s3:GetBucketLogging', 1],
  ['s3:GetBucketLifecycle', 1],
  ['s3:GetBucketPublicAccessBlock', 1],
  ['s3:GetBucketOwnershipControls', 1],
  ['lambda:GetFunction20150331v2', 4],
  ['lambda:ListVersionsByFunction20150331', 2],
  ['lambda:GetPolicy20150331v2', 2],
  ['dynamodb:DescribeTable', 3],
  ['dynamodb:DescribeContinuousBackups', 2],
  ['dynamodb:DescribeTimeToLive', 2],
  ['dynamodb:ListTagsOfResource', 2],
  ['rds:DescribeDBInstances', 1],
  ['rds:ListTagsForResource', 1],
  ['sqs:GetQueueUrl', 2],
  ['sqs:GetQueueAttributes', 2],
  ['sqs:ListQueueTags', 1],
  ['sns:GetTopicAttributes', 2],
  ['logs:DescribeLogGroups', 2],
  ['monitoring:DescribeAlarms', 2],
  ['kms:DescribeKey', 2],
  ['kms:GetKeyPolicy', 1],
  ['kms:GetKeyRotationStatus', 1],
  ['kms:ListResourceTags', 1],
  ['events:DescribeRule', 1],
  ['events:ListTargetsByRule', 1],
  ['ecs:DescribeServices', 1],
  ['ecr:DescribeRepositories', 1],
  ['ssm:GetParameter', 1],
  ['secretsmanager:DescribeSecret', 1],
  ['secretsmanager:GetResourcePolicy', 1],
];
const TERRAFORM_WRITES: [string, number][] = [
  ['iam:PutRolePolicy', 1],
  ['iam:AttachRolePolicy', 1],
  ['monitoring:PutMetricAlarm', 1],
  ['lambda:UpdateFunctionConfiguration20150331v2', 1],
  ['s3:PutBucketPolicy', 0.5],
  ['s3:PutBucketVersioning', 0.5],
  ['events:PutRule', 0.5],
  ['logs:PutRetentionPolicy', 0.5],
];
const DATADOG_OPS: [string, number][] = [
  ['ec2:DescribeInstances', 6],
  ['ec2:DescribeInstanceStatus', 3],
  ['ec2:DescribeVolumes', 2],
  ['rds:DescribeDBInstances', 3],
  ['rds:DescribeDBClusters', 1],
  ['rds:DescribeEvents', 1],
  ['lambda:ListFunctions20150331', 3],
  ['lambda:ListTags20170331', 2],
  ['dynamodb:ListTables', 2],
  ['dynamodb:DescribeTable', 2],
  ['sqs:ListQueues', 2],
  ['sqs:ListQueueTags', 1],
  ['sns:ListTopics', 1],
  ['ecs:ListClusters', 1],
  ['ecs:DescribeClusters', 1],
  ['ecs:ListServices', 1],
  ['ecs:DescribeServices', 1],
  ['s3:ListBuckets', 1],
  ['s3:GetBucketLocation', 1],
  ['s3:GetBucketTagging', 1],
  ['monitoring:DescribeAlarms', 2],
  ['backup:ListBackupJobs', 1],
  ['backup:ListBackupVaults', 0.5],
];

const OFFICE_IP = '203.0.113.24';
const HOME_IPS = ['198.51.100.73', '192.0.2.148'];
const tokyoIp = (rng: Rng) => `${rng.pick(['13.112', '52.68', '18.179', '54.250'])}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
const privateIp = (rng: Rng) => `10.0.${rng.int(0, 63)}.${rng.int(4, 250)}`;

function profiles(): Profile[] {
  return [
    {
      share: 0.09,
      rhythm: 'office',
      burst: [3, 20],
      gap: [1, 25],
      ops: withWrites(READS_BROAD, WRITES_HUMAN, 0.06),
      uaFor: UA.cli,
      session: (env, t) =>
        roleCaller(env, env.inv.roles.ssoAdmin, 'yuki.tanaka@example.com', {
          ip: env.rng.chance(0.8) ? OFFICE_IP : HOME_IPS[0],
          ua: '',
          creationMs: t - env.rng.int(60, 7200) * 1000,
        }),
    },
    {
      share: 0.06,
      rhythm: 'office',
      burst: [5, 30],
      gap: [0, 6],
      ops: withWrites(READS_BROAD, WRITES_HUMAN, 0.04),
      session: (env, t) =>
        roleCaller(env, env.inv.roles.ssoAdmin, 'yuki.tanaka@example.com', {
          ip: OFFICE_IP,
          ua: UA.console,
          console: true,
          creationMs: t - env.rng.int(60, 3600) * 1000,
        }),
    },
    {
      share: 0.07,
      rhythm: 'office',
      burst: [5, 35],
      gap: [0, 8],
      ops: withWrites(READS_BROAD, WRITES_HUMAN, 0.03),
      opts: { denyRate: 1, denyWritesOnly: true },
      session: (env, t) =>
        roleCaller(env, env.inv.roles.ssoReadOnly, 'ken.sato@example.com', {
          ip: HOME_IPS[1],
          ua: UA.browserWin,
          console: true,
          creationMs: t - env.rng.int(60, 3600) * 1000,
        }),
    },
    {
      share: 0.04,
      rhythm: 'office',
      burst: [3, 25],
      gap: [0, 10],
      ops: withWrites(READS_BROAD, WRITES_HUMAN, 0.05),
      session: (env, t) =>
        userCaller(env, env.inv.users.hiro, OFFICE_IP, UA.browser, {
          console: { creationMs: t - env.rng.int(60, 5400) * 1000, mfa: true },
        }),
    },
    {
      share: 0.14,
      rhythm: 'office',
      burst: [40, 150],
      gap: [0, 1],
      ops: withWrites(TERRAFORM_READS, TERRAFORM_WRITES, 0.02),
      uaFor: (source) => UA.terraform(source === 'monitoring' ? 'cloudwatch' : source),
      opts: { throttleRate: 0.006 },
      session: (env, t) => {
        const { rng, inv, accountId } = env;
        const provider = `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`;
        return roleCaller(env, inv.roles.github, 'GitHubActions', {
          ip: `${rng.pick(['20.55', '172.183', '4.227'])}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
          ua: '',
          creationMs: t - 2000,
          webId: { federatedProvider: provider, attributes: {} },
        });
      },
      prelude: githubSignIn,
    },
    {
      share: 0.03,
      rhythm: 'office',
      burst: [6, 14],
      gap: [1, 20],
      ops: [
        ['ecr:GetAuthorizationToken', 2],
        ['ecr:BatchCheckLayerAvailability', 3],
        ['ecr:InitiateLayerUpload', 2],
        ['ecr:PutImage', 1],
        ['ecs:DescribeTaskDefinition', 1],
        ['ecs:UpdateService', 1],
        ['ecs:DescribeServices', 3],
        ['lambda:UpdateFunctionCode20150331v2', 1],
      ],
      uaFor: UA.cliLinux,
      session: (env) => userCaller(env, env.inv.users.ci, '198.51.100.10', ''),
    },
    {
      share: 0.16,
      rhythm: 'flat',
      burst: [10, 25],
      gap: [0, 1],
      ops: DATADOG_OPS,
      opts: { throttleRate: 0.015 },
      session: (env, t) =>
        roleCaller(env, env.inv.roles.datadog, 'DatadogAWSIntegration', {
          ip: `${env.rng.pick(['3.233', '44.192', '54.205'])}.${env.rng.int(0, 255)}.${env.rng.int(1, 254)}`,
          ua: UA.datadog,
          creationMs: t - env.rng.int(5, 3000) * 1000,
        }),
    },
    {
      share: 0.14,
      rhythm: 'workload',
      burst: [1, 4],
      gap: [0, 1],
      ops: [
        ['secretsmanager:GetSecretValue', 5],
        ['ssm:GetParameter', 4],
        ['ssm:GetParametersByPath', 1],
        ['logs:CreateLogStream', 3],
        ['sts:GetCallerIdentity', 0.3],
      ],
      follow: true,
      uaFor: (source, name) =>
        name === 'CreateLogStream' ? UA.lambdaWorker : UA.lambdaJs(source === 'secretsmanager' ? 'secrets-manager' : source),
      session: (env, t) => {
        const name = env.rng.pick(env.inv.functions);
        return roleCaller(env, env.inv.lambdaRoles[name], name, {
          ip: tokyoIp(env.rng),
          ua: '',
          creationMs: t - env.rng.int(60, 40000) * 1000,
        });
      },
    },
    {
      share: 0.06,
      rhythm: 'workload',
      burst: [1, 5],
      gap: [0, 2],
      ops: [
        ['secretsmanager:GetSecretValue', 3],
        ['ssm:GetParameters', 3],
        ['ecr:GetAuthorizationToken', 1],
        ['ecr:BatchGetImage', 1],
        ['ecr:GetDownloadUrlForLayer', 2],
        ['logs:CreateLogStream', 1],
      ],
      follow: true,
      session: (env, t) => {
        const exec = env.rng.chance(0.4);
        return roleCaller(env, exec ? env.inv.roles.ecsExec : env.inv.roles.ecsTask, env.rng.hex(32), {
          ip: privateIp(env.rng),
          ua: exec ? UA.ecsAgent : UA.java,
          creationMs: t - env.rng.int(60, 20000) * 1000,
          vpce: env.inv.vpcEndpointSsm,
        });
      },
    },
    {
      share: 0.05,
      rhythm: 'flat',
      burst: [1, 1],
      gap: [0, 0],
      ops: [['ssm:UpdateInstanceInformation', 1]],
      session: (env, t) => {
        const instance = env.rng.pick(env.inv.instances.slice(0, 3));
        return roleCaller(env, env.inv.roles.ssmInstance, instance, {
          ip: privateIp(env.rng),
          ua: UA.ssmAgent,
          creationMs: t - env.rng.int(60, 20000) * 1000,
          vpce: env.inv.vpcEndpointSsm,
        });
      },
    },
    {
      share: 0.04,
      rhythm: 'workload',
      burst: [1, 1],
      gap: [0, 0],
      ops: [['sts:AssumeRole', 1]],
      session: () => serviceCaller('lambda.amazonaws.com'),
    },
    {
      share: 0.02,
      rhythm: 'night',
      burst: [4, 12],
      gap: [0, 3],
      ops: [
        ['s3:ListBuckets', 1],
        ['s3:GetBucketLocation', 2],
        ['dynamodb:DescribeTable', 2],
        ['sqs:GetQueueUrl', 2],
        ['sqs:GetQueueAttributes', 1],
        ['sts:GetCallerIdentity', 1],
      ],
      opts: { denyRate: 0.05 },
      session: (env) => ({ ...userCaller(env, env.inv.users.batch, '192.0.2.15', UA.boto3), tls12: true }),
    },
    {
      share: 0.04,
      rhythm: 'flat',
      burst: [50, 150],
      gap: [0, 1],
      ops: [
        ...TERRAFORM_READS,
        ['iam:GetAccountPasswordPolicy', 2],
        ['iam:ListUsers', 2],
        ['iam:ListAccessKeys', 3],
        ['iam:ListMFADevices', 2],
        ['iam:GetAccountSummary', 1],
        ['secretsmanager:GetSecretValue', 1],
        ['config:DescribeConfigurationRecorders', 1],
        ['config:DescribeConfigurationRecorderStatus', 1],
        ['config:DescribeDeliveryChannels', 1],
        ['config:DescribeConfigRules', 1],
        ['ec2:DescribeRegions', 1],
      ],
      opts: { denyRate: 0.05 },
      session: (env) => userCaller(env, env.inv.users.auditor, '198.51.100.200', `${UA.boto3} prowler/4.2.4`),
    },
  ];
}

function githubSignIn(env: Env, caller: Caller, t: number): CloudTrailRecord[] {
  const { accountId, inv } = env;
  const role = inv.roles.github;
  const provider = `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`;
  const subject = 'repo:example-org/orders-infra:ref:refs/heads/main';
  const accessKeyId = (caller.identity().accessKeyId as string) ?? '';
  const signer: Caller = {
    arn: subject,
    ip: caller.ip,
    ua: `aws-sdk-nodejs/3.600.0 linux/v20.15.1 ${UA.githubAction}`,
    identity: () => ({
      type: 'WebIdentityUser',
      principalId: `${provider}:sts.amazonaws.com:${subject}`,
      userName: subject,
      identityProvider: provider,
    }),
  };
  const base = assumeRoleCall(env, role, 'GitHubActions', t - 2000, accessKeyId);
  const call: Call = {
    ...base,
    name: 'AssumeRoleWithWebIdentity',
    res: { ...base.res, subjectFromWebIdentityToken: subject, provider, audience: 'sts.amazonaws.com' },
  };
  return [
    buildRecord(env, signer, t - 2000, call),
    catalogRecord(env, caller, 'sts:GetCallerIdentity', t - 1000, { ua: UA.terraform('sts') }),
  ];
}

/** Secrets Manager and SSM decrypt with KMS as the caller, recorded with invokedBy. */
function followers(env: Env, caller: Caller, key: string, record: CloudTrailRecord, t: number): CloudTrailRecord[] {
  if (record.errorCode) return [];
  const via =
    key === 'secretsmanager:GetSecretValue'
      ? 'secretsmanager.amazonaws.com'
      : key.startsWith('ssm:GetParameter')
        ? 'ssm.amazonaws.com'
        : undefined;
  if (!via || (via === 'ssm.amazonaws.com' && !env.rng.chance(0.5))) return [];
  const onBehalf: Caller = { ...caller, invokedBy: via, identity: () => ({ ...caller.identity(), invokedBy: via }) };
  return [catalogRecord(env, onBehalf, 'kms:Decrypt', t)];
}

/** Fills `budget` records with everyday traffic between start and end. */
export function everydayTraffic(env: Env, start: number, end: number, budget: number): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  const offset = localOffsetMs(env.region);
  const list = profiles();
  const total = list.reduce((s, p) => s + p.share, 0);
  for (const p of list) {
    const target = Math.round((budget * p.share) / total);
    let made = 0;
    while (made < target) {
      const { rng } = env;
      // a little after start, so a session's opening records (CI sign-in) stay inside the window
      let t = sampleTime(rng, start + 10_000, end, p.rhythm, offset);
      const caller = p.session(env, t);
      if (p.prelude) {
        const pre = p.prelude(env, caller, t);
        out.push(...pre);
        made += pre.length;
      }
      if (p.ops.length === 1 && p.ops[0][0] === 'sts:AssumeRole') {
        out.push(serviceAssumeRole(env, caller, t));
        made++;
        continue;
      }
      const n = Math.min(rng.int(p.burst[0], p.burst[1]), target - made);
      for (let i = 0; i < n && t <= end; i++) {
        const key = rng.weighted(p.ops);
        const [source, name] = key.split(':') as [string, string];
        const record = catalogRecord(env, caller, key, t, { ...p.opts, ua: p.uaFor?.(source, name) });
        out.push(record);
        made++;
        if (p.follow) {
          const more = followers(env, caller, key, record, t);
          out.push(...more);
          made += more.length;
        }
        t += rng.int(p.gap[0] * 1000, p.gap[1] * 1000 + 999);
      }
    }
  }
  return out;
}

function serviceAssumeRole(env: Env, service: Caller, t: number): CloudTrailRecord {
  const { rng, inv } = env;
  const fn = rng.pick(inv.functions);
  return buildRecord(env, service, t, assumeRoleCall(env, inv.lambdaRoles[fn], fn, t, `ASIA${rng.upper(16)}`));
}
