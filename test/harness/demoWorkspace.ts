/**
 * The seed story as files a person would have open: the deploy log holding CloudFormation's
 * status reason (with the Backup request ID) and the template whose `!Ref` caused it.
 * Used by `npm start` (demo workspace) and by the extension-host suite (test workspace).
 * Texts come from src/sample/account.ts `generateSampleAccount().story` when that module exists,
 * so the request ID in the log matches an event the sample account (and the fake endpoint) holds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudTrailRecord } from '../../src/core/record';

export const SEED_REQUEST_ID = 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e';
export const SEED_STATUS_REASON =
  'Resource handler returned message: "Invalid Key provided by the user. %s (Service: Backup, Status Code: 400, ' +
  `Request ID: ${SEED_REQUEST_ID})" (RequestToken: a1234bc5-1a23-1234-1234-123456789a01, HandlerErrorCode: InvalidRequest)`;

const SEED_STACK = 'orders-backup-prd';

// The stack of the story: the key is created, then the vault gets `!Ref BackupKey` (a key ID)
// where an ARN is needed. The names match src/sample/story.ts so the events line up.
export const TEMPLATE_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Description: Backup vault for the orders system, encrypted with a customer managed KMS key.
Parameters:
  SystemName:
    Type: String
  Stage:
    Type: String
    AllowedValues: [dev, stg, prd]
Resources:
  BackupRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: backup.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup
      Tags:
        - Key: Project
          Value: !Ref SystemName
  BackupKey:
    Type: AWS::KMS::Key
    Properties:
      Description: !Sub Backup encryption key for \${SystemName}-\${Stage}
      EnableKeyRotation: true
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: AllowAccountAdministration
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'
      Tags:
        - Key: Project
          Value: !Ref SystemName
        - Key: Stage
          Value: !Ref Stage
  BackupKeyAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: !Sub alias/\${AWS::StackName}
      TargetKeyId: !Ref BackupKey
  BackupVault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: !Sub \${AWS::StackName}-vault
      EncryptionKeyArn: !Ref BackupKey
Outputs:
  BackupVaultArn:
    Value: !GetAtt BackupVault.BackupVaultArn
  BackupRoleArn:
    Value: !GetAtt BackupRole.Arn
`;

export interface SampleStory {
  stackName: string;
  statusReason: string;
  /** One timestamped log line holding the status reason. */
  logLine: string;
  template?: string;
}

export interface SampleData {
  records: CloudTrailRecord[];
  story: SampleStory;
}

/** `generateSampleAccount()` from src/sample/account.ts, or why it could not be used. */
export async function loadSampleAccount(now?: Date): Promise<SampleData | { missing: string }> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import('../../src/sample/account' as string)) as Record<string, unknown>;
  } catch (err) {
    return { missing: `src/sample/account.ts not loadable (${(err as Error).message.split('\n')[0]})` };
  }
  if (typeof mod.generateSampleAccount !== 'function') return { missing: 'src/sample/account.ts has no generateSampleAccount()' };
  const account = (mod.generateSampleAccount as (o: { now?: Date }) => Record<string, unknown>)({ now });
  const records = account.records;
  const story = (account.story ?? {}) as Partial<SampleStory>;
  if (!Array.isArray(records)) return { missing: 'generateSampleAccount() returned no records array' };
  const statusReason = typeof story.statusReason === 'string' ? story.statusReason : SEED_STATUS_REASON;
  return {
    records: records as CloudTrailRecord[],
    story: {
      stackName: typeof story.stackName === 'string' ? story.stackName : SEED_STACK,
      statusReason,
      logLine: typeof story.logLine === 'string' ? story.logLine : seedLogLine(statusReason),
      template: typeof story.template === 'string' ? story.template : undefined,
    },
  };
}

// Without the sample module the log line is stamped a little before now, inside LookupEvents' 90 days.
function seedLogLine(statusReason: string, at = new Date(Date.now() - 2 * 3600_000)): string {
  return `${at.toISOString()} ERROR [deploy] ${SEED_STACK} BackupVault AWS::Backup::BackupVault CREATE_FAILED ${statusReason}`;
}

/** What `aws cloudformation create-stack` + `wait` printed around the failure (timed like the story's events). */
function deployLog(story: SampleStory): string {
  const failed = Date.parse(story.logLine.split(' ')[0] ?? '');
  const t = (deltaS: number): string => new Date((Number.isNaN(failed) ? Date.now() : failed) + deltaS * 1000).toISOString();
  const st = story.stackName;
  const info = (deltaS: number, text: string): string => `${t(deltaS)} INFO [deploy] ${text}`;
  return [
    info(-42, `aws cloudformation create-stack --stack-name ${st} --template-body file://template.yaml ` +
      '--parameters ParameterKey=SystemName,ParameterValue=orders ParameterKey=Stage,ParameterValue=prd --capabilities CAPABILITY_NAMED_IAM'),
    info(-41, `aws cloudformation wait stack-create-complete --stack-name ${st}`),
    info(-40, `${st} ${st} AWS::CloudFormation::Stack CREATE_IN_PROGRESS User Initiated`),
    info(-38, `${st} BackupRole AWS::IAM::Role CREATE_IN_PROGRESS`),
    info(-37, `${st} BackupKey AWS::KMS::Key CREATE_IN_PROGRESS`),
    info(-36, `${st} BackupKey AWS::KMS::Key CREATE_IN_PROGRESS Resource creation Initiated`),
    info(-26, `${st} BackupKey AWS::KMS::Key CREATE_COMPLETE`),
    info(-25, `${st} BackupKeyAlias AWS::KMS::Alias CREATE_IN_PROGRESS`),
    info(-20, `${st} BackupRole AWS::IAM::Role CREATE_COMPLETE`),
    info(-16, `${st} BackupKeyAlias AWS::KMS::Alias CREATE_COMPLETE`),
    info(-3, `${st} BackupVault AWS::Backup::BackupVault CREATE_IN_PROGRESS`),
    story.logLine,
    info(1, `${st} ${st} AWS::CloudFormation::Stack ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [BackupVault]. Rollback requested by user.`),
    info(12, `${st} ${st} AWS::CloudFormation::Stack ROLLBACK_COMPLETE`),
    `${t(80)} ERROR [deploy] Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: ` +
      'For expression "Stacks[].StackStatus" we matched expected path: "ROLLBACK_COMPLETE" at least once',
    '',
  ].join('\n');
}

/** Writes deploy.log and template.yaml into `dir` (created if needed) and says where the texts came from. */
export async function writeDemoWorkspace(dir: string, sample?: SampleData | { missing: string }, now?: Date): Promise<{ source: string }> {
  const data = sample ?? (await loadSampleAccount(now));
  const story: SampleStory =
    'story' in data
      ? data.story
      : { stackName: SEED_STACK, statusReason: SEED_STATUS_REASON, logLine: seedLogLine(SEED_STATUS_REASON) };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'deploy.log'), deployLog(story));
  writeFileSync(join(dir, 'template.yaml'), story.template ?? TEMPLATE_YAML);
  return { source: 'story' in data ? 'src/sample/account.ts' : `the seed text (${data.missing})` };
}
