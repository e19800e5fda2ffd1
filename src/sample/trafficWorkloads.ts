/**
 * Everyday traffic from the account's own workloads and AWS services: Lambda functions and ECS
 * tasks reading secrets and parameters (with the KMS calls Secrets Manager and SSM make on their
 * behalf), SSM agents checking in, Lambda assuming each function's role, and a nightly batch job.
 */
import type { CloudTrailRecord } from '../core/record';
import { buildRecord, roleCaller, serviceCaller, UA, userCaller } from './build';
import type { Caller, Env } from './build';
import { catalogRecord } from './catalog';
import { assumeRoleCall } from './catalogOps';
import type { Rng } from './random';
import type { Profile } from './trafficTypes';

const tokyoIp = (rng: Rng) => `${rng.pick(['13.112', '52.68', '18.179', '54.250'])}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
const privateIp = (rng: Rng) => `10.0.${rng.int(0, 63)}.${rng.int(4, 250)}`;

export const WORKLOADS: Profile[] = [
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
    follow: followers,
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
    follow: followers,
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
    single: serviceAssumeRole,
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
];

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

function serviceAssumeRole(env: Env, service: Caller, t: number): CloudTrailRecord {
  const { rng, inv } = env;
  const fn = rng.pick(inv.functions);
  return buildRecord(env, service, t, assumeRoleCall(env, inv.lambdaRoles[fn], fn, t, `ASIA${rng.upper(16)}`));
}
