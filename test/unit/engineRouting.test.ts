/**
 * The request-ID jump's engine choice without VS Code (src/extension/jump/engines.ts, src/core/dataEvents.ts):
 * which steps a miss offers for which settings, when the jump skips event history and where it goes,
 * and the window an engine searches.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dataEventNamed } from '../../src/core/dataEvents';
import { collectHints } from '../../src/core/hints';
import type { FindResult } from '../../src/core/find';
import {
  ENGINES,
  engineOfStep,
  engineSteps,
  engineWindow,
  routeJump,
  trailSourceOf,
  type EngineConfig,
  type EngineId,
} from '../../src/extension/jump/engines';
import { nextSteps, stepDetail } from '../../src/extension/jump/steps';

const ALL = new Set<EngineId>(['athena', 'logs', 'lake', 'trail']);
const ATHENA_LOGS = new Set<EngineId>(['athena', 'logs']);
const NOW = Date.parse('2026-12-02T05:00:00Z');
const DAY = 86_400_000;

describe('engine steps', () => {
  test('an engine with its setting is a search; one without, a set-up step; order Athena, Logs, Lake, trail files', () => {
    const config: EngineConfig = { athena: { table: 'cloudtrail_logs', database: 'default' }, lakeEventDataStore: 'eds-1' };
    assert.deepEqual(engineSteps(config, ALL), { ready: ['athena', 'lake'], setup: ['logs', 'trail'] });
    assert.deepEqual(engineSteps({}, ALL), { ready: [], setup: ['athena', 'logs', 'lake', 'trail'] });
    assert.deepEqual(engineSteps({ logGroup: 'g', trailSource: '/logs' }, ALL), { ready: ['logs', 'trail'], setup: ['athena', 'lake'] });
  });

  test('an engine this build cannot run is offered neither way (no dead button)', () => {
    const config: EngineConfig = { lakeEventDataStore: 'eds-1', trailSource: 's3://b/p' };
    assert.deepEqual(engineSteps(config, ATHENA_LOGS), { ready: [], setup: ['athena', 'logs'] });
  });

  test('step labels map back to their engine and kind', () => {
    assert.deepEqual(engineOfStep('Search Athena'), { engine: 'athena', setup: false });
    assert.deepEqual(engineOfStep('Set Up CloudWatch Logs…'), { engine: 'logs', setup: true });
    assert.equal(engineOfStep('Region…'), undefined);
    assert.equal(ENGINES.logs.setting, 'trailLens.cloudWatchLogs.logGroup');
    assert.equal(ENGINES.athena.setting, 'trailLens.athena.table');
  });

  test('the trail source: the event source when set, else the first trail file source', () => {
    assert.equal(trailSourceOf('s3://b/AWSLogs', ['/a']), 's3://b/AWSLogs');
    assert.equal(trailSourceOf('', ['/a', '/b']), '/a');
    assert.equal(trailSourceOf(undefined, []), undefined);
  });
});

describe('routing', () => {
  const route = (text: string, config: EngineConfig, opts: { eventsSourceIsTrail?: boolean; runnable?: Set<EngineId> } = {}) =>
    routeJump(
      { text, hints: collectHints(text, { now: new Date(NOW) }), now: NOW, eventsSourceIsTrail: opts.eventsSourceIsTrail ?? false },
      engineSteps(config, opts.runnable ?? ALL),
    );
  const athena: EngineConfig = { athena: { table: 't' } };

  test('a request within 90 days and a management call: event history (no route)', () => {
    assert.equal(route('2026-11-30T10:00:00Z ERROR (Service: Kms, Request ID: x)', athena), undefined);
    assert.equal(route('no time at all', athena), undefined);
  });

  test('older than 90 days: the first engine ready, saying why', () => {
    const r = route('2026-06-01T10:00:00Z ERROR (Service: Kms, Request ID: x)', athena);
    assert.deepEqual(r, { reason: 'the request was made 2026-06-01 10:00 UTC, before the 90 days LookupEvents keeps', engine: 'athena' });
  });

  test('a data event named in the text: the trail source wins over engines (free, chosen by the person)', () => {
    const text =
      '2026-12-01T10:00:00Z ERROR An error occurred (AccessDenied) when calling the GetObject operation: Access Denied (Request ID: B7D2A9CE41F8D3FA)';
    assert.deepEqual(route(text, { ...athena, trailSource: '/trail' }), {
      reason: 'GetObject is an S3 data event, which LookupEvents never returns',
      engine: 'trail',
    });
    assert.equal(route(text, athena)?.engine, 'athena');
  });

  test('nothing configured: the reason with no engine (the jump offers the set-up steps)', () => {
    const r = route('Lambda Invoke failed, RequestId: 1b2c', {});
    assert.deepEqual(r, { reason: 'Invoke is a Lambda data event, which LookupEvents never returns', engine: undefined });
  });

  test('a trail event source is searched first whatever the request', () => {
    assert.deepEqual(route('anything', { trailSource: 's3://b' }, { eventsSourceIsTrail: true }), {
      reason: 'the event source is trail files',
      engine: 'trail',
    });
    // …when this build can search trail files.
    assert.equal(route('anything', { trailSource: 's3://b' }, { eventsSourceIsTrail: true, runnable: ATHENA_LOGS }), undefined);
  });
});

describe('data events named in a text', () => {
  test('S3 object calls, DynamoDB item calls, Lambda Invoke; not bucket calls or a plain "invoke"', () => {
    assert.deepEqual(dataEventNamed('PutObject failed'), { eventName: 'PutObject', eventSource: 's3.amazonaws.com' });
    assert.deepEqual(dataEventNamed('x', { eventName: 'GetItem' }), { eventName: 'GetItem', eventSource: 'dynamodb.amazonaws.com' });
    assert.equal(dataEventNamed('when calling the Invoke operation on lambda')?.eventSource, 'lambda.amazonaws.com');
    assert.equal(dataEventNamed('CreateBucket failed: BucketAlreadyExists'), undefined);
    assert.equal(dataEventNamed('please invoke the deploy script'), undefined);
    assert.equal(dataEventNamed('GetObjectLockConfiguration'), undefined, 'a bucket call whose name starts like an object call');
  });
});

describe('engine window', () => {
  test('around the text time however old; else the last 90 days, saying why', () => {
    const old = engineWindow({ hintsText: '2026-06-01T10:00:00Z ERROR' }, 30, new Date(NOW));
    assert.equal(old.window.start.toISOString(), '2026-06-01T09:30:00.000Z');
    assert.equal(old.window.end.toISOString(), '2026-06-01T10:05:00.000Z');
    const none = engineWindow({ hintsText: 'no time' }, 30, new Date(NOW));
    assert.equal(none.window.end.getTime() - none.window.start.getTime(), 90 * DAY);
    assert.match(none.note, /the last 90 days \(the text gives no time\)/);
    assert.equal(none.fromText, false);
    assert.equal(old.fromText, true);
    const ignored = engineWindow({ hintsText: '2026-06-01T10:00:00Z', ignoreTime: true }, 30, new Date(NOW));
    assert.match(ignored.note, /time in the text ignored/);
  });
});

describe('next steps with engines', () => {
  const missed = (pending = false) =>
    ({
      requestId: 'x',
      searched: [{ start: new Date(Date.now() - 2 * DAY), end: new Date(), pages: 1, fromCache: false }],
      pending: pending ? { until: new Date(), requestedAt: new Date() } : undefined,
      calls: 1,
      events: 10,
      elapsedMs: 1000,
    }) as unknown as FindResult;

  test('no engine set up: the buttons as before; More… ends with the set-up steps', () => {
    const steps = nextSteps(missed(), { ready: [], setup: ['athena', 'logs'] });
    assert.deepEqual(steps.buttons, ['Search 90 Days', 'Region…', 'More…']);
    assert.deepEqual(steps.more, ['Show Events', 'Search All Regions', 'Set Up Athena…', 'Set Up CloudWatch Logs…']);
  });

  test('an engine ready: it takes the second button; Region… and the other engines go under More…', () => {
    const steps = nextSteps(missed(), { ready: ['athena', 'logs'], setup: [], where: { athena: 'table default.t' } });
    assert.deepEqual(steps.buttons, ['Search 90 Days', 'Search Athena', 'More…']);
    assert.deepEqual(steps.more, ['Show Events', 'Region…', 'Search All Regions', 'Search CloudWatch Logs']);
    assert.equal(
      stepDetail('Search Athena', (e) => steps.where[e]),
      `table default.t: ${ENGINES.athena.detail}`,
    );
    assert.match(stepDetail('Set Up Athena…', () => undefined) ?? '', /opens the setting trailLens\.athena\.table/);
  });

  test('a request minutes ago: Keep Looking stays first, the engine second', () => {
    const steps = nextSteps(missed(true), { ready: ['logs'], setup: ['athena'] });
    assert.deepEqual(steps.buttons, ['Keep Looking', 'Search CloudWatch Logs', 'More…']);
    assert.deepEqual(steps.more.slice(-3), ['Region…', 'Search All Regions', 'Set Up Athena…']);
  });
});
