/**
 * A multi-Region request-ID search through the real SDK (core/aws connect) against the fake
 * endpoint serving several Regions: each Region has its own history and its own 2 requests/s
 * bucket (as CloudTrail's limit is per account and Region), so the fake's request log proves the
 * budgets are per Region; the first hit cancels the others; errors stay with their Region.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { sharedLimiter } from '../../src/core/limiter';
import { findRequestEverywhere, type MultiFindOptions } from '../../src/core/multiFind';
import { planTargets, type SearchTarget } from '../../src/core/regionSearchReport';
import type { CloudTrailRecord } from '../../src/core/record';
import { makeRecord } from '../fake-cloudtrail/fixtures';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ID = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const REGIONS = ['eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'];
const LAST = 'sa-east-1';
const now = Date.now();

/** 50 events a page: each filler Region holds `pages` pages of other calls. */
function regionRecords(region: string, pages: number, withId: boolean, key: string): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  for (let i = 0; i < pages * 50; i++)
    out.push(makeRecord({ awsRegion: region, at: now - (i + 10) * 60_000, eventName: 'GetFunction', eventSource: 'lambda.amazonaws.com' }));
  if (withId)
    out.splice(pages * 50 - 5, 0, makeRecord({ awsRegion: region, at: now - (pages * 50 + 5) * 60_000, requestID: ID, eventName: key }));
  return out;
}

/** Calls per second over a list of arrival times (ms). */
function perSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.length < 2 ? 0 : ((sorted.length - 1) * 1000) / (sorted[sorted.length - 1] - sorted[0]);
}

let fake: FakeCloudTrail;
const open = new Map<string, Connection>();
let seq = 0;

function options(targets: SearchTarget[], extra: Partial<MultiFindOptions> = {}): MultiFindOptions {
  // Each run its own keys (and so its own limiters): runs do not share pacing state.
  const run = ++seq;
  return {
    requestId: ID,
    hints: { times: [] },
    maxDays: 2,
    targets,
    open: async (t) => {
      const c = await connect({
        endpointUrl: fake.url,
        region: t.region,
        credentials: { accessKeyId: `AKIDRUN${run}${t.profile ?? ''}`, secretAccessKey: 'x' },
        env: {},
      });
      open.set(`${run}|${t.profile}|${t.region}`, c);
      return { key: c.sharedKey, region: c.region, lookupEvents: (i, s) => c.lookupEvents(i, s), limiter: sharedLimiter(c.key) };
    },
    close: (t) => open.get(`${run}|${t.profile}|${t.region}`)?.dispose(),
    ...extra,
  };
}

before(async () => {
  const records = [
    ...regionRecords('eu-west-1', 10, false, ''),
    ...regionRecords('eu-central-1', 10, false, ''),
    ...regionRecords('ap-southeast-2', 10, false, ''),
    ...regionRecords(LAST, 5, true, 'CreateFunction20150331'),
  ];
  fake = await startFakeCloudTrail({ records, rate: 2, perRegion: true, latencyMs: 20, region: 'eu-west-1' });
});
after(() => fake.close());

describe('findRequestEverywhere through the SDK against a multi-Region fake', () => {
  test('found in the last Region; every Region paced at its own 2/s in parallel, none throttled; the hit stops the rest', async () => {
    fake.resetStats();
    let hitAt = 0;
    const r = await findRequestEverywhere(
      options(planTargets([undefined], REGIONS), {
        onProgress: (s) => {
          if (s.status === 'found') hitAt = Date.now();
        },
      }),
    );
    assert.equal(r.found?.target.region, LAST);
    assert.equal(r.found?.result.record?.eventName, 'CreateFunction20150331');
    const lookups = fake.requests.filter((q) => q.operation === 'LookupEvents');
    assert.equal(fake.stats.throttled, 0, 'no Region was throttled');
    // Per Region: at most 2/s (the client's slots are 500 ms apart; arrivals jitter by the send time).
    for (const region of REGIONS) {
      const times = lookups.filter((q) => q.region === region).map((q) => q.time.getTime());
      assert.ok(times.length >= 4, `${region}: ${times.length} calls`);
      assert.ok(perSecond(times.slice(1)) <= 2.3, `${region}: ${perSecond(times.slice(1)).toFixed(2)} calls/s after its first`);
    }
    // Across Regions: together well over one Region's 2/s, and still no throttling — the fake
    // throttles each Region at 2/s, so the budgets are per Region.
    assert.ok(
      perSecond(lookups.map((q) => q.time.getTime())) > 5,
      `all Regions: ${perSecond(lookups.map((q) => q.time.getTime())).toFixed(1)} calls/s`,
    );
    // (Slack for a loaded machine: a Region that did not start at once would wait a whole slot, 500 ms.)
    const firstSecond = lookups.filter((q) => q.time.getTime() - lookups[0].time.getTime() < 450);
    assert.ok(new Set(firstSecond.map((q) => q.region)).size === REGIONS.length, 'every Region started at once');
    // sa-east-1 needs 5 pages (~2 s at 2/s); the others hold 10 and are stopped by the hit.
    // A call already on the wire may land just after the hit; one started after it would come a slot
    // (500 ms) or more later, and the others' 10 pages would go on for seconds.
    const late = lookups.filter((q) => q.time.getTime() > hitAt + 250);
    assert.equal(late.length, 0, `calls after the hit: ${late.map((q) => q.region).join(', ')}`);
    for (const region of REGIONS.slice(0, 3)) {
      const s = r.states.find((x) => x.target.region === region);
      assert.equal(s?.status, 'cancelled', region);
      assert.ok((s?.pages ?? 0) < 10, `${region} read ${s?.pages} of its 10 pages`);
    }
  });

  test('AccessDenied in one Region and an opt-in Region not enabled: the others are searched, each failure named', async () => {
    fake.addFault({ kind: 'accessDenied', operation: 'LookupEvents', region: 'eu-central-1' });
    fake.addFault({ kind: 'unrecognizedClient', operation: 'LookupEvents', region: 'af-south-1' });
    try {
      const r = await findRequestEverywhere({ ...options(planTargets([undefined], ['eu-central-1', 'af-south-1', LAST])) });
      assert.equal(r.found?.target.region, LAST);
      const by = Object.fromEntries(r.states.map((s) => [s.target.region, s]));
      assert.equal(by['eu-central-1'].status, 'failed');
      assert.match(by['eu-central-1'].reason ?? '', /cloudtrail:LookupEvents/);
      assert.equal(by['af-south-1'].status, 'not-enabled');
      const miss = await findRequestEverywhere({ ...options(planTargets([undefined], ['eu-central-1', 'af-south-1', 'eu-west-1'])) });
      assert.equal(miss.found, undefined);
      assert.equal(miss.allFailed, false);
      assert.match(miss.summary, /searched 1 of 3 targets/);
      assert.match(miss.summary, /eu-west-1: searched all events/);
      assert.match(miss.summary, /could not search eu-central-1: Access denied/);
      assert.match(miss.summary, /not enabled for the account \(skipped\): af-south-1/);
    } finally {
      fake.clearFaults();
    }
  });

  test('two profiles reaching one account share each Region’s budget once the account is learned', async () => {
    fake.resetStats();
    const r = await findRequestEverywhere(options(planTargets(['a', 'b'], ['eu-west-1']), { maxDays: 2 }));
    assert.equal(r.found, undefined);
    const times = fake.requests
      .filter((q) => q.operation === 'LookupEvents')
      .map((q) => q.time.getTime())
      .sort((x, y) => x - y);
    // Both first calls go out before the account is known (2 profiles, 2 calls at once); from then
    // on one 2/s budget for both — not 4/s, as two separate budgets would allow.
    assert.ok(perSecond(times.slice(1)) <= 2.3, `${perSecond(times.slice(1)).toFixed(2)} calls/s for both profiles`);
    // Throttles may come where connection setup delayed a first call's arrival (the client's slots
    // are 500 ms apart, the server's bucket counts arrivals): they are retried, and the search ends.
    assert.ok(
      r.states.every((x) => x.status === 'not-found'),
      r.summary,
    );
    assert.ok(times.length >= 8, `${times.length} calls`);
  });
});
