/**
 * Finding a request ID in the sample account, for each kind of hint the text can give, against the
 * fake endpoint at 2 req/s with a realistic latency: API calls and seconds, next to a newest-first
 * scan of all events (what the console's Ctrl+F amounts to) and a newest-first scan of the narrowest
 * window the hints allow (the goal: never more calls than that).
 * Run: npm run bench -- find   (BENCH_LATENCY_MS=300 by default)
 */
import { EventCache } from '../src/core/cache';
import { findRequest, planWindows } from '../src/core/find';
import { collectHints } from '../src/core/hints';
import { RateLimiter } from '../src/core/limiter';
import { sortNewestFirst, type CloudTrailRecord } from '../src/core/record';
import { extractRequestId } from '../src/core/requestId';
import { generateSampleAccount } from '../src/sample/account';
import { startFakeCloudTrail } from '../test/fake-cloudtrail/server';
import { sdkLookup, table } from './common';
import { scratchDir } from '../test/harness/scratch';

const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 300);

/** Calls a newest-first scan needs to reach the target among `records` (pages of 50). */
function newestFirstCalls(records: CloudTrailRecord[], requestId: string): number {
  const i = sortNewestFirst(records).findIndex((r) => r.requestID === requestId);
  return i < 0 ? Math.ceil(records.length / 50) : Math.floor(i / 50) + 1;
}

async function main(): Promise<void> {
  const now = new Date();
  // Yesterday's failed deployment: a day of newer traffic lies between now and the failing call.
  const account = generateSampleAccount({ now, storyHoursAgo: Number(process.env.BENCH_STORY_HOURS_AGO ?? 26) });
  const { story, records } = account;
  const fake = await startFakeCloudTrail({ records, rate: 2, burst: 2, latencyMs: LATENCY, region: account.region });
  const lookup = sdkLookup(fake, account.region);
  const failedTime = Date.parse(story.failedEventTime);
  const cacheDir = scratchDir('tl-bench-cache-');
  const cache = await EventCache.open('bench|' + account.region, { dir: cacheDir });
  const cases: { name: string; text: string; cache?: EventCache }[] = [
    { name: 'CloudFormation status reason (service)', text: story.statusReason },
    { name: 'timestamped log line (service + time)', text: story.logLine },
    {
      name: 'log line, time only',
      text: `${new Date(failedTime + 4000).toISOString()} ERROR deploy failed, RequestId: ${story.requestId}`,
    },
    { name: 'bare request ID (no hints)', text: story.requestId },
    { name: 'first lookup, filling the cache', text: story.logLine, cache },
    { name: 'repeat lookup (cache)', text: story.requestId, cache },
  ];
  // One limiter for the account and Region, as sharedLimiter gives every lookup in a process.
  const limiter = new RateLimiter();
  const rows = [['text', 'hints', 'calls', 'seconds', 'newest-first all', 'newest-first narrowest', 'ok']];
  const results = [];
  let allOk = true;
  for (const c of cases) {
    const match = extractRequestId(c.text).match;
    if (!match) throw new Error(`no request ID in: ${c.text}`);
    const hints = collectHints(c.text, { around: match.start, now });
    fake.resetStats();
    const r = await findRequest(
      { lookupEvents: lookup, limiter, cache: c.cache },
      { requestId: match.id, hints, region: account.region, now },
    );
    const all = newestFirstCalls(records, story.requestId);
    // The narrowest window the hints allow: the first planned window, with the hinted source.
    const first = planWindows(hints, now.getTime(), 90, 30)[0];
    const narrow = records.filter(
      (x) =>
        (!hints.eventSource || x.eventSource === hints.eventSource) &&
        Date.parse(x.eventTime) >= first.start &&
        Date.parse(x.eventTime) <= first.end,
    );
    const narrowest = newestFirstCalls(narrow, story.requestId);
    const found = r.record?.requestID === story.requestId;
    const ok =
      found &&
      r.calls <= narrowest &&
      (c.name !== 'timestamped log line (service + time)' || r.calls <= 3) &&
      (!c.name.startsWith('repeat') || r.calls === 0);
    allOk &&= ok;
    const hintText = [hints.eventSource, hints.times.length ? 'time' : undefined, hints.caller].filter(Boolean).join(', ') || '—';
    rows.push([c.name, hintText, String(r.calls), (r.elapsedMs / 1000).toFixed(2), String(all), String(narrowest), ok ? 'yes' : 'NO']);
    results.push({
      case: c.name,
      calls: r.calls,
      seconds: r.elapsedMs / 1000,
      newestFirstAll: all,
      newestFirstNarrowest: narrowest,
      found,
      throttled: fake.stats.throttled,
    });
  }
  await fake.close();
  console.log(
    `Finding request ID ${story.requestId} in the sample account (${records.length} events, ${account.region}), 2 req/s, ${LATENCY} ms per call\n`,
  );
  console.log(table(rows));
  console.log(`\nJSON ${JSON.stringify({ bench: 'find', latencyMs: LATENCY, events: records.length, results })}`);
  if (!allOk) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
