/**
 * The built-in sample account: the fake CloudTrail endpoint runs in-process on 127.0.0.1 with the
 * generated sample records, so every feature works without AWS. Loaded with dynamic import() so
 * activation never pays for it.
 */
import type { Logger } from '../core/logger';

export interface SampleServer {
  endpointUrl: string;
  region: string;
  /** Closes the server; safe to call twice. */
  stop(): Promise<void>;
}

export const SAMPLE_CREDENTIALS = { accessKeyId: 'SAMPLE', secretAccessKey: 'SAMPLE' } as const;

export function sampleLabel(region: string): string {
  return `Sample account @ ${region}`;
}

export async function startSampleServer(log: Logger): Promise<SampleServer> {
  const [{ startFakeCloudTrail }, { generateSampleAccount }] = await Promise.all([
    import('../../test/fake-cloudtrail/server.js'),
    import('../sample/account.js'),
  ]);
  const account = generateSampleAccount();
  // rate 2: the sample behaves like the real service's LookupEvents limit, throttling included.
  const server = await startFakeCloudTrail({ records: account.records, rate: 2, region: account.region });
  log.info(`Sample account: ${account.records.length} events served at ${server.url} (${account.region})`);
  let stopped: Promise<void> | undefined;
  return {
    endpointUrl: server.url,
    region: account.region,
    stop: () => (stopped ??= server.close().then(() => log.info('Sample account stopped'))),
  };
}
