/**
 * Everyday traffic from CI: GitHub Actions running Terraform through an OIDC role (each run opens
 * with its AssumeRoleWithWebIdentity sign-in, and is sometimes throttled), and the deploy user
 * pushing images and code. Terraform's reads also serve the auditor (trafficIntegrations.ts).
 */
import type { CloudTrailRecord } from '../core/record';
import { buildRecord, roleCaller, UA, userCaller } from './build';
import type { Call, Caller, Env } from './build';
import { catalogRecord } from './catalog';
import { assumeRoleCall } from './catalogOps';
import { withWrites, type Profile } from './trafficTypes';

export const TERRAFORM_READS: [string, number][] = [
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

export const CI: Profile[] = [
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
];

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
