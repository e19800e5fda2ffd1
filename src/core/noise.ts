/**
 * Noise rules: which events the Events view, the CLI and the error summary leave out by default.
 * Built-in rules (service-linked roles, read-only calls, calls AWS services make on a caller's
 * behalf) and custom rules written as CloudWatch Logs filter patterns (core/filter/pattern.ts).
 */
import { parseFilterPattern } from './filter/pattern';
import type { CloudTrailRecord } from './record';

export interface NoiseRule {
  readonly id: string;
  readonly label: string;
  matches(r: CloudTrailRecord): boolean;
}

/** The Events view's two original switches (settings trailLens.noise.*). */
export interface NoiseRules {
  hideServiceLinkedRoles: boolean;
  hideReadOnly: boolean;
}

/** A call made as a service-linked role (`AWSServiceRoleFor…`, path `aws-service-role/`). */
export function isServiceLinkedRole(record: CloudTrailRecord): boolean {
  const issuer = record.userIdentity?.sessionContext?.sessionIssuer;
  const candidates = [issuer?.userName, issuer?.arn, record.userIdentity?.arn];
  return candidates.some((v) => typeof v === 'string' && (/(^|\/)AWSServiceRoleFor/.test(v) || v.includes('aws-service-role/')));
}

/** An AWS service principal as CloudTrail writes it in `invokedBy`: `cloudformation.amazonaws.com`, `AWS Internal`. */
const SERVICE_PRINCIPAL = /^([a-z0-9-]+\.)+amazonaws\.com(\.cn)?$|^AWS Internal$/;

/**
 * A call an AWS service made: on a caller's behalf (`userIdentity.invokedBy` is a service principal)
 * or as itself (identity type `AWSService`) — docs/cloudtrail.md §4.
 */
export function isAwsServiceCall(record: CloudTrailRecord): boolean {
  const id = record.userIdentity;
  if (!id || typeof id !== 'object') return false;
  if (id.type === 'AWSService') return true;
  return typeof id.invokedBy === 'string' && SERVICE_PRINCIPAL.test(id.invokedBy);
}

/** The built-in rules, in the order the view lists them: ids 'serviceLinkedRoles', 'readOnly', 'awsServices'. */
export function builtInNoiseRules(): readonly NoiseRule[] {
  return [
    { id: 'serviceLinkedRoles', label: 'service-linked roles', matches: isServiceLinkedRole },
    { id: 'readOnly', label: 'read-only calls', matches: (r) => r.readOnly === true },
    { id: 'awsServices', label: 'calls made by AWS services', matches: isAwsServiceCall },
  ];
}

/** A rule from a filter pattern; id `custom:<label>`. Throws FilterPatternError when the pattern does not parse. */
export function customNoiseRule(label: string, pattern: string): NoiseRule {
  const parsed = parseFilterPattern(pattern);
  return { id: `custom:${label}`, label, matches: (r) => parsed.matches(r) };
}

/**
 * Splits records into those shown and the count each rule hid (an event two rules match counts for
 * the first). `keep` events (pinned ones) are always shown.
 */
export function applyNoise<T extends CloudTrailRecord>(
  records: readonly T[],
  rules: readonly NoiseRule[],
  keep?: (r: T) => boolean,
): { shown: T[]; hidden: Map<string, number> } {
  const shown: T[] = [];
  const hidden = new Map<string, number>();
  for (const r of records) {
    const rule = keep?.(r) ? undefined : rules.find((x) => x.matches(r));
    if (rule) hidden.set(rule.id, (hidden.get(rule.id) ?? 0) + 1);
    else shown.push(r);
  }
  return { shown, hidden };
}

/** The built-in rules the original switches turn on. */
export function rulesFromSwitches(rules: NoiseRules): NoiseRule[] {
  return builtInNoiseRules().filter(
    (r) => (r.id === 'serviceLinkedRoles' && rules.hideServiceLinkedRoles) || (r.id === 'readOnly' && rules.hideReadOnly),
  );
}

/** Whether the switches' rules hide the record (the Events view's noise pass before custom rules). */
export function isNoise(record: CloudTrailRecord, rules: NoiseRules): boolean {
  return rulesFromSwitches(rules).some((r) => r.matches(record));
}
