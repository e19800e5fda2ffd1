/**
 * Full-scan throughput against one fake endpoint at the real limit (2 req/s, burst 2), with the
 * endpoint answering at once, after 1 s and after 3 s (real Regions take 0.2–4 s): events/s, and
 * that as a share of the limit measured on the same endpoint in the same run; the share of calls
 * throttled; whether every event came exactly once, newest first — and the AWS CLI on the same
 * endpoint for comparison.
 *
 * The limit is measured, not assumed: a probe calls as fast as it can for a few seconds and the
 * endpoint's own clock times the calls it accepted, so the ratio does not depend on this machine.
 *
 * Run: npm run bench -- scan
 *   BENCH_EVENTS (default 10000, 200 pages: a full scan pays a fixed cost whatever its length —
 *   the last answer's round trip, and about one partly filled page per parallel chain — which a
 *   short scan cannot make up for: at 3 s per call that is ~3 s plus ~7 pages; real 90-day scans
 *   are far longer), BENCH_LATENCIES (default 0,1000,3000), BENCH_AWS_CLI=0 to leave out the AWS
 *   CLI (slow: it makes one call at a time, 10 minutes at 3 s per call).
 * Exits 1 when a goal is missed: at 0 / 1 / 3 s, ≥ 98 / 95 / 90 % of the limit, ≤ 1 % of calls
 * throttled, complete and in order.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { RateLimiter } from '../src/core/limiter';
import { scanEvents } from '../src/core/scan';
import { makeRecord } from '../test/fake-cloudtrail/fixtures';
import { startFakeCloudTrail, type FakeCloudTrail } from '../test/fake-cloudtrail/server';
import { awsCliLookup, awsCliPath, pct, sdkClient, sdkLookup, table } from './common';

const N = Number(process.env.BENCH_EVENTS ?? 10000);
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,1000,3000').split(',').map(Number);
const WITH_AWS_CLI = process.env.BENCH_AWS_CLI !== '0' && awsCliPath() !== undefined;
const NOW = Date.now();
const SPAN = 2 * 86_400_000;
const PAGE = 50;
const RATE = 2;
/** Share of the measured limit to reach at each latency (ms); other latencies are reported only. */
const GOALS: Record<number, number> = { 0: 0.98, 1000: 0.95, 3000: 0.9 };
const MAX_THROTTLED = 0.01;

/** Events/s the endpoint allows: full pages at the rate it accepted calls, timed by the endpoint. */
async function measureLimit(fake: FakeCloudTrail, seconds: number): Promise<number> {
  fake.setLatency(0);
  fake.resetStats();
  const client = sdkClient(fake);
  const until = performance.now() + seconds * 1000;
  try {
    while (performance.now() < until) {
      await client.send(new LookupEventsCommand({ MaxResults: PAGE })).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    client.destroy();
  }
  // Leave out the burst the bucket starts with: time from the first accepted call after it to the last.
  const accepted = fake.requests.filter((r) => r.operation === 'LookupEvents' && r.status === 200).map((r) => r.time.getTime());
  const steady = accepted.slice(2);
  const span = ((steady.at(-1) ?? 0) - (steady[0] ?? 0)) / 1000;
  return span > 0 ? ((steady.length - 1) / span) * PAGE : RATE * PAGE;
}

async function main(): Promise<void> {
  const records = Array.from({ length: N }, (_, i) => makeRecord({ at: NOW - Math.floor((i / N) ** 1.3 * SPAN), eventName: `Call${i}` }));
  const window = { start: new Date(NOW - SPAN - 60_000), end: new Date(NOW + 1000) };
  const fake = await startFakeCloudTrail({ records, rate: RATE, burst: 2 });
  const rows = [
    ['client', 'latency', 'events', 'seconds', 'events/s', 'of limit', 'goal', 'calls', 'throttled', 'complete', 'newest first'],
  ];
  const results: Record<string, unknown>[] = [];
  let missed = false;
  try {
    const limit = await measureLimit(fake, 10);
    await new Promise((r) => setTimeout(r, 1500)); // let the bucket fill again
    for (const latency of LATENCIES) {
      fake.setLatency(latency);
      fake.resetStats();
      const t0 = performance.now();
      const seen = new Set<string>();
      let dup = 0;
      let ordered = true;
      let last = Infinity;
      for await (const batch of scanEvents(sdkLookup(fake), window, { limiter: new RateLimiter() })) {
        for (const r of batch) {
          if (seen.has(r.eventID)) dup++;
          else seen.add(r.eventID);
          const t = Date.parse(r.eventTime);
          if (t > last) ordered = false;
          last = t;
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const calls = fake.stats.byOperation.LookupEvents.calls;
      const throttled = fake.stats.byOperation.LookupEvents.throttled;
      const complete = seen.size === N && dup === 0;
      const rate = seen.size / seconds;
      const goal = GOALS[latency];
      const ok = complete && ordered && throttled / calls <= MAX_THROTTLED && (goal === undefined || rate / limit >= goal);
      missed ||= !ok;
      rows.push([
        'trail-lens',
        `${latency} ms`,
        String(seen.size),
        seconds.toFixed(1),
        rate.toFixed(1),
        pct(rate / limit),
        goal === undefined ? '—' : `≥ ${pct(goal)}${ok ? '' : ' MISSED'}`,
        String(calls),
        pct(throttled / calls),
        complete ? 'yes' : `NO (dup ${dup})`,
        ordered ? 'yes' : 'NO',
      ]);
      results.push({
        client: 'trail-lens',
        latency,
        events: seen.size,
        seconds,
        eventsPerSecond: rate,
        ofLimit: rate / limit,
        goal,
        calls,
        throttled,
        complete,
        ordered,
        ok,
      });

      if (WITH_AWS_CLI) {
        fake.resetStats();
        await new Promise((r) => setTimeout(r, 1000));
        const cli = await awsCliLookup(fake, window.start, window.end);
        const cCalls = fake.stats.byOperation.LookupEvents?.calls ?? 0;
        const cThr = fake.stats.byOperation.LookupEvents?.throttled ?? 0;
        const cRate = cli.events / cli.seconds;
        rows.push([
          'aws cli v2',
          `${latency} ms`,
          String(cli.events),
          cli.seconds.toFixed(1),
          cRate.toFixed(1),
          pct(cRate / limit),
          '—',
          String(cCalls),
          pct(cThr / Math.max(1, cCalls)),
          cli.exit === 0 && cli.events === N ? 'yes' : `NO (exit ${cli.exit})`,
          '—',
        ]);
        results.push({
          client: 'aws-cli',
          latency,
          events: cli.events,
          seconds: cli.seconds,
          eventsPerSecond: cRate,
          ofLimit: cRate / limit,
          calls: cCalls,
          throttled: cThr,
          exit: cli.exit,
        });
      }
      await new Promise((r) => setTimeout(r, 1500));
    }
    console.log(
      `Full scan of ${N} events, one endpoint at ${RATE} req/s (burst 2); limit measured in this run: ${limit.toFixed(1)} events/s (nominal ${RATE * PAGE})\n`,
    );
    console.log(table(rows));
    console.log(`\nJSON ${JSON.stringify({ bench: 'scan', events: N, limitEventsPerSecond: limit, results })}`);
  } finally {
    await fake.close();
  }
  if (missed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
