/**
 * Fixtures for test/integration/aws.test.ts: a temporary HOME with real AWS config/credentials
 * files, SSO token cache entries, and a "front" server that records who signed each request,
 * answers STS AssumeRole / AssumeRoleWithWebIdentity and SSO GetRoleCredentials itself, and forwards CloudTrail calls to the fake.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TrailLensError, type ErrorCode } from '../../src/core/errors';
import type { FakeCloudTrail } from '../fake-cloudtrail/server';
import { scratchDir } from '../harness/scratch';

export const home = scratchDir('trail-lens-aws-');
export const aws = join(home, '.aws');
export const START_URL = 'https://legacy.awsapps.com/start';
export const FUTURE = new Date(Date.now() + 3600_000).toISOString();
export const PAST = new Date(Date.now() - 3600_000).toISOString();
const credProcess = join(home, 'creds.js');

export function writeFiles(extraConfig = ''): void {
  mkdirSync(join(aws, 'sso', 'cache'), { recursive: true });
  writeFileSync(
    credProcess,
    `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDPROCESS000000001', SecretAccessKey: 'procsecret', SessionToken: 'proctoken', Expiration: '${FUTURE}' }));`,
  );
  writeFileSync(
    join(aws, 'config'),
    `[default]
region = eu-west-1

[profile static]
region = ap-northeast-1

[profile role]
role_arn = arn:aws:iam::210987654321:role/Audit
source_profile = static
region = us-west-2

[profile proc]
credential_process = "${process.execPath}" "${credProcess}"
region = eu-central-1

[profile sso-legacy]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-2

[profile sso-new]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile wi]
role_arn = arn:aws:iam::123456789012:role/Ci
web_identity_token_file = /var/run/secrets/token

[profile local]
services = local-dev
region = us-east-1

[services local-dev]
cloudtrail =
  endpoint_url = http://127.0.0.1:9/services-section
${extraConfig}`,
  );
  writeFileSync(
    join(aws, 'credentials'),
    `[default]
aws_access_key_id = AKIDDEFAULT000000001
aws_secret_access_key = defaultsecret

[static]
aws_access_key_id = AKIDSTATIC0000000001
aws_secret_access_key = staticsecret

[only-creds]
aws_access_key_id = AKIDONLYCREDS0000001
aws_secret_access_key = onlysecret
`,
  );
}

export function ssoCache(id: string, expiresAt: string): void {
  const file = join(aws, 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`);
  writeFileSync(file, JSON.stringify({ accessToken: 'sso-access-token', expiresAt, region: 'us-east-1', startUrl: START_URL }));
}

/** A fresh env: only HOME and the file paths, plus what a test adds. */
export function envWith(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: home, AWS_CONFIG_FILE: join(aws, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(aws, 'credentials'), ...extra };
}

export interface Seen {
  kind: 'cloudtrail' | 'sts' | 'sso';
  accessKeyId?: string;
  securityToken?: string;
  bearer?: string;
  body: string;
}

/** The query-protocol answer to AssumeRole or AssumeRoleWithWebIdentity (same shape, named after the action). */
const stsXml = (action: string) => `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>
<AssumedRoleUser><Arn>arn:aws:sts::210987654321:assumed-role/Audit/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>
<Credentials><AccessKeyId>ASIAROLE000000000001</AccessKeyId><SecretAccessKey>rolesecret</SecretAccessKey><SessionToken>role-session-token</SessionToken><Expiration>${FUTURE}</Expiration></Credentials>
</${action}Result><ResponseMetadata><RequestId>0c3e1a52-0000-4000-8000-000000000000</RequestId></ResponseMetadata></${action}Response>`;

/** Records who signed each request, answers STS and SSO itself, forwards CloudTrail calls to the fake. */
export async function startFront(fake: FakeCloudTrail) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const accessKeyId = /Credential=([A-Z0-9]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
      const securityToken = req.headers['x-amz-security-token'] as string | undefined;
      if (req.method === 'GET' && req.url?.startsWith('/federation/credentials')) {
        seen.push({ kind: 'sso', bearer: req.headers['x-amz-sso_bearer_token'] as string, body: req.url });
        const roleCredentials = {
          accessKeyId: 'ASIASSO0000000000001',
          secretAccessKey: 'ssosecret',
          sessionToken: 'sso-session',
          expiration: Date.now() + 3600_000,
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ roleCredentials }));
      } else if (/Action=AssumeRole/.test(body)) {
        const action = /Action=(\w+)/.exec(body)?.[1] ?? 'AssumeRole';
        seen.push({ kind: 'sts', accessKeyId, securityToken, body });
        res.writeHead(200, { 'content-type': 'text/xml' }).end(stsXml(action));
      } else {
        seen.push({ kind: 'cloudtrail', accessKeyId, securityToken, body });
        const fwd = request(`${fake.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        fwd.on('error', () => res.destroy());
        fwd.end(body);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Runs fn with process.env changed, then restores it in place (the object itself is never replaced). */
export async function withProcessEnv(change: (env: NodeJS.ProcessEnv) => void, fn: () => Promise<void>): Promise<void> {
  const saved = { ...process.env };
  change(process.env);
  try {
    await fn();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

export async function rejectsWith(p: Promise<unknown>, code: ErrorCode): Promise<TrailLensError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TrailLensError, `expected a TrailLensError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  return assert.fail(`expected ${code}, but it resolved`);
}
