/**
 * The built-in sample account: the fake CloudTrail endpoint runs in-process on 127.0.0.1 with the
 * generated sample records, so every feature works without AWS. Its server and the engine load on
 * the first sample session, so activation never pays for them.
 *
 * It has an event cache like any account (a repeat lookup costs no call), kept apart from real
 * accounts' caches in the extension's own storage. The records are regenerated on each start, so the
 * cache belongs to one generation: a different one (another clock, another seed) empties it first.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventCache } from '../core/cache';
import { TrailLensError } from '../core/errors';
import type { Logger } from '../core/logger';
import { loadEngine } from './loadEngine';
import type { Session } from './session';

export interface SampleServer {
  endpointUrl: string;
  region: string;
  /** Names the generated records (account, clock, count): a cache of another generation is stale. */
  generation: string;
  /** Closes the server; safe to call twice. */
  stop(): Promise<void>;
}

export function sampleLabel(region: string): string {
  return `Sample account @ ${region}`;
}

/** `TRAIL_LENS_SAMPLE_NOW` (set by `npm start`) pins the sample account's clock to its demo log. */
export async function startSampleServer(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<SampleServer> {
  const { serveSampleAccount } = await loadEngine();
  const pinned = env.TRAIL_LENS_SAMPLE_NOW ? new Date(env.TRAIL_LENS_SAMPLE_NOW) : undefined;
  const sample = await serveSampleAccount({ now: pinned && !Number.isNaN(pinned.getTime()) ? pinned : undefined });
  log.info(`Sample account: ${sample.account.records.length} events served at ${sample.url} (${sample.region})`);
  let stopped: Promise<void> | undefined;
  const { account } = sample;
  return {
    endpointUrl: sample.url,
    region: sample.region,
    generation: [account.accountId, account.start.toISOString(), account.end.toISOString(), account.records.length].join('|'),
    stop: () => (stopped ??= sample.stop().then(() => log.info('Sample account stopped'))),
  };
}

/** The sample server's lifecycle (started on the first session, stopped when the sample is left) and its sessions. */
/** Where the sample's cache lives and how big it may grow; undefined: caching is off. */
export type SampleCacheSettings = () => { dir: string; maxBytes: number } | undefined;

export class SampleAccount {
  private server: Promise<SampleServer> | undefined;
  /** The cache folder made ready for the running server's generation. */
  private cacheDir: { generation: string; dir: string; ready: Promise<boolean> } | undefined;
  private readonly caches = new Map<string, Promise<EventCache | undefined>>();

  constructor(
    private readonly log: Logger,
    private readonly cacheSettings: SampleCacheSettings = () => undefined,
  ) {}

  async session(regionOverride?: string): Promise<Session> {
    const engine = await loadEngine();
    this.server ??= startSampleServer(this.log);
    const server = await this.server.catch((err: unknown) => {
      this.server = undefined;
      throw TrailLensError.chain(err, 'Could not start the sample account');
    });
    // The isolated env keeps the user's own AWS files and variables (AWS_PROFILE, endpoint_url, …)
    // out of the sample session entirely.
    const connection = await engine.connect({
      endpointUrl: server.endpointUrl,
      // The sample's CloudFormation is served on the same port.
      cloudFormationEndpointUrl: server.endpointUrl,
      // Engines over the sample's trail (`npm start` runs local stand-ins and sets these); unset, AWS's.
      athenaEndpointUrl: process.env.AWS_ENDPOINT_URL_ATHENA || undefined,
      logsEndpointUrl: process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS || undefined,
      // Lake speaks CloudTrail's protocol, so its stand-in needs an endpoint of its own.
      lakeEndpointUrl: process.env.TRAIL_LENS_SAMPLE_LAKE_URL || undefined,
      region: regionOverride ?? server.region,
      credentials: { ...engine.SAMPLE_CREDENTIALS },
      env: {
        AWS_CONFIG_FILE: '/nonexistent/trail-lens-sample/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/trail-lens-sample/credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      logger: this.log,
    });
    return {
      connection,
      limiter: engine.sharedLimiter(connection.key),
      cache: await this.cache(server, connection.region),
      profile: undefined,
      region: connection.region,
      sample: true,
      label: sampleLabel(connection.region),
    };
  }

  /** The sample's cache for one Region, in a folder of its own emptied when the generation changes. */
  private cache(server: SampleServer, region: string): Promise<EventCache | undefined> {
    const settings = this.cacheSettings();
    if (!settings) return Promise.resolve(undefined);
    const dir = join(settings.dir, 'sample-cache');
    if (this.cacheDir?.generation !== server.generation || this.cacheDir.dir !== dir) {
      this.caches.clear();
      this.cacheDir = { generation: server.generation, dir, ready: this.prepare(dir, server.generation) };
    }
    const ready = this.cacheDir.ready;
    const id = JSON.stringify([dir, region, settings.maxBytes]);
    let cache = this.caches.get(id);
    if (!cache) {
      cache = ready.then(async (ok) => {
        if (!ok) return undefined;
        const { openEventCache } = await loadEngine();
        return openEventCache(`sample|${region}`, { dir, maxBytes: settings.maxBytes, logger: this.log });
      });
      this.caches.set(id, cache);
    }
    return cache;
  }

  /** Empties the folder if it holds another generation's records; false when it cannot be used. */
  private async prepare(dir: string, generation: string): Promise<boolean> {
    const marker = join(dir, 'generation.txt');
    try {
      const had = await readFile(marker, 'utf8').catch(() => undefined);
      if (had === generation) return true;
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await writeFile(marker, generation);
      if (had !== undefined) this.log.info('Sample account: its records were regenerated, so its event cache starts empty');
      return true;
    } catch (err) {
      this.log.warn(`Sample account event cache unavailable (${err instanceof Error ? err.message : String(err)}); continuing without it`);
      return false;
    }
  }

  /** Stops the server if it runs; safe to call twice. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await server.then((s) => s.stop()).catch(() => undefined);
  }
}
