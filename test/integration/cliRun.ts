/** Runs the built CLI (dist/cli.js) as a user does: a temporary HOME with real credentials files. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSampleAccount, type SampleAccount } from '../../src/sample/account';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { scratchDir } from '../harness/scratch';

export const CLI = join(__dirname, '../../dist/cli.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The sample account served by the fake endpoint at LookupEvents' real rate, once the CLI is built. */
export async function sampleEndpoint(now: Date): Promise<{ account: SampleAccount; fake: FakeCloudTrail }> {
  assert.ok(existsSync(CLI), 'dist/cli.js is built (node esbuild.mjs)');
  const account = generateSampleAccount({ now });
  const fake = await startFakeCloudTrail({ records: account.records, rate: 2, region: account.region });
  return { account, fake };
}

export function homeWithProfile(region: string): string {
  const home = scratchDir('tl-cli-home-');
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.aws', 'config'), `[default]\nregion = ${region}\n\n[profile other]\nregion = us-west-2\n`);
  writeFileSync(
    join(home, '.aws', 'credentials'),
    '[default]\naws_access_key_id = AKIDCLITEST\naws_secret_access_key = secret\n\n[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = secret\n',
  );
  return home;
}

export function cli(args: string[], opts: { home: string; input?: string; env?: Record<string, string> }): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: opts.home,
    XDG_CACHE_HOME: join(opts.home, '.cache'),
    ...opts.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
