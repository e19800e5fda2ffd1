/**
 * `find-request --regions … --profiles …`: one request ID across many Regions and accounts at once
 * (core/multiFind). stderr shows one line per target as it runs (on a terminal) and names the
 * Region and profile of the hit; stdout gets the record, as for one Region.
 */
import { connect, type Connection } from '../core/aws';
import { joinAccount } from '../core/accounts';
import { defaultCacheDir, openEventCache, type EventCache } from '../core/cache';
import { TrailLensError } from '../core/errors';
import { describePending, type FindOptions } from '../core/find';
import { sharedLimiter } from '../core/limiter';
import { jsonForTerminal } from '../core/json';
import { findRequestEverywhere } from '../core/multiFind';
import { describeTarget, parseRegionList, planTargets, type SearchTarget } from '../core/regionSearchReport';
import { formatUtc } from '../core/time';
import { EXIT_NOT_DELIVERED_YET, parsePositiveInt, stderrLogger, type CommonArgs } from './commands';
import { say } from './format';

export interface RegionArgs {
  regions?: string;
  profiles?: string;
}

interface Opened {
  connection: Connection;
  cache?: EventCache;
}

/** The profiles named by --profiles (else --profile, else the default credentials). */
function profileList(args: CommonArgs & RegionArgs): (string | undefined)[] {
  if (args.profiles === undefined) return [args.profile];
  if (args.profile) throw new TrailLensError('InvalidInput', 'Use either --profile or --profiles');
  const names = [
    ...new Set(
      args.profiles
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (!names.length) throw new TrailLensError('InvalidInput', `--profiles needs profile names (got '${args.profiles}')`);
  return names;
}

/** Searches every target; returns the exit code (0 found, 1 nowhere, 3 every target failed, 5 may not be delivered yet). */
export async function runFindEverywhere(args: CommonArgs & RegionArgs, find: Omit<FindOptions, 'region'>): Promise<number> {
  if (args.sample && args.profiles) throw new TrailLensError('InvalidInput', '--sample cannot be combined with --profiles');
  if (args.region && args.regions) throw new TrailLensError('InvalidInput', 'Use either --region or --regions');
  const profiles = profileList(args);
  const sample = args.sample ? await startSample() : undefined;
  try {
    // Without --regions, each profile's own Region (resolved by connecting once).
    const regions = args.regions
      ? parseRegionList(args.regions)
      : sample
        ? [sample.region]
        : [...new Set(await Promise.all(profiles.map((p) => regionOf(p, args))))];
    const targets = planTargets(profiles, regions, find.hints.eventSource);
    say(
      `Searching ${targets.length} target${targets.length === 1 ? '' : 's'} in parallel (${regions.length} Region${regions.length === 1 ? '' : 's'} × ${profiles.length} profile${profiles.length === 1 ? '' : 's'}), each account and Region at its own 2 requests/s`,
    );
    const open = new Map<string, Opened>();
    const keyOf = (t: SearchTarget) => `${t.profile ?? ''}|${t.region}`;
    const live = process.stderr.isTTY === true && args.progress;
    let drawn = 0;
    const result = await findRequestEverywhere({
      ...find,
      targets,
      signal: args.signal,
      open: async (t) => {
        const opened = await openTarget(t, args, sample?.url);
        open.set(keyOf(t), opened);
        const { connection, cache } = opened;
        return {
          key: connection.sharedKey,
          region: connection.region,
          lookupEvents: (i, s) => connection.lookupEvents(i, s),
          limiter: sharedLimiter(connection.key),
          cache,
          logger: stderrLogger,
        };
      },
      close: async (t) => {
        const o = open.get(keyOf(t));
        open.delete(keyOf(t));
        await o?.cache?.flush();
        o?.connection.dispose();
      },
      onProgress: (_s, all) => {
        if (!live) return;
        // Redraw one line per target in place.
        if (drawn) process.stderr.write(`\x1b[${drawn}A`);
        process.stderr.write(all.map((s) => `\r\x1b[2K${describeTarget(s)}\n`).join(''));
        drawn = all.length;
      },
    });
    if (!live) for (const s of result.states) say(describeTarget(s));
    if (result.found) {
      const { target } = result.found;
      say(result.summary);
      say(`Found in Region ${target.region}${target.profile ? ` with profile ${target.profile}` : ''}`);
      process.stdout.write(jsonForTerminal(result.found.result.record, 2) + '\n');
      return 0;
    }
    say(result.summary);
    if (result.allFailed) return 3;
    if (result.pending) {
      say(`\n${describePending(result.pending)}. Exit ${EXIT_NOT_DELIVERED_YET}: run it again until ${formatUtc(result.pending.until)}.`);
      return EXIT_NOT_DELIVERED_YET;
    }
    return 1;
  } finally {
    await sample?.stop();
  }
}

async function startSample(): Promise<{ url: string; region: string; stop(): Promise<void> }> {
  const { serveSampleAccount } = await import('../sample/serve.js');
  const s = await serveSampleAccount();
  say(`Using the built-in sample account (${s.account.records.length} events, home Region ${s.region})`);
  return s;
}

async function regionOf(profile: string | undefined, args: CommonArgs): Promise<string> {
  const c = await connect({ profile, endpointUrl: args.endpointUrl, logger: stderrLogger });
  c.dispose();
  return c.region;
}

async function openTarget(t: SearchTarget, args: CommonArgs, sampleUrl: string | undefined): Promise<Opened> {
  if (sampleUrl) {
    const { SAMPLE_CREDENTIALS } = await import('../sample/serve.js');
    const connection = await connect({ endpointUrl: sampleUrl, region: t.region, credentials: SAMPLE_CREDENTIALS, logger: stderrLogger });
    return { connection };
  }
  const connection = await connect({ profile: t.profile, region: t.region, endpointUrl: args.endpointUrl, logger: stderrLogger });
  if (args.noCache) return { connection };
  const dir = args.cacheDir || defaultCacheDir();
  try {
    const maxMb = parsePositiveInt(args.cacheMaxMb, '--cache-max-mb', 1024 * 1024);
    const cache = await openEventCache(joinAccount(connection, dir), {
      dir,
      maxBytes: maxMb && maxMb * 1024 * 1024,
      logger: stderrLogger,
      adoptFrom: connection.key,
    });
    return { connection, cache };
  } catch (err) {
    connection.dispose();
    throw err;
  }
}
