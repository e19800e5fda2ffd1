/**
 * Short, human labels for a record (panel titles, quick picks, hovers, messages).
 * Times are shown in the machine's local zone, like the CloudTrail console; the JSON keeps UTC.
 */
import type { CloudTrailRecord } from '../core/record';
import { oneLine } from '../core/text';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function localDate(record: CloudTrailRecord): Date | undefined {
  const d = new Date(record.eventTime);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "14:49:02" (local), or the raw eventTime when it does not parse. */
export function shortTime(record: CloudTrailRecord): string {
  const d = localDate(record);
  if (!d) return String(record.eventTime ?? '');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "2024-08-08 14:49:02" (local). */
export function dateTime(record: CloudTrailRecord): string {
  const d = localDate(record);
  if (!d) return String(record.eventTime ?? '');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${shortTime(record)}`;
}

/** "CreateBackupVault · 14:49:02" — the panel title. */
export function eventTitle(record: CloudTrailRecord): string {
  return `${oneLine(record.eventName, 80) || 'Event'} · ${shortTime(record)}`;
}

/** Event fields are attacker-controlled: one line, bounded length, no control characters. */
export { oneLine } from '../core/text';
