/**
 * Time coverage in milliseconds: which windows were read completely. CloudTrail records event
 * times in whole seconds, so two windows with no whole second between them are one.
 */
const SECOND = 1000;

/** [start, end] in epoch milliseconds, inclusive. */
export interface Interval {
  start: number;
  end: number;
}

/** Whether [a, b] (ms, inclusive) holds a whole second: CloudTrail records event times in whole seconds. */
export function holdsSecond(a: number, b: number): boolean {
  return a <= b && Math.ceil(a / SECOND) * SECOND <= b;
}

/** Union of intervals; two are merged when no whole second lies between them. */
export function merge(list: Interval[]): Interval[] {
  const sorted = [...list].sort((x, y) => x.start - y.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && !holdsSecond(last.end + 1, i.start - 1)) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** Parts of [start, end] outside `covered` that hold at least one whole second. */
export function subtract(start: number, end: number, covered: Interval[]): Interval[] {
  const out: Interval[] = [];
  let cursor = start;
  for (const c of merge(covered)) {
    if (c.end < cursor || c.start > end) continue;
    if (c.start > cursor) out.push({ start: cursor, end: c.start - 1 });
    cursor = Math.max(cursor, c.end + 1);
    if (cursor > end) break;
  }
  if (cursor <= end) out.push({ start: cursor, end });
  return out.filter((i) => holdsSecond(i.start, i.end));
}

export function within(i: Interval, list: Interval[] | undefined): boolean {
  return (list ?? []).some((c) => c.start <= i.start && c.end >= i.end);
}
