/**
 * The Events view's time range and the parser for a custom one. Pure (no vscode): unit-tested.
 * LookupEvents keeps 90 days, so nothing older is accepted.
 */
import { parseDuration } from '../../core/time';

export type TimeRange = { kind: 'relative'; ms: number } | { kind: 'absolute'; start: Date; end: Date };

export const MAX_RANGE_MS = 90 * 24 * 3600_000;

/** A TimeRange, or a message saying what is wrong with the text. */
export function parseRange(text: string, now: number): TimeRange | string {
  const value = text.trim();
  if (!value) return 'Enter a duration such as 24h, or a start and end time';
  const parts = value.split(/\s*\/\s*|\s+(?=\d{4}-)/).filter(Boolean);
  if (parts.length === 1 && !/^\d{4}-\d{2}-\d{2}/.test(parts[0])) {
    let ms: number;
    try {
      ms = parseDuration(parts[0]);
    } catch (err) {
      return err instanceof Error ? err.message : 'Not a duration: try 15m, 6h or 7d';
    }
    if (!(ms > 0)) return 'The duration must be longer than zero';
    if (ms > MAX_RANGE_MS) return 'CloudTrail Event history keeps 90 days: use 90d or less';
    return { kind: 'relative', ms };
  }
  if (parts.length !== 2) return 'Enter a start and an end time separated by "/", e.g. 2024-08-08T09:00Z/2024-08-08T10:00Z';
  const [start, end] = parts.map((p) => parseTime(p));
  if (start === undefined) return `Not a date/time: ${parts[0]}`;
  if (end === undefined) return `Not a date/time: ${parts[1]}`;
  if (start >= end) return 'The start must be before the end';
  if (start < now - MAX_RANGE_MS) return 'CloudTrail Event history keeps 90 days: the start is older than that';
  if (start > now) return 'The start is in the future';
  return { kind: 'absolute', start: new Date(start), end: new Date(Math.min(end, now)) };
}

/** ISO 8601; a time without an offset is read as UTC (CloudTrail's eventTime is UTC). */
function parseTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const withTime = text.length === 10 ? `${text}T00:00` : text;
  const t = Date.parse(hasZone ? withTime : `${withTime}Z`);
  return Number.isNaN(t) ? undefined : t;
}
