/**
 * Pure helpers for the Events view: who made a call, which service, relative times, day/hour
 * grouping and the view message (the noise rules are core/noise.ts). No `vscode` here so plain Node tests cover it.
 */
import type { CloudTrailRecord, LookupAttribute } from '../../core/record';
import { oneLine } from '../../core/text';

export type GroupBy = 'day' | 'hour';

export interface EventGroup {
  /** "2024-08-08" (day) or "2024-08-08T05" (hour), UTC: also the tree item id. */
  key: string;
  label: string;
  records: CloudTrailRecord[];
}

/** "just now", "3 min ago", "2 h ago", "5 days ago". */
export function relativeTime(eventTime: string, now: number): string {
  const ms = now - Date.parse(eventTime);
  if (Number.isNaN(ms)) return '';
  if (ms < 0) return 'in the future';
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function groupKey(eventTime: string, by: GroupBy): string {
  const iso = new Date(Date.parse(eventTime)).toISOString();
  return by === 'hour' ? iso.slice(0, 13) : iso.slice(0, 10);
}

export function groupLabel(key: string, by: GroupBy, now: number): string {
  const day = key.slice(0, 10);
  const today = new Date(now).toISOString().slice(0, 10);
  const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const weekday = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];
  const name = day === today ? 'Today' : day === yesterday ? 'Yesterday' : weekday;
  return by === 'hour' ? `${name} ${day} ${key.slice(11, 13)}:00 UTC` : `${name} ${day} UTC`;
}

/** Groups records (already newest first) under day or hour headers, UTC. */
export function groupRecords(records: readonly CloudTrailRecord[], by: GroupBy, now: number): EventGroup[] {
  const groups: EventGroup[] = [];
  let current: EventGroup | undefined;
  for (const r of records) {
    if (Number.isNaN(Date.parse(r.eventTime))) continue;
    const key = groupKey(r.eventTime, by);
    if (!current || current.key !== key) {
      current = { key, label: groupLabel(key, by, now), records: [] };
      groups.push(current);
    }
    current.records.push(r);
  }
  return groups;
}

export function describeAttribute(attribute: LookupAttribute | undefined): string | undefined {
  return attribute ? `${attribute.key} = ${attribute.value}` : undefined;
}

/** "15 minutes", "24 hours", "3 days" for a window length. */
export function describeDuration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} minute${min === 1 ? '' : 's'}`;
  const h = min / 60;
  if (h <= 48 && Number.isInteger(h)) return `${h} hour${h === 1 ? '' : 's'}`;
  const d = Math.round(h / 24);
  return `${d} day${d === 1 ? '' : 's'}`;
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function mmddhhmm(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/**
 * "20:46–21:30 UTC", "20:46–21:30, 19:01–19:31 UTC" (newest first), dates when the stretches are not
 * all in one UTC day; more than three stretches are summarised.
 */
export function describeSpans(list: readonly { start: number; end: number }[]): string {
  if (!list.length) return '';
  const sorted = [...list].sort((a, b) => b.start - a.start);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  // A stretch ending exactly at midnight (an hour header's end) still belongs to the day it ends.
  const endDay = (i: { start: number; end: number }) => day(i.end > i.start ? i.end - 1 : i.end);
  const oneDay = sorted.every((i) => day(i.start) === endDay(sorted[0]) && endDay(i) === endDay(sorted[0]));
  const fmt = oneDay ? hhmm : mmddhhmm;
  if (sorted.length > 3) {
    return `${sorted.length} stretches between ${fmt(sorted[sorted.length - 1].start)} and ${fmt(sorted[0].end)} UTC`;
  }
  return `${sorted.map((i) => `${fmt(i.start)}–${fmt(i.end)}`).join(', ')} UTC`;
}

/** "10:05–14:20 UTC" within a day, "08-07 22:10–08-08 14:20 UTC" across days. */
export function describeSpan(oldest: number, newest: number): string {
  return describeSpans([{ start: oldest, end: newest }]);
}

export interface MessageParts {
  /** The range asked for: "Last 90 days", "08-08 09:00–10:30 UTC". */
  range: string;
  /** Every filter CloudTrail applies: "EventSource = backup.amazonaws.com", "read-only calls left out (ReadOnly = false)". */
  filters: readonly string[];
  /** The filter pattern, when one picks what is shown. */
  pattern?: string;
  /** Events shown (loaded, matching the pattern, not hidden). */
  shown: number;
  /** Events loaded, whether shown or not (said only with a pattern). */
  scanned?: number;
  hidden: number;
  /** The stretches of time loaded. */
  loaded: readonly { start: number; end: number }[];
}

/**
 * The view message: what was asked, then what is loaded —
 * "Last 90 days · EventSource = backup.amazonaws.com · 312 events loaded: 10:05–14:20 UTC · 40 hidden by noise rules";
 * with a pattern, "Last 90 days · { $.errorCode = "AccessDenied" } · 3 shown of 1,250 scanned: 10:05–14:20 UTC".
 */
export function viewMessage(m: MessageParts): string {
  const parts = [m.range, ...m.filters];
  if (m.pattern !== undefined) parts.push(oneLine(m.pattern, 120));
  const count =
    m.pattern !== undefined
      ? `${m.shown.toLocaleString('en-US')} shown of ${(m.scanned ?? m.shown).toLocaleString('en-US')} scanned`
      : `${m.shown} event${m.shown === 1 ? '' : 's'} loaded`;
  parts.push(m.loaded.length ? `${count}: ${describeSpans(m.loaded)}` : count);
  if (m.hidden > 0) parts.push(`${m.hidden} hidden by noise rules`);
  return parts.join(' · ');
}
