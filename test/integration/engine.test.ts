/**
 * The engine through the real SDK client against the fake CloudTrail endpoint: paging, sliced
 * scans, throttling, faults, cancellation, and the request-ID find strategy with its call counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { EventCache } from '../../src/core/cache';
import { TrailLensError } from '../../src/core/errors';
import { findRequest } from '../../src/core/find';
import { RateLimiter } from '../../src/core/limiter';
import { MAX_STALLED_PAGES, lookupPages, type LookupEventsFn } from '../../src/core/lookup';
import type { CloudTrailRecord } from '../../src/core/record';
import { scanEvents } from '../../src/core/scan';
import { makeRecord } from '../fake-cloudtrail/fixtures';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { scratchDir } from '../harness/scratch';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const MIN = 60_000;
const SOURCES = ['ec2.amazonaws.com', 's3.amazonaws.com', 'iam.amazonaws.com', 'backup.amazonaws.com', 'kms.amazonaws.com'];

function account(n: number, spanMs: number): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  for (let i = 0; i < n; i++) {
    // Uneven density (a busy hour in the middle) so slices are not all alike.
    const f = i / n;
    const skew = f < 0.4 ? f * 0.5 : f < 0.6 ? 0.2 + (f - 0.4) * 0.5 : 0.3 + (f - 0.6) * 1.75;
    out.push(makeRecord({ at: NOW - Math.floor(skew * spanMs), eventSource: SOURCES[i % SOURCES.length], eventName: `Call${i}` }));
  }
  return out;
}

function clientFor(fake: FakeCloudTrail): LookupEventsFn {
  const client = new CloudTrailClient({
    endpoint: fake.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  return (input, signal) => client.send(new LookupEventsCommand(input), { abortSignal: signal });
}

async function collect(gen: AsyncGenerator<CloudTrailRecord[]>): Promise<CloudTrailRecord[]> {
  const out: CloudTrailRecord[] = [];
  for await (const batch of gen) out.push(...batch);
  return out;
}

function assertNewestFirstExactlyOnce(got: CloudTrailRecord[], expected: CloudTrailRecord[]): void {
  const ids = got.map((r) => r.eventID);
  assert.equal(new Set(ids).size, ids.length, 'no duplicates');
  assert.deepEqual(new Set(ids), new Set(expected.map((r) => r.eventID)), 'nothing lost');
  for (let i = 1; i < got.length; i++) {
    assert.ok(Date.parse(got[i - 1].eventTime) >= Date.parse(got[i].eventTime), `newest first at ${i}`);
  }
}

describe('engine against the fake endpoint', () => {
  const records = account(1000, 6 * 3600_000);
  let fake: FakeCloudTrail;
  let lookup: LookupEventsFn;
  const window = { start: new Date(NOW - 7 * 3600_000), end: new Date(NOW) };

  before(async () => {
    fake = await startFakeCloudTrail({ records, rate: 0, now: () => new Date(NOW) });
    lookup = clientFor(fake);
  });
  after(() => fake.close());

  test('lookupPages follows one NextToken chain and yields every page once', async () => {
    fake.setRate(0);
    const pages = [];
    for await (const page of lookupPages(
      lookup,
      { ...window, attribute: { key: 'EventSource', value: 'kms.amazonaws.com' } },
      { limiter: new RateLimiter({ rate: 1000 }) },
    )) {
      pages.push(page);
    }
    const got = pages.flatMap((p) => p.records);
    assertNewestFirstExactlyOnce(
      got,
      records.filter((r) => r.eventSource === 'kms.amazonaws.com'),
    );
    assert.equal(pages.length, 4);
  });

  test('an event whose CloudTrailEvent is malformed is kept from its envelope, not dropped and not fatal', async () => {
    fake.setRate(0);
    const corrupting: LookupEventsFn = async (input, signal) => {
      const out = await lookup(input, signal);
      if (out.Events?.[0]) out.Events[0].CloudTrailEvent = '{"eventVersion":"1.11","truncat';
      return out;
    };
    const first = await lookupPages(corrupting, { ...window, pageSize: 5 }, { limiter: new RateLimiter({ rate: 1000 }) }).next();
    assert.ok(!first.done);
    const records: CloudTrailRecord[] = first.value.records;
    assert.equal(records.length, 5);
    const [broken, ...rest] = records;
    assert.match(String(broken.trailLensParseError), /not valid JSON/);
    assert.ok(broken.eventID && broken.eventName && broken.eventTime.endsWith('Z'));
    assert.ok(rest.every((r) => r.trailLensParseError === undefined && r.requestID));
  });

  test('scanEvents at 2 req/s: complete, ordered, not throttled', async () => {
    fake.setRate(2, 2);
    fake.resetStats();
    const small = { start: new Date(NOW - 30 * MIN), end: new Date(NOW) };
    const expected = records.filter((r) => Date.parse(r.eventTime) >= small.start.getTime());
    const got = await collect(scanEvents(lookup, small, { limiter: new RateLimiter({ rate: 2 }) }));
    assertNewestFirstExactlyOnce(got, expected);
    assert.equal(fake.stats.throttled, 0);
  });

  test('with latency, scanEvents runs several chains and stays complete and ordered', async () => {
    fake.setRate(0);
    fake.setLatency(150);
    fake.resetStats();
    try {
      const t0 = performance.now();
      const got = await collect(scanEvents(lookup, window, { limiter: new RateLimiter({ rate: 20 }) }));
      const elapsed = performance.now() - t0;
      assertNewestFirstExactlyOnce(got, records);
      const calls = fake.stats.byOperation.LookupEvents.calls;
      // 20 pages at 150 ms each would take ≥ 3 s on one chain; several chains overlap.
      assert.ok(elapsed < calls * 150 * 0.8, `overlapping chains: ${calls} calls in ${elapsed.toFixed(0)} ms`);
      assert.ok(calls <= 20 + 8, `few partial pages: ${calls} calls for 1000 events`);
    } finally {
      fake.setLatency(0);
    }
  });

  test('throttling is absorbed: pages are retried, nothing lost or duplicated', async () => {
    fake.setRate(2, 1);
    fake.resetStats();
    const small = { start: new Date(NOW - 40 * MIN), end: new Date(NOW) };
    const expected = records.filter((r) => Date.parse(r.eventTime) >= small.start.getTime());
    // A client that believes it may send 6 req/s against a 2 req/s service.
    const limiter = new RateLimiter({ rate: 6 });
    const got = await collect(scanEvents(lookup, small, { limiter }));
    assertNewestFirstExactlyOnce(got, expected);
    assert.ok(fake.stats.throttled > 0, 'the fake did throttle');
    assert.equal(limiter.stats.throttled, fake.stats.throttled);
  });

  test('5xx and truncated bodies are retried; AccessDenied is not', async () => {
    fake.setRate(0);
    fake.addFault({ kind: 'internalFailure', operation: 'LookupEvents', skip: 1, count: 1 });
    fake.addFault({ kind: 'truncatedBody', operation: 'LookupEvents', skip: 3, count: 1 });
    const got = await collect(scanEvents(lookup, window, { limiter: new RateLimiter({ rate: 1000 }), concurrency: 1 }));
    assertNewestFirstExactlyOnce(got, records);
    fake.clearFaults();
    fake.addFault({ kind: 'accessDenied', operation: 'LookupEvents' });
    fake.resetStats();
    await assert.rejects(
      collect(scanEvents(lookup, window, { limiter: new RateLimiter({ rate: 1000 }), concurrency: 1 })),
      (e: unknown) =>
        e instanceof TrailLensError && e.code === 'AccessDenied' && /not allowed to call cloudtrail:LookupEvents/.test(e.message),
    );
    assert.equal(fake.stats.byOperation.LookupEvents.calls, 1, 'no retry of AccessDenied');
    fake.clearFaults();
  });

  test('cancelling a scan stops it and makes no further calls', async () => {
    fake.setRate(0);
    fake.setLatency(100);
    const ac = new AbortController();
    let batches = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of scanEvents(lookup, window, { limiter: new RateLimiter({ rate: 1000 }), signal: ac.signal })) {
          if (++batches === 2) ac.abort();
        }
      })(),
      (e: unknown) => e instanceof TrailLensError && e.code === 'Cancelled',
    );
    const calls = fake.stats.byOperation.LookupEvents.calls;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fake.stats.byOperation.LookupEvents.calls, calls);
    fake.setLatency(0);
  });

  test('limit stops early', async () => {
    fake.setRate(0);
    fake.resetStats();
    const got = await collect(scanEvents(lookup, window, { limiter: new RateLimiter({ rate: 1000 }), limit: 70 }));
    assert.equal(got.length, 70);
    assert.deepEqual(
      got.map((r) => r.eventID),
      records
        .slice()
        .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime) || (a.eventID < b.eventID ? 1 : -1))
        .slice(0, 70)
        .map((r) => r.eventID),
    );
    assert.ok(fake.stats.byOperation.LookupEvents.calls <= 2);
  });
});

describe('findRequest', () => {
  const records = account(3000, 3 * 86_400_000);
  const target = records.find((r, i) => r.eventSource === 'backup.amazonaws.com' && i > 2000)!;
  const targetTime = Date.parse(target.eventTime);
  let fake: FakeCloudTrail;
  let lookup: LookupEventsFn;

  before(async () => {
    fake = await startFakeCloudTrail({ records, rate: 0, now: () => new Date(NOW) });
    lookup = clientFor(fake);
  });
  after(() => fake.close());

  const run = (hints: Parameters<typeof findRequest>[1]['hints'], cache?: EventCache, requestId = target.requestID!) =>
    findRequest(
      { lookupEvents: lookup, limiter: new RateLimiter({ rate: 1000 }), cache },
      { requestId, hints, region: 'us-east-1', now: new Date(NOW) },
    );

  test('service + timestamp: found in ≤ 3 calls', async () => {
    const r = await run({ eventSource: 'backup.amazonaws.com', times: [new Date(targetTime + 20_000)] });
    assert.equal(r.record?.eventID, target.eventID);
    assert.ok(r.calls <= 3, `${r.calls} calls`);
  });

  test('timestamp only: found in ≤ 3 calls', async () => {
    const r = await run({ times: [new Date(targetTime + 20_000)] });
    assert.equal(r.record?.eventID, target.eventID);
    assert.ok(r.calls <= 3, `${r.calls} calls`);
  });

  test('service only: never more calls than a newest-first scan of that source', async () => {
    const r = await run({ eventSource: 'backup.amazonaws.com', times: [] });
    assert.equal(r.record?.eventID, target.eventID);
    const newer = records.filter((x) => x.eventSource === 'backup.amazonaws.com' && Date.parse(x.eventTime) >= targetTime).length;
    assert.equal(r.calls, Math.ceil(newer / 50));
  });

  test('a repeat lookup answers from the cache with zero calls', async () => {
    const cache = await EventCache.open('test|us-east-1', { dir: scratchDir('tl-cache-') });
    const first = await run({ eventSource: 'backup.amazonaws.com', times: [new Date(targetTime)] }, cache);
    assert.ok(first.calls > 0);
    fake.resetStats();
    const again = await run({ times: [] }, cache);
    assert.equal(again.record?.eventID, target.eventID);
    assert.equal(again.calls, 0);
    assert.equal(again.fromCache, true);
    assert.equal(fake.stats.calls, 0);
  });

  test('a search cut off by an AWS error keeps the pages it read, and a retry resumes past them', async () => {
    const cache = await EventCache.open('test|us-east-1', { dir: scratchDir('tl-cache-'), now: () => NOW });
    const hints = { eventSource: 'backup.amazonaws.com', times: [] };
    fake.addFault({ kind: 'accessDenied', operation: 'LookupEvents', skip: 2 });
    try {
      await assert.rejects(run(hints, cache), /not allowed to call cloudtrail:LookupEvents/);
    } finally {
      fake.clearFaults();
    }
    assert.equal(cache.size, 100, 'the two pages read before the error are cached');
    const source = records
      .filter((r) => r.eventSource === 'backup.amazonaws.com')
      .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
    const oldestRead = Date.parse(source[99].eventTime);
    const q = {
      attribute: { key: 'EventSource' as const, value: 'backup.amazonaws.com' },
      start: new Date(NOW - 90 * 86_400_000),
      end: new Date(NOW),
    };
    const gaps = cache.uncovered(q);
    assert.ok(
      gaps.every((g) => g.start.getTime() > oldestRead || g.end.getTime() <= oldestRead),
      'the time the pages span is covered, their oldest second is not',
    );
    fake.resetStats();
    const again = await run(hints, cache);
    assert.equal(again.record?.eventID, target.eventID);
    const newer = source.filter((x) => Date.parse(x.eventTime) >= targetTime && Date.parse(x.eventTime) <= oldestRead).length;
    assert.ok(again.calls <= Math.ceil(newer / 50) + 1, `${again.calls} calls: the retry does not read the cached pages again`);
  });

  test('not found: says what was searched and what to try next', async () => {
    const r = await run(
      { eventSource: 'backup.amazonaws.com', times: [new Date(targetTime)] },
      undefined,
      '00000000-1111-2222-3333-444444444444',
    );
    assert.equal(r.record, undefined);
    assert.match(r.summary, /No event with request ID 00000000-1111-2222-3333-444444444444 in us-east-1/);
    assert.match(r.summary, /EventSource = backup\.amazonaws\.com/);
    assert.ok(r.suggestions.some((s) => /Region/.test(s)));
    assert.ok(r.suggestions.some((s) => /without the event source/.test(s)));
    assert.match(r.athenaQuery, /requestid = '00000000-1111-2222-3333-444444444444'/);
    assert.match(r.lakeQuery, /requestID = '00000000-1111-2222-3333-444444444444'/);
    // The whole 90 days for the source were read, plus the narrow unfiltered check.
    assert.equal(
      r.searched.filter((s) => s.attribute).reduce((s, x) => s + (x.end.getTime() - x.start.getTime()), 0) > 89 * 86_400_000,
      true,
    );
  });
});

describe('engine against a broken endpoint', () => {
  // One event a minute, so a page of 50 spans most of an hour and going back in time shows.
  const records = Array.from({ length: 300 }, (_, i) => makeRecord({ at: NOW - i * MIN, eventName: `Call${i}` }));
  const window = { start: new Date(NOW - 6 * 3600_000), end: new Date(NOW) };
  let fake: FakeCloudTrail;
  let lookup: LookupEventsFn;
  const fast = () => ({ limiter: new RateLimiter({ rate: 1000 }) });

  before(async () => {
    fake = await startFakeCloudTrail({ records, rate: 0, now: () => new Date(NOW) });
    lookup = clientFor(fake);
  });
  after(() => fake.close());

  async function stopsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<TrailLensError> {
    let caught: unknown;
    await assert.rejects(p, (e: unknown) => {
      caught = e;
      return e instanceof TrailLensError && e.code === code && message.test(e.message);
    });
    assert.doesNotMatch((caught as Error).message, /is not a function|undefined|\n\s+at /);
    return caught as TrailLensError;
  }

  const pagesOf = async (gen: AsyncGenerator<{ records: CloudTrailRecord[] }>) => {
    for await (const _ of gen);
  };

  test('the same NextToken on every page: lookupPages, scanEvents and findRequest stop at the second page', async () => {
    fake.clearFaults();
    fake.addFault({ kind: 'tokenLoop', operation: 'LookupEvents' });
    try {
      // A scan has split the window among a few chains by the time the loop shows: they stop too.
      for (const [run, maxCalls] of [
        [() => pagesOf(lookupPages(lookup, window, fast())), 2],
        [() => collect(scanEvents(lookup, window, fast())), 10],
        [
          () =>
            findRequest(
              { lookupEvents: lookup, limiter: new RateLimiter({ rate: 1000 }) },
              { requestId: '00000000-1111-2222-3333-444444444444', hints: { times: [] }, region: 'us-east-1', now: new Date(NOW) },
            ),
          2,
        ],
      ] as const) {
        fake.resetStats();
        await stopsWith(
          run(),
          'MalformedResponse',
          /malformed LookupEvents response: page 2 hands out a NextToken it already gave before\. Trail Lens stopped this search after 2 pages \(100 events\)/,
        );
        // Calls already on the wire when the loop showed may still land; then nothing more.
        await new Promise((r) => setTimeout(r, 100));
        const calls = fake.stats.byOperation.LookupEvents.calls;
        assert.ok(calls >= 2 && calls <= maxCalls, `${calls} calls`);
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(fake.stats.byOperation.LookupEvents.calls, calls, 'no calls after the error');
      }
    } finally {
      fake.clearFaults();
    }
  });

  test('--limit N stops after N events whatever the endpoint does', async () => {
    fake.addFault({ kind: 'tokenLoop', operation: 'LookupEvents' });
    try {
      fake.resetStats();
      const got = await collect(scanEvents(lookup, window, { ...fast(), limit: 30 }));
      assert.deepEqual(
        got.map((r) => r.eventID),
        records.slice(0, 30).map((r) => r.eventID),
      );
      assert.equal(fake.stats.byOperation.LookupEvents.calls, 1);
      // More than a page: the first page is delivered, then the loop is named.
      const delivered: CloudTrailRecord[] = [];
      await stopsWith(
        (async () => {
          for await (const batch of scanEvents(lookup, window, { ...fast(), limit: 80 })) delivered.push(...batch);
        })(),
        'MalformedResponse',
        /hands out a NextToken it already gave before/,
      );
      assert.equal(delivered.length, 50);
    } finally {
      fake.clearFaults();
    }
  });

  test('empty pages with a new token each time stop once they get nowhere', async () => {
    fake.addFault({ kind: 'tokenLoop', operation: 'LookupEvents', loopToken: 'fresh', emptyPages: true });
    try {
      fake.resetStats();
      await stopsWith(
        pagesOf(lookupPages(lookup, window, fast())),
        'MalformedResponse',
        new RegExp(`${MAX_STALLED_PAGES} pages in a row came no further back in time`),
      );
      assert.equal(fake.stats.byOperation.LookupEvents.calls, MAX_STALLED_PAGES);
    } finally {
      fake.clearFaults();
    }
  });

  test('a page that starts again from the newest events stops the chain', async () => {
    fake.addFault({ kind: 'backwardsPage', operation: 'LookupEvents' });
    try {
      for (const run of [
        () => pagesOf(lookupPages(lookup, window, fast())),
        () => collect(scanEvents(lookup, window, { ...fast(), concurrency: 1 })),
      ]) {
        fake.resetStats();
        await stopsWith(
          run(),
          'MalformedResponse',
          /page 2 goes back in time: it holds an event at 2026-11-21T12:00:00Z, newer than the oldest event of the page before \(2026-11-21T11:11:00Z\)/,
        );
        assert.equal(fake.stats.byOperation.LookupEvents.calls, 2);
      }
    } finally {
      fake.clearFaults();
    }
  });

  test('a malformed body is named as such, never as the TypeError it would cause', async () => {
    const cases: [string, RegExp][] = [
      ['{"Events":"surprise"}', /returned a malformed LookupEvents response: Events is a string \("surprise"\), not a list\./],
      ['{"Events":[{"EventId":"a","EventTime":"yesterday"}]}', /returned a malformed LookupEvents response: Expected real number/],
      ['{"Events":[{"EventId":"a"}],"NextToken":"x"}', /Events\[0\] \(a\) has no EventTime/],
      ['{"Events":[],"NextToken":7}', /NextToken is a number \(7\), not a string/],
    ];
    for (const [body, message] of cases) {
      fake.clearFaults();
      fake.addFault({ kind: 'malformedBody', operation: 'LookupEvents', body });
      fake.resetStats();
      await stopsWith(collect(scanEvents(lookup, window, { ...fast(), concurrency: 1 })), 'MalformedResponse', message);
      assert.equal(fake.stats.byOperation.LookupEvents.calls, 1, `${body}: not retried`);
    }
    fake.clearFaults();
  });

  test('an unknown 4xx fails at once with its code and message; 5xx is retried and the final error counts the attempts', async () => {
    fake.addFault({
      kind: 'error',
      operation: 'LookupEvents',
      code: 'OptInRequiredException',
      status: 403,
      message: 'The AWS Access Key Id needs a subscription for the service',
    });
    fake.resetStats();
    await stopsWith(
      collect(scanEvents(lookup, window, { ...fast(), concurrency: 1 })),
      'Rejected',
      /CloudTrail refused the LookupEvents request \(OptInRequiredException\): The AWS Access Key Id needs a subscription/,
    );
    assert.equal(fake.stats.byOperation.LookupEvents.calls, 1);
    fake.clearFaults();
    fake.addFault({ kind: 'internalFailure', operation: 'LookupEvents' });
    fake.resetStats();
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const err = await stopsWith(
      pagesOf(lookupPages(lookup, window, { ...fast(), logger })),
      'ServiceError',
      /^LookupEvents failed 4 times in a row; the last time: CloudTrail returned a server error \(HTTP 500, InternalFailure\)/,
    );
    assert.equal(err.hint, 'This is usually temporary: retry in a moment.');
    assert.equal(fake.stats.byOperation.LookupEvents.calls, 4);
    assert.deepEqual(
      warnings.map((w) => /Retry (\d) of 3 in (\S+)\.$/.exec(w)?.slice(1).join(' ')),
      ['1 500ms', '2 1s', '3 2s'],
    );
    fake.clearFaults();
  });
});
