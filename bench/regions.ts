/**
 * A bare request ID (no hints) searched across the 17 standard Regions at once, when it is in the
 * LAST Region searched, against a one-Region search of that Region for the same ID: same fake
 * endpoint (in its own process, ./regionsFake.ts, as a real endpoint is elsewhere), same latency,
 * the same 2 requests/s per Region, the same run. Each Region has its own budget (the fake
 * throttles each at 2/s), so the parallel search should cost about one Region's time.
 * Goal: multi-Region ≤ 1.5 × one Region.
 * Run: npm run bench -- regions   (BENCH_LATENCY_MS=300 by default)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { STANDARD_REGIONS } from '../src/core/awsRegions';
import { connect, type Connection } from '../src/core/aws';
import { findRequest } from '../src/core/find';
import { sharedLimiter } from '../src/core/limiter';
import { findRequestEverywhere } from '../src/core/multiFind';
import { planTargets } from '../src/core/regionSearchReport';
import { table } from './common';
import { BENCH_ID as ID, PAGE, PAGES } from './regionsFake';

const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 300);
const LIMIT = 1.5;

/** Starts ./regionsFake.ts in a child process; `ask` sends a line and reads the answer line. */
async function startFake() {
  const child = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', join(__dirname, 'regionsFake.ts'), String(LATENCY)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const url = await next();
  return {
    url,
    reset: () => child.stdin.write('reset\n'),
    stats: async () => {
      const answer = next();
      child.stdin.write('stats\n');
      return JSON.parse(await answer) as { calls: number; throttled: number };
    },
    close: () => child.stdin.end(),
  };
}

async function main(): Promise<void> {
  const regions = [...STANDARD_REGIONS];
  const last = regions[regions.length - 1];
  const fake = await startFake();
  let run = 0;
  const connections: Connection[] = [];
  const open = async (region: string) => {
    // Fresh credentials per run: each run starts on its own limiters, as a new process would.
    const c = await connect({
      endpointUrl: fake.url,
      region,
      credentials: { accessKeyId: `AKIDBENCH${run}`, secretAccessKey: 'x' },
      env: {},
    });
    connections.push(c);
    return c;
  };
  const deps = (c: Connection) => ({ key: c.sharedKey, region: c.region, lookupEvents: c.lookupEvents, limiter: sharedLimiter(c.key) });

  // Warm up: the fake builds each Region's store on its first call, and the SDK loads its code on
  // the first client; neither is what is measured. Then let every Region's bucket refill.
  await Promise.all(regions.map(async (r) => (await open(r)).lookupEvents({ MaxResults: 1 })));
  await new Promise((resolve) => setTimeout(resolve, 1500));

  run++;
  fake.reset();
  const one = await open(last);
  const single = await findRequest(deps(one), { requestId: ID, hints: { times: [] }, region: last });
  const singleStats = await fake.stats();

  run++;
  fake.reset();
  const t0 = performance.now();
  let lastStarted: number | undefined;
  let lastFound: number | undefined;
  const multi = await findRequestEverywhere({
    requestId: ID,
    hints: { times: [] },
    targets: planTargets([undefined], regions),
    open: async (t) => deps(await open(t.region)),
    onProgress: (s) => {
      if (s.target.region !== last) return;
      if (s.status === 'searching') lastStarted ??= performance.now() - t0;
      if (s.status === 'found') lastFound ??= performance.now() - t0;
    },
  });
  const multiMs = performance.now() - t0;
  const { calls: multiCalls, throttled: multiThrottled } = await fake.stats();
  for (const c of connections) c.dispose();
  fake.close();

  const ratio = multiMs / single.elapsedMs;
  const foundLast = multi.found?.target.region === last && single.record?.requestID === ID;
  const ok = foundLast && ratio <= LIMIT;
  console.log(
    `A bare request ID on page ${PAGE} of ${last}, the last of ${regions.length} Regions (${PAGES * 50} events each), 2 req/s per Region, ${LATENCY} ms per call\n`,
  );
  console.log(
    table([
      ['search', 'Regions', 'calls', 'throttled', 'seconds', 'found in'],
      [
        'one Region',
        '1',
        String(single.calls),
        String(singleStats.throttled),
        (single.elapsedMs / 1000).toFixed(2),
        single.record ? last : '—',
      ],
      [
        'all Regions in parallel',
        String(regions.length),
        String(multiCalls),
        String(multiThrottled),
        (multiMs / 1000).toFixed(2),
        multi.found?.target.region ?? '—',
      ],
    ]),
  );
  console.log(
    `\n${last} in the parallel run: connected after ${((lastStarted ?? 0) / 1000).toFixed(2)} s, found after ${((lastFound ?? 0) / 1000).toFixed(2)} s`,
  );
  console.log(`ratio ${ratio.toFixed(2)} × one Region (limit ${LIMIT}×): ${ok ? 'ok' : 'TOO SLOW or not found'}`);
  console.log(
    `\nJSON ${JSON.stringify({ bench: 'regions', latencyMs: LATENCY, regions: regions.length, singleSeconds: single.elapsedMs / 1000, multiSeconds: multiMs / 1000, ratio, limit: LIMIT, multiCalls, multiThrottled, found: multi.found?.target.region })}`,
  );
  if (!ok) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
