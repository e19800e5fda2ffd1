/** The endpoint's LookupEvents rate limit (2 requests/s by default, like CloudTrail's). */

/**
 * A token bucket on the monotonic clock (the server's `now` option only moves the 90-day
 * window, never the rate limit). rate 0 means unlimited.
 */
export class TokenBucket {
  private rate = 0;
  private burst = 1;
  private tokens = 1;
  private last = performance.now();

  constructor(rate: number, burst?: number) {
    this.configure(rate, burst);
  }

  configure(rate: number, burst?: number): void {
    if (!(rate >= 0) || !Number.isFinite(rate)) throw new Error(`rate must be a number >= 0, got ${rate}`);
    const b = burst ?? Math.max(1, rate);
    if (!(b >= 1) || !Number.isFinite(b)) throw new Error(`burst must be a number >= 1, got ${burst}`);
    this.rate = rate;
    this.burst = b;
    this.tokens = b;
    this.last = performance.now();
  }

  /** True if the request may proceed (and spends a token). */
  tryTake(): boolean {
    if (this.rate === 0) return true;
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}
