/**
 * The names a resource goes by, for LookupEvents' ResourceName attribute (docs/cloudtrail.md §8):
 * an ARN and its bare name, and the resources an event names. SDK-free: the extension's pickers and
 * the engine's history search both use it.
 */
import type { CloudTrailRecord } from '../record';

/** LookupEvents attribute values are 1–2000 characters. */
export const MAX_VALUE = 2000;
const ARN = /^arn:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9-]*:\d*:.+$/;

export function isArn(value: string): boolean {
  return ARN.test(value);
}

/** The resource part of an ARN, after the service's `type/` or `type:` prefix: `key/1234` → `1234`, `arn:aws:s3:::b` → `b`. */
export function arnResourceName(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const resource = parts.slice(5).join(':');
  const last = resource.split(/[/:]/).pop();
  return last || undefined;
}

/**
 * The forms to look a resource up by: the value itself; for an ARN also its bare name; for a name
 * also every known ARN (from loaded events' `resources`) that ends in it. Each once, valid lengths only.
 */
export function resourceForms(value: string, knownArns: Iterable<string> = []): string[] {
  const v = value.trim();
  const forms = [v];
  if (isArn(v)) {
    const name = arnResourceName(v);
    if (name) forms.push(name);
  } else {
    for (const arn of knownArns) if (isArn(arn) && arnResourceName(arn) === v) forms.push(arn);
  }
  return [...new Set(forms)].filter((f) => f.length >= 1 && f.length <= MAX_VALUE);
}

export interface ResourceCandidate {
  value: string;
  /** Where in the record it is: "resources[0]", "requestParameters.backupVaultName". */
  where: string;
}

const NAME_KEY = /(Arn|ARN|Name|Id|ID|Identifier)$/;
const MAX_CANDIDATES = 30;

/**
 * Resources an event names: its `resources` ARNs, then ARNs anywhere in its parameters and
 * response, then values of parameters named like a resource (`…Name`, `…Id`, `…Arn`). Each once.
 */
export function resourceCandidates(r: CloudTrailRecord): ResourceCandidate[] {
  const out = new Map<string, ResourceCandidate>();
  const add = (value: unknown, where: string) => {
    if (typeof value !== 'string' || !value || value.length > MAX_VALUE || out.size >= MAX_CANDIDATES || out.has(value)) return;
    out.set(value, { value, where });
  };
  (Array.isArray(r.resources) ? r.resources : []).forEach((res, i) => add(res?.ARN, `resources[${i}]`));
  const walk = (node: unknown, path: string, depth: number, named: boolean) => {
    if (depth > 12 || node === null || node === undefined) return;
    if (typeof node === 'string') {
      if (isArn(node) || named) add(node, path);
      return;
    }
    if (typeof node !== 'object') return;
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}[${i}]`, depth + 1, named));
    else for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`, depth + 1, NAME_KEY.test(k));
  };
  walk(r.requestParameters, 'requestParameters', 0, false);
  walk(r.responseElements, 'responseElements', 0, false);
  return [...out.values()];
}
