/**
 * Client-side pacing for LookupEvents, which CloudTrail allows 2 requests/s per account per Region
 * (docs/cloudtrail.md §1.3). Every lookup for one account and Region shares one limiter, so a tree refresh, a request-ID search and
 * a CLI scan running together stay under the limit together. A ThrottlingException pauses everyone
 * and lowers the rate (multiplicative decrease); successes bring it back (additive increase).
 */
import { TrailLensError } from './errors';

export interface LimiterStats {
  acquired: number;
  throttled: number;
  waitedMs: number;
  /** Current rate in requests/s (lower than the target after throttling). */
  rate: number;
}

export interface LimiterOptions {
  /** Target requests per second. Default 2, the LookupEvents limit. */
  rate?: number;
  /**
   * Spacing margin: slots are 1000/rate × (1 + margin) ms apart, so timer and network jitter cannot
   * bunch two calls inside one server-side window (0.5 % is 2.5 ms a slot; throttling, if it comes,
   * lowers the rate). Default 0.005.
   */
  margin?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new TrailLensError('Cancelled', 'Cancelled', { cause: signal.reason }));
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TrailLensError('Cancelled', 'Cancelled', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RateLimiter {
  private readonly target: number;
  private readonly margin: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private current: number;
  private nextSlot = 0;
  private pausedUntil = 0;
  private consecutiveThrottles = 0;
  private readonly counters = { acquired: 0, throttled: 0, waitedMs: 0 };
  /** Set once the account is known: every call is paced by the account's limiter instead. */
  private delegate: RateLimiter | undefined;

  constructor(opts: LimiterOptions = {}) {
    this.target = opts.rate ?? 2;
    if (!(this.target > 0)) throw new TrailLensError('Config', `Rate must be positive, got ${this.target}`);
    this.margin = opts.margin ?? 0.005;
    this.current = this.target;
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? abortableSleep;
  }

  get stats(): LimiterStats {
    if (this.delegate) return this.delegate.stats;
    return { ...this.counters, rate: this.current };
  }

  get backingOff(): boolean {
    if (this.delegate) return this.delegate.backingOff;
    return this.now() < this.pausedUntil;
  }

  /**
   * From now on, pace every call through `other`: the limit is per account and Region, so
   * connections that turn out to reach the same account (two profiles, a role and a user) share
   * one budget. Holders of this limiter need not know.
   */
  shareWith(other: RateLimiter): void {
    const root = other.root();
    const own = this.root();
    if (root === own) return;
    // The slots already handed out here still count: the account's next call waits for them too.
    root.nextSlot = Math.max(root.nextSlot, own.nextSlot);
    root.pausedUntil = Math.max(root.pausedUntil, own.pausedUntil);
    this.delegate = root;
  }

  private root(): RateLimiter {
    return this.delegate ? this.delegate.root() : this;
  }

  private get interval(): number {
    return (1000 / this.current) * (1 + this.margin);
  }

  /** Waits for the next free slot. Slots are handed out in call order. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.delegate) return this.delegate.acquire(signal);
    if (signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled', { cause: signal.reason });
    const now = this.now();
    const slot = Math.max(now, this.nextSlot, this.pausedUntil);
    this.nextSlot = slot + this.interval;
    const wait = slot - now;
    this.counters.acquired++;
    if (wait > 0) {
      this.counters.waitedMs += wait;
      await this.sleep(wait, signal);
    }
  }

  /** A call succeeded: recover towards the target rate. */
  onSuccess(): void {
    if (this.delegate) return this.delegate.onSuccess();
    this.consecutiveThrottles = 0;
    if (this.current < this.target) this.current = Math.min(this.target, this.current + 0.1 * this.target);
  }

  /** A call was throttled: pause every caller and slow down. */
  onThrottled(): void {
    if (this.delegate) return this.delegate.onThrottled();
    this.counters.throttled++;
    this.consecutiveThrottles++;
    this.current = Math.max(this.target / 8, this.current * 0.7);
    const backoff = Math.min(8000, 500 * 2 ** (this.consecutiveThrottles - 1));
    const now = this.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + backoff);
    this.nextSlot = Math.max(this.nextSlot, this.pausedUntil);
  }
}

const shared = new Map<string, RateLimiter>();

/**
 * One limiter per key, shared by every lookup in this process. Connections start on their own key
 * (endpoint, credentials, Region) and join their account's once it is known (Connection.account).
 */
export function sharedLimiter(key: string, opts?: LimiterOptions): RateLimiter {
  let limiter = shared.get(key);
  if (!limiter) {
    limiter = new RateLimiter(opts);
    shared.set(key, limiter);
  }
  return limiter;
}
