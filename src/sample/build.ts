/**
 * Builds records that look exactly like CloudTrail's (docs/cloudtrail.md §4): the same fields, in the
 * same order, with the same quirks (null responseElements on reads, tlsDetails only for direct
 * callers, global services in us-east-1, S3's 16-character request IDs).
 */
import type { CloudTrailRecord, ResourceRef, UserIdentity } from '../core/record';
import { formatUtc } from '../core/time';
import type { IamUser, Inventory, Role } from './inventory';
import type { Rng } from './random';

export interface Env {
  rng: Rng;
  inv: Inventory;
  accountId: string;
  region: string;
}

/** Who makes a call and from where; one Caller is one credential session. */
export interface Caller {
  identity: () => UserIdentity;
  /** The principal ARN as IAM quotes it in AccessDenied messages. */
  arn: string;
  ip: string;
  ua: string;
  /** The AWS service acting for the principal; then sourceIPAddress/userAgent are that service. */
  invokedBy?: string;
  console?: boolean;
  vpce?: string;
  tls12?: boolean;
}

export type Json = Record<string, unknown>;

export interface Call {
  /** Service prefix: 'ec2' means ec2.amazonaws.com. */
  source: string;
  name: string;
  readOnly: boolean;
  req: Json | null;
  res?: Json | null;
  add?: Json;
  resources?: ResourceRef[];
  errorCode?: string;
  errorMessage?: string;
  /** undefined: generated; null: the record has none (ConsoleLogin, service events). */
  requestID?: string | null;
  eventType?: string;
  host?: string;
  /** A per-call userAgent (the CLI names the command in it); else the caller's. */
  ua?: string;
  region?: string;
  version?: string;
  /** Extra top-level fields such as serviceEventDetails, placed before eventCategory. */
  extra?: Json;
}

const GLOBAL_SOURCES = new Set(['iam', 'organizations', 'cloudfront', 'route53']);

/** Services move to new event versions at different times, so a real account mixes 1.08–1.11. */
const EVENT_VERSIONS: Record<string, string> = {
  s3: '1.10',
  ec2: '1.11',
  kms: '1.11',
  iam: '1.11',
  sts: '1.11',
  lambda: '1.11',
  cloudformation: '1.11',
  backup: '1.09',
  logs: '1.11',
  monitoring: '1.11',
  dynamodb: '1.11',
  rds: '1.10',
  ssm: '1.11',
  secretsmanager: '1.11',
  config: '1.11',
  events: '1.11',
  sns: '1.11',
  sqs: '1.11',
  ecr: '1.11',
  ecs: '1.11',
  signin: '1.09',
};

export function iso(ms: number): string {
  return formatUtc(new Date(ms), 'iso');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Java-style dates services put in responseElements: "Aug 8, 2024, 5:48:55 AM" (UTC). */
export function awsDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

export function regionOf(env: Env, source: string): string {
  return GLOBAL_SOURCES.has(source) ? 'us-east-1' : env.region;
}

export function buildRecord(env: Env, caller: Caller, timeMs: number, call: Call): CloudTrailRecord {
  const { rng, accountId } = env;
  const region = call.region ?? regionOf(env, call.source);
  const eventSource = `${call.source}.amazonaws.com`;
  const r = {
    eventVersion: call.version ?? EVENT_VERSIONS[call.source] ?? '1.08',
    userIdentity: caller.identity(),
    eventTime: iso(timeMs),
    eventSource,
    eventName: call.name,
    awsRegion: region,
    sourceIPAddress: caller.invokedBy ?? caller.ip,
    userAgent: caller.invokedBy ?? call.ua ?? caller.ua,
  } as CloudTrailRecord;
  if (call.errorCode) r.errorCode = call.errorCode;
  if (call.errorMessage) r.errorMessage = call.errorMessage;
  r.requestParameters = call.req;
  // Reads leave it null by giving no res; a few read-only calls (sts:AssumeRole) do return elements.
  r.responseElements = call.errorCode ? null : (call.res ?? null);
  if (call.add) r.additionalEventData = call.add;
  if (call.requestID !== null) r.requestID = call.requestID ?? (call.source === 's3' ? rng.upper(16) : rng.uuid());
  r.eventID = rng.uuid();
  r.readOnly = call.readOnly;
  if (call.resources) r.resources = call.resources;
  r.eventType = call.eventType ?? 'AwsApiCall';
  r.managementEvent = true;
  r.recipientAccountId = accountId;
  if (call.extra) Object.assign(r, call.extra);
  if (caller.vpce && !caller.invokedBy) {
    r.vpcEndpointId = caller.vpce;
    r.vpcEndpointAccountId = accountId;
  } else if (caller.vpce) r.vpcEndpointId = caller.vpce;
  r.eventCategory = 'Management';
  if (!caller.invokedBy && caller.ip !== 'AWS Internal') {
    r.tlsDetails = {
      tlsVersion: caller.tls12 ? 'TLSv1.2' : 'TLSv1.3',
      cipherSuite: caller.tls12 ? 'ECDHE-RSA-AES128-GCM-SHA256' : 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader:
        call.host ?? (GLOBAL_SOURCES.has(call.source) ? `${call.source}.amazonaws.com` : `${call.source}.${region}.amazonaws.com`),
    };
  }
  if (caller.console) r.sessionCredentialFromConsole = 'true';
  return r;
}

// --- identities -------------------------------------------------------------------------------

export function userCaller(
  env: Env,
  user: IamUser,
  ip: string,
  ua: string,
  opts: { console?: { creationMs: number; mfa: boolean } } = {},
): Caller {
  const { accountId } = env;
  const sessionKey = opts.console ? `ASIA${env.rng.upper(16)}` : undefined;
  return {
    arn: user.arn,
    ip,
    ua,
    console: !!opts.console,
    identity: () => ({
      type: 'IAMUser',
      principalId: user.id,
      arn: user.arn,
      accountId,
      accessKeyId: sessionKey ?? user.accessKeyId,
      userName: user.name,
      ...(opts.console
        ? { sessionContext: { attributes: { creationDate: iso(opts.console.creationMs), mfaAuthenticated: String(opts.console.mfa) } } }
        : {}),
    }),
  };
}

export interface SessionOptions {
  ip?: string;
  ua?: string;
  creationMs: number;
  invokedBy?: string;
  accessKeyId?: string;
  console?: boolean;
  mfa?: boolean;
  vpce?: string;
  /** WebIdentity sessions carry webIdFederationData; most carry an empty object or none. */
  webId?: Json;
}

export function roleCaller(env: Env, role: Role, session: string, opts: SessionOptions): Caller {
  const { accountId } = env;
  const accessKeyId = opts.accessKeyId ?? `ASIA${env.rng.upper(16)}`;
  const arn = `arn:aws:sts::${accountId}:assumed-role/${role.name}/${session}`;
  return {
    arn,
    ip: opts.ip ?? 'AWS Internal',
    ua: opts.ua ?? 'AWS Internal',
    invokedBy: opts.invokedBy,
    console: opts.console,
    vpce: opts.vpce,
    identity: () => ({
      type: 'AssumedRole',
      principalId: `${role.id}:${session}`,
      arn,
      accountId,
      accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: role.id, arn: role.arn, accountId, userName: role.name },
        webIdFederationData: opts.webId ?? {},
        attributes: { creationDate: iso(opts.creationMs), mfaAuthenticated: String(opts.mfa ?? false) },
      },
      ...(opts.invokedBy ? { invokedBy: opts.invokedBy } : {}),
    }),
  };
}

export function rootCaller(env: Env, ip: string, ua: string, creationMs: number): Caller {
  const { accountId } = env;
  const accessKeyId = `ASIA${env.rng.upper(16)}`;
  return {
    arn: `arn:aws:iam::${accountId}:root`,
    ip,
    ua,
    console: true,
    identity: () => ({
      type: 'Root',
      principalId: accountId,
      arn: `arn:aws:iam::${accountId}:root`,
      accountId,
      accessKeyId,
      sessionContext: { attributes: { creationDate: iso(creationMs), mfaAuthenticated: 'true' } },
    }),
  };
}

/** An AWS service acting on its own (sts:AssumeRole of a service role, service events). */
export function serviceCaller(service: string): Caller {
  return { arn: service, ip: service, ua: service, invokedBy: service, identity: () => ({ type: 'AWSService', invokedBy: service }) };
}

// --- errors ---------------------------------------------------------------------------------------

/** IAM action prefixes that differ from the eventSource prefix. */
const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch' };
/** Query-protocol services say AccessDenied; JSON-protocol services say AccessDeniedException. */
const QUERY_PROTOCOL = new Set(['iam', 'sts', 'rds', 'sns', 'sqs', 'monitoring', 'cloudformation', 's3']);

export function denied(caller: Caller, source: string, name: string, resourceArn?: string): { errorCode: string; errorMessage: string } {
  const action = `${IAM_PREFIX[source] ?? source}:${name.replace(/20\d{6}(v\d)?$/, '')}`;
  const on = resourceArn ? ` on resource: ${resourceArn}` : '';
  const why = `User: ${caller.arn} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action`;
  if (source === 'ec2')
    return { errorCode: 'Client.UnauthorizedOperation', errorMessage: `You are not authorized to perform this operation. ${why}` };
  if (source === 's3') return { errorCode: 'AccessDenied', errorMessage: 'Access Denied' };
  return { errorCode: QUERY_PROTOCOL.has(source) ? 'AccessDenied' : 'AccessDeniedException', errorMessage: why };
}

export function throttled(source: string): { errorCode: string; errorMessage: string } {
  if (source === 'ec2') return { errorCode: 'Client.RequestLimitExceeded', errorMessage: 'Request limit exceeded.' };
  if (source === 's3') return { errorCode: 'SlowDown', errorMessage: 'Please reduce your request rate.' };
  if (source === 'iam' || source === 'sts') return { errorCode: 'Throttling', errorMessage: 'Rate exceeded' };
  return { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' };
}

// --- user agents ------------------------------------------------------------------------------------

const CLI_SERVICE: Record<string, string> = { monitoring: 'cloudwatch', signin: 'signin' };

function kebab(name: string): string {
  return name
    .replace(/20\d{6}(v\d)?$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

export const UA = {
  cli: (source: string, name: string) =>
    `aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${CLI_SERVICE[source] ?? source}.${kebab(name)}`,
  cliLinux: (source: string, name: string) =>
    `aws-cli/2.15.30 Python/3.11.8 Linux/5.15.0-1064-aws exe/x86_64.ubuntu.22 prompt/off command/${CLI_SERVICE[source] ?? source}.${kebab(name)}`,
  boto3:
    'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#4.18.0-513.24.1.el8_9.x86_64 md/arch#x86_64 lang/python#3.9.18 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144',
  java: 'aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  lambdaJs: (api: string) =>
    `aws-sdk-js/3.600.0 ua/2.1 os/linux#5.10.219-229.866.amzn2.x86_64 lang/js md/nodejs#20.15.1 api/${api}#3.600.0 exec-env/AWS_Lambda_nodejs20.x m/D`,
  terraform: (api: string) =>
    `APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) terraform-provider-aws/5.58.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/${api}#1.0.0`,
  datadog: 'aws-sdk-go/1.44.327 (go1.21.8; linux; amd64)',
  ssmAgent: 'aws-sdk-go/1.50.3 (go1.22.5; linux; amd64) amazon-ssm-agent/3.3.551.0',
  ecsAgent: 'aws-sdk-go/1.51.3 (go1.21.11; linux; amd64) ecs-agent/1.84.0',
  githubAction: 'configure-aws-credentials-for-github-actions',
  console: 'console.amazonaws.com',
  browser: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  browserWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  lambdaWorker: 'awslambda-worker/1.0 rv:41',
};
