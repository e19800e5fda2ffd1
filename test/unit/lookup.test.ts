/**
 * The checks core/lookup makes on every LookupEvents answer — its shape (readLookupResponse), its
 * paging (PageGuard) — and what fetchPage does with each kind of failure, over a LookupEventsFn
 * that plays the endpoint and a limiter on a virtual clock (no real waiting, no timing).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloudTrailServiceException, ThrottlingException, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { TrailLensError } from '../../src/core/errors';
import { RateLimiter } from '../../src/core/limiter';
import type { Logger } from '../../src/core/logger';
import {
  MAX_STALLED_PAGES,
  PageGuard,
  Progress,
  THROTTLE_NOTICE_MS,
  ThrottleWatch,
  fetchPage,
  readLookupResponse,
  type LookupEventsFn,
  type LookupQuery,
  type Page,
} from '../../src/core/lookup';
import type { CloudTrailRecord } from '../../src/core/record';

const T0 = Date.parse('2026-11-21T12:00:00Z');
const query: LookupQuery = { start: new Date(T0 - 86_400_000), end: new Date(T0) };
const meta = { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 };

function wireEvent(id: string, at: number) {
  return {
    EventId: id,
    EventName: 'GetUser',
    EventSource: 'iam.amazonaws.com',
    EventTime: new Date(at),
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.11',
      eventID: id,
      eventName: 'GetUser',
      eventSource: 'iam.amazonaws.com',
      eventTime: new Date(at).toISOString().replace('.000Z', 'Z'),
    }),
  };
}

function record(id: string, at: number): CloudTrailRecord {
  return { eventID: id, eventName: 'GetUser', eventSource: 'iam.amazonaws.com', eventTime: new Date(at).toISOString() };
}

function page(times: number[], nextToken?: string): Page {
  return { records: times.map((t, i) => record(`e${t}-${i}`, t)), nextToken, query };
}

function malformed(fn: () => unknown, what: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TrailLensError);
    assert.equal(err.code, 'MalformedResponse');
    assert.match(err.message, /^The endpoint returned a malformed LookupEvents response: /);
    assert.match(err.message, what);
    assert.match(err.hint ?? '', /endpoint URL/);
    return true;
  });
}

describe('readLookupResponse', () => {
  test('a well-formed answer gives its events and token; no Events and an empty token mean none', () => {
    const events = [wireEvent('a', T0), wireEvent('b', T0 - 1000)];
    assert.deepEqual(readLookupResponse({ Events: events, NextToken: 'tok' }), { events, nextToken: 'tok' });
    assert.deepEqual(readLookupResponse({ $metadata: meta }), { events: [], nextToken: undefined });
    assert.deepEqual(readLookupResponse({ Events: [], NextToken: '' }), { events: [], nextToken: undefined });
  });

  test('each wrong shape is named, not reported as a TypeError', () => {
    malformed(() => readLookupResponse({ Events: 'surprise' }), /Events is a string \("surprise"\), not a list\.$/);
    malformed(() => readLookupResponse({ Events: { a: 1 } }), /Events is an object, not a list/);
    malformed(() => readLookupResponse(null), /the answer is null, not an object/);
    malformed(() => readLookupResponse({ Events: [], NextToken: 5 }), /NextToken is a number \(5\), not a string/);
    malformed(() => readLookupResponse({ Events: [wireEvent('a', T0), null] }), /Events\[1\] is null, not an event object/);
    malformed(() => readLookupResponse({ Events: [3] }), /Events\[0\] is a number \(3\), not an event object/);
    malformed(() => readLookupResponse({ Events: [{ EventTime: new Date(T0) }] }), /Events\[0\] has no EventId/);
    malformed(
      () => readLookupResponse({ Events: [{ EventId: 7, EventTime: new Date(T0) }] }),
      /EventId that is a number \(7\), not a string/,
    );
    malformed(() => readLookupResponse({ Events: [{ EventId: 'a' }] }), /Events\[0\] \(a\) has no EventTime/);
    malformed(
      () => readLookupResponse({ Events: [{ EventId: 'a', EventTime: 'yesterday' }] }),
      /EventTime that is a string \("yesterday"\), not a time/,
    );
    malformed(() => readLookupResponse({ Events: [{ EventId: 'a', EventTime: new Date(NaN) }] }), /EventTime that is an invalid date/);
    malformed(
      () => readLookupResponse({ Events: [{ ...wireEvent('a', T0), CloudTrailEvent: {} }] }),
      /\(a\) has a CloudTrailEvent that is an object, not a string/,
    );
    malformed(() => readLookupResponse({ Events: [{ ...wireEvent('a', T0), Resources: 'x' }] }), /Resources that are a string/);
  });
});

describe('PageGuard', () => {
  const stop = (fn: () => void, what: RegExp) =>
    assert.throws(
      fn,
      (err: unknown) =>
        err instanceof TrailLensError &&
        err.code === 'MalformedResponse' &&
        what.test(err.message) &&
        /rather than page forever/.test(err.message),
    );

  test('a chain that moves back in time and ends passes', () => {
    const guard = new PageGuard(query);
    guard.check(page([T0, T0 - 1000], 'a'));
    guard.check(page([T0 - 1000, T0 - 5000], 'b'));
    guard.check(page([T0 - 5000 + 30_000, T0 - 9000])); // a little disorder is tolerated
  });

  test('a NextToken seen before stops the chain', () => {
    const guard = new PageGuard(query);
    guard.check(page([T0], 'loop'));
    stop(
      () => guard.check(page([T0], 'loop')),
      /page 2 hands out a NextToken it already gave before\. Trail Lens stopped this search after 2 pages \(2 events\)/,
    );
  });

  test('a page with events newer than the page before stops the chain', () => {
    const guard = new PageGuard(query);
    guard.check(page([T0 - 600_000, T0 - 900_000], 'a'));
    stop(
      () => guard.check(page([T0, T0 - 60_000], 'b')),
      /page 2 goes back in time: it holds an event at 2026-11-21T12:00:00Z, newer than the oldest event of the page before \(2026-11-21T11:45:00Z\)/,
    );
  });

  test('pages that get no further back (empty or all in one second) stop the chain after a while', () => {
    const empty = new PageGuard(query);
    for (let i = 1; i < MAX_STALLED_PAGES; i++) empty.check(page([], `t${i}`));
    stop(() => empty.check(page([], 'last')), new RegExp(`${MAX_STALLED_PAGES} pages in a row came no further back in time`));
    const busy = new PageGuard(query);
    busy.check(page([T0], 't0'));
    for (let i = 1; i < MAX_STALLED_PAGES; i++) busy.check(page([T0], `t${i}`));
    stop(() => busy.check(page([T0], 'last')), /pages in a row came no further back/);
    // The last page of a chain (no token) is never a loop.
    const ends = new PageGuard(query);
    for (let i = 1; i < MAX_STALLED_PAGES; i++) ends.check(page([], `t${i}`));
    ends.check(page([]));
  });

  test('more pages than the window could hold stops the chain', () => {
    const tiny: LookupQuery = { start: new Date(T0 - 2000), end: new Date(T0), pageSize: 50 };
    const guard = new PageGuard(tiny);
    let n = 0;
    const next = () => guard.check({ records: [record(`x${n}`, T0 - n * 1000)], nextToken: `t${n++}`, query: tiny });
    assert.throws(() => {
      for (;;) next();
    }, /pages is more than a window of 2s can hold/);
    assert.ok(n > MAX_STALLED_PAGES, `${n} pages`);
  });
});

describe('ThrottleWatch', () => {
  test('says once, after THROTTLE_NOTICE_MS of throttling, how long the search has waited', () => {
    let now = 0;
    const warnings: string[] = [];
    const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const watch = new ThrottleWatch(logger, () => now);
    watch.throttled();
    now = 2000;
    watch.throttled();
    watch.ok(); // an answer got through: the next run of throttling starts afresh
    now = 10_000;
    watch.throttled();
    now = 10_000 + THROTTLE_NOTICE_MS - 1;
    watch.throttled();
    assert.deepEqual(warnings, []);
    now = 10_000 + THROTTLE_NOTICE_MS + 2000;
    watch.throttled();
    assert.equal(watch.waitedMs, THROTTLE_NOTICE_MS + 2000);
    now += 60_000;
    watch.throttled();
    assert.equal(warnings.length, 1, 'once, not per retry');
    assert.match(warnings[0] ?? '', /^CloudTrail is throttling LookupEvents: this search has waited 5s for it so far and keeps retrying/);
  });
});

describe('fetchPage', () => {
  /** A limiter and watch on one virtual clock: back-off pauses pass instantly. */
  function harness() {
    let now = 0;
    const clock = () => now;
    const limiter = new RateLimiter({ rate: 2, now: clock, sleep: async (ms) => void (now += ms) });
    const warnings: string[] = [];
    const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const throttle = new ThrottleWatch(logger, clock);
    const opts = { limiter, logger, throttle };
    return { opts, warnings, progress: () => new Progress(undefined, opts) };
  }

  test('an unknown 4xx (OptInRequiredException) fails at once with its code and message', async () => {
    const { opts, progress } = harness();
    let calls = 0;
    const fn: LookupEventsFn = async () => {
      calls++;
      throw new CloudTrailServiceException({
        name: 'OptInRequiredException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'You must subscribe first',
      });
    };
    await assert.rejects(fetchPage(fn, query, undefined, opts, progress()), (err: unknown) => {
      assert.ok(err instanceof TrailLensError);
      assert.equal(err.code, 'Rejected');
      assert.match(err.message, /OptInRequiredException\): You must subscribe first/);
      return true;
    });
    assert.equal(calls, 1, 'not retried');
  });

  test('a malformed answer is a MalformedResponse, not "map is not a function"', async () => {
    const { opts, progress } = harness();
    const fn: LookupEventsFn = async () => ({ Events: 'surprise', $metadata: meta }) as unknown as LookupEventsCommandOutput;
    await assert.rejects(fetchPage(fn, query, undefined, opts, progress()), (err: unknown) => {
      assert.ok(err instanceof TrailLensError && err.code === 'MalformedResponse', String(err));
      assert.doesNotMatch(err.message, /is not a function/);
      return true;
    });
  });

  test('a throttling storm: one warning on the way, and the final error says how long it lasted', async () => {
    const { opts, warnings, progress } = harness();
    let calls = 0;
    const fn: LookupEventsFn = async () => {
      calls++;
      throw new ThrottlingException({ $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
    };
    await assert.rejects(fetchPage(fn, query, undefined, { ...opts, maxThrottleRetries: 30 }, progress()), (err: unknown) => {
      assert.ok(err instanceof TrailLensError);
      assert.equal(err.code, 'Throttled');
      assert.match(
        err.message,
        /^CloudTrail kept throttling LookupEvents: 31 throttled answers in a row over 3m 3\ds, so Trail Lens gave up\.$/,
      );
      return true;
    });
    assert.equal(calls, 31);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /CloudTrail is throttling LookupEvents: this search has waited \d+(\.\d)?s for it so far/);
  });
});
