/**
 * Which stretches of time the Events view has actually loaded, and the rows that say so. Pure (no
 * `vscode`): unit-tested in plain Node. The view never presents unloaded time as loaded: the time
 * between loaded stretches is a gap with a row of its own, a day or hour header that is only partly
 * loaded says which part, and the message lists the loaded stretches rather than the span of events.
 */
import type { CloudTrailRecord } from '../../core/record';
import { describeSpans, groupKey, groupLabel, type GroupBy } from './eventFormat';

/** Milliseconds since the epoch, start ≤ end. */
export interface Interval {
  start: number;
  end: number;
}

/** Gaps shorter than this are rounding between adjacent pages (event times have whole seconds). */
const MIN_GAP_MS = 1000;

/** Adds `iv` to the loaded stretches (sorted oldest first, merged). */
export function addInterval(list: readonly Interval[], iv: Interval): Interval[] {
  if (!(iv.end >= iv.start)) return [...list];
  const all = [...list, iv].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of all) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end + MIN_GAP_MS) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** The loaded stretches within [start, end]. */
export function clip(list: readonly Interval[], start: number, end: number): Interval[] {
  return list.flatMap((i) => (i.end < start || i.start > end ? [] : [{ start: Math.max(i.start, start), end: Math.min(i.end, end) }]));
}

/** The parts of [start, end] not covered, newest first. */
export function gapsIn(start: number, end: number, covered: readonly Interval[]): Interval[] {
  const gaps: Interval[] = [];
  let cursor = start;
  for (const c of [...covered].sort((a, b) => a.start - b.start)) {
    if (c.start - cursor >= MIN_GAP_MS) gaps.push({ start: cursor, end: Math.min(c.start, end) });
    cursor = Math.max(cursor, c.end);
    if (cursor >= end) break;
  }
  if (end - cursor >= MIN_GAP_MS) gaps.push({ start: cursor, end });
  return gaps.filter((g) => g.end - g.start >= MIN_GAP_MS).reverse();
}

export function covers(list: readonly Interval[], t: number): boolean {
  return list.some((i) => i.start <= t && t <= i.end);
}

/** A day or hour header with its events; `loaded` says which part when not all of it is loaded. */
export interface TimelineGroup {
  kind: 'group';
  /** Unique among the rows: the group key, with "#2", "#3" when a gap splits one day or hour. */
  id: string;
  key: string;
  label: string;
  records: CloudTrailRecord[];
  /** The loaded part of the header's day or hour ("19:01–19:31 UTC") when the rest is not loaded. */
  loaded?: string;
}

export interface TimelineGap {
  kind: 'gap';
  gap: Interval;
  /** The oldest gap: the "Load older events…" row. */
  oldest: boolean;
}

export type TimelineRow = TimelineGroup | TimelineGap;

function bucket(key: string, by: GroupBy): Interval {
  const start = Date.parse(by === 'hour' ? `${key}:00:00Z` : `${key}T00:00:00Z`);
  return { start, end: start + (by === 'hour' ? 3600_000 : 86_400_000) };
}

/**
 * The rows newest first: headers with their events, and a gap row wherever loaded time stops. A gap
 * ends the header above it, so a day split by a gap shows twice, each with the part it holds.
 * `records` are newest first; `span` is the whole time the view answers for.
 */
export function buildTimeline(
  records: readonly CloudTrailRecord[],
  covered: readonly Interval[],
  span: Interval | undefined,
  by: GroupBy,
  now: number,
): TimelineRow[] {
  const gaps = span ? gapsIn(span.start, span.end, covered) : [];
  const rows: TimelineRow[] = [];
  const seen = new Map<string, number>();
  let current: TimelineGroup | undefined;
  let g = 0;
  const pushGap = () => {
    rows.push({ kind: 'gap', gap: gaps[g], oldest: g === gaps.length - 1 && gaps[g].start === span?.start });
    g++;
    current = undefined;
  };
  for (const r of records) {
    const t = Date.parse(r.eventTime);
    if (Number.isNaN(t)) continue;
    while (g < gaps.length && gaps[g].end > t) pushGap();
    const key = groupKey(r.eventTime, by);
    if (!current || current.key !== key) {
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      current = { kind: 'group', id: n === 1 ? key : `${key}#${n}`, key, label: groupLabel(key, by, now), records: [] };
      rows.push(current);
    }
    current.records.push(r);
  }
  while (g < gaps.length) pushGap();
  if (span) {
    rows.forEach((row, i) => {
      if (row.kind !== 'group') return;
      const b = bucket(row.key, by);
      const within = { start: Math.max(b.start, span.start), end: Math.min(b.end, span.end) };
      if (!gapsIn(within.start, within.end, covered).length) return;
      // A header split by a gap describes its own side of it.
      const above = rows[i - 1];
      const below = rows[i + 1];
      const upper = above?.kind === 'gap' ? Math.min(within.end, above.gap.start) : within.end;
      const lower = below?.kind === 'gap' ? Math.max(within.start, below.gap.end) : within.start;
      row.loaded = describeSpans(clip(covered, lower, upper));
    });
  }
  return rows;
}
