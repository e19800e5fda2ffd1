/**
 * The seed story as files a person would have open: the deploy log holding CloudFormation's
 * status reason (with the Backup request ID) and the template whose `!Ref` caused it.
 * Used by `npm start` (demo workspace) and by the extension-host suite (test workspace).
 * Texts come from src/sample/account.ts `generateSampleAccount().story`, so the request ID and
 * times in the log match an event the sample account (and the fake endpoint) holds.
 * A marker file (DEMO_MARKER, read by src/extension/walkthrough/demoMarker.ts) tells the extension
 * this folder is the demo and where its story starts: the log, the error line, the request ID.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudTrailRecord } from '../../src/core/record';
import { DATA_EVENT_REQUEST_ID, generateSampleAccount, type SampleStory } from '../../src/sample/account';
import { DEMO_FOLLOW_PATH, DEMO_MARKER, type DemoMarker } from '../../src/extension/walkthrough/demoMarker';

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

export interface SampleData {
  records: CloudTrailRecord[];
  story: SampleStory & { template?: string };
}

/** The sample account for `now` (default: this minute), as records plus the story's texts. */
export function loadSampleAccount(now?: Date): SampleData {
  const account = generateSampleAccount({ now });
  return { records: account.records, story: account.story };
}

/** What `aws cloudformation create-stack` + `wait` printed around the failure (timed like the story's events). */
function deployLog(story: SampleStory): string {
  const failed = Date.parse(story.logLine.split(' ')[0] ?? '');
  const t = (deltaS: number): string => new Date((Number.isNaN(failed) ? Date.now() : failed) + deltaS * 1000).toISOString();
  const st = story.stackName;
  const info = (deltaS: number, text: string): string => `${t(deltaS)} INFO [deploy] ${text}`;
  return [
    info(
      -42,
      `aws cloudformation create-stack --stack-name ${st} --template-body file://template.yaml ` +
        '--parameters ParameterKey=SystemName,ParameterValue=orders ParameterKey=Stage,ParameterValue=prd --capabilities CAPABILITY_NAMED_IAM',
    ),
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
    info(
      1,
      `${st} ${st} AWS::CloudFormation::Stack ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [BackupVault]. Rollback requested by user.`,
    ),
    info(12, `${st} ${st} AWS::CloudFormation::Stack ROLLBACK_COMPLETE`),
    `${t(80)} ERROR [deploy] Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: ` +
      'For expression "Stacks[].StackStatus" we matched expected path: "ROLLBACK_COMPLETE" at least once',
    '',
  ].join('\n');
}

/** SAM CLI's configuration next to the template: it names the template's stack (src/core/cloudformation/association.ts). */
export function samconfigToml(stackName: string): string {
  return [
    'version = 0.1',
    '',
    '[default.deploy.parameters]',
    `stack_name = ${JSON.stringify(stackName)}`,
    'capabilities = "CAPABILITY_NAMED_IAM"',
    '',
  ].join('\n');
}

/**
 * The orders export job's log: the nightly export's S3 read refused (the sample's data event,
 * src/sample/dataEvent.ts). LookupEvents never returns a data event, so the jump from its request ID
 * goes to an engine over the trail (docs/engines.md).
 */
export function exportLog(records: readonly CloudTrailRecord[]): string | undefined {
  const r = records.find((x) => x.requestID === DATA_EVENT_REQUEST_ID);
  if (!r) return undefined;
  const at = Date.parse(r.eventTime);
  const t = (deltaS: number): string => new Date(at + deltaS * 1000).toISOString();
  const bucket = (r.requestParameters as { bucketName?: string }).bucketName;
  const key = (r.requestParameters as { key?: string }).key;
  return [
    `${t(-2)} INFO [orders-export] starting the daily export to s3://${bucket}/${key}`,
    `${t(0)} ERROR [orders-export] botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: ` +
      `Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: ${DATA_EVENT_REQUEST_ID})`,
    `${t(1)} INFO [orders-export] export failed; retrying tomorrow`,
    '',
  ].join('\n');
}

/**
 * Sets (or, with undefined, removes) the engine settings in the workspace's .vscode/settings.json,
 * keeping any other setting a person added there.
 */
export function writeDemoSettings(dir: string, engines: Record<string, string> | undefined): void {
  const path = join(dir, '.vscode', 'settings.json');
  let settings: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      settings = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch {
      settings = {};
    }
  }
  for (const key of Object.keys(settings)) if (/^trailLens\.(athena|cloudWatchLogs|lake)\./.test(key)) delete settings[key];
  Object.assign(settings, engines ?? {});
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  writeFileSync(path, `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * Writes deploy.log, template.yaml (with the samconfig.toml naming its stack) and the demo marker into
 * `dir` (created if needed); returns the marker.
 */
export function writeDemoWorkspace(dir: string, sample: SampleData = loadSampleAccount()): DemoMarker {
  mkdirSync(dir, { recursive: true });
  const log = deployLog(sample.story);
  const marker: DemoMarker = {
    log: 'deploy.log',
    errorLine: log.split('\n').indexOf(sample.story.logLine),
    requestId: sample.story.requestId,
    followPath: DEMO_FOLLOW_PATH,
  };
  writeFileSync(join(dir, 'deploy.log'), log);
  const exported = exportLog(sample.records);
  if (exported) writeFileSync(join(dir, 'export-job.log'), exported);
  writeFileSync(join(dir, 'template.yaml'), sample.story.template ?? TEMPLATE_YAML);
  writeFileSync(join(dir, 'samconfig.toml'), samconfigToml(sample.story.stackName));
  writeFileSync(join(dir, DEMO_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  return marker;
}

/** The IDs on the demo log's error line as tests use them: the failed call's request ID and the RequestToken beside it. */
export function storyIds(dir: string): { requestId: string; requestToken: string } {
  const log = readFileSync(join(dir, 'deploy.log'), 'utf8');
  const requestId = /Request ID: ([0-9a-f-]{36})/.exec(log)?.[1];
  const requestToken = /RequestToken: ([0-9a-f-]{36})/.exec(log)?.[1];
  if (!requestId || !requestToken) throw new Error(`${dir}/deploy.log lacks the story's Request ID or RequestToken`);
  return { requestId, requestToken };
}
