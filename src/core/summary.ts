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
