/**
 * Client-side pacing for LookupEvents, which CloudTrail allows 2 requests/s per account per Region.
 * Every lookup for one connection key shares one limiter, so a tree refresh, a request-ID search and
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
  /** Spacing margin: slots are 1000/rate × (1 + margin) ms apart, so network jitter cannot bunch two calls inside one server-side window. Default 0.02. */
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

  constructor(opts: LimiterOptions = {}) {
    this.target = opts.rate ?? 2;
    if (!(this.target > 0)) throw new TrailLensError('Config', `Rate must be positive, got ${this.target}`);
    this.margin = opts.margin ?? 0.02;
    this.current = this.target;
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? abortableSleep;
  }

  get stats(): LimiterStats {
    return { ...this.counters, rate: this.current };
  }

  get backingOff(): boolean {
    return this.now() < this.pausedUntil;
  }

  private get interval(): number {
    return (1000 / this.current) * (1 + this.margin);
  }

  /** Waits for the next free slot. Slots are handed out in call order. */
  async acquire(signal?: AbortSignal): Promise<void> {
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
    this.consecutiveThrottles = 0;
    if (this.current < this.target) this.current = Math.min(this.target, this.current + 0.1 * this.target);
  }

  /** A call was throttled: pause every caller and slow down. */
  onThrottled(): void {
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

/** One limiter per account+region key, shared by every lookup in this process. */
export function sharedLimiter(key: string, opts?: LimiterOptions): RateLimiter {
  let limiter = shared.get(key);
  if (!limiter) {
    limiter = new RateLimiter(opts);
    shared.set(key, limiter);
  }
  return limiter;
}
