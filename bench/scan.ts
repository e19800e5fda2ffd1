/**
 * Full-scan throughput against the fake endpoint at the real limit (2 req/s, burst 2):
 * events/s as a share of the 100 events/s ceiling, the share of throttled calls, completeness,
 * with the endpoint answering at once and after 1 s — and the AWS CLI on the same endpoints.
 * Run: npm run bench -- scan   (BENCH_EVENTS=3000 by default)
 */
import { RateLimiter } from '../src/core/limiter';
import { scanEvents } from '../src/core/scan';
import { makeRecord } from '../test/fake-cloudtrail/fixtures';
import { startFakeCloudTrail } from '../test/fake-cloudtrail/server';
import { awsCliLookup, awsCliPath, pct, sdkLookup, table } from './common';

const N = Number(process.env.BENCH_EVENTS ?? 3000);
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,1000').split(',').map(Number);
const NOW = Date.now();
const SPAN = 2 * 86_400_000;
const LIMIT = 100; // events/s: 2 req/s × 50 events

async function main(): Promise<void> {
  const records = Array.from({ length: N }, (_, i) => makeRecord({ at: NOW - Math.floor((i / N) ** 1.3 * SPAN), eventName: `Call${i}` }));
  const window = { start: new Date(NOW - SPAN - 60_000), end: new Date(NOW + 1000) };
  const rows = [['client', 'latency', 'events', 'seconds', 'events/s', 'of limit', 'calls', 'throttled', 'complete']];
  const results: Record<string, unknown>[] = [];
  for (const latency of LATENCIES) {
    const fake = await startFakeCloudTrail({ records, rate: 2, burst: 2, latencyMs: latency });
    try {
      const t0 = performance.now();
      const seen = new Set<string>();
      let dup = 0;
      for await (const batch of scanEvents(sdkLookup(fake), window, { limiter: new RateLimiter() })) {
        for (const r of batch) {
          if (seen.has(r.eventID)) dup++;
          else seen.add(r.eventID);
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const calls = fake.stats.byOperation.LookupEvents.calls;
      const throttled = fake.stats.byOperation.LookupEvents.throttled;
      const complete = seen.size === N && dup === 0;
      rows.push(['trail-lens', `${latency} ms`, String(seen.size), seconds.toFixed(1), (seen.size / seconds).toFixed(1), pct(seen.size / seconds / LIMIT), String(calls), pct(throttled / calls), complete ? 'yes' : `NO (dup ${dup})`]);
      results.push({ client: 'trail-lens', latency, events: seen.size, seconds, eventsPerSecond: seen.size / seconds, calls, throttled, complete });

      if (awsCliPath()) {
        fake.resetStats();
        const cli = await awsCliLookup(fake, window.start, window.end);
        const cCalls = fake.stats.byOperation.LookupEvents?.calls ?? 0;
        const cThr = fake.stats.byOperation.LookupEvents?.throttled ?? 0;
        rows.push(['aws cli v2', `${latency} ms`, String(cli.events), cli.seconds.toFixed(1), (cli.events / cli.seconds).toFixed(1), pct(cli.events / cli.seconds / LIMIT), String(cCalls), pct(cThr / Math.max(1, cCalls)), cli.exit === 0 && cli.events === N ? 'yes' : `NO (exit ${cli.exit})`]);
        results.push({ client: 'aws-cli', latency, events: cli.events, seconds: cli.seconds, eventsPerSecond: cli.events / cli.seconds, calls: cCalls, throttled: cThr, exit: cli.exit });
      }
    } finally {
      await fake.close();
    }
  }
  console.log(`Full scan of ${N} events at 2 req/s (limit ${LIMIT} events/s)\n`);
  console.log(table(rows));
  console.log(`\nJSON ${JSON.stringify({ bench: 'scan', events: N, results })}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
