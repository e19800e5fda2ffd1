/**
 * What a trail's delivery error means and what to do about it (docs/cloudtrail.md §10). GetTrailStatus
 * reports the error code of the last failed delivery of each kind — S3 log files, S3 digest files,
 * the SNS notification, CloudWatch Logs — as a bare string such as "AccessDenied"; this table turns
 * each into words a person can act on, with the AWS CLI commands that show the cause. SDK-free.
 */

/** Which delivery a GetTrailStatus error is about. */
export type DeliveryKind = 'logs' | 'digest' | 'notification' | 'cloudWatchLogs';

/** The trail facts an explanation names (from DescribeTrails). */
export interface TrailTarget {
  name: string;
  /** The ARN, for GetTrailStatus on a shadow trail. */
  arn?: string;
  homeRegion?: string;
  bucket?: string;
  prefix?: string;
  kmsKeyId?: string;
  snsTopicArn?: string;
  logGroupArn?: string;
  logsRoleArn?: string;
}

export interface Explanation {
  kind: DeliveryKind;
  code: string;
  /** One line: what broke, e.g. "CloudTrail may no longer write to bucket X". */
  summary: string;
  /** Why it happens, in a sentence or two. */
  cause: string;
  /** What to check, in order. */
  checks: string[];
  /** AWS CLI commands that show the cause, ready to paste. */
  commands: string[];
}

export const DELIVERY_LABELS: Record<DeliveryKind, string> = {
  logs: 'Log file delivery to S3',
  digest: 'Digest file delivery to S3',
  notification: 'SNS notification',
  cloudWatchLogs: 'CloudWatch Logs delivery',
};

/** The GetTrailStatus member that holds each kind's error. */
export const ERROR_FIELDS: Record<DeliveryKind, string> = {
  logs: 'LatestDeliveryError',
  digest: 'LatestDigestDeliveryError',
  notification: 'LatestNotificationError',
  cloudWatchLogs: 'LatestCloudWatchLogsDeliveryError',
};

/** Said wherever a trail failure might be mistaken for missing events in the Events view. */
export const EVENT_HISTORY_NOTE =
  'Event history (LookupEvents, the Events view) does not depend on trails: a failing trail loses nothing there, but its S3 files (and log group) miss what happened since.';

/** A shell word: quoted when it holds anything a shell would read. */
function arg(value: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function regionFlag(t: TrailTarget): string {
  return t.homeRegion ? ` --region ${arg(t.homeRegion)}` : '';
}

function statusCommand(t: TrailTarget): string {
  return `aws cloudtrail get-trail-status --name ${arg(t.arn ?? t.name)}${regionFlag(t)}`;
}

function describeCommand(t: TrailTarget): string {
  return `aws cloudtrail describe-trails --trail-name-list ${arg(t.arn ?? t.name)}${regionFlag(t)}`;
}

function bucketOf(t: TrailTarget): string {
  return t.bucket ?? '<bucket>';
}

function s3Place(t: TrailTarget): string {
  return `s3://${bucketOf(t)}/${t.prefix ? `${t.prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/`;
}

function kmsCommands(t: TrailTarget): string[] {
  if (!t.kmsKeyId) return [];
  const key = arg(t.kmsKeyId);
  return [`aws kms describe-key --key-id ${key}`, `aws kms get-key-policy --key-id ${key} --policy-name default`];
}

type Rule = {
  test: (code: string) => boolean;
  explain: (t: TrailTarget, kind: DeliveryKind) => Omit<Explanation, 'kind' | 'code'>;
};

const is =
  (...codes: string[]) =>
  (code: string): boolean =>
    codes.some((c) => c.toLowerCase() === code.toLowerCase());
const mentionsKms = (code: string): boolean => /kms/i.test(code);

const S3_RULES: Rule[] = [
  {
    test: is('NoSuchBucket'),
    explain: (t) => ({
      summary: `The bucket ${bucketOf(t)} no longer exists: CloudTrail has nowhere to write.`,
      cause: 'The bucket was deleted (or renamed by re-creating it elsewhere) while the trail still points at it.',
      checks: [
        `Whether the bucket exists: it may have been deleted by a clean-up or a stack deletion.`,
        'Re-create it with a policy that lets cloudtrail.amazonaws.com write, or point the trail at another bucket (aws cloudtrail update-trail --s3-bucket-name …).',
      ],
      commands: [`aws s3api head-bucket --bucket ${arg(bucketOf(t))}`, statusCommand(t), describeCommand(t)],
    }),
  },
  {
    test: (code) => mentionsKms(code),
    explain: (t) => ({
      summary: `CloudTrail cannot use the KMS key${t.kmsKeyId ? ` ${t.kmsKeyId}` : ''} to encrypt the files for ${bucketOf(t)}.`,
      cause:
        'The key was disabled, scheduled for deletion or deleted, or its key policy no longer lets cloudtrail.amazonaws.com use kms:GenerateDataKey* for this trail.',
      checks: [
        'The key state (Enabled, Disabled, PendingDeletion) and its Region: it must be in the bucket’s Region.',
        'The key policy: it must allow cloudtrail.amazonaws.com kms:GenerateDataKey* with the trail’s ARN in the aws:SourceArn or kms:EncryptionContext:aws:cloudtrail:arn condition.',
      ],
      commands: [...kmsCommands(t), statusCommand(t), describeCommand(t)],
    }),
  },
  {
    test: is('AccessDenied', 'InsufficientS3BucketPolicyException', 'AllAccessDisabled', 'AccountProblem'),
    explain: (t) => ({
      summary: `CloudTrail is no longer allowed to write to ${s3Place(t)}.`,
      cause: `The bucket policy${t.kmsKeyId ? ' or the KMS key policy' : ''} no longer lets CloudTrail write: a policy edit, a new Deny, a changed prefix, S3 Object Ownership or a bucket in another account that revoked access.${
        t.kmsKeyId ? '' : ' (With SSE-KMS on the bucket, the key policy too.)'
      }`,
      checks: [
        `The bucket policy must allow cloudtrail.amazonaws.com s3:PutObject on ${s3Place(t)}* (with s3:x-amz-acl bucket-owner-full-control) and s3:GetBucketAcl on the bucket.`,
        ...(t.kmsKeyId
          ? [`The key policy of ${t.kmsKeyId} must allow cloudtrail.amazonaws.com kms:GenerateDataKey* for this trail.`]
          : ['If the bucket encrypts with a KMS key by default, that key policy must let CloudTrail use it.']),
        'Who changed it: look for PutBucketPolicy, DeleteBucketPolicy or PutKeyPolicy in the Events view around the time delivery stopped.',
      ],
      commands: [`aws s3api get-bucket-policy --bucket ${arg(bucketOf(t))}`, ...kmsCommands(t), statusCommand(t)],
    }),
  },
];

const SNS_RULES: Rule[] = [
  {
    test: is('NotFound', 'NotFoundException', 'InvalidParameter', 'InvalidParameterException', 'TopicNotFound'),
    explain: (t) => ({
      summary: `The SNS topic ${t.snsTopicArn ?? '(the trail’s topic)'} does not exist any more.`,
      cause: 'The topic was deleted while the trail still names it. Log files are still delivered; only the notifications stop.',
      checks: ['Re-create the topic, or update the trail: aws cloudtrail update-trail --sns-topic-name … (or remove the topic).'],
      commands: [...(t.snsTopicArn ? [`aws sns get-topic-attributes --topic-arn ${arg(t.snsTopicArn)}`] : []), statusCommand(t)],
    }),
  },
  {
    test: (code) => mentionsKms(code),
    explain: (t) => ({
      summary: `The SNS topic ${t.snsTopicArn ?? ''} is encrypted with a KMS key CloudTrail may not use.`,
      cause: 'The topic’s KMS key policy must let cloudtrail.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt.',
      checks: ['The topic’s KmsMasterKeyId attribute, then that key’s policy.'],
      commands: [...(t.snsTopicArn ? [`aws sns get-topic-attributes --topic-arn ${arg(t.snsTopicArn)}`] : []), statusCommand(t)],
    }),
  },
  {
    test: is('AuthorizationError', 'AuthorizationErrorException', 'AccessDenied', 'AccessDeniedException'),
    explain: (t) => ({
      summary: `CloudTrail is not allowed to publish to ${t.snsTopicArn ?? 'the trail’s SNS topic'}.`,
      cause:
        'The topic’s access policy no longer allows cloudtrail.amazonaws.com sns:Publish. Log files are still delivered; only the notifications stop.',
      checks: ['The topic policy must allow cloudtrail.amazonaws.com sns:Publish on the topic (with the trail’s ARN as aws:SourceArn).'],
      commands: [...(t.snsTopicArn ? [`aws sns get-topic-attributes --topic-arn ${arg(t.snsTopicArn)}`] : []), statusCommand(t)],
    }),
  },
];

const LOGS_RULES: Rule[] = [
  {
    test: is('ResourceNotFoundException', 'ResourceNotFound', 'NotFound'),
    explain: (t) => ({
      summary: `The log group ${t.logGroupArn ?? ''} (or its stream) no longer exists.`,
      cause: 'The log group was deleted while the trail still sends to it. S3 delivery is not affected.',
      checks: ['Re-create the log group, or update the trail’s --cloud-watch-logs-log-group-arn (or remove it).'],
      commands: [
        `aws logs describe-log-groups --log-group-name-prefix ${arg(logGroupName(t.logGroupArn) ?? '<log-group>')}`,
        statusCommand(t),
      ],
    }),
  },
  {
    test: () => true,
    explain: (t) => ({
      summary: `CloudTrail cannot write to CloudWatch Logs through the role ${t.logsRoleArn ?? '(the trail’s CloudWatch Logs role)'}.`,
      cause:
        'The role is gone, its trust policy no longer lets cloudtrail.amazonaws.com assume it, or its policy no longer allows logs:CreateLogStream and logs:PutLogEvents on the log group.',
      checks: [
        'The role exists and trusts cloudtrail.amazonaws.com.',
        `Its policy allows logs:CreateLogStream and logs:PutLogEvents on ${t.logGroupArn ?? 'the log group'}.`,
      ],
      commands: [
        ...(t.logsRoleArn ? [`aws iam get-role --role-name ${arg(t.logsRoleArn.slice(t.logsRoleArn.lastIndexOf('/') + 1))}`] : []),
        statusCommand(t),
      ],
    }),
  },
];

function logGroupName(arn: string | undefined): string | undefined {
  // arn:aws:logs:us-east-1:123456789012:log-group:CloudTrail/DefaultLogGroup:*
  return arn ? /:log-group:([^:]+)/.exec(arn)?.[1] : undefined;
}

function fallback(t: TrailTarget, kind: DeliveryKind, code: string): Omit<Explanation, 'kind' | 'code'> {
  const where =
    kind === 'notification'
      ? (t.snsTopicArn ?? 'the SNS topic')
      : kind === 'cloudWatchLogs'
        ? (t.logGroupArn ?? 'the log group')
        : s3Place(t);
  return {
    summary: `${DELIVERY_LABELS[kind]} to ${where} is failing (${code}).`,
    cause: `CloudTrail reported ${code}, an error of the ${kind === 'notification' ? 'SNS' : kind === 'cloudWatchLogs' ? 'CloudWatch Logs' : 'S3'} API, on its last attempt.`,
    checks: [`What ${code} means for that API, and whether the destination still exists and still lets CloudTrail write.`],
    commands: [statusCommand(t), describeCommand(t)],
  };
}

const RULES: Record<DeliveryKind, Rule[]> = { logs: S3_RULES, digest: S3_RULES, notification: SNS_RULES, cloudWatchLogs: LOGS_RULES };

/** The explanation of one GetTrailStatus error (never throws; an unknown code gets a general one). */
export function explainTrailError(kind: DeliveryKind, code: string, trail: TrailTarget): Explanation {
  const rule = RULES[kind].find((r) => r.test(code));
  const body = rule ? rule.explain(trail, kind) : fallback(trail, kind, code);
  const digestNote =
    kind === 'digest' ? ' Without digest files, log file integrity cannot be validated for that time (aws cloudtrail validate-logs).' : '';
  return { kind, code, ...body, cause: body.cause + digestNote };
}

/** The explanation as plain text lines (CLI, read-only documents). */
export function explanationLines(e: Explanation): string[] {
  return [
    `${DELIVERY_LABELS[e.kind]}: ${e.code}`,
    `  ${e.summary}`,
    `  Why: ${e.cause}`,
    ...e.checks.map((c) => `  Check: ${c}`),
    ...e.commands.map((c) => `  $ ${c}`),
  ];
}
