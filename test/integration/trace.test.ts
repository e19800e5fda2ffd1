/**
 * traceValue against the fake CloudTrail endpoint (real SDK client, real HTTP) holding the sample
 * account: widening outward finds the CreateKey that produced the failed vault's key ID.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { EventCache } from '../../src/core/cache';
import { RateLimiter } from '../../src/core/limiter';
import type { LookupEventsFn } from '../../src/core/lookup';
import type { CloudTrailRecord } from '../../src/core/record';
import { traceRings, traceValue } from '../../src/core/investigate/trace';
import { generateSampleAccount } from '../../src/sample/account';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';

const NOW = new Date('2024-08-08T07:49:00Z');
const { records, story } = generateSampleAccount({ now: NOW });
const vault = records.find((r) => r.eventID === story.failedEventId) as CloudTrailRecord;
const keyId = (vault.requestParameters as { encryptionKeyArn: string }).encryptionKeyArn;

describe('traceValue against the fake endpoint', () => {
  let fake: FakeCloudTrail;
  let client: CloudTrailClient;
  let lookup: LookupEventsFn;
  let dir: string;

  before(async () => {
    fake = await startFakeCloudTrail({ records, rate: 0, now: () => NOW });
    client = new CloudTrailClient({
      endpoint: fake.url,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
    lookup = (input, signal) => client.send(new LookupEventsCommand(input), { abortSignal: signal });
    dir = await mkdtemp(join(tmpdir(), 'trail-lens-trace-'));
  });
  after(async () => {
    client.destroy();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('rings: ±1 h, then the rest of ±6 h, ±3 days and 90 days, never past now', () => {
    const rings = traceRings(vault, NOW.getTime());
    const t = Date.parse(vault.eventTime);
    assert.equal(rings[0].start.getTime(), t - 3600_000);
    assert.ok(rings.every((r) => r.end.getTime() <= NOW.getTime()));
    assert.ok(rings.length >= 4, `${rings.length} rings`);
  });

  test('until the producer: the first ring finds CreateKey, with the key ARN beside; cached after', async () => {
    const cache = await EventCache.open('trace|ap-northeast-1', { dir, now: () => NOW.getTime() });
    assert.ok(cache);
    fake.resetStats();
    const steps: string[] = [];
    const limiter = new RateLimiter({ rate: 50 });
    const r = await traceValue(
      { lookupEvents: lookup, limiter, cache },
      { value: keyId, event: vault, loaded: [], until: 'producer', now: NOW, onProgress: (p) => steps.push(p.step) },
    );
    assert.equal(r.provenance.produced[0]?.record.eventID, story.createKeyEventId);
    assert.equal(r.provenance.produced[0].hits[0].path, 'responseElements.keyMetadata.keyId');
    assert.equal(r.provenance.produced[0].hits[0].beside?.arn, story.keyArn);
    assert.equal(r.ringsRead, 1);
    assert.ok(r.rings > 1);
    assert.match(
      r.summary,
      /^0 loaded and cached events, and CloudTrail [\d:]+–[\d:]+ UTC \(2h: [\d,]+ events read\) — not searched: the rest of the last 90 days$/,
    );
    assert.match(steps[0], /ring 1 of/);
    const calls = fake.stats.byOperation.LookupEvents.calls;
    assert.ok(calls > 0);

    // Again: the ring is cached, so no call; the producer is found among the cached events.
    fake.resetStats();
    const again = await traceValue(
      { lookupEvents: lookup, limiter, cache },
      { value: keyId, event: vault, loaded: [], until: 'producer', now: NOW },
    );
    assert.equal(again.provenance.produced[0]?.record.eventID, story.createKeyEventId);
    assert.equal(fake.stats.byOperation.LookupEvents?.calls ?? 0, 0);
    assert.equal(again.searched.length, 0);
    assert.match(again.summary, /^[\d,]+ loaded and cached events/);
  });

  test('loaded only (no lookup function): no call, and the summary says what was searched', async () => {
    fake.resetStats();
    const r = await traceValue({}, { value: keyId, event: vault, loaded: records.slice(0, 10), until: 'producer', now: NOW });
    assert.equal(fake.stats.byOperation.LookupEvents?.calls ?? 0, 0);
    assert.equal(r.searched.length, 0);
    assert.equal(r.summary, '10 loaded and cached events');
  });

  test('a cancel keeps what was found and says it was cancelled', async () => {
    const controller = new AbortController();
    const r = await traceValue(
      { lookupEvents: lookup, limiter: new RateLimiter({ rate: 50 }) },
      {
        value: 'no-such-value-anywhere',
        event: vault,
        loaded: [],
        until: 'producer',
        now: NOW,
        signal: controller.signal,
        // Cancelled as the first page arrives, as a person pressing Cancel on the progress notification.
        onProgress: () => controller.abort(),
      },
    );
    assert.equal(r.cancelled, true);
    assert.equal(r.provenance.produced.length, 0);
    assert.match(r.summary, /cancelled before the search was done$/);
  });
});
