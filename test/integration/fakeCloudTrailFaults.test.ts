/**
 * The fake CloudTrail endpoint's wire protocol, rate limit, fault injection and trail operations,
 * seen through raw HTTP and through the real @aws-sdk/client-cloudtrail client.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import {
  CloudTrailServiceException,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  LookupEventsCommand,
  OperationNotPermittedException,
  TrailNotFoundException,
  UnsupportedOperationException,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import { makeRecord } from '../fake-cloudtrail/fixtures';
import { LOOP_TOKEN, startFakeCloudTrail } from '../fake-cloudtrail/server';
import type { FaultKind } from '../fake-cloudtrail/server';
import { by, clientFor, lookupIds, rejectsAs, useFake } from '../fake-cloudtrail/testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const records = Array.from({ length: 12 }, (_, i) => makeRecord({ at: Date.now() - i * 60_000 }));

async function post(url: string, target: string | undefined, body: unknown, path = '/'): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-amz-json-1.1' };
  if (target) headers['X-Amz-Target'] = target;
  return fetch(url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('AWS JSON 1.1 wire protocol', () => {
  const { fake, client } = useFake({ records });

  test('both X-Amz-Target forms dispatch; every answer has a request ID and the JSON 1.1 content type', async () => {
    for (const target of ['CloudTrail_20131101.LookupEvents', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents']) {
      const res = await post(fake().url, target, { MaxResults: 2 });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
      assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
      const body = (await res.json()) as { Events: { EventTime: unknown }[]; NextToken?: string };
      assert.equal(body.Events.length, 2);
      assert.equal(typeof body.Events[0]?.EventTime, 'number');
      assert.equal(typeof body.NextToken, 'string');
    }
  });

  test('timestamps may be integers, fractions or numeric strings; any path ending in / is served', async () => {
    const start = Math.floor(Date.now() / 1000) - 150;
    for (const StartTime of [start, start + 0.5, String(start)]) {
      const res = await post(fake().url, 'CloudTrail_20131101.LookupEvents', { StartTime }, '/some/prefix/');
      assert.equal(res.status, 200);
      assert.ok(((await res.json()) as { Events: unknown[] }).Events.length >= 2);
    }
  });

  test('unknown targets, bad paths and bad JSON are typed errors with x-amzn-ErrorType', async () => {
    const cases: [string | undefined, unknown, string, number, string][] = [
      ['CloudTrail_20131101.StartQuery', {}, '/', 400, 'UnknownOperationException'],
      [undefined, {}, '/', 400, 'UnknownOperationException'],
      ['CloudTrail_20131101.LookupEvents', {}, '/nope', 404, 'UnknownOperationException'],
      ['CloudTrail_20131101.LookupEvents', '{"MaxResults":', '/', 400, 'SerializationException'],
    ];
    for (const [target, body, path, status, code] of cases) {
      const res = await post(fake().url, target, body, path);
      assert.equal(res.status, status);
      assert.equal(res.headers.get('x-amzn-errortype'), code);
      assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
      const json = (await res.json()) as { __type: string; message: string };
      assert.equal(json.__type, code);
      assert.ok(json.message.length > 0);
    }
  });

  test('a loopback fake refuses other Host names (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${fake().url}/`,
        { method: 'POST', headers: { Host: 'attacker.example:80', 'X-Amz-Target': 'CloudTrail_20131101.LookupEvents' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(status, 403);
    assert.equal(fake().requests.at(-1)?.errorCode, 'AccessDeniedException');
  });

  test('requests are recorded with operation, params and status, and the SDK sees the same request ID', async () => {
    fake().resetStats();
    const out = await client().send(new LookupEventsCommand(by('EventName', 'GetUser')));
    const [recorded] = fake().requests;
    assert.ok(recorded);
    assert.equal(recorded.operation, 'LookupEvents');
    assert.equal(recorded.status, 200);
    assert.deepEqual(recorded.params.LookupAttributes, [{ AttributeKey: 'EventName', AttributeValue: 'GetUser' }]);
    assert.equal(out.$metadata.requestId, recorded.requestId);
    assert.ok(!JSON.stringify(recorded).includes('AKIDEXAMPLE'), 'credentials are never recorded');
    assert.deepEqual(fake().stats.byOperation.LookupEvents, { calls: 1, throttled: 0, errors: 0, faults: 0 });
  });
});

describe('LookupEvents rate limit', () => {
  const { fake, client } = useFake({ records, rate: 2 });

  test('above 2 requests/s the SDK gets ThrottlingException; other operations are not limited', async () => {
    fake().resetStats();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => lookupIds(client(), { MaxResults: 1 })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const throttled = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 2, 'the bucket holds two requests');
    assert.equal(throttled.length, 4);
    for (const r of throttled) {
      const err = r.reason as CloudTrailServiceException;
      assert.equal(err.name, 'ThrottlingException');
      assert.equal(err.message, 'Rate exceeded');
      assert.equal(err.$metadata.httpStatusCode, 400);
    }
    assert.equal(fake().stats.throttled, 4);
    assert.deepEqual(fake().stats.byOperation.LookupEvents, { calls: 6, throttled: 4, errors: 4, faults: 0 });
    await client().send(new DescribeTrailsCommand({}));
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await Promise.all([lookupIds(client()), lookupIds(client())])).length, 2, 'refilled after a second');
  });

  test('a client pacing itself under the rate is never throttled; rate 0 is unlimited', async () => {
    fake().setRate(10, 1);
    for (let i = 0; i < 5; i++) {
      await lookupIds(client(), { MaxResults: 1 });
      await new Promise((r) => setTimeout(r, 120));
    }
    fake().setRate(0);
    await Promise.all(Array.from({ length: 20 }, () => lookupIds(client(), { MaxResults: 1 })));
    fake().setRate(2);
  });
});

describe('fault injection', () => {
  const { fake, client } = useFake({ records, faults: [{ kind: 'accessDenied', operation: 'ListTrails' }] });

  test('each error fault arrives as the error a real client sees', async () => {
    const cases: [FaultKind, string, number, string | RegExp][] = [
      ['internalFailure', 'InternalFailure', 500, /unknown error/],
      ['serviceUnavailable', 'ServiceUnavailable', 503, /temporary failure/],
      [
        'accessDenied',
        'AccessDeniedException',
        400,
        'User: arn:aws:iam::123456789012:user/x is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action',
      ],
      ['expiredToken', 'ExpiredTokenException', 400, 'The security token included in the request is expired'],
      ['unrecognizedClient', 'UnrecognizedClientException', 400, 'The security token included in the request is invalid.'],
      ['throttling', 'ThrottlingException', 400, 'Rate exceeded'],
    ];
    for (const [kind, name, status, message] of cases) {
      fake().addFault({ kind, count: 1 });
      const err = await rejectsAs(lookupIds(client()), name, CloudTrailServiceException);
      assert.equal((err as unknown as CloudTrailServiceException).$metadata.httpStatusCode, status);
      assert.equal((err as unknown as CloudTrailServiceException).$fault, status >= 500 ? 'server' : 'client');
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      assert.equal(fake().requests.at(-1)?.fault, kind);
    }
    assert.deepEqual(await lookupIds(client(), { MaxResults: 1 }), [records[0]!.eventID], 'count: 1 faults retire');
  });

  test('modelled errors can be injected and arrive as the SDK classes', async () => {
    fake().addFault({ kind: 'error', code: 'UnsupportedOperationException', message: 'no', count: 1 });
    await rejectsAs(lookupIds(client()), 'UnsupportedOperationException', UnsupportedOperationException);
    fake().addFault({ kind: 'error', code: 'OperationNotPermittedException', count: 1 });
    await rejectsAs(lookupIds(client()), 'OperationNotPermittedException', OperationNotPermittedException);
  });

  test('a truncated body and a dropped connection fail like broken networks do', async () => {
    fake().addFault({ kind: 'truncatedBody', count: 1 });
    await assert.rejects(lookupIds(client()), (err: Error & { code?: string }) => {
      assert.ok(!(err instanceof CloudTrailServiceException), 'not a service error');
      assert.equal(err.code, 'ECONNRESET');
      return true;
    });
    fake().addFault({ kind: 'dropConnection', count: 1 });
    await assert.rejects(lookupIds(client()), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'ECONNRESET');
      return true;
    });
    assert.equal(fake().requests.at(-1)?.status, 0);
  });

  test('the SDK retries transient faults but not access errors', async () => {
    const retrying = clientFor(fake(), 3);
    try {
      for (const kind of ['throttling', 'internalFailure', 'dropConnection'] as const) {
        fake().resetStats();
        fake().addFault({ kind, count: 1 });
        assert.equal((await lookupIds(retrying, { MaxResults: 1 })).length, 1, `${kind} then success`);
        assert.equal(fake().stats.calls, 2);
      }
      fake().resetStats();
      fake().addFault({ kind: 'accessDenied', count: 1 });
      await rejectsAs(lookupIds(retrying), 'AccessDeniedException');
      assert.equal(fake().stats.calls, 1);
    } finally {
      retrying.destroy();
    }
  });

  test('faults can target an operation, a predicate, skip some requests, and be cleared', async () => {
    await rejectsAs(client().send(new ListTrailsCommand({})), 'AccessDeniedException');
    await client().send(new DescribeTrailsCommand({}));
    fake().addFault({ kind: 'internalFailure', match: (r) => typeof r.params.NextToken === 'string' });
    const pages: number[] = [];
    await assert.rejects(async () => {
      for await (const page of paginateLookupEvents({ client: client(), pageSize: 5 }, {})) pages.push(page.Events?.length ?? 0);
    }, /unknown error/);
    assert.deepEqual(pages, [5], 'the first page arrives, the second fails');
    fake().clearFaults();
    await client().send(new ListTrailsCommand({}));
    fake().addFault({ kind: 'expiredToken', skip: 1, count: 2 });
    const outcomes = await Promise.allSettled([0, 1, 2, 3].map(() => lookupIds(client(), { MaxResults: 1 })));
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
    );
  });

  test('latency is applied before answering: fixed, computed, or for the next N requests', async () => {
    const timed = async (): Promise<number> => {
      const t0 = performance.now();
      await lookupIds(client(), { MaxResults: 1 });
      return performance.now() - t0;
    };
    fake().setLatency(150);
    assert.ok((await timed()) >= 145);
    let calls = 0;
    fake().setLatency(() => (calls++ === 0 ? 120 : 0));
    assert.ok((await timed()) >= 115);
    assert.ok((await timed()) < 100);
    fake().setLatency(0);
    fake().addFault({ kind: 'latency', latencyMs: 200, count: 1 });
    assert.ok((await timed()) >= 195);
    assert.ok((await timed()) < 100);
  });

  test('a token loop hands out the first page again and again, with one token or a new one each time', async () => {
    fake().resetStats();
    fake().addFault({ kind: 'tokenLoop', count: 3 });
    const first = await client().send(new LookupEventsCommand({ MaxResults: 2 }));
    const again = await client().send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    assert.equal(first.NextToken, LOOP_TOKEN);
    assert.equal(again.NextToken, LOOP_TOKEN);
    assert.deepEqual(
      again.Events?.map((e) => e.EventId),
      first.Events?.map((e) => e.EventId),
    );
    fake().clearFaults();
    fake().addFault({ kind: 'tokenLoop', loopToken: 'fresh', emptyPages: true, count: 2 });
    const a = await client().send(new LookupEventsCommand({}));
    const b = await client().send(new LookupEventsCommand({ NextToken: a.NextToken }));
    assert.deepEqual([a.Events, b.Events], [[], []]);
    assert.ok(a.NextToken && b.NextToken && a.NextToken !== b.NextToken);
    assert.equal(fake().requests.at(-1)?.fault, 'tokenLoop');
  });

  test('a backwards page answers a NextToken with the newest events again; first pages are untouched', async () => {
    fake().addFault({ kind: 'backwardsPage', count: 1 });
    const first = await client().send(new LookupEventsCommand({ MaxResults: 3 }));
    assert.deepEqual(
      first.Events?.map((e) => e.EventId),
      records.slice(0, 3).map((r) => r.eventID),
      'no token: a normal first page',
    );
    const second = await client().send(new LookupEventsCommand({ MaxResults: 3, NextToken: first.NextToken }));
    assert.deepEqual(
      second.Events?.map((e) => e.EventId),
      records.slice(0, 3).map((r) => r.eventID),
    );
    assert.notEqual(second.NextToken, first.NextToken);
    await rejectsAs(client().send(new LookupEventsCommand({ MaxResults: 3, NextToken: second.NextToken })), 'InvalidNextTokenException');
  });

  test('a malformed body reaches the caller as the SDK parses it; a trickled body arrives whole, slowly', async () => {
    fake().addFault({ kind: 'malformedBody', body: '{"Events":"surprise"}', count: 1 });
    const out = await client().send(new LookupEventsCommand({}));
    assert.equal(out.Events as unknown, 'surprise', 'the SDK does not check the shape');
    fake().addFault({ kind: 'malformedBody', body: '{"Events":[{"EventId":"a","EventTime":"yesterday"}]}', count: 1 });
    await assert.rejects(client().send(new LookupEventsCommand({})), /Expected real number/);
    fake().addFault({ kind: 'trickle', intervalMs: 5, count: 1 });
    const t0 = performance.now();
    const slow = await client().send(new LookupEventsCommand({ MaxResults: 1 }));
    assert.deepEqual(
      slow.Events?.map((e) => e.EventId),
      [records[0]!.eventID],
    );
    assert.ok(performance.now() - t0 > 500, 'hundreds of bytes, 5 ms apart');
    assert.throws(() => fake().addFault({ kind: 'malformedBody' }), /needs a body/);
  });

  test('close() ends requests still waiting on latency and refuses new connections', async () => {
    const slow = await startFakeCloudTrail({ rate: 0, latencyMs: 10_000 });
    const c = clientFor(slow);
    const pending = lookupIds(c).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await slow.close();
    assert.ok(performance.now() - t0 < 1000, 'close does not wait for the latency');
    assert.ok((await pending) instanceof Error);
    await assert.rejects(lookupIds(c), (err: Error & { code?: string }) => err.code === 'ECONNREFUSED');
    c.destroy();
  });
});

describe('trail operations', () => {
  const now = Date.parse('2025-03-10T12:00:00Z');
  const { fake, client } = useFake({
    now: () => new Date(now),
    trails: [
      {
        Name: 'org-trail',
        HomeRegion: 'eu-west-1',
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
        S3BucketName: 'org-logs',
        status: { IsLogging: true, LatestDeliveryError: 'AccessDenied', LatestDeliveryTime: '2025-03-01T00:00:00Z' },
      },
      { Name: 'local', S3BucketName: 'gone-bucket', status: { IsLogging: false, LatestDeliveryError: 'NoSuchBucket' } },
    ],
  });
  const orgArn = 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail';

  test('DescribeTrails lists trails, filters by name or ARN, and can leave out shadow trails', async () => {
    const all = await client().send(new DescribeTrailsCommand({}));
    assert.deepEqual(
      all.trailList?.map((t) => [t.Name, t.TrailARN, t.HomeRegion]),
      [
        ['org-trail', orgArn, 'eu-west-1'],
        ['local', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/local', 'us-east-1'],
      ],
    );
    assert.equal(all.trailList?.[0]?.IsOrganizationTrail, true);
    const own = await client().send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    assert.deepEqual(
      own.trailList?.map((t) => t.Name),
      ['local'],
    );
    const named = await client().send(new DescribeTrailsCommand({ trailNameList: [orgArn] }));
    assert.deepEqual(
      named.trailList?.map((t) => t.Name),
      ['org-trail'],
    );
    const listed = await client().send(new ListTrailsCommand({}));
    assert.deepEqual(
      listed.Trails?.map((t) => t.Name),
      ['org-trail', 'local'],
    );
  });

  test('GetTrailStatus reports logging and delivery errors; unknown trails are TrailNotFoundException', async () => {
    const org = await client().send(new GetTrailStatusCommand({ Name: orgArn }));
    assert.equal(org.IsLogging, true);
    assert.equal(org.LatestDeliveryError, 'AccessDenied');
    assert.equal(org.LatestDeliveryTime?.toISOString(), '2025-03-01T00:00:00.000Z');
    const local = await client().send(new GetTrailStatusCommand({ Name: 'local' }));
    assert.equal(local.IsLogging, false);
    assert.equal(local.LatestDeliveryError, 'NoSuchBucket');
    const err = await rejectsAs(
      client().send(new GetTrailStatusCommand({ Name: 'missing' })),
      'TrailNotFoundException',
      TrailNotFoundException,
    );
    assert.match(err.message, /Unknown trail: arn:aws:cloudtrail:us-east-1:123456789012:trail\/missing/);
  });

  test('the default account has one logging trail; setTrails([]) models an account with none', async () => {
    const plain = await startFakeCloudTrail({ now: () => new Date(now) });
    const c = clientFor(plain);
    try {
      const { trailList } = await c.send(new DescribeTrailsCommand({}));
      assert.equal(trailList?.length, 1);
      const status = await c.send(new GetTrailStatusCommand({ Name: trailList?.[0]?.Name }));
      assert.equal(status.IsLogging, true);
      assert.ok(now - (status.LatestDeliveryTime?.getTime() ?? 0) < 3_600_000, 'delivered within the hour');
      plain.setTrails([]);
      assert.deepEqual((await c.send(new DescribeTrailsCommand({}))).trailList, []);
    } finally {
      c.destroy();
      await plain.close();
    }
    fake().setTrails([]);
    assert.deepEqual((await client().send(new ListTrailsCommand({}))).Trails, []);
  });
});
