/**
 * The sample account served by the loopback CloudTrail endpoint (./endpoint) on 127.0.0.1, so the CLI, the
 * extension and the demo all reach it through the real SDK client like a real account.
 */
import { startCloudTrailEndpoint } from './endpoint/server';
import { generateSampleAccount, type SampleAccount, type SampleOptions } from './account';
import { sampleTrails } from './trails';

/** Placeholder keys: the fake endpoint ignores signatures, and these are never real credentials. */
export const SAMPLE_CREDENTIALS = { accessKeyId: 'SAMPLE', secretAccessKey: 'SAMPLE' } as const;

export interface SampleEndpoint {
  url: string;
  region: string;
  account: SampleAccount;
  /** Closes the server; safe to call twice. */
  stop(): Promise<void>;
}

export async function serveSampleAccount(opts: SampleOptions & { rate?: number } = {}): Promise<SampleEndpoint> {
  const account = generateSampleAccount(opts);
  // rate 2: the sample behaves like the real LookupEvents limit, throttling included.
  // perRegion: like the real service, each Region has its own history (IAM and sign-in events are in us-east-1).
  const server = await startCloudTrailEndpoint({
    records: account.records,
    rate: opts.rate ?? 2,
    region: account.region,
    accountId: account.accountId,
    perRegion: true,
    stacks: account.stacks,
    // One healthy trail and one whose delivery fails (the Trails view, `trail-lens trails`).
    trails: sampleTrails(account),
  });
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    region: account.region,
    account,
    stop: () => (stopped ??= server.close()),
  };
}
