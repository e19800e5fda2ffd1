/**
 * core/aws end to end: real config/credentials files in a temporary HOME, the real SDK providers
 * and CloudTrailClient, the fake CloudTrail endpoint, and a small "front" server (awsFixtures.ts)
 * that records the signed headers and plays STS and the SSO portal. Every env passed to connect()
 * is built from scratch (no AWS_* leaks in).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, listProfiles, sharedFilePaths } from '../../src/core/aws';
import type { ErrorCode } from '../../src/core/errors';
import { RateLimiter } from '../../src/core/limiter';
import { lookupPages } from '../../src/core/lookup';
import { makeRecord } from '../fake-cloudtrail/fixtures';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { FUTURE, PAST, START_URL, aws, envWith, home, rejectsWith, ssoCache, startFront, withProcessEnv, writeFiles } from './awsFixtures';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let fake: FakeCloudTrail;
let front: Awaited<ReturnType<typeof startFront>>;
const lastCloudTrail = () => front.seen.filter((s) => s.kind === 'cloudtrail').at(-1);

before(async () => {
  writeFiles();
  fake = await startFakeCloudTrail({
    rate: 0,
    records: [makeRecord({ eventName: 'CreateBackupVault', eventSource: 'backup.amazonaws.com' })],
  });
  front = await startFront(fake);
});
after(async () => {
  await front.close();
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});

describe('listProfiles', () => {
  test('lists every profile of both files, default first, with kind, region, SSO and files', async () => {
    const profiles = await listProfiles(envWith());
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['default', 'local', 'only-creds', 'proc', 'role', 'sso-legacy', 'sso-new', 'static', 'wi'],
    );
    const get = (n: string) => profiles.find((p) => p.name === n);
    assert.deepEqual(get('default'), { name: 'default', kind: 'static', region: 'eu-west-1', files: ['config', 'credentials'] });
    assert.deepEqual(get('static'), { name: 'static', kind: 'static', region: 'ap-northeast-1', files: ['config', 'credentials'] });
    assert.deepEqual(get('only-creds'), { name: 'only-creds', kind: 'static', files: ['credentials'] });
    assert.deepEqual(get('role'), { name: 'role', kind: 'role', region: 'us-west-2', sourceProfile: 'static', files: ['config'] });
    assert.equal(get('proc')?.kind, 'process');
    assert.deepEqual(get('sso-legacy'), {
      name: 'sso-legacy',
      kind: 'sso',
      region: 'us-east-2',
      ssoStartUrl: START_URL,
      files: ['config'],
    });
    assert.deepEqual(get('sso-new'), {
      name: 'sso-new',
      kind: 'sso',
      ssoSession: 'corp',
      ssoStartUrl: 'https://corp.awsapps.com/start',
      files: ['config'],
    });
    assert.equal(get('wi')?.kind, 'web-identity');
    assert.equal(get('local')?.kind, 'other');
  });

  test('re-reads the files on every call', async () => {
    writeFiles('[profile added-later]\nregion = sa-east-1\n');
    try {
      const profiles = await listProfiles(envWith());
      assert.equal(profiles.find((p) => p.name === 'added-later')?.region, 'sa-east-1');
    } finally {
      writeFiles();
    }
    assert.equal(
      (await listProfiles(envWith())).some((p) => p.name === 'added-later'),
      false,
    );
  });

  test('HOME alone locates ~/.aws/config and ~/.aws/credentials', async () => {
    assert.deepEqual(sharedFilePaths({ HOME: home }), { config: join(aws, 'config'), credentials: join(aws, 'credentials') });
    assert.equal((await listProfiles({ HOME: home })).length, 9);
    assert.deepEqual(await listProfiles({ HOME: join(home, 'nowhere') }), []);
  });
});

describe('connect: region, profile and endpoint resolution', () => {
  const region = async (opts: Parameters<typeof connect>[0]) => (await connect(opts)).region;

  test('region: option > profile region > AWS_REGION > AWS_DEFAULT_REGION', async () => {
    const env = envWith({ AWS_REGION: 'ca-central-1', AWS_DEFAULT_REGION: 'sa-east-1' });
    assert.equal(await region({ env, profile: 'static', region: 'eu-north-1' }), 'eu-north-1');
    assert.equal(await region({ env, profile: 'static' }), 'ap-northeast-1');
    assert.equal(await region({ env, profile: 'only-creds' }), 'ca-central-1');
    assert.equal(await region({ env: envWith({ AWS_DEFAULT_REGION: 'sa-east-1' }), profile: 'only-creds' }), 'sa-east-1');
    assert.equal(await region({ env: envWith({ AWS_PROFILE: 'static' }) }), 'ap-northeast-1');
  });

  test('no profile chosen: AWS_REGION, then [default] region (the SDK order)', async () => {
    assert.equal(await region({ env: envWith({ AWS_REGION: 'ca-central-1' }) }), 'ca-central-1');
    assert.equal(await region({ env: envWith() }), 'eu-west-1');
  });

  test('no region anywhere → UnknownRegion naming the profile', async () => {
    const err = await rejectsWith(connect({ env: envWith(), profile: 'only-creds' }), 'UnknownRegion');
    assert.equal(err.message, 'No region: pass --region, set region in profile only-creds, or AWS_REGION');
  });

  test('a mistyped region → UnknownRegion with the closest IDs', async () => {
    const err = await rejectsWith(connect({ env: envWith(), region: 'ap-northeast1' }), 'UnknownRegion');
    assert.match(err.hint ?? '', /ap-northeast-1/);
    assert.equal(await region({ env: envWith(), region: 'us-gov-west-1' }), 'us-gov-west-1');
  });

  test('an unknown profile → UnknownProfile listing the profiles that exist', async () => {
    const err = await rejectsWith(connect({ env: envWith({ AWS_PROFILE: 'prod' }) }), 'UnknownProfile');
    assert.match(err.message, /'prod' \(from AWS_PROFILE\)/);
    assert.match(err.message, /default, local, only-creds, proc, role, sso-legacy, sso-new, static, wi/);
  });

  test('endpoint: option > AWS_ENDPOINT_URL_CLOUDTRAIL > AWS_ENDPOINT_URL > services section, unless ignored', async () => {
    const endpoint = async (opts: Parameters<typeof connect>[0]) => (await connect(opts)).endpoint;
    const env = envWith({ AWS_ENDPOINT_URL_CLOUDTRAIL: 'http://127.0.0.1:1/ct', AWS_ENDPOINT_URL: 'http://127.0.0.1:1/all' });
    assert.equal(await endpoint({ env, endpointUrl: 'http://127.0.0.1:1/opt' }), 'http://127.0.0.1:1/opt');
    assert.equal(await endpoint({ env }), 'http://127.0.0.1:1/ct');
    assert.equal(await endpoint({ env: envWith({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1/all' }) }), 'http://127.0.0.1:1/all');
    assert.equal(await endpoint({ env: envWith(), profile: 'local' }), 'http://127.0.0.1:9/services-section');
    assert.equal(await endpoint({ env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, profile: 'local' }), undefined);
    assert.equal(await endpoint({ env: envWith() }), undefined);
    await rejectsWith(connect({ env: envWith(), endpointUrl: 'ftp://x' }), 'Config');
  });

  test('the key names endpoint, identity and region, never a secret', async () => {
    const c = await connect({
      env: envWith({ AWS_ACCESS_KEY_ID: 'AKIDENVKEY0000000001', AWS_SECRET_ACCESS_KEY: 'envsecret' }),
      endpointUrl: fake.url,
    });
    assert.equal(c.key, `${fake.url}|akid:AKIDENVKEY00|eu-west-1`);
    assert.equal((await connect({ env: envWith(), profile: 'static' })).key, 'aws|profile:static|ap-northeast-1');
  });
});

describe('connect: credentials reach the endpoint', () => {
  test('static profile: LookupEvents through the real client, signed with the profile key; process.env is not consulted', async () => {
    // Ambient settings that must not leak into a connection made with its own env.
    const ambient = (env: NodeJS.ProcessEnv) => {
      env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9/ambient';
      env.AWS_ACCESS_KEY_ID = 'AKIDAMBIENT000000001';
    };
    await withProcessEnv(ambient, async () => {
      const c = await connect({ env: envWith(), profile: 'static', region: 'us-east-1' });
      assert.equal(c.endpoint, undefined);
      const pointed = await connect({ env: envWith({ AWS_ENDPOINT_URL_CLOUDTRAIL: front.url }), profile: 'static' });
      assert.equal(pointed.endpoint, front.url);
      const out = await pointed.lookupEvents({ MaxResults: 5 });
      assert.equal(out.Events?.[0]?.EventName, 'CreateBackupVault');
      assert.equal(lastCloudTrail()?.accessKeyId, 'AKIDSTATIC0000000001');
      const trails = await pointed.describeTrails();
      assert.equal(trails[0]?.Name, 'management-events');
      assert.equal((await pointed.getTrailStatus('management-events')).IsLogging, true);
      c.dispose();
      pointed.dispose();
    });
  });

  test('credential_process output signs the request', async () => {
    const c = await connect({ env: envWith(), profile: 'proc', endpointUrl: front.url });
    await c.lookupEvents({});
    assert.equal(lastCloudTrail()?.accessKeyId, 'AKIDPROCESS000000001');
    assert.equal(lastCloudTrail()?.securityToken, 'proctoken');
    c.dispose();
  });

  test('role_arn + source_profile: AssumeRole at the STS endpoint with the source key, then CloudTrail with the role', async () => {
    const c = await connect({ env: envWith({ AWS_ENDPOINT_URL_STS: front.url }), profile: 'role', endpointUrl: front.url });
    await c.lookupEvents({});
    const sts = front.seen.filter((s) => s.kind === 'sts').at(-1);
    assert.equal(sts?.accessKeyId, 'AKIDSTATIC0000000001');
    assert.match(sts?.body ?? '', /RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2FAudit/);
    assert.equal(lastCloudTrail()?.accessKeyId, 'ASIAROLE000000000001');
    assert.equal(lastCloudTrail()?.securityToken, 'role-session-token');
    c.dispose();
  });

  test('web identity from the env object (default chain): AssumeRoleWithWebIdentity at the STS endpoint', async () => {
    const tokenFile = join(home, 'web-identity-token');
    writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.payload.sig');
    const env = {
      HOME: join(home, 'empty'),
      AWS_REGION: 'us-east-1',
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/Ci',
      AWS_ENDPOINT_URL_STS: front.url,
    };
    const c = await connect({ env, endpointUrl: front.url });
    await c.lookupEvents({});
    const sts = front.seen.filter((s) => s.kind === 'sts').at(-1);
    assert.match(sts?.body ?? '', /Action=AssumeRoleWithWebIdentity/);
    assert.match(sts?.body ?? '', /WebIdentityToken=eyJhbGciOiJSUzI1NiJ9\.payload\.sig/);
    assert.equal(lastCloudTrail()?.accessKeyId, 'ASIAROLE000000000001');
    c.dispose();
  });

  test('environment keys in the env object (default chain)', async () => {
    const env = {
      HOME: join(home, 'empty'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDENVKEY0000000001',
      AWS_SECRET_ACCESS_KEY: 'envsecret',
    };
    const c = await connect({ env, endpointUrl: front.url });
    assert.equal(c.profile, undefined);
    await c.lookupEvents({});
    assert.equal(lastCloudTrail()?.accessKeyId, 'AKIDENVKEY0000000001');
    c.dispose();
  });

  test('fixed credentials (the sample account) sign the request, ignore profiles, and key the connection', async () => {
    const env = { HOME: join(home, 'empty'), AWS_PROFILE: 'does-not-exist' };
    const c = await connect({
      env,
      region: 'ap-northeast-1',
      endpointUrl: front.url,
      credentials: { accessKeyId: 'SAMPLEKEY', secretAccessKey: 'sample' },
    });
    assert.equal(c.profile, undefined);
    await c.lookupEvents({});
    assert.equal(lastCloudTrail()?.accessKeyId, 'SAMPLEKEY');
    assert.match(c.key, /akid:SAMPLEKEY\|ap-northeast-1$/);
    assert.doesNotMatch(c.key, /sample$/);
    c.dispose();
  });

  test('no credentials anywhere → NoCredentials with what to do (ambient process.env keys do not leak in)', async () => {
    const ambient = (env: NodeJS.ProcessEnv) => {
      env.AWS_ACCESS_KEY_ID = 'AKIDAMBIENT000000001';
      env.AWS_SECRET_ACCESS_KEY = 'ambientsecret';
    };
    await withProcessEnv(ambient, async () => {
      const c = await connect({ env: { HOME: join(home, 'empty'), AWS_REGION: 'us-east-1' }, endpointUrl: fake.url });
      const err = await rejectsWith(c.lookupEvents({}), 'NoCredentials');
      assert.match(err.hint ?? '', /aws configure sso/);
      c.dispose();
    });
  });

  test('env omitted: the SDK default chain over process.env (env keys first, then [default])', async () => {
    const onlyFiles = (env: NodeJS.ProcessEnv) => {
      for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
      Object.assign(env, envWith({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }));
    };
    await withProcessEnv(onlyFiles, async () => {
      const viaFile = await connect({ endpointUrl: front.url });
      assert.equal(viaFile.region, 'eu-west-1');
      await viaFile.lookupEvents({});
      assert.equal(lastCloudTrail()?.accessKeyId, 'AKIDDEFAULT000000001');
      viaFile.dispose();
      process.env.AWS_ACCESS_KEY_ID = 'AKIDENVKEY0000000002';
      process.env.AWS_SECRET_ACCESS_KEY = 'envsecret';
      const viaEnv = await connect({ endpointUrl: front.url });
      await viaEnv.lookupEvents({});
      assert.equal(lastCloudTrail()?.accessKeyId, 'AKIDENVKEY0000000002');
      viaEnv.dispose();
    });
  });
});

describe('connect: SSO profiles', () => {
  // The SDK finds ~/.aws/sso/cache through process.env.HOME only (see the note in aws.ts).
  let savedHome: string | undefined;
  before(() => {
    savedHome = process.env.HOME;
    process.env.HOME = home;
  });
  after(() => {
    if (savedHome === undefined) delete process.env.HOME;
    else process.env.HOME = savedHome;
  });

  test('legacy sso_start_url with an expired cached token → SsoExpired naming the profile', async () => {
    ssoCache(START_URL, PAST);
    const c = await connect({ env: envWith(), profile: 'sso-legacy', endpointUrl: fake.url });
    const err = await rejectsWith(c.lookupEvents({}), 'SsoExpired');
    assert.equal(err.hint, 'Run: aws sso login --profile sso-legacy');
    c.dispose();
  });

  test('sso-session with an expired, unrefreshable token → SsoExpired', async () => {
    ssoCache('corp', PAST);
    const c = await connect({ env: envWith(), profile: 'sso-new', region: 'us-east-1', endpointUrl: fake.url });
    const err = await rejectsWith(c.lookupEvents({}), 'SsoExpired');
    assert.equal(err.hint, 'Run: aws sso login --profile sso-new');
    c.dispose();
  });

  test('sso-session without any cached token → SsoExpired', async () => {
    rmSync(join(aws, 'sso', 'cache'), { recursive: true, force: true });
    mkdirSync(join(aws, 'sso', 'cache'), { recursive: true });
    const c = await connect({ env: envWith(), profile: 'sso-new', region: 'us-east-1', endpointUrl: fake.url });
    await rejectsWith(c.lookupEvents({}), 'SsoExpired');
    c.dispose();
  });

  test('a valid legacy token: GetRoleCredentials at the SSO endpoint, then CloudTrail with the role', async () => {
    ssoCache(START_URL, FUTURE);
    const c = await connect({ env: envWith({ AWS_ENDPOINT_URL_SSO: front.url }), profile: 'sso-legacy', endpointUrl: front.url });
    await c.lookupEvents({});
    const sso = front.seen.filter((s) => s.kind === 'sso').at(-1);
    assert.equal(sso?.bearer, 'sso-access-token');
    assert.match(sso?.body ?? '', /account_id=123456789012/);
    assert.equal(lastCloudTrail()?.accessKeyId, 'ASIASSO0000000000001');
    c.dispose();
  });
});

describe('connect: service and network failures', () => {
  const withFault = async (fault: Parameters<FakeCloudTrail['addFault']>[0], code: ErrorCode) => {
    fake.clearFaults();
    fake.addFault({ ...fault, count: 1 });
    const c = await connect({ env: envWith(), profile: 'static', endpointUrl: fake.url, requestTimeoutMs: 2000 });
    try {
      return await rejectsWith(c.lookupEvents({}), code);
    } finally {
      c.dispose();
      fake.clearFaults();
    }
  };

  test('AccessDeniedException → AccessDenied naming cloudtrail:LookupEvents and the caller', async () => {
    const err = await withFault({ kind: 'accessDenied', principalArn: 'arn:aws:iam::123456789012:user/bob' }, 'AccessDenied');
    assert.match(err.message, /arn:aws:iam::123456789012:user\/bob is not allowed to call cloudtrail:LookupEvents/);
  });

  test('a dropped connection → Network naming the endpoint', async () => {
    const err = await withFault({ kind: 'dropConnection' }, 'Network');
    assert.ok(err.message.includes(fake.url), err.message);
  });

  test('a body cut in half → Network', async () => {
    await withFault({ kind: 'truncatedBody' }, 'Network');
  });

  test('ExpiredTokenException → ExpiredCredentials', async () => {
    await withFault({ kind: 'expiredToken' }, 'ExpiredCredentials');
  });

  test('ThrottlingException → Throttled (one attempt: core owns retries)', async () => {
    fake.resetStats();
    await withFault({ kind: 'throttling' }, 'Throttled');
    assert.equal(fake.stats.byOperation.LookupEvents?.calls, 1);
  });

  test('500 InternalFailure → ServiceError', async () => {
    await withFault({ kind: 'internalFailure' }, 'ServiceError');
  });

  test('a request that outlives requestTimeoutMs → Network', async () => {
    await withFault({ kind: 'latency', latencyMs: 5000 }, 'Network');
  });

  test('an answer that trickles in (one byte at a time, never idle for long) → Network once the whole call passes its deadline', async () => {
    fake.clearFaults();
    fake.addFault({ kind: 'trickle', intervalMs: 100 });
    const c = await connect({ env: envWith(), profile: 'static', endpointUrl: fake.url, requestTimeoutMs: 1200 });
    try {
      const t0 = performance.now();
      const err = await rejectsWith(c.lookupEvents({}), 'Network');
      assert.ok(performance.now() - t0 < 5000, 'ends at the deadline, not when the body is done');
      assert.equal(err.message, `LookupEvents did not finish within 1.2s: ${fake.url} had not sent its whole answer by then.`);
      // Through the engine: each retry says what happened, and so does the final error.
      const warnings: string[] = [];
      const logger = { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
      const pages = lookupPages(
        (i, s) => c.lookupEvents(i, s),
        { start: new Date(Date.now() - 3600_000), end: new Date() },
        { limiter: new RateLimiter({ rate: 100 }), logger, maxRetries: 1 },
      );
      const final = await rejectsWith(pages.next(), 'Network');
      assert.match(final.message, /^LookupEvents failed 2 times in a row; the last time: LookupEvents did not finish within 1\.2s/);
      assert.deepEqual(warnings.length, 1);
      assert.match(warnings[0] ?? '', /^LookupEvents failed: LookupEvents did not finish within 1\.2s: .* Retry 1 of 1 in 500ms\.$/);
    } finally {
      c.dispose();
      fake.clearFaults();
    }
  });

  test('a connection refused → Network', async () => {
    const c = await connect({ env: envWith(), profile: 'static', endpointUrl: 'http://127.0.0.1:9' });
    const err = await rejectsWith(c.lookupEvents({}), 'Network');
    assert.match(err.message, /http:\/\/127\.0\.0\.1:9 .*ECONNREFUSED/);
    c.dispose();
  });

  test('an aborted call → Cancelled', async () => {
    fake.addFault({ kind: 'latency', latencyMs: 2000, count: 1 });
    const c = await connect({ env: envWith(), profile: 'static', endpointUrl: fake.url });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await rejectsWith(c.lookupEvents({}, ac.signal), 'Cancelled');
    await rejectsWith(c.lookupEvents({}, ac.signal), 'Cancelled');
    fake.clearFaults();
    c.dispose();
  });
});
