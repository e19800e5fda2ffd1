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

export const TEMPLATE_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Description: Backup vault encrypted with a customer managed KMS key.
Resources:
  BackupKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Encryption key for the backup vault
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
  BackupVault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: app-backup-vault
      EncryptionKeyArn: !Ref BackupKey
`;

export interface SampleStory {
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
export async function loadSampleAccount(): Promise<SampleData | { missing: string }> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import('../../src/sample/account' as string)) as Record<string, unknown>;
  } catch (err) {
    return { missing: `src/sample/account.ts not loadable (${(err as Error).message.split('\n')[0]})` };
  }
  if (typeof mod.generateSampleAccount !== 'function') return { missing: 'src/sample/account.ts has no generateSampleAccount()' };
  const account = (mod.generateSampleAccount as () => Record<string, unknown>)();
  const records = account.records;
  const story = (account.story ?? {}) as Partial<SampleStory>;
  if (!Array.isArray(records)) return { missing: 'generateSampleAccount() returned no records array' };
  const statusReason = typeof story.statusReason === 'string' ? story.statusReason : SEED_STATUS_REASON;
  return {
    records: records as CloudTrailRecord[],
    story: {
      statusReason,
      logLine: typeof story.logLine === 'string' ? story.logLine : seedLogLine(statusReason),
      template: typeof story.template === 'string' ? story.template : undefined,
    },
  };
}

// Without the sample module the log line is stamped a little before now, inside LookupEvents' 90 days.
function seedLogLine(statusReason: string, at = new Date(Date.now() - 2 * 3600_000)): string {
  return `${at.toISOString()} ERROR [deploy] backup-stack BackupVault CREATE_FAILED ${statusReason}`;
}

function deployLog(story: SampleStory): string {
  const at = Date.parse(story.logLine.slice(0, 24));
  const t = (deltaS: number): string => new Date((Number.isNaN(at) ? Date.now() : at) + deltaS * 1000).toISOString();
  return [
    `${t(-95)} INFO  [deploy] aws cloudformation deploy --stack-name backup-stack --template-file template.yaml`,
    `${t(-93)} INFO  [deploy] backup-stack CREATE_IN_PROGRESS User Initiated`,
    `${t(-90)} INFO  [deploy] backup-stack BackupKey CREATE_IN_PROGRESS`,
    `${t(-4)} INFO  [deploy] backup-stack BackupKey CREATE_COMPLETE`,
    `${t(-2)} INFO  [deploy] backup-stack BackupVault CREATE_IN_PROGRESS`,
    story.logLine,
    `${t(1)} INFO  [deploy] backup-stack ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [BackupVault].`,
    `${t(31)} INFO  [deploy] backup-stack ROLLBACK_COMPLETE`,
    `${t(32)} ERROR [deploy] Failed to create/update the stack: backup-stack`,
    '',
  ].join('\n');
}

/** Writes deploy.log and template.yaml into `dir` (created if needed) and says where the texts came from. */
export async function writeDemoWorkspace(dir: string, sample?: SampleData | { missing: string }): Promise<{ source: string }> {
  const data = sample ?? (await loadSampleAccount());
  const story: SampleStory =
    'story' in data ? data.story : { statusReason: SEED_STATUS_REASON, logLine: seedLogLine(SEED_STATUS_REASON) };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'deploy.log'), deployLog(story));
  writeFileSync(join(dir, 'template.yaml'), story.template ?? TEMPLATE_YAML);
  return { source: 'story' in data ? 'src/sample/account.ts' : `the seed text (${data.missing})` };
}
