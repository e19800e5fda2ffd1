/**
 * The world the extension-host suite runs in, shared by the code-server runner and the
 * @vscode/test-electron runner: a temp HOME with real ~/.aws files, the fake CloudTrail
 * endpoint loaded with the sample account, a demo workspace, and the env that carries it all
 * into the extension host.
 *
 * Contract with the suite (test/vscode/suite/*.test.ts), all in process.env:
 *   HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE  temp files; profiles `default`
 *     (static keys, region ap-northeast-1) and `sso-dev` (SSO, never signed in)
 *   TRAIL_LENS_TEST_ENDPOINT   fake CloudTrail URL serving the sample account
 *   TRAIL_LENS_TEST_WORKSPACE  the opened folder (deploy.log, template.yaml)
 *   XDG_CACHE_HOME             temp, so the extension's disk cache starts empty
 *   TRAIL_LENS_TEST=1          running under a test harness
 * AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID … from the caller's shell are removed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudTrailRecord } from '../../src/core/record';
import { startFakeCloudTrail } from '../fake-cloudtrail/server';
import { loadSampleAccount, writeDemoWorkspace } from '../../scripts/workbench/demoWorkspace';

import { REPO_ROOT } from '../../scripts/workbench/proc';

export { REPO_ROOT };
/** The suite bundle built by esbuild.mjs (`run()` lives here). */
export const SUITE_INDEX = join(REPO_ROOT, 'dist', 'test', 'vscode', 'index.js');

export const AWS_CONFIG = `[default]
region = ap-northeast-1
output = json

[profile sso-dev]
sso_session = dev
sso_account_id = 123456789012
sso_role_name = ReadOnlyAccess
region = us-east-1

[sso-session dev]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

export const AWS_CREDENTIALS = `[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`;

// Variables from the developer's shell that would change which account the suite talks to.
const SCRUBBED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_CLOUDTRAIL',
  'AWS_ENDPOINT_URL_CLOUDFORMATION',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'TRAIL_LENS_SAMPLE',
];

/** Writes `<home>/.aws/config` and `credentials`; returns their paths. */
export function writeAwsFiles(home: string): { config: string; credentials: string } {
  const dir = join(home, '.aws');
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, AWS_CONFIG);
  writeFileSync(credentials, AWS_CREDENTIALS, { mode: 0o600 });
  return { config, credentials };
}

export interface SuiteEnvironment {
  root: string;
  home: string;
  workspace: string;
  fakeUrl: string;
  /** The sample account's records the fake serves (and the engine stand-ins can load). */
  records: CloudTrailRecord[];
  /** For the extension host; `undefined` removes a variable inherited from this process. */
  env: Record<string, string | undefined>;
  /** What was left out and why (printed by the runners). */
  notes: string[];
  dispose(): Promise<void>;
}

/** `lake`: the fake CloudTrail also serves CloudTrail Lake (one ENABLED event data store, DuckDB over the records). */
export async function prepareSuiteEnvironment(opts: { lake?: boolean } = {}): Promise<SuiteEnvironment> {
  const root = mkdtempSync(join(tmpdir(), 'trail-lens-suite-'));
  const home = join(root, 'home');
  const workspace = join(root, 'workspace');
  const cache = join(root, 'cache');
  mkdirSync(cache, { recursive: true });
  const aws = writeAwsFiles(home);
  const notes: string[] = [];

  const sample = loadSampleAccount();
  writeDemoWorkspace(workspace, sample);
  // 2 requests/s like the real LookupEvents unless the caller asks otherwise; each Region its own
  // history, as in CloudTrail (the sample's events are in ap-northeast-1, IAM and sign-ins in us-east-1).
  const fake = await startFakeCloudTrail({
    records: sample.records,
    rate: Number(process.env.TRAIL_LENS_FAKE_RATE ?? 2),
    region: 'ap-northeast-1',
    perRegion: true,
    ...(opts.lake ? { lake: {} } : {}),
  });
  notes.push(`fake CloudTrail endpoint at ${fake.url} with ${sample.records.length} records`);

  const env: Record<string, string | undefined> = Object.fromEntries(SCRUBBED.map((k) => [k, undefined]));
  Object.assign(env, {
    HOME: home,
    AWS_CONFIG_FILE: aws.config,
    AWS_SHARED_CREDENTIALS_FILE: aws.credentials,
    XDG_CACHE_HOME: cache,
    TRAIL_LENS_TEST: '1',
    TRAIL_LENS_TEST_WORKSPACE: workspace,
    TRAIL_LENS_TEST_ENDPOINT: fake.url,
  });
  return {
    root,
    home,
    workspace,
    fakeUrl: fake.url,
    records: sample.records,
    env,
    notes,
    async dispose() {
      await fake.close();
      if (process.env.TRAIL_LENS_KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true });
    },
  };
}

/** `.test-artifacts/<tier>/<name>` in the repo (gitignored), its folder created. */
export function artifactPath(tier: string, name: string): string {
  const dir = join(REPO_ROOT, '.test-artifacts', tier);
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** The extension to load: the repo, or TRAIL_LENS_EXTENSION_PATH (a stand-in while working on the harness). */
export function extensionPath(): string {
  const path = process.env.TRAIL_LENS_EXTENSION_PATH ?? REPO_ROOT;
  const main = join(path, 'dist', 'extension.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (node esbuild.mjs)`);
  return path;
}

/** The extension and the built suite for the extension-host runners. Throws when a build is missing. */
export function extensionUnderTest(): { extensionDevelopmentPath: string; extensionTestsPath: string } {
  const extensionDevelopmentPath = extensionPath();
  if (!existsSync(SUITE_INDEX)) throw new Error(`${SUITE_INDEX} is missing: build first (node esbuild.mjs)`);
  return { extensionDevelopmentPath, extensionTestsPath: SUITE_INDEX };
}
