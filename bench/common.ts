/** Shared set-up for the benchmarks: a fake endpoint, a real SDK client, the AWS CLI. */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { LookupEventsFn } from '../src/core/lookup';
import type { FakeCloudTrail } from '../test/fake-cloudtrail/server';
import { scratchDir } from '../test/harness/scratch';

/** The real SDK client on the fake, one attempt per call (core owns retries). */
export function sdkClient(fake: FakeCloudTrail, region = 'us-east-1'): CloudTrailClient {
  return new CloudTrailClient({
    endpoint: fake.url,
    region,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
}

export function sdkLookup(fake: FakeCloudTrail, region = 'us-east-1'): LookupEventsFn {
  const client = sdkClient(fake, region);
  return (input, signal) => client.send(new LookupEventsCommand(input), { abortSignal: signal });
}

export function awsCliPath(): string | undefined {
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  return undefined;
}

/** Runs `aws cloudtrail lookup-events` (auto-paginating) and returns the events and seconds taken. */
export async function awsCliLookup(
  fake: FakeCloudTrail,
  start: Date,
  end: Date,
): Promise<{ events: number; seconds: number; exit: number; stderr: string }> {
  const aws = awsCliPath();
  if (!aws) throw new Error('AWS CLI v2 not found at /usr/bin/aws (apt-get install awscli)');
  const home = scratchDir('tl-bench-home-');
  writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
  writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = AKIDBENCH\naws_secret_access_key = bench\n');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    // The CLI's defaults (3 attempts) give up under sustained throttling; allow it to finish.
    AWS_RETRY_MODE: 'standard',
    AWS_MAX_ATTEMPTS: '10',
  };
  const args = [
    'cloudtrail',
    'lookup-events',
    '--endpoint-url',
    fake.url,
    '--region',
    'us-east-1',
    '--output',
    'json',
    '--start-time',
    String(Math.floor(start.getTime() / 1000)),
    '--end-time',
    String(Math.floor(end.getTime() / 1000)),
  ];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(aws, args, { env });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      let events = 0;
      try {
        events = (JSON.parse(Buffer.concat(out).toString('utf8')) as { Events: unknown[] }).Events.length;
      } catch {
        events = 0;
      }
      resolve({ events, seconds, exit: code ?? -1, stderr: stderr.slice(-500) });
    });
  });
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
