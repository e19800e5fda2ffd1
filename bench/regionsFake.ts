/**
 * The fake endpoint for bench/regions.ts, in its own process (as a real endpoint is elsewhere): the
 * 17 Regions' histories with the ID in the last. Prints its URL, answers "stats" on stdin with the
 * LookupEvents calls and throttles as JSON, and "reset" by zeroing them.
 */
import { createInterface } from 'node:readline';
import { STANDARD_REGIONS } from '../src/core/awsRegions';
import type { CloudTrailRecord } from '../src/core/record';
import { makeRecord } from '../test/fake-cloudtrail/fixtures';
import { startFakeCloudTrail } from '../test/fake-cloudtrail/server';

export const BENCH_ID = '3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c';
/** The page of the last Region's history the ID is on (50 events a page, newest first), of PAGES. */
export const PAGE = 6;
export const PAGES = 10;

function records(now: number): CloudTrailRecord[] {
  const regions = [...STANDARD_REGIONS];
  const last = regions[regions.length - 1];
  const out: CloudTrailRecord[] = [];
  for (const region of regions) {
    for (let i = 0; i < PAGES * 50; i++) {
      const mine = region === last && i === (PAGE - 1) * 50 + 20;
      out.push(
        makeRecord({
          awsRegion: region,
          at: now - (i + 5) * 60_000,
          eventSource: 'lambda.amazonaws.com',
          eventName: mine ? 'CreateFunction20150331' : 'GetFunction',
          ...(mine ? { requestID: BENCH_ID } : {}),
        }),
      );
    }
  }
  return out;
}

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? 300);
  const fake = await startFakeCloudTrail({
    records: records(Date.now()),
    rate: 2,
    burst: 2,
    latencyMs,
    perRegion: true,
    region: STANDARD_REGIONS[0],
  });
  process.stdout.write(`${fake.url}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'reset') fake.resetStats();
    if (line === 'stats')
      process.stdout.write(
        `${JSON.stringify({ calls: fake.stats.byOperation.LookupEvents?.calls ?? 0, throttled: fake.stats.throttled })}\n`,
      );
  });
  lines.on('close', () => void fake.close());
}

if (require.main === module) void main();
