/**
 * Comparing two records: both pretty-printed with every object's keys sorted, so a diff shows
 * what differs and not the order a service happened to write its fields in.
 */
import { toJson } from '../json';
import type { CloudTrailRecord } from '../record';

/** Deeper than this, values are kept as they are (key order unsorted): a record is far shallower. */
const MAX_SORT_DEPTH = 200;

/** A copy of `value` with every object's keys in sorted order (arrays keep their order). */
export function sortKeys(value: unknown, depth = 0): unknown {
  if (depth > MAX_SORT_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => sortKeys(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

/** The record as the diff editor shows it: sorted keys, two-space indent, a final newline. */
export function stableJson(record: unknown): string {
  return `${toJson(sortKeys(record), 2) ?? 'null'}\n`;
}

/** Top-level fields (and the first level under requestParameters, responseElements, userIdentity) whose values differ. */
export function differingFields(a: CloudTrailRecord, b: CloudTrailRecord): string[] {
  const out: string[] = [];
  const same = (x: unknown, y: unknown) => toJson(sortKeys(x)) === toJson(sortKeys(y));
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (same(x, y)) continue;
    const nested = ['requestParameters', 'responseElements', 'userIdentity'].includes(key);
    if (nested && isObject(x) && isObject(y)) {
      for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) if (!same(x[k], y[k])) out.push(`${key}.${k}`);
    } else out.push(key);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
