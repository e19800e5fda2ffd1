/**
 * Pure helpers about JSON values shown in the panel: paths, redaction markers, which values can be followed.
 * No DOM here, so the unit tier can test them in plain Node.
 */
import { isRedacted } from '../src/core/record.js';
import { toJson } from '../src/core/json.js';

export { isRedacted };
export { childPath } from '../src/core/investigate/paths.js';

/** Longest value offered to "Find events with this value" from a row (a policy document is not). */
const MAX_FOLLOW = 2048;

/** Whether a value can be followed to other events: any non-empty scalar but a redaction marker. */
export function followable(value: unknown): value is string | number | boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_FOLLOW && !isRedacted(value);
}

export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array' | 'redacted';

export function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isRedacted(value)) return 'redacted';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'object';
  }
}

/** The text a person copies for a value: strings raw, containers as pretty JSON. */
export function copyText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return toJson(value, 2) ?? String(value);
}

/** The text shown (and searched) for a leaf value, without quotes. */
export function leafText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return String(value);
}

/** Keys of an object or indexes of an array, as [key, value] pairs. */
export function entries(value: unknown): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  if (typeof value === 'object' && value !== null) return Object.entries(value as Record<string, unknown>);
  return [];
}

export function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** How many entries an object or array has (0 for anything else), without listing them. */
export function sizeOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return 0;
}

/** "{4}" or "[3]" for collapsed containers. */
export function countLabel(value: unknown, size = sizeOf(value)): string {
  return Array.isArray(value) ? `[${size}]` : `{${size}}`;
}

/**
 * eventTime as UTC, and as local time (with zone) when that reads differently; undefined when it does
 * not parse. Where the local zone is UTC (or on UTC at that moment) `local` is absent: one time, not two.
 */
export function formatEventTime(iso: unknown, locale?: string, timeZone?: string): { local?: string; utc: string } | undefined {
  if (typeof iso !== 'string') return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const d = new Date(ms);
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  };
  const wall = (tz?: string) => new Intl.DateTimeFormat(locale, { ...options, ...(tz ? { timeZone: tz } : {}) }).format(d);
  const utc = d.toISOString().replace('.000Z', 'Z').replace('T', ' ').replace('Z', ' UTC');
  if (wall() === wall('UTC')) return { utc };
  return { local: new Intl.DateTimeFormat(locale, { ...options, timeZoneName: 'short' }).format(d), utc };
}
