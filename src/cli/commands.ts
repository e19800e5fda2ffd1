/** The three CLI commands, each a thin layer over core. */
import { readFileSync } from 'node:fs';
import { connect, type Connection } from '../core/aws';
import { openEventCache, matchesAttribute, type EventCache } from '../core/cache';
import { TrailLensError } from '../core/errors';
import { readRecordPaths } from '../core/files';
import { findRequest, type FindProgress } from '../core/find';
import { collectHints, type SearchHints } from '../core/hints';
import { sharedLimiter } from '../core/limiter';
import type { Logger } from '../core/logger';
import { describeQuery, type LookupProgress, type LookupQuery } from '../core/lookup';
import { ATTRIBUTE_KEYS, sortNewestFirst, type AttributeKey, type CloudTrailRecord, type LookupAttribute } from '../core/record';
import { extractRequestId } from '../core/requestId';
import { scanEvents } from '../core/scan';
import { parseDuration, parseTimeArg } from '../core/time';
import { createWriter, type Format } from './format';

export interface CommonArgs {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  around?: string;
  window?: string;
  start?: string;
  end?: string;
  source?: string;
  attribute?: string;
  limit?: string;
  format: Format;
  maxDays?: string;
  noCache: boolean;
  cacheDir?: string;
  /** --cache-max-mb: the cache's bound per account and Region, in MiB. */
  cacheMaxMb?: string;
  /** Use the built-in sample account (served on 127.0.0.1) instead of AWS. */
  sample: boolean;
  signal: AbortSignal;
  progress: boolean;
}

const DAY = 86_400_000;

const stderrLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${m}\n`),
};

/** A progress line on stderr, redrawn in place; only when stderr is a terminal. */
function progressLine(enabled: boolean): { update(text: string): void; done(): void } {
  let shown = false;
  return {
    update(text) {
      if (!enabled) return;
      process.stderr.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

function parseAttribute(value: string | undefined, source: string | undefined): LookupAttribute | undefined {
  if (value && source) throw new TrailLensError('InvalidInput', 'Use either --attribute or --source: LookupEvents takes one attribute');
  if (source) return { key: 'EventSource', value: source };
  if (!value) return undefined;
  const eq = value.indexOf('=');
  const key = value.slice(0, eq) as AttributeKey;
  if (eq < 1 || !ATTRIBUTE_KEYS.includes(key) || eq === value.length - 1) {
    throw new TrailLensError('InvalidInput', `--attribute must be KEY=VALUE with KEY one of ${ATTRIBUTE_KEYS.join(', ')} (got '${value}')`);
  }
  return { key, value: value.slice(eq + 1) };
}

function parsePositiveInt(value: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new TrailLensError('InvalidInput', `${name} must be a whole number from 1 to ${max} (got '${value}')`);
  return n;
}

/** The time window from --start/--end, or --around/--window, or --window alone (back from now). */
function parseWindow(args: CommonArgs, now: Date): { start: Date; end: Date } | undefined {
  if (args.around) {
    if (args.start || args.end) throw new TrailLensError('InvalidInput', 'Use --around/--window or --start/--end, not both');
    const t = parseTimeArg(args.around, now);
    const half = parseDuration(args.window ?? '30m');
    return { start: new Date(t.getTime() - half), end: new Date(Math.min(now.getTime(), t.getTime() + half)) };
  }
  if (args.window && !args.start && !args.end) return { start: new Date(now.getTime() - parseDuration(args.window)), end: now };
  if (!args.start && !args.end) return undefined;
  const start = args.start ? parseTimeArg(args.start, now) : new Date(now.getTime() - 90 * DAY);
  const end = args.end ? parseTimeArg(args.end, now) : now;
  if (start > end) throw new TrailLensError('InvalidInput', `--start (${start.toISOString()}) is after --end (${end.toISOString()})`);
  return { start, end };
}

async function openSession(args: CommonArgs): Promise<{ connection: Connection; cache?: EventCache }> {
  if (args.sample) {
    if (args.profile || args.endpointUrl) throw new TrailLensError('InvalidInput', '--sample cannot be combined with --profile or --endpoint-url');
    const { serveSampleAccount, SAMPLE_CREDENTIALS } = await import('../sample/serve.js');
    const sample = await serveSampleAccount();
    process.stderr.write(`Using the built-in sample account (${sample.account.records.length} events, ${sample.region})\n`);
    const connection = await connect({ endpointUrl: sample.url, region: sample.region, credentials: SAMPLE_CREDENTIALS, logger: stderrLogger });
    // The sample is regenerated each run: nothing to cache.
    return { connection: { ...connection, dispose: () => (connection.dispose(), void sample.stop()) } };
  }
  const connection = await connect({ profile: args.profile, region: args.region, endpointUrl: args.endpointUrl, logger: stderrLogger });
  const maxMb = parsePositiveInt(args.cacheMaxMb, '--cache-max-mb', 1024 * 1024);
  const cache = args.noCache ? undefined : await openEventCache(connection.key, { dir: args.cacheDir, maxBytes: maxMb && maxMb * 1024 * 1024, logger: stderrLogger });
  return { connection, cache };
}

function readText(positionals: string[]): string {
  if (positionals.length === 1 && positionals[0] === '-') return readFileSync(0, 'utf8');
  if (positionals.length === 0) {
    if (process.stdin.isTTY) throw new TrailLensError('InvalidInput', 'find-request needs TEXT holding a request ID (or - to read stdin)');
    return readFileSync(0, 'utf8');
  }
  return positionals.join(' ');
}

export async function runFindRequest(positionals: string[], args: CommonArgs): Promise<number> {
  const text = readText(positionals);
  const extraction = extractRequestId(text);
  if (!extraction.match) {
    const why = extraction.rejected[0];
    throw new TrailLensError(
      'InvalidInput',
      why ? `${why.id} is not a CloudTrail request ID: ${why.reason}` : 'No request ID found in the text (expected a UUID, a 16-character S3 request ID, or a labelled "Request ID: …")',
    );
  }
  const id = extraction.match.id;
  const now = new Date();
  const hints: SearchHints = collectHints(text, { around: extraction.match.start, now });
  if (args.source) hints.eventSource = args.source;
  const window = parseWindow(args, now);
  if (window) {
    hints.window = window;
    hints.times = [new Date((window.start.getTime() + window.end.getTime()) / 2)];
  }
  const { connection, cache } = await openSession(args);
  const described = [`request ID ${id}`];
  if (hints.eventSource) described.push(`event source ${hints.eventSource}${hints.service ? ` (from "Service: ${hints.service}")` : ''}`);
  if (hints.window) described.push(`around ${hints.window.start.toISOString()}`);
  process.stderr.write(`Searching ${connection.region} for ${described.join(', ')}\n`);
  const line = progressLine(args.progress);
  try {
    const result = await findRequest(
      { lookupEvents: (i, s) => connection.lookupEvents(i, s), limiter: sharedLimiter(connection.key), cache, logger: stderrLogger },
      {
        requestId: id,
        hints,
        region: connection.region,
        maxDays: parsePositiveInt(args.maxDays, '--max-days', 90),
        signal: args.signal,
        now,
        onProgress: (p: FindProgress) => line.update(`${p.step} · ${p.calls} calls · ${p.events} events${p.waiting ? ' · throttled, waiting' : ''}`),
      },
    );
    line.done();
    process.stderr.write(result.summary + '\n');
    if (result.record) {
      process.stdout.write(JSON.stringify(result.record, null, 2) + '\n');
      return 0;
    }
    for (const s of result.suggestions) process.stderr.write(`  - ${s}\n`);
    process.stderr.write(`\nAthena (trail in S3):\n${result.athenaQuery}\n`);
    return 1;
  } finally {
    line.done();
    await cache?.flush();
    connection.dispose();
  }
}

export async function runLookup(args: CommonArgs): Promise<number> {
  const now = new Date();
  const window = parseWindow(args, now) ?? { start: new Date(now.getTime() - 90 * DAY), end: now };
  const query: LookupQuery = { attribute: parseAttribute(args.attribute, args.source), ...window };
  const limit = parsePositiveInt(args.limit, '--limit');
  const { connection, cache } = await openSession(args);
  const writer = createWriter(args.format, process.stdout);
  const line = progressLine(args.progress);
  // Batches come newest first: each is cached as it arrives, so an error or Ctrl+C keeps what was fetched.
  const feed = cache?.feed(query);
  let count = 0;
  try {
    process.stderr.write(`Looking up ${connection.region}: ${describeQuery(query)}\n`);
    for await (const batch of scanEvents((i, s) => connection.lookupEvents(i, s), query, {
      limiter: sharedLimiter(connection.key),
      signal: args.signal,
      logger: stderrLogger,
      limit,
      onProgress: (p: LookupProgress) =>
        line.update(`${p.events} events · ${p.calls} calls${p.oldest ? ` · back to ${p.oldest.toISOString()}` : ''}${p.waiting ? ' · throttled, waiting' : ''}`),
    })) {
      line.done();
      writer.write(batch);
      count += batch.length;
      await feed?.add(batch);
    }
    writer.end();
    line.done();
    if (limit === undefined || count < limit) await feed?.complete();
    process.stderr.write(`${count} event${count === 1 ? '' : 's'}\n`);
    return 0;
  } finally {
    line.done();
    await cache?.flush();
    connection.dispose();
  }
}

export async function runRead(paths: string[], args: CommonArgs): Promise<number> {
  if (!paths.length) throw new TrailLensError('InvalidInput', 'read needs at least one file or directory');
  const attribute = parseAttribute(args.attribute, args.source);
  const window = parseWindow(args, new Date());
  const records: CloudTrailRecord[] = [];
  let files = 0;
  let digests = 0;
  for await (const file of readRecordPaths(paths, {
    signal: args.signal,
    // Digest files come hourly next to the logs: count them; name only files that are broken.
    onSkip: (path, reason) => (/digest/i.test(reason) ? digests++ : process.stderr.write(`skipped ${path}: ${reason}\n`)),
  })) {
    files++;
    for (const r of file.records) {
      const t = Date.parse(r.eventTime);
      if (window && (t < window.start.getTime() || t > window.end.getTime())) continue;
      if (matchesAttribute(r, attribute)) records.push(r);
    }
  }
  const sorted = sortNewestFirst(records);
  const limit = parsePositiveInt(args.limit, '--limit') ?? sorted.length;
  const writer = createWriter(args.format, process.stdout);
  writer.write(sorted.slice(0, limit));
  writer.end();
  const skipped = digests ? ` (${digests} digest file${digests === 1 ? '' : 's'} skipped)` : '';
  process.stderr.write(`${Math.min(limit, sorted.length)} event${sorted.length === 1 ? '' : 's'} from ${files} file${files === 1 ? '' : 's'}${skipped}\n`);
  return 0;
}
