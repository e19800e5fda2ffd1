/**
 * Everyday traffic from third-party integrations that read the whole account: the Datadog
 * monitoring integration (flat, all day, sometimes throttled) and a Prowler security audit.
 */
import { roleCaller, UA, userCaller } from './build';
import { TERRAFORM_READS } from './trafficCi';
import type { Profile } from './trafficTypes';

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

export const MONITORING: Profile = {
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
};

export const AUDIT: Profile = {
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
};
