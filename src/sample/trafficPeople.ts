/**
 * Everyday traffic from people: the SSO administrator (CLI and console), a read-only SSO user whose
 * writes are denied, and an IAM user with MFA in the console; office hours, from the office or home.
 */
import { roleCaller, UA, userCaller } from './build';
import { withWrites, type Profile } from './trafficTypes';

const OFFICE_IP = '203.0.113.24';
const HOME_IPS = ['198.51.100.73', '192.0.2.148'];

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

export const PEOPLE: Profile[] = [
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
];
