/**
 * One budget per account and Region: connections that reach the same account share one limiter
 * once the account is known, and the account is remembered next to the cache for the next run.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { accountInEvents, accountKey, rememberAccount, rememberedAccount } from '../../src/core/accounts';
import { RateLimiter } from '../../src/core/limiter';
import { scratchDir } from '../harness/scratch';

describe('accounts', () => {
  test('the account comes from the first record that names it', () => {
    const event = (r: unknown) => ({ CloudTrailEvent: JSON.stringify(r) });
    assert.equal(
      accountInEvents([{}, { CloudTrailEvent: '{not json' }, event({ eventName: 'x' }), event({ recipientAccountId: '123456789012' })]),
      '123456789012',
    );
    assert.equal(
      accountInEvents([event({ recipientAccountId: '12345' }), event({ recipientAccountId: 123456789012 })]),
      undefined,
      'only a 12-digit string is an account ID',
    );
    assert.equal(accountInEvents(undefined), undefined);
  });

  test('the shared key names endpoint, account and Region, and no credentials', () => {
    assert.equal(accountKey(undefined, '123456789012', 'eu-west-1'), 'aws|account:123456789012|eu-west-1');
    assert.equal(accountKey('http://127.0.0.1:4566', '123456789012', 'eu-west-1'), 'http://127.0.0.1:4566|account:123456789012|eu-west-1');
  });

  test('remembered per connection key on disk, hashed; a damaged file is forgotten, not fatal', () => {
    const dir = scratchDir('trail-lens-accounts-');
    try {
      assert.equal(rememberedAccount(dir, 'aws|profile:dev|eu-west-1'), undefined);
      rememberAccount(dir, 'aws|profile:dev|eu-west-1', '123456789012');
      rememberAccount(dir, 'aws|profile:ops|eu-west-1', '210987654321');
      assert.equal(rememberedAccount(dir, 'aws|profile:dev|eu-west-1'), '123456789012');
      assert.equal(rememberedAccount(dir, 'aws|profile:ops|eu-west-1'), '210987654321');
      assert.doesNotMatch(readFileSync(join(dir, 'accounts.json'), 'utf8'), /profile|dev|ops/, 'keys are stored hashed');
      writeFileSync(join(dir, 'accounts.json'), '{torn');
      assert.equal(rememberedAccount(dir, 'aws|profile:dev|eu-west-1'), undefined);
      rememberAccount('/dev/null/x', 'k', '123456789012'); // an unusable directory: nothing thrown
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RateLimiter.shareWith', () => {
  test('two connections on one account are paced as one: 2 requests/s together, not 2 each', async () => {
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const account = new RateLimiter({ rate: 2, margin: 0, ...clock });
    const dev = new RateLimiter({ rate: 2, margin: 0, ...clock });
    const ops = new RateLimiter({ rate: 2, margin: 0, ...clock });
    dev.shareWith(account);
    ops.shareWith(account);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await dev.acquire();
      times.push(now);
      await ops.acquire();
      times.push(now);
    }
    assert.deepEqual(times, [0, 500, 1000, 1500, 2000, 2500]);
    assert.equal(account.stats.acquired, 6);
    assert.equal(dev.stats.acquired, 6, "stats are the account limiter's");
    ops.onThrottled();
    assert.ok(dev.backingOff, 'a throttle seen by one connection pauses the other');
  });

  test('sharing is idempotent and never makes a cycle', async () => {
    const a = new RateLimiter({ rate: 2, margin: 0 });
    const b = new RateLimiter({ rate: 2, margin: 0 });
    a.shareWith(b);
    b.shareWith(a); // a already paces through b: nothing changes
    a.shareWith(a);
    await a.acquire();
    await b.acquire();
    assert.equal(b.stats.acquired, 2);
  });
});
