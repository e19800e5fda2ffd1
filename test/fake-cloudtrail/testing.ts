/**
 * node:test helpers for suites that talk to the fake endpoint through the real SDK client.
 * Test-only: the extension bundles server.ts, never this file (it imports the SDK and node:test).
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { LookupAttributeKey, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { startFakeCloudTrail } from './server';
import type { FakeCloudTrail, FakeCloudTrailOptions } from './server';

/** The real SDK client pointed at the fake (endpoint, dummy keys); maxAttempts 1 keeps errors deterministic. */
export function clientFor(fake: Pick<FakeCloudTrail, 'url'>, maxAttempts = 1): CloudTrailClient {
  return new CloudTrailClient({
    endpoint: fake.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
    maxAttempts,
  });
}

/** Starts a fake (no rate limit unless given) before the enclosing suite and closes it after. */
export function useFake(options: FakeCloudTrailOptions = {}): { fake: () => FakeCloudTrail; client: () => CloudTrailClient } {
  let fake: FakeCloudTrail | undefined;
  let client: CloudTrailClient | undefined;
  before(async () => {
    fake = await startFakeCloudTrail({ rate: 0, ...options });
    client = clientFor(fake);
  });
  after(async () => {
    client?.destroy();
    await fake?.close();
  });
  return {
    fake: () => fake ?? assert.fail('fake not started'),
    client: () => client ?? assert.fail('client not started'),
  };
}

/** The EventIds of one LookupEvents page. */
export async function lookupIds(client: CloudTrailClient, input: LookupEventsCommandInput = {}): Promise<string[]> {
  const out = await client.send(new LookupEventsCommand(input));
  return (out.Events ?? []).map((e) => e.EventId as string);
}

export function by(key: LookupAttributeKey, value: string): LookupEventsCommandInput {
  return { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] };
}

/** Asserts the promise rejects with an error of this name (and class), returning it for more checks. */
export async function rejectsAs(
  promise: Promise<unknown>,
  name: string,
  type?: abstract new (...args: never[]) => Error,
): Promise<Error & Record<string, unknown>> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => {
    caught = err;
    const e = err as Error;
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (type) assert.ok(err instanceof type, `expected an instance of ${type.name}`);
    return true;
  });
  return caught as Error & Record<string, unknown>;
}
