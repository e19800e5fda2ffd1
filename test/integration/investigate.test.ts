/**
 * Related events and resource history through the real SDK client against the fake CloudTrail
 * endpoint serving the sample account: the seed-000 CreateBackupVault's related events hold the
 * CreateKey before it, found by the server-side AccessKeyId lookup; the key's history is found
 * under its ARN and its bare ID, each form reported; the page budget is said, never silent.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { findResourceHistory } from '../../src/core/investigate/history';
import { findRelated } from '../../src/core/investigate/related';
import { RateLimiter } from '../../src/core/limiter';
import type { LookupEventsFn } from '../../src/core/lookup';
import { generateSampleAccount } from '../../src/sample/account';
import { useFake } from '../fake-cloudtrail/testing';

const NOW = new Date('2026-11-21T12:00:00Z');
const account = generateSampleAccount({ now: NOW, days: 2 });
const byId = new Map(account.records.map((r) => [r.eventID, r]));
const failed = byId.get(account.story.failedEventId)!;

describe('related events and resource history over the wire', () => {
  const { fake, client } = useFake({ records: account.records, now: () => NOW });
  const lookup: LookupEventsFn = (input, signal) => client().send(new LookupEventsCommand(input), { abortSignal: signal });
  const limiter = () => new RateLimiter({ rate: 1000 });

  test('the failed CreateBackupVault: the CreateKey before it, by access key and by invoking service', async () => {
    fake().resetStats();
    const result = await findRelated({ lookup, limiter: limiter() }, failed, { aroundMinutes: 15, now: NOW.getTime() });
    const self = result.events.find((e) => e.self);
    assert.equal(self?.record.eventID, failed.eventID);
    const createKey = result.events.find((e) => e.record.eventID === account.story.createKeyEventId);
    assert.ok(createKey, 'CreateKey is among the related events');
    assert.ok(createKey.offsetMs < 0, 'before the failure');
    assert.ok(createKey.why.includes('same access key'), createKey.why.join(', '));
    assert.ok(createKey.why.includes('invoked by cloudformation.amazonaws.com'), createKey.why.join(', '));
    // Newest first; every one within the window and matching a criterion.
    for (let i = 1; i < result.events.length; i++) assert.ok(result.events[i - 1].offsetMs >= result.events[i].offsetMs);
    for (const e of result.events) {
      assert.ok(Math.abs(e.offsetMs) <= 15 * 60_000);
      if (!e.self) assert.ok(e.why.length > 0);
    }
    // The server was asked for the access key, and read unfiltered once for the client-side criteria.
    const params = fake()
      .requests.filter((r) => r.operation === 'LookupEvents')
      .map((r) => r.params.LookupAttributes as { AttributeKey: string; AttributeValue: string }[] | undefined);
    assert.ok(params.some((a) => a?.[0]?.AttributeKey === 'AccessKeyId' && a[0].AttributeValue === failed.userIdentity?.accessKeyId));
    assert.ok(params.some((a) => a === undefined));
    assert.deepEqual(
      result.searched.map((q) => [q.what.split(' ')[0], q.complete]),
      [
        ['AccessKeyId', true],
        ['every', true],
      ],
    );
    // The access-key query alone holds exactly the events of that key in the window.
    const t = Date.parse(failed.eventTime);
    const expected = account.records.filter(
      (r) => r.userIdentity?.accessKeyId === failed.userIdentity?.accessKeyId && Math.abs(Date.parse(r.eventTime) - t) <= 15 * 60_000,
    );
    assert.equal(result.searched[0].events, expected.length);
  });

  test('a page budget smaller than the window is said, with how far back it read', async () => {
    const result = await findRelated({ lookup, limiter: limiter() }, failed, { aroundMinutes: 60, maxPages: 1, now: NOW.getTime() });
    const unfiltered = result.searched.find((q) => q.what.startsWith('every'))!;
    assert.equal(unfiltered.complete, false);
    assert.ok(unfiltered.reachedBack instanceof Date);
    assert.equal(unfiltered.events, 50);
  });

  test('resource history: the key under its ARN and its bare ID, each form with its own count', async () => {
    const window = { start: new Date(NOW.getTime() - 2 * 86_400_000), end: NOW };
    const result = await findResourceHistory({ lookup, limiter: limiter() }, account.story.keyArn, { window });
    assert.deepEqual(result.forms, [account.story.keyArn, account.story.keyId]);
    assert.equal(result.searched.length, 2);
    for (const q of result.searched) assert.ok(q.events > 0, `${q.form} found events`);
    const names = result.events.map((e) => e.record.eventName);
    assert.ok(names.includes('CreateKey'));
    // Changes first, then reads.
    const firstRead = result.events.findIndex((e) => !e.change);
    if (firstRead >= 0) assert.ok(result.events.slice(firstRead).every((e) => !e.change));
    assert.ok(result.events.find((e) => e.record.eventName === 'CreateKey')?.change);
  });

  test('a name no event records reports zero for that form, not "no history" for the resource', async () => {
    const window = { start: new Date(NOW.getTime() - 86_400_000), end: NOW };
    const result = await findResourceHistory({ lookup, limiter: limiter() }, 'no-such-resource-anywhere', { window });
    assert.deepEqual(
      result.searched.map((q) => [q.what, q.events, q.complete]),
      [['ResourceName = no-such-resource-anywhere', 0, true]],
    );
    assert.equal(result.events.length, 0);
  });
});
