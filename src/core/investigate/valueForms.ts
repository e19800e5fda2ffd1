/**
 * A value's other forms count as the same value: a KMS key ID, its key ARN and its alias (name and
 * ARN); an IAM role name and its ARN; an S3 bucket name and its ARN. Some links follow from the
 * value alone (an ARN names its key, role or bucket); the rest are learned from events: a CreateKey
 * response holds keyId beside arn, a CreateAlias request names the alias and its target key, and
 * every key ARN seen anywhere ties that key ID to its ARN.
 */
import type { CloudTrailRecord } from '../record';
import { isArn } from './valueKind';

/** What one form of a value is, for a person: "key ARN", "role name". */
export type FormKind = 'key ID' | 'key ARN' | 'alias' | 'alias ARN' | 'role name' | 'role ARN' | 'bucket name' | 'bucket ARN' | 'value';

/** A value and every form of it known, each with what it is; `forms` holds the value itself too. */
export interface ValueForms {
  readonly value: string;
  readonly forms: ReadonlyMap<string, FormKind>;
}

interface ArnParts {
  service: string;
  resource: string;
}

function arnParts(arn: string): ArnParts | undefined {
  if (!isArn(arn)) return undefined;
  const parts = arn.split(':');
  return { service: parts[2], resource: parts.slice(5).join(':') };
}

/** The short form an ARN stands for, with the kinds of both: key/ID → the key ID, role/path/NAME → NAME. */
export function shortForm(arn: string): { short: string; shortKind: FormKind; arnKind: FormKind } | undefined {
  const p = arnParts(arn);
  if (!p) return undefined;
  if (p.service === 'kms') {
    if (p.resource.startsWith('key/') && p.resource.length > 4)
      return { short: p.resource.slice(4), shortKind: 'key ID', arnKind: 'key ARN' };
    if (p.resource.startsWith('alias/') && p.resource.length > 6) return { short: p.resource, shortKind: 'alias', arnKind: 'alias ARN' };
  }
  if (p.service === 'iam' && p.resource.startsWith('role/')) {
    const name = p.resource.slice(p.resource.lastIndexOf('/') + 1);
    if (name) return { short: name, shortKind: 'role name', arnKind: 'role ARN' };
  }
  if (p.service === 's3' && p.resource !== '' && !p.resource.includes('/')) {
    return { short: p.resource, shortKind: 'bucket name', arnKind: 'bucket ARN' };
  }
  return undefined;
}

const MAX_DEPTH = 32;
const MAX_CLASS = 64;

/** The forms learned from events: an undirected graph of "same value" links, each end with its kind. */
export class FormsIndex {
  private readonly links = new Map<string, Set<string>>();
  private readonly kinds = new Map<string, FormKind>();

  /** Learns every link one record shows. */
  learn(record: CloudTrailRecord): void {
    this.walk(record, 0);
    const req = record.requestParameters;
    // CreateAlias / UpdateAlias name an alias and the key it points to (a failed call proves nothing).
    if (!record.errorCode && req && typeof req.aliasName === 'string' && typeof req.targetKeyId === 'string') {
      this.link(req.aliasName, 'alias', req.targetKeyId, isArn(req.targetKeyId) ? 'key ARN' : 'key ID');
    }
  }

  learnAll(records: Iterable<CloudTrailRecord>): this {
    for (const r of records) this.learn(r);
    return this;
  }

  private walk(node: unknown, depth: number): void {
    if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) {
        if (typeof item === 'string') this.learnString(item);
        else this.walk(item, depth + 1);
      }
      return;
    }
    const obj = node as Record<string, unknown>;
    // An object naming a thing and giving its ARN beside it: keyMetadata {keyId, arn}, role {roleName, arn}.
    const arn = typeof obj.arn === 'string' ? obj.arn : typeof obj.Arn === 'string' ? obj.Arn : undefined;
    if (arn) {
      const s = shortForm(arn);
      for (const [key, kind] of [
        ['keyId', 'key ID'],
        ['KeyId', 'key ID'],
        ['roleName', 'role name'],
        ['RoleName', 'role name'],
        ['aliasName', 'alias'],
      ] as const) {
        const v = obj[key];
        if (typeof v === 'string' && s && s.shortKind === kind) this.link(v, kind, arn, s.arnKind);
      }
    }
    for (const value of Object.values(obj)) {
      if (typeof value === 'string') this.learnString(value);
      else this.walk(value, depth + 1);
    }
  }

  private learnString(s: string): void {
    if (!s.startsWith('arn:')) return;
    const f = shortForm(s);
    if (f) this.link(s, f.arnKind, f.short, f.shortKind);
  }

  private link(a: string, aKind: FormKind, b: string, bKind: FormKind): void {
    if (a === b) return;
    this.note(a, aKind).add(b);
    this.note(b, bKind).add(a);
  }

  private note(s: string, kind: FormKind): Set<string> {
    if (!this.kinds.has(s)) this.kinds.set(s, kind);
    let set = this.links.get(s);
    if (!set) this.links.set(s, (set = new Set()));
    return set;
  }

  /** The value and every form linked to it, directly or through others (a key ID → its ARN → its alias). */
  formsOf(value: string): ValueForms {
    const forms = new Map<string, FormKind>();
    const queue: string[] = [value];
    const derived = shortForm(value);
    forms.set(value, this.kinds.get(value) ?? derived?.arnKind ?? 'value');
    if (derived) {
      forms.set(derived.short, derived.shortKind);
      queue.push(derived.short);
    }
    while (queue.length && forms.size < MAX_CLASS) {
      const next = queue.shift() as string;
      for (const other of this.links.get(next) ?? []) {
        if (forms.has(other)) continue;
        forms.set(other, this.kinds.get(other) ?? 'value');
        queue.push(other);
      }
    }
    // Once the class is known, the value itself is named by what it was linked as (a key ID, not "value").
    if (forms.get(value) === 'value') {
      const kind = this.kinds.get(value);
      if (kind) forms.set(value, kind);
    }
    return { value, forms };
  }
}

/** Forms of a value known from the value alone (an ARN's short form) and from `records`. */
export function formsOf(value: string, records: Iterable<CloudTrailRecord> = []): ValueForms {
  return new FormsIndex().learnAll(records).formsOf(value);
}

/** Whether any string in `node` contains one of the forms: every record that can link a form holds one. */
export function mentions(node: unknown, forms: ValueForms): boolean {
  const stack: unknown[] = [node];
  let budget = 100_000;
  while (stack.length && budget-- > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      for (const f of forms.forms.keys()) if (v.includes(f)) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push(child);
    }
  }
  return false;
}

/**
 * The same as formsOf(value, records), learning only from the records that mention a form already
 * known (each round may add forms: the key ID finds CreateKey's ARN, the ARN finds the alias), so
 * a week of events costs a few quick scans instead of learning from every record.
 */
export function formsAmong(records: readonly CloudTrailRecord[], value: string): ValueForms {
  let forms = formsOf(value);
  for (let round = 0; round < 4; round++) {
    const index = new FormsIndex();
    for (const r of records) if (mentions(r, forms)) index.learn(r);
    const next = index.formsOf(value);
    const grew = next.forms.size > forms.forms.size;
    forms = next;
    if (!grew) break;
  }
  return forms;
}

/** The ARN among a value's forms, of the kind a short form stands for (key ARN for a key ID). */
export function arnForm(forms: ValueForms): string | undefined {
  const given = forms.forms.get(forms.value);
  const want: FormKind | undefined =
    given === 'key ID'
      ? 'key ARN'
      : given === 'alias'
        ? 'alias ARN'
        : given === 'role name'
          ? 'role ARN'
          : given === 'bucket name'
            ? 'bucket ARN'
            : undefined;
  for (const [form, kind] of forms.forms) if (form !== forms.value && (want ? kind === want : isArn(form))) return form;
  return undefined;
}

/** Below this length a form must equal a value; at or above it, a value containing it counts (a policy text holding an ARN). */
export const MIN_SUBSTRING = 8;

/**
 * Which form of the value `candidate` holds: equal to one, an ARN standing for one, or (forms of 8
 * characters or more) containing one. Undefined when it holds none.
 */
export function formIn(candidate: string, forms: ValueForms): string | undefined {
  if (forms.forms.has(candidate)) return candidate;
  // Every match below contains a form (an ARN contains its short form): most strings stop here.
  let any = false;
  for (const form of forms.forms.keys()) {
    if (candidate.includes(form)) {
      any = true;
      break;
    }
  }
  if (!any) return undefined;
  if (candidate.startsWith('arn:')) {
    const s = shortForm(candidate);
    if (s && forms.forms.has(s.short)) return candidate;
  }
  let found: string | undefined;
  // The longest form contained: a policy holding the key ARN holds the ARN, not just the ID inside it.
  for (const form of forms.forms.keys()) {
    if (form.length >= MIN_SUBSTRING && form.length > (found?.length ?? 0) && candidate.includes(form)) found = form;
  }
  return found;
}
