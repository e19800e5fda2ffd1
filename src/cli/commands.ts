/** The find-request, lookup and read commands, each a thin layer over core (trails: trails.ts). */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { connect, type Connection } from '../core/aws';
import { defaultCacheDir, openEventCache, type EventCache } from '../core/cache';
import { TrailLensError } from '../core/errors';
import { EventIdDedup } from '../core/dedupe';
import type { FilterPattern } from '../core/filter/pattern';
import { MAX_TEXT_BYTES } from '../core/files';
import { findInFiles, readSources } from './trailFiles';
import { describePending, describeProgress, findEvent, findRequest, type FindProgress } from '../core/find';
import { collectHints, type SearchHints } from '../core/hints';
import { sharedLimiter } from '../core/limiter';
import type { Logger } from '../core/logger';
import { describeQuery, type LookupProgress, type LookupQuery } from '../core/lookup';
import { jsonForTerminal } from '../core/json';
import {
  ATTRIBUTE_KEYS,
  matchesAttribute,
  sortNewestFirst,
  type AttributeKey,
  type CloudTrailRecord,
  type LookupAttribute,
} from '../core/record';
import { describeInvisibleRemoved, describeSetAside, extractRequestId } from '../core/requestId';
import { eventIdIn } from '../core/requestChoice';
import { scanEvents } from '../core/scan';
import { formatUtc, parseDuration, parseTimeArg, windowFromArgs, type TimeWindow } from '../core/time';
import { createWriter, say, type Format } from './format';
import { EVENT_HISTORY_MS } from '../core/limits';
import { joinAccount } from '../core/accounts';
import { runEngineSearch, type EngineArgs } from './engines';

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
  /** lookup, read: only the events this pattern matches (applied locally); --limit counts these. */
  filter?: FilterPattern;
  limit?: string;
  format: Format;
  maxDays?: string;
  /** read: hold every record and print newest first across all files. */
  newestFirst: boolean;
  /** read: the most MB one file may hold once inflated. */
  maxFileMb?: string;
  /** read: read devices and FIFOs named explicitly. */
  allowSpecialFiles: boolean;
  /** find-request: search these files, folders and s3:// URLs instead of LookupEvents. */
  files?: string[];
  /** read: what '-' reads. */
  stdin: Readable;
  noCache: boolean;
  cacheDir?: string;
  /** --cache-max-mb: the cache's bound per account and Region, in MiB. */
  cacheMaxMb?: string;
  /** find-request: the Regions to search at once ('all' or a comma-separated list). */
  regions?: string;
  /** find-request: the profiles (accounts) to search at once, comma-separated. */
  profiles?: string;
  /** Use the built-in sample account (served on 127.0.0.1) instead of AWS. */
  sample: boolean;
  /** read: check the delivery health of the trail that delivers the files (DescribeTrails + GetTrailStatus). */
  checkTrail?: boolean;
  signal: AbortSignal;
  progress: boolean;
  /** find-request --engine and its options (default: LookupEvents). */
  engine?: EngineArgs;
}

const MINUTE = 60_000;

export const stderrLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn: (m) => say(`warning: ${m}`),
  error: (m) => say(`error: ${m}`),
};

/** A progress line on stderr, redrawn in place; only when stderr is a terminal. */
export function progressLine(enabled: boolean): { update(text: string): void; done(): void } {
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

export function parseAttribute(value: string | undefined, source: string | undefined): LookupAttribute | undefined {
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

export function parsePositiveInt(value: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new TrailLensError('InvalidInput', `${name} must be a whole number from 1 to ${max} (got '${value}')`);
  return n;
}

/** The time window from --start/--end, or --around/--window, or --window alone (back from now). */
export function parseWindow(args: CommonArgs, now: Date): TimeWindow | undefined {
  return windowFromArgs(args, now, EVENT_HISTORY_MS);
}

/** A connection without the event cache (S3 trail sources read no LookupEvents). */
async function openConnection(args: CommonArgs): Promise<Connection> {
  if (args.sample)
    throw new TrailLensError(
      'InvalidInput',
      '--sample has no S3 bucket: read its trail files with npm run sample:logs, then trail-lens read DIR',
    );
  return connect({ profile: args.profile, region: args.region, endpointUrl: args.endpointUrl, logger: stderrLogger });
}

export async function openSession(args: CommonArgs): Promise<{ connection: Connection; cache?: EventCache }> {
  if (args.sample) {
    if (args.profile || args.endpointUrl)
      throw new TrailLensError('InvalidInput', '--sample cannot be combined with --profile or --endpoint-url');
    const { serveSampleAccount, SAMPLE_CREDENTIALS } = await import('../sample/serve.js');
    // TRAIL_LENS_SAMPLE_NOW pins the sample's clock, as for the extension (npm start, tests).
    const pinned = process.env.TRAIL_LENS_SAMPLE_NOW ? new Date(process.env.TRAIL_LENS_SAMPLE_NOW) : undefined;
    const sample = await serveSampleAccount({ now: pinned && !Number.isNaN(pinned.getTime()) ? pinned : undefined });
    say(`Using the built-in sample account (${sample.account.records.length} events, ${sample.region})`);
    const connection = await connect({
      endpointUrl: sample.url,
      cloudFormationEndpointUrl: sample.url,
      region: sample.region,
      credentials: SAMPLE_CREDENTIALS,
      logger: stderrLogger,
    });
    // The sample is regenerated each run: nothing to cache.
    const close = connection.dispose;
    connection.dispose = () => (close(), void sample.stop());
    return { connection };
  }
  const connection = await connect({ profile: args.profile, region: args.region, endpointUrl: args.endpointUrl, logger: stderrLogger });
  const maxMb = parsePositiveInt(args.cacheMaxMb, '--cache-max-mb', 1024 * 1024);
  if (args.noCache) return { connection };
  // The limit and the history are per account and Region: reach the account's limiter and cache
  // from the first call when an earlier run learned which account this connection reaches.
  const dir = args.cacheDir || defaultCacheDir();
  const cache = await openEventCache(joinAccount(connection, dir), {
    dir,
    maxBytes: maxMb && maxMb * 1024 * 1024,
    logger: stderrLogger,
    // What was cached under the connection's own key before its account was known joins the account's cache.
    adoptFrom: connection.key,
  });
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

/** Exit code of `find-request` when the request is not found but is recent enough that CloudTrail may not have delivered it yet: retry. */
export const EXIT_NOT_DELIVERED_YET = 5;

export async function runFindRequest(positionals: string[], args: CommonArgs): Promise<number> {
  const text = readText(positionals);
  const extraction = extractRequestId(text);
  const removed = describeInvisibleRemoved(extraction);
  if (removed) say(`note: ${removed}`);
  for (const line of describeSetAside(extraction)) say(`note: ${line}`);
  if (!extraction.match) {
    // An event ID ("eventID": "…", EventId: …) is looked up by the EventId attribute instead.
    const eventId = eventIdIn(extraction);
    if (eventId) return runFindEvent(eventId.id, args);
    const why = extraction.rejected[0];
    throw new TrailLensError(
      'InvalidInput',
      why
        ? `${why.id} is not a CloudTrail request ID: ${why.reason}`
        : 'No request ID found in the text (expected a UUID, a 16-character S3 request ID, or a labelled "Request ID: …")',
    );
  }
  const id = extraction.match.id;
  const now = new Date();
  // --window alone, with a timestamp in the text: how far before that timestamp to start (the
  // setting trailLens.requestIdSearch.aroundMinutes); without one, back from now as for lookup.
  const aroundText = args.window && !args.around && !args.start && !args.end ? parseDuration(args.window) / MINUTE : undefined;
  const hints: SearchHints = collectHints(text, { around: extraction.match.start, now, aroundMinutes: aroundText });
  // When the request was made, for the delivery-lag verdict: --around, else the text's timestamp (its zone known).
  const requestedAt = args.around ? parseTimeArg(args.around, now) : hints.zoneKnown === false ? undefined : hints.times[0];
  if (args.source) hints.eventSource = args.source;
  const window = aroundText !== undefined && hints.times.length ? undefined : parseWindow(args, now);
  if (window) {
    hints.window = window;
    hints.times = [new Date((window.start.getTime() + window.end.getTime()) / 2)];
  }
  if (args.files?.length) return findInFiles(id, args.files, hints.window, () => openConnection(args), args);
  if (args.engine && args.engine.engine !== 'lookup') {
    const maxDays = parsePositiveInt(args.maxDays, '--max-days', 90) ?? 90;
    const searched = hints.window ?? window ?? { start: new Date(now.getTime() - maxDays * 86_400_000), end: now };
    const { connection } = await openSession({ ...args, noCache: true });
    const line = progressLine(args.progress);
    try {
      return await runEngineSearch(connection, id, searched, { ...args.engine, signal: args.signal, update: (t) => line.update(t) });
    } finally {
      line.done();
      connection.dispose();
    }
  }
  const maxDays = parsePositiveInt(args.maxDays, '--max-days', 90);
  if (args.regions !== undefined || args.profiles !== undefined) {
    const { runFindEverywhere } = await import('./findRegions.js');
    return runFindEverywhere(args, { requestId: id, hints, maxDays, aroundMinutes: aroundText, now, requestedAt });
  }
  const { connection, cache } = await openSession(args);
  const described = [`request ID ${id}`];
  if (hints.eventSource) described.push(`event source ${hints.eventSource}${hints.service ? ` (from "Service: ${hints.service}")` : ''}`);
  if (hints.window) described.push(`around ${hints.window.start.toISOString()}`);
  say(`Searching ${connection.region} for ${described.join(', ')}`);
  const line = progressLine(args.progress);
  try {
    const result = await findRequest(
      { lookupEvents: (i, s) => connection.lookupEvents(i, s), limiter: sharedLimiter(connection.key), cache, logger: stderrLogger },
      {
        requestId: id,
        hints,
        region: connection.region,
        maxDays,
        aroundMinutes: aroundText,
        signal: args.signal,
        now,
        requestedAt,
        onProgress: (p: FindProgress) => line.update(`${describeProgress(p)} · ${p.calls} calls · ${p.events} events`),
      },
    );
    line.done();
    say(result.summary);
    if (result.record) {
      process.stdout.write(jsonForTerminal(result.record, 2) + '\n');
      return 0;
    }
    for (const s of result.suggestions) say(`  - ${s}`);
    say(`\nAthena (trail in S3):\n${result.athenaQuery}`);
    if (result.pending) {
      say(`\n${describePending(result.pending)}. Exit ${EXIT_NOT_DELIVERED_YET}: run it again until ${formatUtc(result.pending.until)}.`);
      return EXIT_NOT_DELIVERED_YET;
    }
    return 1;
  } finally {
    line.done();
    await cache?.flush();
    connection.dispose();
  }
}

async function runFindEvent(eventId: string, args: CommonArgs): Promise<number> {
  const { connection, cache } = await openSession(args);
  say(`Looking up event ID ${eventId} in ${connection.region} (EventId)`);
  try {
    const result = await findEvent(
      { lookupEvents: (i, s) => connection.lookupEvents(i, s), limiter: sharedLimiter(connection.key), cache, logger: stderrLogger },
      { eventId, region: connection.region, signal: args.signal },
    );
    say(result.summary);
    if (!result.record) return 1;
    process.stdout.write(jsonForTerminal(result.record, 2) + '\n');
    return 0;
  } finally {
    await cache?.flush();
    connection.dispose();
  }
}

export async function runLookup(args: CommonArgs): Promise<number> {
  const now = new Date();
  const window = parseWindow(args, now) ?? { start: new Date(now.getTime() - EVENT_HISTORY_MS), end: now };
  const query: LookupQuery = { attribute: parseAttribute(args.attribute, args.source), ...window };
  const limit = parsePositiveInt(args.limit, '--limit');
  const { connection, cache } = await openSession(args);
  const writer = createWriter(args.format, process.stdout);
  const line = progressLine(args.progress);
  // Batches come newest first: each is cached as it arrives, so an error or Ctrl+C keeps what was fetched.
  const feed = cache?.feed(query);
  const filter = args.filter;
  let count = 0;
  let scanned = 0;
  // With --filter the limit counts matching events, so the scan itself has none; it stops once they are found.
  let stopped = false;
  try {
    say(`Looking up ${connection.region}: ${describeQuery(query)}${filter ? ` · filter ${filter.text}` : ''}`);
    for await (const batch of scanEvents((i, s) => connection.lookupEvents(i, s), query, {
      limiter: sharedLimiter(connection.key),
      signal: args.signal,
      logger: stderrLogger,
      limit: filter ? undefined : limit,
      onProgress: (p: LookupProgress) =>
        line.update(
          `${filter ? `${count} matching of ` : ''}${p.events} events · ${p.calls} calls${p.oldest ? ` · back to ${p.oldest.toISOString()}` : ''}${p.waiting ? ' · throttled, waiting' : ''}`,
        ),
    })) {
      line.done();
      scanned += batch.length;
      let out = filter ? batch.filter((r) => filter.matches(r)) : batch;
      if (limit !== undefined && out.length >= limit - count) {
        out = out.slice(0, limit - count);
        stopped = true;
      }
      // Printed and cached as each batch arrives (newest first): nothing waits for the end.
      await writer.write(out);
      count += out.length;
      // The cache holds what LookupEvents answered, whatever the filter: every event of the batch.
      await feed?.add(batch);
      if (stopped && filter) break;
    }
    const complete = !stopped || (!filter && count < (limit ?? Infinity));
    await cache?.put([], { query, complete });
    line.done();
    if (complete) await feed?.complete();
    if (filter) {
      const rest = stopped ? ` · stopped at --limit ${limit}: older events were not scanned` : '';
      say(`${count} shown of ${scanned} scanned${rest}`);
    } else say(`${count} event${count === 1 ? '' : 's'}`);
    return 0;
  } finally {
    line.done();
    await cache?.flush();
    // Every exit path (an AWS error, Ctrl+C) leaves a complete document on stdout.
    await writer.end();
    connection.dispose();
  }
}

/** Records kept for --newest-first; with a limit, only the newest `limit` of them. */
class NewestFirst {
  private records: CloudTrailRecord[] = [];
  constructor(private readonly limit: number) {}
  add(records: CloudTrailRecord[]): void {
    for (const r of records) this.records.push(r);
    if (this.records.length > 2 * this.limit + 10_000) this.records = sortNewestFirst(this.records).slice(0, this.limit);
  }
  take(): CloudTrailRecord[] {
    return sortNewestFirst(this.records).slice(0, this.limit);
  }
}

/** Exit code of `read` when some input could not be read (the rest was printed). */
export const EXIT_SOME_INPUT_BAD = 4;

export async function runRead(paths: string[], args: CommonArgs): Promise<number> {
  if (!paths.length) throw new TrailLensError('InvalidInput', 'read needs at least one file or directory (or - for stdin)');
  const attribute = parseAttribute(args.attribute, args.source);
  const window = parseWindow(args, new Date());
  const limit = parsePositiveInt(args.limit, '--limit') ?? Infinity;
  const maxFileMb = parseMaxFileMb(args);
  const filter = args.filter;
  const keep = (r: CloudTrailRecord) => {
    const t = Date.parse(r.eventTime);
    if (window && (t < window.start.getTime() || t > window.end.getTime())) return false;
    return matchesAttribute(r, attribute) && (!filter || filter.matches(r));
  };
  const sorted = args.newestFirst ? new NewestFirst(limit) : undefined;
  const writer = createWriter(args.format, process.stdout);
  let printed = 0;
  let scanned = 0;
  let stopped = false;
  let read: FilesRead;
  try {
    read = await readRecordFiles(paths, args, maxFileMb, async (records) => {
      scanned += records.length;
      const kept = records.filter(keep);
      if (sorted) return void sorted.add(kept);
      const out = kept.length > limit - printed ? kept.slice(0, limit - printed) : kept;
      await writer.write(out);
      printed += out.length;
      if (printed < limit) return undefined;
      stopped = true;
      return 'stop';
    });
    if (sorted) {
      const out = sorted.take();
      await writer.write(out);
      printed = out.length;
    }
  } finally {
    await writer.end();
  }
  const from = `from ${describeFilesRead(read)}`;
  if (filter) {
    const rest = stopped ? ` · stopped at --limit ${limit}` : '';
    say(`${printed} shown of ${scanned} scanned ${from}${rest}`);
  } else say(`${printed} event${printed === 1 ? '' : 's'} ${from}`);
  return read.bad ? EXIT_SOME_INPUT_BAD : 0;
}

/** --max-file-mb, checked before any output starts. */
export function parseMaxFileMb(args: CommonArgs): number | undefined {
  return parsePositiveInt(args.maxFileMb, '--max-file-mb', MAX_TEXT_BYTES / (1024 * 1024));
}

export interface FilesRead {
  files: number;
  digests: number;
  bad: number;
  /** Records dropped because their eventID was read before (CloudTrail delivered them twice). */
  duplicates: number;
}

/**
 * Reads records from files, folders and '-' (as `read` does), handing each file's records to
 * `each` (which may answer 'stop'). Names each file that cannot be read on stderr, then the hints.
 */
export async function readRecordFiles(
  paths: string[],
  args: CommonArgs,
  maxFileMb: number | undefined,
  each: (records: CloudTrailRecord[]) => Promise<'stop' | undefined> | 'stop' | undefined,
): Promise<FilesRead> {
  const read: FilesRead = { files: 0, digests: 0, bad: 0, duplicates: 0 };
  const hints = new Set<string>();
  const dedup = new EventIdDedup();
  // s3:// sources list only the objects that can hold the window (--window, --start/--end).
  for await (const file of readSources(paths, parseWindow(args, new Date()), () => openConnection(args), {
    signal: args.signal,
    stdin: args.stdin,
    allowSpecialFiles: args.allowSpecialFiles,
    maxTextBytes: maxFileMb === undefined ? undefined : maxFileMb * 1024 * 1024,
    // Digest files come hourly next to the logs: count them; name every file that is bad.
    onSkip: (_path, reason, error) => {
      if (!error) return void read.digests++;
      read.bad++;
      if (error.hint) hints.add(error.hint);
      say(`skipped: ${reason}`);
    },
  })) {
    if (file.part === 0) read.files++;
    const records = dedup.keep(file.records);
    read.duplicates = dedup.duplicates;
    if ((await each(records)) === 'stop') break;
  }
  for (const hint of hints) say(hint);
  return read;
}

/** "3 files (2 digest files skipped); 1 input could not be read". */
export function describeFilesRead(read: FilesRead): string {
  const { files, digests, bad } = read;
  const skipped = digests ? ` (${digests} digest file${digests === 1 ? '' : 's'} skipped)` : '';
  const unread = bad ? `; ${bad} input${bad === 1 ? '' : 's'} could not be read` : '';
  const repeats = read.duplicates ? ` (${read.duplicates} duplicate deliver${read.duplicates === 1 ? 'y' : 'ies'} shown once)` : '';
  return `${files} file${files === 1 ? '' : 's'}${skipped}${repeats}${unread}`;
}
