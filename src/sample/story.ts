/**
 * The failed-deployment story: a CloudFormation deploy creates a KMS key and passes its key ID (`!Ref`)
 * where AWS Backup needs an ARN, so CreateBackupVault fails and the stack rolls back. Around it,
 * other Backup calls in the same hour and other CloudFormation deploys that day, so that finding
 * the request ID takes a real search.
 */
import type { CloudTrailRecord } from '../core/record';
import { awsDate, buildRecord, iso, roleCaller, serviceCaller, UA } from './build';
import type { Call, Caller, Env } from './build';
import { assumeRoleCall, stackArn } from './catalogOps';
import { catalogRecord } from './catalog';

export interface SampleStory {
  stackName: string;
  requestId: string;
  keyId: string;
  keyArn: string;
  createKeyEventId: string;
  failedEventId: string;
  failedEventTime: string;
  /** The exact CloudFormation status reason, with the request ID. */
  statusReason: string;
  /** A timestamped log line holding statusReason, as the demo log file has it. */
  logLine: string;
  /** When the stack's CreateStack call was made (epoch ms) and the physical IDs of what it created. */
  createdAt: number;
  backupRoleName: string;
  aliasName: string;
}

/** The request ID of the failed deployment (valid hex, so request-ID finders accept it). */
export const STORY_REQUEST_ID = 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e';
const STACK = 'orders-backup-prd';
const OFFICE_IP = '203.0.113.24';

/** CloudFormation assumes its service role, then calls as that role with invokedBy (the failed deployment). */
function cfnSession(env: Env, t: number, out: CloudTrailRecord[]): Caller {
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

function kmsResources(env: Env, keyArn: string, alias?: string) {
  const out: { accountId: string; type: string; ARN: string }[] = [{ accountId: env.accountId, type: 'AWS::KMS::Key', ARN: keyArn }];
  if (alias) out.push({ accountId: env.accountId, type: 'AWS::KMS::Alias', ARN: `arn:aws:kms:${env.region}:${env.accountId}:${alias}` });
  return out;
}

export function storyEvents(env: Env, failAt: number, start: number): { records: CloudTrailRecord[]; story: SampleStory } {
  const { rng, inv, accountId, region } = env;
  const out: CloudTrailRecord[] = [];
  const R = STORY_REQUEST_ID;
  const keyId = rng.uuid();
  const keyArn = `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
  const alias = `alias/${STACK}`;
  const t0 = failAt - 38_000;
  const s = (sec: number) => t0 + sec * 1000;
  const user = roleCaller(env, inv.roles.ssoAdmin, 'yuki.tanaka@example.com', { ip: OFFICE_IP, ua: '', creationMs: t0 - 25 * 60_000 });
  const userCall = (t: number, call: Omit<Call, 'ua'>) =>
    out.push(buildRecord(env, user, t, { ...call, ua: UA.cli(call.source, call.name) }));

  userCall(s(0), {
    source: 'cloudformation',
    name: 'CreateStack',
    readOnly: false,
    req: {
      stackName: STACK,
      templateURL: `https://s3.${region}.amazonaws.com/${inv.buckets[2]}/${STACK}/${rng.hex(32)}.template`,
      parameters: [
        { parameterKey: 'SystemName', parameterValue: 'orders' },
        { parameterKey: 'Stage', parameterValue: 'prd' },
      ],
      capabilities: ['CAPABILITY_NAMED_IAM'],
      roleARN: inv.roles.cfn.arn,
      tags: [{ key: 'Project', value: 'orders' }],
    },
    res: { stackId: stackArn(env, STACK) },
  });
  // `aws cloudformation wait stack-create-complete` polls every 30 s until the stack settles
  for (let sec = 2; sec <= 122; sec += 30) {
    out.push(
      buildRecord(env, user, s(sec), {
        source: 'cloudformation',
        name: 'DescribeStacks',
        readOnly: true,
        req: { stackName: STACK },
        ua: UA.cli('cloudformation', 'Wait'),
      }),
    );
  }
  const cfn = cfnSession(env, s(1), out);
  const cfnCall = (t: number, call: Call) => {
    const record = buildRecord(env, cfn, t, call);
    out.push(record);
    return record;
  };
  const roleName = `${STACK}-BackupRole-${rng.upper(12)}`;
  const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  cfnCall(s(3), {
    source: 'iam',
    name: 'CreateRole',
    readOnly: false,
    req: { roleName, assumeRolePolicyDocument: JSON.stringify(trust), path: '/', tags: [{ key: 'Project', value: 'orders' }] },
    res: {
      role: {
        path: '/',
        roleName,
        roleId: `AROA${rng.upper(17)}`,
        arn: roleArn,
        createDate: awsDate(s(3)),
        assumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
        tags: [{ key: 'Project', value: 'orders' }],
      },
    },
  });
  const backupPolicy = 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup';
  cfnCall(s(4), { source: 'iam', name: 'AttachRolePolicy', readOnly: false, req: { roleName, policyArn: backupPolicy } });
  const description = 'Backup encryption key for orders-prd';
  const createKey = cfnCall(s(5), {
    source: 'kms',
    name: 'CreateKey',
    readOnly: false,
    req: {
      description,
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      origin: 'AWS_KMS',
      bypassPolicyLockoutSafetyCheck: false,
      multiRegion: false,
    },
    res: {
      keyMetadata: {
        aWSAccountId: accountId,
        keyId,
        arn: keyArn,
        creationDate: awsDate(s(5)),
        enabled: true,
        description,
        keyUsage: 'ENCRYPT_DECRYPT',
        keyState: 'Enabled',
        origin: 'AWS_KMS',
        keyManager: 'CUSTOMER',
        customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        keySpec: 'SYMMETRIC_DEFAULT',
        encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        multiRegion: false,
      },
    },
    resources: kmsResources(env, keyArn),
  });
  cfnCall(s(6), { source: 'kms', name: 'DescribeKey', readOnly: true, req: { keyId }, resources: kmsResources(env, keyArn) });
  cfnCall(s(7), {
    source: 'kms',
    name: 'TagResource',
    readOnly: false,
    req: {
      keyId,
      tags: [
        { tagKey: 'Project', tagValue: 'orders' },
        { tagKey: 'Stage', tagValue: 'prd' },
      ],
    },
    resources: kmsResources(env, keyArn),
  });
  cfnCall(s(8), { source: 'kms', name: 'EnableKeyRotation', readOnly: false, req: { keyId }, resources: kmsResources(env, keyArn) });
  cfnCall(s(10), { source: 'iam', name: 'GetRole', readOnly: true, req: { roleName } });
  cfnCall(s(22), {
    source: 'kms',
    name: 'CreateAlias',
    readOnly: false,
    req: { aliasName: alias, targetKeyId: keyId },
    resources: kmsResources(env, keyArn, alias),
  });
  // The failure: `!Ref` of an AWS::KMS::Key gives the key ID, where EncryptionKeyArn needs the ARN
  const failed = cfnCall(failAt, {
    source: 'backup',
    name: 'CreateBackupVault',
    readOnly: false,
    errorCode: 'InvalidParameterValueException',
    errorMessage: 'Invalid Key provided by the user. %s',
    req: {
      backupVaultName: `${STACK}-vault`,
      backupVaultTags: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      encryptionKeyArn: keyId,
      creatorRequestId: rng.uuid(),
    },
    requestID: R,
  });
  // Rollback deletes what the stack created
  cfnCall(failAt + 6000, {
    source: 'kms',
    name: 'DeleteAlias',
    readOnly: false,
    req: { aliasName: alias },
    resources: kmsResources(env, keyArn, alias),
  });
  const deletionDay = Math.ceil((failAt + 8000) / 86_400_000) * 86_400_000 + 7 * 86_400_000;
  cfnCall(failAt + 8000, {
    source: 'kms',
    name: 'ScheduleKeyDeletion',
    readOnly: false,
    req: { keyId, pendingWindowInDays: 7 },
    res: { keyId: keyArn, deletionDate: awsDate(deletionDay), keyState: 'PendingDeletion', pendingWindowInDays: 7 },
    resources: kmsResources(env, keyArn),
  });
  cfnCall(failAt + 10_000, { source: 'iam', name: 'DetachRolePolicy', readOnly: false, req: { roleName, policyArn: backupPolicy } });
  cfnCall(failAt + 12_000, { source: 'iam', name: 'DeleteRole', readOnly: false, req: { roleName } });
  // The deployer reads the stack events and looks at Backup; the ROLLBACK_COMPLETE stack is kept for the investigation
  for (const sec of [150, 160, 205]) {
    userCall(s(sec), { source: 'cloudformation', name: 'DescribeStackEvents', readOnly: true, req: { stackName: STACK } });
  }
  userCall(s(240), { source: 'backup', name: 'ListBackupVaults', readOnly: true, req: { maxResults: 1000 } });
  userCall(s(252), {
    source: 'backup',
    name: 'DescribeBackupVault',
    readOnly: true,
    req: { backupVaultName: `${STACK}-vault` },
    errorCode: 'ResourceNotFoundException',
    errorMessage: `Backup Vault ${STACK}-vault is not found`,
  });

  out.push(...neighbours(env, failAt), ...otherDeploys(env, failAt, start));

  const requestToken = rng.uuid();
  const statusReason = `Resource handler returned message: "Invalid Key provided by the user. %s (Service: Backup, Status Code: 400, Request ID: ${R})" (RequestToken: ${requestToken}, HandlerErrorCode: InvalidRequest)`;
  const logLine = `${new Date(failAt + 1843).toISOString()} ERROR [deploy] ${STACK} BackupVault AWS::Backup::BackupVault CREATE_FAILED ${statusReason}`;
  return {
    records: out,
    story: {
      stackName: STACK,
      requestId: R,
      keyId,
      keyArn,
      createKeyEventId: createKey.eventID,
      failedEventId: failed.eventID,
      failedEventTime: iso(failAt),
      statusReason,
      logLine,
      createdAt: t0,
      backupRoleName: roleName,
      aliasName: alias,
    },
  };
}

/** Other Backup calls in the same hour, by other people and tools. */
function neighbours(env: Env, failAt: number): CloudTrailRecord[] {
  const { inv } = env;
  const datadog = roleCaller(env, inv.roles.datadog, 'DatadogAWSIntegration', {
    ip: '3.233.146.12',
    ua: UA.datadog,
    creationMs: failAt - 40 * 60_000,
  });
  const console = roleCaller(env, inv.roles.ssoAdmin, 'yuki.tanaka@example.com', {
    ip: OFFICE_IP,
    ua: UA.console,
    console: true,
    creationMs: failAt - 50 * 60_000,
  });
  const ken = roleCaller(env, inv.roles.ssoReadOnly, 'ken.sato@example.com', {
    ip: '192.0.2.148',
    ua: UA.browserWin,
    console: true,
    creationMs: failAt - 30 * 60_000,
  });
  const plan: [Caller, string, number][] = [
    [datadog, 'backup:ListBackupJobs', -27 * 60],
    [datadog, 'backup:ListBackupVaults', -27 * 60 + 1],
    [console, 'backup:ListBackupVaults', -12 * 60],
    [console, 'backup:DescribeBackupVault', -12 * 60 + 7],
    [console, 'backup:GetBackupVaultAccessPolicy', -12 * 60 + 8],
    [console, 'backup:ListRecoveryPointsByBackupVault', -11 * 60],
    [datadog, 'backup:ListBackupJobs', 3 * 60],
    [ken, 'backup:ListBackupPlans', 15 * 60],
    [ken, 'backup:GetBackupPlan', 15 * 60 + 4],
    [ken, 'backup:ListBackupJobs', 16 * 60],
    [datadog, 'backup:ListBackupJobs', 33 * 60],
  ];
  return plan.map(([caller, key, sec]) => catalogRecord(env, caller, key, failAt + sec * 1000));
}

/** Earlier CloudFormation deploys that day: the monitoring stack and a CDK app from CI. */
function otherDeploys(env: Env, failAt: number, start: number): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  const { inv, rng } = env;
  const deploy = (at: number, stackName: string, starter: Caller, starterUa: string, keys: string[]) => {
    if (at < start + 60_000) return;
    out.push(
      buildRecord(env, starter, at, {
        source: 'cloudformation',
        name: 'CreateChangeSet',
        readOnly: false,
        req: {
          stackName,
          templateURL: `https://s3.${env.region}.amazonaws.com/${inv.buckets[3]}/${rng.hex(64)}.json`,
          capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
          roleARN: inv.roles.cfn.arn,
          changeSetName: `cdk-deploy-change-set`,
          changeSetType: 'UPDATE',
        },
        res: {
          id: `arn:aws:cloudformation:${env.region}:${env.accountId}:changeSet/cdk-deploy-change-set/${rng.uuid()}`,
          stackId: stackArn(env, stackName),
        },
        ua: starterUa,
      }),
    );
    out.push(
      buildRecord(env, starter, at + 9000, {
        source: 'cloudformation',
        name: 'ExecuteChangeSet',
        readOnly: false,
        req: { changeSetName: 'cdk-deploy-change-set', stackName },
        ua: starterUa,
      }),
    );
    const cfn = cfnSession(env, at + 10_000, out);
    let t = at + 12_000;
    for (const key of keys) out.push(catalogRecord(env, cfn, key, (t += rng.int(1000, 9000))));
  };
  const ci = roleCaller(env, inv.roles.github, 'GitHubActions', { ip: '20.55.14.201', ua: '', creationMs: failAt - 6 * 3600_000 - 60_000 });
  deploy(
    failAt - 6 * 3600_000,
    'orders-api-prd',
    ci,
    `${UA.lambdaJs('cloudformation').replace('exec-env/AWS_Lambda_nodejs20.x ', '')} aws-cdk/2.150.0`,
    [
      'lambda:UpdateFunctionCode20150331v2',
      'lambda:UpdateFunctionConfiguration20150331v2',
      'iam:PutRolePolicy',
      'ecs:UpdateService',
      'ecs:DescribeServices',
      'ecs:DescribeServices',
    ],
  );
  const person = roleCaller(env, inv.roles.ssoAdmin, 'yuki.tanaka@example.com', {
    ip: OFFICE_IP,
    ua: '',
    creationMs: failAt - 4 * 3600_000 - 600_000,
  });
  deploy(failAt - 4 * 3600_000, 'orders-monitoring', person, UA.cli('cloudformation', 'Deploy'), [
    'monitoring:PutMetricAlarm',
    'monitoring:PutMetricAlarm',
    'monitoring:PutMetricAlarm',
    'sns:Subscribe',
    'logs:PutRetentionPolicy',
    'events:PutRule',
  ]);
  return out;
}
