/** Short human labels for a record, shared by the CLI, the Events tree, hovers and quick picks. */
import type { CloudTrailRecord } from './record';

/** The caller as a person reads it: IAM user name, else the role session name, else the invoking service. */
export function callerName(r: CloudTrailRecord): string | undefined {
  const id = r.userIdentity;
  if (!id) return undefined;
  if (typeof id.userName === 'string' && id.userName) return id.userName;
  if (id.type === 'AssumedRole' && typeof id.arn === 'string') {
    const session = id.arn.split('/').pop();
    if (session) return session;
  }
  if (typeof id.invokedBy === 'string' && id.invokedBy) return id.invokedBy;
  if (id.type === 'Root') return 'root';
  if (typeof id.principalId === 'string' && id.principalId) return id.principalId;
  return typeof id.type === 'string' ? id.type : undefined;
}

/** Like callerName, with the role for assumed-role sessions ("cfn-exec-role/AWSCloudFormation"), where there is room. */
export function actorLabel(r: CloudTrailRecord): string {
  const id = r.userIdentity;
  if (id?.type === 'AssumedRole' && typeof id.arn === 'string') {
    const [, role, session] = id.arn.split('/');
    if (role && session) return `${role}/${session}`;
  }
  return callerName(r) ?? '';
}

/** `backup.amazonaws.com` → `backup`. */
export function serviceLabel(r: CloudTrailRecord): string {
  return String(r.eventSource ?? '').replace(/\.amazonaws\.com$/, '');
}

export type CallKind = 'failed' | 'write' | 'read';

export function callKind(r: CloudTrailRecord): CallKind {
  if (r.errorCode) return 'failed';
  return r.readOnly === true ? 'read' : 'write';
}

/** A session of an AWS service-linked role (`AWSServiceRoleFor…`, `aws-service-role/` in its path), e.g. AWS Config's recorder. */
export function isServiceLinkedRole(record: CloudTrailRecord): boolean {
  const issuer = record.userIdentity?.sessionContext?.sessionIssuer;
  const candidates = [issuer?.userName, issuer?.arn, record.userIdentity?.arn];
  return candidates.some((v) => typeof v === 'string' && (/(^|\/)AWSServiceRoleFor/.test(v) || v.includes('aws-service-role/')));
}

/**
 * A call made by AWS on the account's behalf rather than by someone in it: an `AWSService`
 * identity (`invokedBy` a service, no ARN of the account's), or a service-linked-role session.
 */
export function isAwsServiceCaller(record: CloudTrailRecord): boolean {
  const id = record.userIdentity;
  if (id?.type === 'AWSService') return true;
  if (id && !id.type && !id.arn && typeof id.invokedBy === 'string' && id.invokedBy.endsWith('.amazonaws.com')) return true;
  return isServiceLinkedRole(record);
}
