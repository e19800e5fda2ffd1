/**
 * Full-window scans near the LookupEvents limit whatever the call latency.
 *
 * One NextToken chain makes one call per round trip, so with 1 s latency it reaches only 1 call/s
 * of the 2 allowed. The window is therefore covered by several chains: the first chain starts on
 * the whole window; when a worker is idle it splits the range with the most estimated work left at
 * its midpoint (a new chain takes the older half; the running chain stops at the midpoint). The
 * number of chains follows the measured latency. Each split costs at most one partly-filled page.
 * Records come out strictly newest-first: a range's records are released once every newer range is done.
 */
import { TrailLensError, isAbortError } from './errors';
import { PageGuard, Progress, fetchPage, type LookupEventsFn, type LookupOptions, type LookupQuery } from './lookup';
import type { CloudTrailRecord } from './record';

export interface ScanOptions extends LookupOptions {
  /** Upper bound on concurrent chains (default 8). The working number follows measured latency. */
  concurrency?: number;
  /** Stop after this many records. */
  limit?: number;
}

interface Range {
  /** Inclusive bounds in epoch ms. `start` moves up when the range is split. */
  start: number;
  end: number;
  /** The StartTime the chain was created with: its NextToken is bound to it. */
  readonly queryStart: number;
  /** Oldest event time seen so far (end + 1 before the first page). */
  position: number;
  started: boolean;
  done: boolean;
  buffer: CloudTrailRecord[][];
}

const SECOND = 1000;
/** A call on the wire this long shows a latency worth more chains, before its answer says so. */
const SLOW_CALL_MS = 200;
/** Work (in pages, from the density seen) a range must have left to be split. */
const MIN_SPLIT_PAGES = 1.2;
/** Before any event is seen, ranges are split by time only while they are longer than this. */
const MIN_BLIND_SPLIT_MS = 60 * SECOND;

export async function* scanEvents(fn: LookupEventsFn, query: LookupQuery, opts: ScanOptions): AsyncGenerator<CloudTrailRecord[]> {
  const pageSize = query.pageSize ?? 50;
  const limit = opts.limit ?? Infinity;
  const maxChains = Math.max(1, Math.min(opts.concurrency ?? 8, limit <= pageSize * 2 ? 1 : 8));
  // The slot interval follows the limiter's current rate, which throttling lowers during a scan.
  const interval = () => 1000 / Math.max(0.1, opts.limiter.stats.rate);
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const inner: LookupOptions = { ...opts, signal: controller.signal };
  const progress = new Progress(opts.onProgress, opts);

  const startMs = Math.floor(query.start.getTime() / SECOND) * SECOND;
  const endMs = query.end.getTime();
  const ranges: Range[] = [newRange(startMs, endMs)];
  let latencyMs = 0; // EWMA of call durations
  let eventsSeen = 0;
  let timeCovered = 0;
  let running = 0;
  let failure: unknown;
  let yielded = 0;
  let wake: () => void = () => {};
  let changed = new Promise<void>((r) => (wake = r));
  const notify = () => {
    const w = wake;
    changed = new Promise<void>((r) => (wake = r));
    w();
  };

  function newRange(start: number, end: number): Range {
    return { start, end, queryStart: start, position: end + 1, started: false, done: false, buffer: [] };
  }

  function targetChains(): number {
    // A chain can use every slot while its round trip fits in one slot interval; each further
    // interval of latency needs one more chain. 50 ms of slack absorbs jitter.
    const slot = interval();
    let n = latencyMs > 0 ? Math.ceil((latencyMs + 50) / slot) : 1;
    // A call still on the wire says the latency is at least that long: while answers are awaited
    // (above all the first one), one more chain for each slot that passes without an answer.
    const onWire = progress.oldestOnWireMs();
    if (onWire >= SLOW_CALL_MS) n = Math.max(n, 1 + Math.floor(onWire / Math.max(slot, SLOW_CALL_MS)));
    return Math.max(1, Math.min(maxChains, n));
  }

  /**
   * Next range to run: a range not yet started, else a split of the range with the most work left
   * (estimated from the density seen so far; before any event is seen, the most time left).
   */
  function takeWork(): Range | undefined {
    const pending = ranges.find((r) => !r.started && !r.done);
    if (pending) return pending;
    const density = timeCovered > 0 ? eventsSeen / timeCovered : undefined; // events per ms
    let best: Range | undefined;
    let bestLeft = 0;
    for (const r of ranges) {
      if (!r.started || r.done) continue;
      const left = Math.min(r.position, r.end + 1) - r.start;
      if (left > bestLeft) [best, bestLeft] = [r, left];
    }
    // A range with more than about a page left is worth a chain of its own: towards the end of a
    // scan, slots would otherwise sit idle while one chain reads its last pages one round trip at a time.
    if (!best || bestLeft < (density === undefined ? MIN_BLIND_SPLIT_MS : (pageSize * MIN_SPLIT_PAGES) / Math.max(density, 1e-12)))
      return undefined;
    const top = Math.min(best.position, best.end + 1);
    const mid = Math.floor((best.start + (top - best.start) / 2) / SECOND) * SECOND;
    if (mid <= best.start || mid >= top) return undefined;
    const older = newRange(best.start, mid - 1);
    best.start = mid;
    ranges.splice(ranges.indexOf(best) + 1, 0, older);
    return older;
  }

  async function runChain(r: Range): Promise<void> {
    r.started = true;
    const q: LookupQuery = { ...query, start: new Date(r.queryStart), end: new Date(r.end) };
    const guard = new PageGuard(q);
    let token: string | undefined;
    do {
      const page = await fetchPage(fn, q, token, inner, progress);
      guard.check(page);
      const took = progress.lastCallMs;
      latencyMs = latencyMs === 0 ? took : latencyMs * 0.7 + took * 0.3;
      const kept = page.records.filter((rec) => Date.parse(rec.eventTime) >= r.start);
      const oldest = page.records.length ? Date.parse(page.records[page.records.length - 1].eventTime) : r.start;
      timeCovered += Math.max(0, Math.min(r.position, r.end + 1) - Math.max(oldest, r.start));
      eventsSeen += kept.length;
      r.position = Math.max(oldest, r.start);
      if (kept.length) r.buffer.push(kept);
      progress.page(kept);
      token = page.nextToken;
      notify();
      // Stop at the split point: everything older belongs to another range.
      if (kept.length < page.records.length) break;
      // With a limit, stop once the events up to this range's fill it: older ones would never be shown.
      if (limit !== Infinity && eventsThrough(r) >= limit) break;
    } while (token);
    r.done = true;
    notify();
  }

  /** Events yielded or waiting in this range and every newer one. */
  function eventsThrough(r: Range): number {
    let n = yielded;
    for (const x of ranges) {
      for (const batch of x.buffer) n += batch.length;
      if (x === r) break;
    }
    return n;
  }

  function schedule(): void {
    while (!failure && running < targetChains()) {
      const r = takeWork();
      if (!r) return;
      running++;
      runChain(r)
        .catch((err) => {
          if (!failure) failure = err;
          controller.abort();
        })
        .finally(() => {
          running--;
          notify();
        });
    }
  }

  const seen = new Set<string>();
  try {
    for (;;) {
      // Taken before looking at the state, so a change made while we were yielding wakes us at once.
      const next = changed;
      schedule();
      // Release records of the newest ranges that are complete or being read.
      while (ranges.length && !failure) {
        const head = ranges[0];
        while (head.buffer.length) {
          const batch = head.buffer.shift()!.filter((rec) => !seen.has(rec.eventID));
          for (const rec of batch) seen.add(rec.eventID);
          if (!batch.length) continue;
          const room = limit - yielded;
          const out = batch.length > room ? batch.slice(0, room) : batch;
          yielded += out.length;
          yield out;
          if (yielded >= limit) return;
        }
        if (!head.done) break;
        ranges.shift();
      }
      if (failure) {
        if (isAbortError(failure) || opts.signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled');
        throw failure;
      }
      if (ranges.length === 0) return;
      // While chains wait on the wire and more could run, look again every half slot: a slow
      // first answer is itself the sign that more chains are needed.
      const tick = running > 0 && running < maxChains ? setTimeout(notify, interval() / 2) : undefined;
      await next;
      clearTimeout(tick);
    }
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    controller.abort();
  }
}
