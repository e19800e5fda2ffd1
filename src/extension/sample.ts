/**
 * The built-in sample account: the fake CloudTrail endpoint runs in-process on 127.0.0.1 with the
 * generated sample records, so every feature works without AWS. Loaded with dynamic import() so
 * activation never pays for it.
 */
import type { Logger } from '../core/logger';
import { loadEngine } from './loadEngine';

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
