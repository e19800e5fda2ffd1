/**
 * Value provenance: which events hold a value (in any of its forms), and what each did with it.
 * An event that returned it in responseElements without being given it PRODUCED it (CreateKey's
 * keyMetadata.keyId); one that was passed it in requestParameters CONSUMED it, even when the
 * response echoes it back (ScheduleKeyDeletion returns the keyId it was given). Anywhere else
 * (resources, additionalEventData) it is only mentioned.
 */
import type { CloudTrailRecord } from '../record';
import { childPath } from './paths';
import { formIn, mentions, shortForm, type FormKind, type ValueForms } from './valueForms';
import { isArn } from './valueKind';
import type { ShapeProblem } from './shape';

export type ValueRole = 'produced' | 'consumed' | 'mentioned';

/** One place an event holds the value. */
export interface ValueHit {
  /** e.g. responseElements.keyMetadata.keyId */
  readonly path: string;
  /** The form found there (the key ID, its ARN, the alias). */
  readonly form: string;
  readonly formKind: FormKind;
  /** An ARN beside it in the same object (keyMetadata.arn beside keyMetadata.keyId), when the hit is not an ARN. */
  readonly beside?: { readonly path: string; readonly arn: string };
}

export interface ValueHolder {
  readonly record: CloudTrailRecord;
  readonly role: ValueRole;
  readonly hits: readonly ValueHit[];
}

const MAX_HITS = 8;
const MAX_DEPTH = 32;

/** A sibling whose name promises an ARN and whose value is one: `arn`, `keyArn`, `RoleArn`. */
function arnBeside(obj: Record<string, unknown>, parent: string, except: string): { path: string; arn: string } | undefined {
  for (const [k, v] of Object.entries(obj)) {
    if (k !== except && typeof v === 'string' && isArn(v) && /(?:^arn|Arn|ARN)$/i.test(k)) return { path: childPath(parent, k), arn: v };
  }
  return undefined;
}

function kindOfForm(form: string, forms: ValueForms): FormKind {
  return forms.forms.get(form) ?? shortForm(form)?.arnKind ?? 'value';
}

/** Every place (up to 8) in `record` holding a form of the value, in document order. */
export function hitsIn(record: CloudTrailRecord, forms: ValueForms): ValueHit[] {
  const out: ValueHit[] = [];
  // Keys from the root, so a path is only built for a hit (most values are not).
  const keys: (string | number)[] = [];
  const pathTo = (k: string | number) => [...keys, k].reduce<string>((p, key) => childPath(p, key), '');
  const walk = (node: unknown, depth: number): void => {
    if (out.length >= MAX_HITS || depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
    const isList = Array.isArray(node);
    for (const [k, v] of isList ? (node as unknown[]).entries() : Object.entries(node as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object') {
        keys.push(k);
        walk(v, depth + 1);
        keys.pop();
      } else if (v !== null && v !== undefined) {
        const form = formIn(String(v), forms);
        if (form === undefined) continue;
        const formKind = kindOfForm(form, forms);
        const parent = keys.reduce<string>((p, key) => childPath(p, key), '');
        const beside = !isList && !isArn(String(v)) ? arnBeside(node as Record<string, unknown>, parent, String(k)) : undefined;
        const path = pathTo(k);
        out.push(beside ? { path, form, formKind, beside } : { path, form, formKind });
        if (out.length >= MAX_HITS) return;
      }
    }
  };
  walk(record, 0);
  return out;
}

const under = (paths: readonly string[], top: string) => paths.some((p) => p === top || p.startsWith(`${top}.`) || p.startsWith(`${top}[`));

/** What the paths holding a value say the event did with it (see the file comment). */
export function roleOf(paths: readonly string[]): ValueRole {
  if (under(paths, 'requestParameters')) return 'consumed';
  if (under(paths, 'responseElements')) return 'produced';
  return 'mentioned';
}

/** The events (other than `exclude`, each once) holding a form of the value, with their role. */
export function holdersIn(records: Iterable<CloudTrailRecord>, forms: ValueForms, exclude?: string): ValueHolder[] {
  const seen = new Set<string>(exclude ? [exclude] : []);
  const out: ValueHolder[] = [];
  for (const record of records) {
    if (seen.has(record.eventID) || !mentions(record, forms)) continue;
    const hits = hitsIn(record, forms);
    if (hits.length === 0) continue;
    seen.add(record.eventID);
    out.push({ record, role: roleOf(hits.map((h) => h.path)), hits });
  }
  return out;
}

export interface Provenance {
  /** Events that returned the value, the one nearest before `at` first (then later ones). */
  readonly produced: ValueHolder[];
  /** Events that were passed it, newest first. */
  readonly consumed: ValueHolder[];
  readonly mentioned: ValueHolder[];
}

/**
 * Holders split by role. Producers are ordered by how likely each is the value's origin for an event
 * at `at`: the nearest one before it first, then any after it (nearest first).
 */
export function classify(holders: readonly ValueHolder[], at?: number): Provenance {
  const t = (h: ValueHolder) => Date.parse(h.record.eventTime);
  const newest = (a: ValueHolder, b: ValueHolder) => t(b) - t(a);
  const origin = (a: ValueHolder, b: ValueHolder) => {
    if (at === undefined) return newest(a, b);
    const before = (h: ValueHolder) => t(h) <= at;
    if (before(a) !== before(b)) return before(a) ? -1 : 1;
    return before(a) ? t(b) - t(a) : t(a) - t(b);
  };
  return {
    produced: holders.filter((h) => h.role === 'produced').sort(origin),
    consumed: holders.filter((h) => h.role === 'consumed').sort(newest),
    mentioned: holders.filter((h) => h.role === 'mentioned').sort(newest),
  };
}

/**
 * The ARN a flagged parameter should have held, when its producer is known: the ARN the producer
 * returned beside the value (CreateKey's keyMetadata.arn), else one the forms learned.
 */
export function shouldHaveBeen(problem: ShapeProblem, producer: ValueHolder | undefined, forms: ValueForms): string | undefined {
  const beside = producer?.hits.find((h) => h.beside && h.form === problem.value)?.beside ?? producer?.hits.find((h) => h.beside)?.beside;
  if (beside) return beside.arn;
  const fromProducer = producer?.hits.find((h) => isArn(h.form))?.form;
  if (fromProducer) return fromProducer;
  for (const [form] of forms.forms) if (isArn(form) && shortForm(form)?.short === problem.value) return form;
  return undefined;
}
