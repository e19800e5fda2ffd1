import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LookupEventsCommandInput, LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { STANDARD_REGIONS, isOptInRegion } from '../../src/core/awsRegions';
import { TrailLensError } from '../../src/core/errors';
import { RateLimiter } from '../../src/core/limiter';
import { findRequestEverywhere, type TargetDeps } from '../../src/core/multiFind';
import {
  describeNowhere,
  describeTarget,
  isNotEnabledError,
  parseRegionList,
  planTargets,
  type SearchTarget,
} from '../../src/core/regionSearchReport';

const NOW = new Date('2026-11-21T12:00:00Z');
const ID = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';

describe('planning the targets', () => {
  test("'all' is the 17 standard Regions; opt-in Regions only when named; typos get suggestions", () => {
    assert.equal(parseRegionList('all').length, 17);
    assert.deepEqual(parseRegionList('all'), [...STANDARD_REGIONS]);
    assert.ok(!parseRegionList('all').some(isOptInRegion));
    assert.deepEqual(parseRegionList('eu-west-1, me-south-1,eu-west-1'), ['eu-west-1', 'me-south-1']);
    assert.ok(isOptInRegion('me-south-1'));
    assert.deepEqual(parseRegionList('us-west-2,all').slice(0, 2), ['us-west-2', 'us-east-1']);
    assert.throws(() => parseRegionList('us-est-1'), /not an AWS Region.*us-east-1/);
    assert.throws(() => parseRegionList(' , '), /No Region/);
  });

  test('every profile × Region; a global service puts us-east-1 first, adding it when missing', () => {
    const t = planTargets(['dev', 'prod'], ['eu-west-1', 'us-west-2']);
    assert.deepEqual(
      t.map((x) => `${x.profile}@${x.region}`),
      ['dev@eu-west-1', 'prod@eu-west-1', 'dev@us-west-2', 'prod@us-west-2'],
    );
    const iam = planTargets([undefined], ['eu-west-1', 'us-east-1'], 'iam.amazonaws.com');
    assert.deepEqual(
      iam.map((x) => x.region),
      ['us-east-1', 'eu-west-1'],
    );
    const added = planTargets([undefined], ['eu-west-1'], 'route53.amazonaws.com');
    assert.deepEqual(
      added.map((x) => x.region),
      ['us-east-1', 'eu-west-1'],
    );
    assert.deepEqual(
      planTargets([], ['eu-west-1'], 'lambda.amazonaws.com').map((x) => x.region),
      ['eu-west-1'],
    );
  });

  test('OptInRequired is "not enabled"; UnrecognizedClientException only in an opt-in Region', () => {
    const err = (name: string) =>
      new TrailLensError('Rejected', `CloudTrail refused the LookupEvents request (${name})`, { cause: { name } });
    assert.ok(isNotEnabledError(err('OptInRequired'), 'eu-west-1'));
    assert.ok(isNotEnabledError(err('UnrecognizedClientException'), 'af-south-1'));
    assert.ok(!isNotEnabledError(err('UnrecognizedClientException'), 'eu-west-1'));
    assert.ok(!isNotEnabledError(err('AccessDeniedException'), 'af-south-1'));
  });
});

/** An in-memory LookupEvents for one Region: its records newest first, 2 per page, with a call log. */
function regionApi(region: string, ids: string[], log: { region: string; at: number }[], failWith?: Error) {
  const records = ids.map((requestID, i) => ({
    eventVersion: '1.11',
    eventTime: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 'lambda.amazonaws.com',
    eventName: 'GetFunction',
    awsRegion: region,
    requestID,
    eventID: `${region}-${i}`,
    recipientAccountId: '123456789012',
  }));
  return async (input: LookupEventsCommandInput): Promise<LookupEventsCommandOutput> => {
    log.push({ region, at: performance.now() });
    if (failWith) throw failWith;
    const from = Number(input.NextToken ?? 0);
    const page = records.slice(from, from + 2);
    return {
      $metadata: {},
      Events: page.map((r) => ({
        EventId: r.eventID,
        EventName: r.eventName,
        EventTime: new Date(r.eventTime),
        CloudTrailEvent: JSON.stringify(r),
      })),
      NextToken: from + 2 < records.length ? String(from + 2) : undefined,
    };
  };
}

function depsFor(apis: Record<string, ReturnType<typeof regionApi>>, rate = 1000) {
  const limiters = new Map<string, RateLimiter>();
  return async (t: SearchTarget): Promise<TargetDeps> => {
    const key = `acct|${t.region}`;
    if (!limiters.has(key)) limiters.set(key, new RateLimiter({ rate }));
    return { key, region: t.region, lookupEvents: apis[t.region], limiter: limiters.get(key) as RateLimiter };
  };
}

const filler = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

describe('findRequestEverywhere', () => {
  test('the first hit cancels the rest: no Region is called once the hit is in', async () => {
    const log: { region: string; at: number }[] = [];
    const apis = {
      'eu-west-1': regionApi('eu-west-1', filler(40), log),
      'us-west-2': regionApi('us-west-2', [ID], log),
      'ap-south-1': regionApi('ap-south-1', filler(40), log),
    };
    let hitAt = 0;
    const r = await findRequestEverywhere({
      requestId: ID,
      hints: { times: [] },
      now: NOW,
      targets: planTargets([undefined], Object.keys(apis)),
      open: depsFor(apis, 20),
      onProgress: (s) => {
        if (s.status === 'found') hitAt = performance.now();
      },
    });
    assert.equal(r.found?.target.region, 'us-west-2');
    assert.equal(r.found?.result.record?.requestID, ID);
    assert.ok(hitAt > 0);
    const after = log.filter((c) => c.at > hitAt);
    assert.equal(after.length, 0, `calls after the hit: ${JSON.stringify(after)}`);
    assert.ok(log.filter((c) => c.region === 'eu-west-1').length < 20, 'eu-west-1 was stopped before reading its 20 pages');
    const states = Object.fromEntries(r.states.map((s) => [s.target.region, s.status]));
    assert.deepEqual(states, { 'eu-west-1': 'cancelled', 'us-west-2': 'found', 'ap-south-1': 'cancelled' });
    assert.match(describeTarget(r.states[0]), /^eu-west-1: stopped.*found elsewhere/);
    assert.match(r.summary, /Found .* in us-west-2/);
  });

  test('errors stay with their target: AccessDenied and a Region not enabled do not stop the others', async () => {
    const log: { region: string; at: number }[] = [];
    const denied = new TrailLensError('AccessDenied', 'Access denied: not allowed to call cloudtrail:LookupEvents in eu-west-1.');
    const optIn = new TrailLensError('InvalidCredentials', 'AWS rejected the credentials (UnrecognizedClientException)', {
      cause: { name: 'UnrecognizedClientException' },
    });
    const apis = {
      'eu-west-1': regionApi('eu-west-1', [], log, denied),
      'af-south-1': regionApi('af-south-1', [], log, optIn),
      'us-east-2': regionApi('us-east-2', filler(3), log),
    };
    const r = await findRequestEverywhere({
      requestId: ID,
      hints: { times: [] },
      now: NOW,
      maxDays: 1,
      targets: planTargets([undefined], Object.keys(apis)),
      open: depsFor(apis),
    });
    assert.equal(r.found, undefined);
    assert.equal(r.allFailed, false);
    const by = Object.fromEntries(r.states.map((s) => [s.target.region, s]));
    assert.equal(by['eu-west-1'].status, 'failed');
    assert.match(by['eu-west-1'].reason ?? '', /cloudtrail:LookupEvents/);
    assert.equal(by['af-south-1'].status, 'not-enabled');
    assert.equal(by['us-east-2'].status, 'not-found');
    assert.equal(by['us-east-2'].pages, 2);
    assert.match(r.summary, /: searched 1 of 3 targets\./);
    assert.match(r.summary, /\n {2}us-east-2: searched all events .* \(2 pages\)/);
    assert.match(r.summary, /could not search eu-west-1: Access denied/);
    assert.match(r.summary, /not enabled for the account \(skipped\): af-south-1/);
    assert.equal(describeNowhere(ID, r.states).split('\n')[0], r.summary.split('\n')[0]);
  });

  test('every target failing is allFailed; opening a target can fail too', async () => {
    const r = await findRequestEverywhere({
      requestId: ID,
      hints: { times: [] },
      now: NOW,
      targets: planTargets(['gone'], ['eu-west-1', 'eu-west-2']),
      open: async () => {
        throw new TrailLensError('UnknownProfile', "Profile 'gone' is not in ~/.aws/config");
      },
    });
    assert.equal(r.allFailed, true);
    assert.ok(r.states.every((s) => s.status === 'failed' && /Profile 'gone'/.test(s.reason ?? '')));
  });

  test('a global service: us-east-1 alone first, and no other Region is called when it has the event', async () => {
    const log: { region: string; at: number }[] = [];
    const apis = {
      'eu-west-1': regionApi('eu-west-1', filler(10), log),
      'us-east-1': regionApi('us-east-1', [ID], log),
    };
    const r = await findRequestEverywhere({
      requestId: ID,
      hints: { times: [], eventSource: 'iam.amazonaws.com' },
      now: NOW,
      targets: planTargets([undefined], ['eu-west-1'], 'iam.amazonaws.com'),
      open: depsFor(apis),
    });
    assert.equal(r.found?.target.region, 'us-east-1');
    assert.deepEqual(
      log.map((c) => c.region),
      ['us-east-1'],
    );
    assert.equal(r.states.find((s) => s.target.region === 'eu-west-1')?.status, 'cancelled');
  });

  test('two profiles of one account and Region search it once', async () => {
    const log: { region: string; at: number }[] = [];
    const apis = { 'eu-west-1': regionApi('eu-west-1', filler(3), log) };
    const r = await findRequestEverywhere({
      requestId: ID,
      hints: { times: [] },
      now: NOW,
      maxDays: 1,
      targets: planTargets(['dev', 'dev-admin'], ['eu-west-1']),
      open: depsFor(apis),
    });
    assert.deepEqual(
      r.states.map((s) => s.status),
      ['not-found', 'same-account'],
    );
    assert.match(describeTarget(r.states[1]), /eu-west-1 \(dev-admin\): same account as eu-west-1 \(dev\) — searched once/);
    assert.equal(log.length, 2);
  });

  test('the caller cancelling is a Cancelled error, not a result', async () => {
    const log: { region: string; at: number }[] = [];
    const apis = { 'eu-west-1': regionApi('eu-west-1', filler(40), log) };
    const ac = new AbortController();
    const search = findRequestEverywhere({
      requestId: ID,
      hints: { times: [] },
      now: NOW,
      signal: ac.signal,
      targets: planTargets([undefined], ['eu-west-1']),
      open: depsFor(apis, 5),
      onProgress: (s) => {
        if (s.pages >= 1) ac.abort();
      },
    });
    await assert.rejects(search, (e: unknown) => e instanceof TrailLensError && e.code === 'Cancelled');
  });
});
