/**
 * The AWS CLI (botocore) as a second, independent client of a fake endpoint: found once per
 * process (TRAIL_LENS_AWS_CLI, then Debian's /usr/bin/aws, then `aws` on PATH), run in a sealed
 * environment — a temporary HOME and config, dummy keys, no pager, no instance metadata. Tests
 * that use it skip without an AWS CLI, except under CI=true, where a missing CLI fails the run.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from './scratch';

export interface AwsCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function findAws(): string | undefined {
  for (const path of [process.env.TRAIL_LENS_AWS_CLI, '/usr/bin/aws', 'aws']) {
    if (!path) continue;
    try {
      execFileSync(path, ['--version'], { timeout: 30_000, stdio: 'ignore' });
      return path;
    } catch {
      // not installed here: try the next one
    }
  }
  return undefined;
}

export const awsCliPath = findAws();

/** For `describe(…, { skip: awsCliSkip })`: skip without an AWS CLI, except under CI=true. */
export const awsCliSkip: false | string = awsCliPath ? false : process.env.CI === 'true' ? false : 'no AWS CLI found';

export interface AwsCli {
  /** `aws SERVICE …args --endpoint-url URL --region REGION --output json`. */
  run(args: string[]): Promise<AwsCliRun>;
  /** Removes the temporary HOME. */
  close(): void;
}

/** An AWS CLI for one service of a fake endpoint, in its own temporary HOME. */
export function awsCliFor(service: string, endpointUrl: string, region = 'ap-northeast-1'): AwsCli {
  const home = scratchDir(`tl-${service}-awscli-`);
  writeFileSync(join(home, 'config'), `[default]\nregion = ${region}\n`);
  return {
    run: (args) => {
      assert.ok(awsCliPath, 'the AWS CLI is installed (CI=true requires it)');
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      };
      // A pyenv shim finds its interpreter through PYENV_ROOT, which defaults to the real HOME.
      if (!awsCliPath.startsWith('/usr/')) env.PYENV_ROOT = process.env.PYENV_ROOT ?? join(process.env.HOME ?? '', '.pyenv');
      const argv = [service, ...args, '--endpoint-url', endpointUrl, '--region', region, '--output', 'json'];
      return new Promise((resolve) =>
        execFile(awsCliPath, argv, { env, timeout: 90_000, encoding: 'utf8' }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        ),
      );
    },
    close: () => rmSync(home, { recursive: true, force: true }),
  };
}
