/** Short human labels for a record, shared by the CLI table, the tree and hovers. */
import type { CloudTrailRecord } from './record';

/** Who made the call: IAM user name, role session, root, or the AWS service that invoked it. */
export function actorLabel(r: CloudTrailRecord): string {
  const ui = r.userIdentity;
  if (!ui) return '';
  if (ui.type === 'Root') return 'root';
  if (ui.userName) return ui.userName;
  if (ui.type === 'AssumedRole' && typeof ui.arn === 'string') {
    const [, role, session] = ui.arn.split('/');
    return session ? `${role}/${session}` : ui.arn;
  }
  if (ui.invokedBy) return ui.invokedBy;
  return ui.arn ?? ui.principalId ?? ui.type ?? '';
}

/** `backup.amazonaws.com` → `backup`. */
export function serviceLabel(r: CloudTrailRecord): string {
  return (r.eventSource ?? '').replace(/\.amazonaws\.com$/, '');
}

export type CallKind = 'failed' | 'write' | 'read';

export function callKind(r: CloudTrailRecord): CallKind {
  if (r.errorCode) return 'failed';
  return r.readOnly === true ? 'read' : 'write';
}

/** One line: "14:49:02Z backup CreateBackupVault by cloudformation.amazonaws.com — InvalidParameterValueException". */
export function oneLine(r: CloudTrailRecord): string {
  const who = actorLabel(r);
  const err = r.errorCode ? ` — ${r.errorCode}` : '';
  return `${r.eventTime} ${serviceLabel(r)} ${r.eventName}${who ? ` by ${who}` : ''}${err}`;
}
