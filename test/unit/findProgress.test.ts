/**
 * findRequest's progress (how far back, share done, time left), its delivery-lag verdict, and
 * findEvent's cache-then-EventId lookup, against an in-memory LookupEvents.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LookupEventsCommandInput, LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { deliveryPending, describePending, describeProgress, findEvent, findRequest, type FindProgress } from '../../src/core/find';
import { RateLimiter } from '../../src/core/limiter';
import { DELIVERY_LAG_MS } from '../../src/core/limits';
import type { CloudTrailRecord } from '../../src/core/record';
import { makeRecord } from '../fake-cloudtrail/fixtures';

const MIN = 60_000;
const DAY = 86_400_000;
const now = new Date('2026-11-21T12:00:00Z');

/** LookupEvents over `records` (any order): newest first, `MaxResults` a page, the token an offset. */
function fakeLookup(records: CloudTrailRecord[]) {
  const inputs: LookupEventsCommandInput[] = [];
  const fn = async (input: LookupEventsCommandInput): Promise<LookupEventsCommandOutput> => {
    inputs.push(input);
    const start = (input.StartTime as Date).getTime();
    const end = (input.EndTime as Date).getTime();
    const attr = input.LookupAttributes?.[0];
    const hits = records
      .filter((r) => {
        const t = Date.parse(r.eventTime);
        if (t < start || t > end) return false;
        if (attr?.AttributeKey === 'EventId') return r.eventID === attr.AttributeValue;
        if (attr?.AttributeKey === 'EventSource') return r.eventSource === attr.AttributeValue;
        return true;
      })
      .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
    const from = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 50;
    const page = hits.slice(from, from + size);
    return {
      Events: page.map((r) => ({
        EventId: r.eventID,
        EventName: r.eventName,
        EventSource: r.eventSource,
        EventTime: new Date(r.eventTime),
        CloudTrailEvent: JSON.stringify(r),
      })),
      NextToken: from + size < hits.length ? String(from + size) : undefined,
      $metadata: {},
    };
  };
  return { fn, inputs };
}

const limiter = () => new RateLimiter({ rate: 1000, margin: 0 });

/** One event an hour over the last `days` days. */
function hourly(days: number): CloudTrailRecord[] {
  return Array.from({ length: days * 24 }, (_, i) =>
    makeRecord({
      at: now.getTime() - (i + 1) * 3600_000 - 1000,
      eventSource: 'kms.amazonaws.com',
      requestID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }),
  );
}

describe('findRequest progress', () => {
  test('says how far back the scan has reached, the share done (rising to 100%) and, after a few pages, the time left', async () => {
    const { fn } = fakeLookup(hourly(10));
    const seen: FindProgress[] = [];
    const result = await findRequest(
      { lookupEvents: fn, limiter: limiter() },
      {
        requestId: 'ffffffff-0000-4000-8000-000000000000',
        hints: { times: [] },
        region: 'eu-west-1',
        maxDays: 10,
        pageSize: 20,
        now,
        onProgress: (p) => seen.push(p),
      },
    );
    assert.equal(result.record, undefined);
    const paged = seen.filter((p) => p.reached);
    assert.ok(paged.length >= 10, `${paged.length} progress reports with a position`);
    for (let i = 1; i < paged.length; i++) {
      assert.ok(paged[i].reached!.getTime() <= paged[i - 1].reached!.getTime(), 'the position only moves back in time');
      assert.ok(paged[i].done >= paged[i - 1].done, 'the share only grows');
    }
    const last = paged[paged.length - 1];
    // 20 events a page, one an hour: each page reaches 20 hours further back; 12 pages read 10 days.
    assert.ok(last.done > 0.95 && last.done <= 1, `done ${last.done}`);
    assert.ok(last.reached!.getTime() < now.getTime() - 9.9 * DAY);
    const mid = paged[5];
    assert.ok(
      Math.abs(mid.done - (now.getTime() - mid.reached!.getTime()) / (10 * DAY)) < 0.01,
      'the share is the time covered over the window',
    );
    assert.ok(mid.etaMs !== undefined && mid.etaMs >= 0);
    const line = describeProgress(mid);
    assert.match(line, /^back to \d{4}-\d\d-\d\d \d\d:\d\d UTC · \d+% · about .+ left$/, line);
  });

  test('describeProgress: the position to the minute, the share, an estimate once a few pages set the pace, throttling', () => {
    const p: FindProgress = {
      step: 's',
      calls: 1,
      pages: 1,
      events: 50,
      waiting: false,
      done: 0.5,
      reached: new Date('2026-11-20T08:24:31Z'),
    };
    assert.equal(describeProgress(p), 'back to 2026-11-20 08:24 UTC · 50%');
    assert.equal(
      describeProgress({ ...p, waiting: true, pages: 4, etaMs: 61_000 }),
      'back to 2026-11-20 08:24 UTC · 50% · about 1m 1s left · waiting — CloudTrail is throttling',
    );
  });
});

describe('delivery lag', () => {
  test("a miss within DELIVERY_LAG_MS of the text's timestamp is reported as possibly not delivered yet", async () => {
    const { fn } = fakeLookup(hourly(1));
    const at = new Date(now.getTime() - 3 * MIN);
    const result = await findRequest(
      { lookupEvents: fn, limiter: limiter() },
      {
        requestId: 'ffffffff-0000-4000-8000-000000000000',
        hints: { times: [at], window: { start: new Date(at.getTime() - 30 * MIN), end: now }, zoneKnown: true },
        region: 'eu-west-1',
        maxDays: 1,
        now,
      },
    );
    assert.ok(result.pending, 'pending');
    assert.equal(result.pending.until.getTime(), at.getTime() + DELIVERY_LAG_MS);
    assert.match(
      result.suggestions[0],
      /^CloudTrail may not have delivered it yet \(the request was 3 minutes ago\): look again until 2026-11-21 12:12:00 UTC\.$/,
    );
  });

  test('an old, a future or a zone-less timestamp is not pending; the caller may give the time instead', async () => {
    assert.equal(deliveryPending(new Date(now.getTime() - DELIVERY_LAG_MS - 1), now.getTime()), undefined);
    assert.equal(deliveryPending(new Date(now.getTime() + 5 * MIN), now.getTime()), undefined, 'in the future: a misread zone');
    assert.equal(deliveryPending(undefined, now.getTime()), undefined);
    const p = deliveryPending(new Date(now.getTime() - 20_000), now.getTime());
    assert.ok(p);
    assert.equal(describePending(p), 'CloudTrail may not have delivered it yet (the request was less than a minute ago)');
    const { fn } = fakeLookup(hourly(1));
    const at = new Date(now.getTime() - 3 * MIN);
    const zoneless = await findRequest(
      { lookupEvents: fn, limiter: limiter() },
      { requestId: 'ffffffff-0000-4000-8000-000000000000', hints: { times: [at], zoneKnown: false }, region: 'eu-west-1', maxDays: 1, now },
    );
    assert.equal(zoneless.pending, undefined, 'a zone-less time may be hours off');
    const told = await findRequest(
      { lookupEvents: fn, limiter: limiter() },
      { requestId: 'ffffffff-0000-4000-8000-000000000000', hints: { times: [] }, region: 'eu-west-1', maxDays: 1, now, requestedAt: at },
    );
    assert.ok(told.pending, 'the caller can say when the request was made');
  });
});

describe('findEvent', () => {
  test('looks an event up by its EventId attribute in one call', async () => {
    const records = hourly(3);
    const target = records[40];
    const { fn, inputs } = fakeLookup(records);
    const result = await findEvent({ lookupEvents: fn, limiter: limiter() }, { eventId: target.eventID, region: 'eu-west-1', now });
    assert.equal(result.record?.eventID, target.eventID);
    assert.equal(result.calls, 1);
    assert.deepEqual(inputs[0].LookupAttributes, [{ AttributeKey: 'EventId', AttributeValue: target.eventID }]);
    assert.match(result.summary, /^Found event .+ in eu-west-1 by EventId \(1 call, /);
    const missing = await findEvent(
      { lookupEvents: fn, limiter: limiter() },
      { eventId: 'aaaaaaaa-0000-4000-8000-000000000000', region: 'eu-west-1', now },
    );
    assert.equal(missing.record, undefined);
    assert.match(missing.summary, /^No event with event ID aaaaaaaa-.+ in eu-west-1 in the last 90 days/);
  });

  test('answers from the cache without a call', async () => {
    const target = hourly(1)[0];
    const { fn, inputs } = fakeLookup([]);
    const cache = { byEventId: (id: string) => (id === target.eventID ? target : undefined), put: async () => {} };
    const result = await findEvent(
      { lookupEvents: fn, limiter: limiter(), cache: cache as never },
      { eventId: target.eventID, region: 'eu-west-1', now },
    );
    assert.equal(result.fromCache, true);
    assert.equal(inputs.length, 0);
  });
});
