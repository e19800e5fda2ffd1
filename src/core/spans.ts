/** Sorted, non-overlapping text spans, shared by the timestamp and request-ID scanners, and the search under them. */

/** How many numbers in ascending `sorted` are below `x` (binary search). */
export function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted, non-overlapping spans with O(log n) overlap checks: texts can be whole log files. */
export function spanSet(): { overlaps(start: number, end: number): boolean; add(start: number, end: number): void } {
  const starts: number[] = [];
  const ends: number[] = [];
  const before = (x: number) => countBelow(starts, x);
  // Spans never overlap, so ends are sorted too: only the last span starting before `end` can reach `start`.
  const overlaps = (start: number, end: number) => {
    const i = before(end);
    return i > 0 && ends[i - 1] > start;
  };
  return {
    overlaps,
    add(start, end) {
      if (overlaps(start, end)) return;
      const i = before(start);
      starts.splice(i, 0, start);
      ends.splice(i, 0, end);
    },
  };
}
