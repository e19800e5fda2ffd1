import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TrailLensError } from '../../src/core/errors';
import { RateLimiter, sharedLimiter } from '../../src/core/limiter';

/** A limiter on a virtual clock: sleeping advances time instantly, so spacing is exact. */
function virtual(rate = 2, margin = 0) {
  let now = 0;
  const limiter = new RateLimiter({
    rate,
    margin,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
  return { limiter, at: () => now };
}

describe('RateLimiter', () => {
  test('spaces sequential calls at 1/rate', async () => {
    const { limiter, at } = virtual(2);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire();
      times.push(at());
    }
    assert.deepEqual(times, [0, 500, 1000, 1500, 2000]);
  });

  test('concurrent callers get distinct slots in call order', async () => {
    let now = 0;
    const granted: number[] = [];
    const limiter = new RateLimiter({ rate: 2, margin: 0, now: () => now, sleep: async (ms) => void granted.push(now + ms) });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    now = 0;
    assert.deepEqual(granted, [500, 1000]);
    assert.equal(limiter.stats.acquired, 3);
  });

  test('the margin keeps calls strictly under the rate', async () => {
    const { limiter, at } = virtual(2, 0.02);
    await limiter.acquire();
    await limiter.acquire();
    assert.equal(at(), 510);
  });

  test('throttling pauses everyone, lowers the rate, and successes restore it', async () => {
    const { limiter, at } = virtual(2);
    await limiter.acquire();
    limiter.onThrottled();
    assert.equal(limiter.backingOff, true);
    assert.ok(limiter.stats.rate < 2);
    await limiter.acquire();
    assert.ok(at() >= 500, `paused at least the backoff, got ${at()}`);
    assert.equal(limiter.backingOff, false);
    for (let i = 0; i < 20; i++) limiter.onSuccess();
    assert.equal(limiter.stats.rate, 2);
    assert.equal(limiter.stats.throttled, 1);
  });

  test('consecutive throttles back off exponentially, capped', async () => {
    const { limiter, at } = virtual(2);
    let last = 0;
    const gaps: number[] = [];
    for (let i = 0; i < 6; i++) {
      limiter.onThrottled();
      await limiter.acquire();
      gaps.push(at() - last);
      last = at();
    }
    assert.ok(gaps[1] > gaps[0] && gaps[2] > gaps[1], `growing gaps ${gaps}`);
    assert.ok(Math.max(...gaps) <= 8000 + 4000, `capped ${gaps}`);
  });

  test('acquire rejects with Cancelled when aborted', async () => {
    const limiter = new RateLimiter({ rate: 0.5 });
    await limiter.acquire();
    const ac = new AbortController();
    const pending = limiter.acquire(ac.signal);
    ac.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof TrailLensError && e.code === 'Cancelled');
  });

  test('sharedLimiter returns one limiter per key', () => {
    assert.equal(sharedLimiter('a|us-east-1'), sharedLimiter('a|us-east-1'));
    assert.notEqual(sharedLimiter('a|us-east-1'), sharedLimiter('a|eu-west-1'));
  });
});
