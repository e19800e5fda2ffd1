/**
 * What a scalar value looks like: an ARN, a KMS key ID, an alias, a role or bucket name, an account ID.
 * The value's own shape decides where it can (a UUID, `alias/…`, an ARN); the parameter's name breaks
 * ties for plain names (`roleArn: "deploy"` is a role name, `bucketArn: "logs"` a bucket name).
 */

export type ValueKind = 'arn' | 'kms-key-id' | 'kms-alias' | 'role-name' | 'bucket-name' | 'account-id' | 'resource-id' | 'name' | 'empty';

/** `arn:partition:service:region:account:resource` (the ARN reference); region and account may be empty. */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws|)?:.+$/;
/**
 * KMS key IDs: a UUID for single-Region keys (any letters: published records are often anonymised),
 * `mrk-` and 32 hex digits for multi-Region keys.
 */
const KEY_ID = /^(?:[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}|mrk-[0-9a-f]{32})$/i;
const ALIAS = /^alias\/[A-Za-z0-9/_-]+$/;
const ACCOUNT = /^\d{12}$/;
/** IAM role names: 1–64 of letters, digits and +=,.@_- (the IAM quotas reference). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** S3 general-purpose bucket names: 3–63 of lower-case letters, digits, dots and hyphens. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** IDs with a service prefix: subnet-…, sg-…, vpc-…, i-…, ami-… */
const PREFIXED_ID = /^[a-z]{1,12}-[0-9a-f]{8,17}$/;

export function isArn(value: string): boolean {
  return ARN.test(value);
}

/** The words of a parameter name, lower-case: `encryptionKeyArn` → encryption, key, arn. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** What `value` looks like, with the name of the parameter that holds it as a hint (optional). */
export function valueKind(value: string, name = ''): ValueKind {
  const v = value.trim();
  if (v === '') return 'empty';
  if (isArn(v)) return 'arn';
  const hint = new Set(words(name));
  const aboutKey = hint.has('key') || hint.has('kms');
  if (ALIAS.test(v)) return 'kms-alias';
  if (/^mrk-/.test(v) && KEY_ID.test(v)) return 'kms-key-id';
  if (KEY_ID.test(v)) return aboutKey ? 'kms-key-id' : 'resource-id';
  if (ACCOUNT.test(v)) return 'account-id';
  if (PREFIXED_ID.test(v)) return 'resource-id';
  if (hint.has('role') && ROLE_NAME.test(v)) return 'role-name';
  if (hint.has('bucket') && BUCKET_NAME.test(v)) return 'bucket-name';
  return 'name';
}

/** How a message names each kind: "looks like a KMS key ID". */
export const KIND_TEXT: Record<ValueKind, string> = {
  arn: 'an ARN',
  'kms-key-id': 'a KMS key ID',
  'kms-alias': 'a KMS alias name',
  'role-name': 'an IAM role name',
  'bucket-name': 'an S3 bucket name',
  'account-id': 'an AWS account ID',
  'resource-id': 'a resource ID',
  name: 'a plain name',
  empty: 'an empty string',
};
