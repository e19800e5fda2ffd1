/**
 * The built-in sample account: the fake CloudTrail endpoint runs in-process on 127.0.0.1 with the
 * generated sample records, so every feature works without AWS. Its server and the engine load on
 * the first sample session, so activation never pays for them.
 */
import { TrailLensError } from '../core/errors';
import type { Logger } from '../core/logger';
import { loadEngine } from './loadEngine';
import type { Session } from './session';

export interface SampleServer {
  endpointUrl: string;
  region: string;
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
  return {
    endpointUrl: sample.url,
    region: sample.region,
    stop: () => (stopped ??= sample.stop().then(() => log.info('Sample account stopped'))),
  };
}

/** The sample server's lifecycle (started on the first session, stopped when the sample is left) and its sessions. */
export class SampleAccount {
  private server: Promise<SampleServer> | undefined;

  constructor(private readonly log: Logger) {}

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
      cache: undefined, // sample records are regenerated each start: never mix them into the real cache
      profile: undefined,
      region: connection.region,
      sample: true,
      label: sampleLabel(connection.region),
    };
  }

  /** Stops the server if it runs; safe to call twice. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await server.then((s) => s.stop()).catch(() => undefined);
  }
}
