/**
 * Counts per key in bounded memory. Up to `capacity` keys are counted exactly; past that, the
 * least frequent half is dropped and a key seen afterwards starts from the largest count dropped
 * (the "space-saving" bound: a count is never under the truth, and over it by at most `error`).
 * Frequent keys — the ones a summary shows — stay exact unless the stream holds more than
 * `capacity` distinct keys that are all about equally rare.
 */

export interface KeyCount {
  key: string;
  count: number;
  /** How much `count` may exceed the true count (0: exact). */
  error: number;
  /** The earliest and latest event time seen for the key, epoch ms. */
  first: number;
  last: number;
}

export const DEFAULT_CAPACITY = 2000;

export class TopCounts {
  private readonly counts = new Map<string, KeyCount>();
  /** The largest count dropped so far: a key not held may have been seen this often. */
  private floor = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`capacity must be a whole number ≥ 2 (got ${capacity})`);
  }

  add(key: string, time: number): void {
    const held = this.counts.get(key);
    if (held) {
      held.count++;
      if (time < held.first) held.first = time;
      if (time > held.last) held.last = time;
      return;
    }
    if (this.counts.size >= this.capacity) this.prune();
    this.counts.set(key, { key, count: this.floor + 1, error: this.floor, first: time, last: time });
  }

  /** True once a key was dropped: counts may then be over the truth by their `error`. */
  get approximate(): boolean {
    return this.floor > 0;
  }

  /** The `n` most frequent keys, most frequent first; ties by key so the order is stable. */
  top(n = Infinity): KeyCount[] {
    return [...this.counts.values()]
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, n)
      .map((c) => ({ ...c }));
  }

  private prune(): void {
    const sorted = [...this.counts.values()].sort((a, b) => b.count - a.count);
    for (const dropped of sorted.slice(Math.floor(this.capacity / 2))) {
      this.floor = Math.max(this.floor, dropped.count);
      this.counts.delete(dropped.key);
    }
  }
}
