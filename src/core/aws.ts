/**
 * AWS access for core: profile/region/endpoint resolution, credentials through the SDK's own
 * providers, and a CloudTrail client whose errors come out as TrailLensErrors.
 *
 * This module imports the SDK at the top and is heavy: the extension loads it with a dynamic
 * import, and other core modules must only `import type` from it. Importing it does no I/O;
 * connect() reads the shared config files, and credentials are resolved on the first call.
 *
 * A custom `env` is honoured without touching process.env, with these SDK limits:
 * - the SSO token cache (~/.aws/sso/cache) is found through process.env.HOME (the SDK's getHomeDir
 *   takes no option), so SSO profiles under a custom HOME need process.env.HOME to match;
 * - an SSO profile reached through another profile's source_profile reads the default files
 *   (fromIni drops the file paths when it hands over to fromSSO); a directly chosen SSO profile works;
 * - the default chain with a custom env checks env keys, the 'default' profile and web identity,
 *   but not container/instance metadata (those providers read process.env only);
 * - web identity profiles reach STS through the SDK's own endpoint resolution (process.env).
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  type GetTrailStatusCommandOutput,
  type LookupEventsCommandInput,
  type LookupEventsCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import type { AwsCredentialIdentityProvider, Logger as SdkLogger } from '@smithy/types';
import { credentialChain } from './awsCredentials';
import { classifyAwsError, safeText, type AwsErrorContext } from './awsErrors';
import { configuredEndpoint, readSharedFiles, sortProfileNames, type ProfileData, type SharedFiles } from './awsProfiles';
import { isValidRegion, suggestRegions } from './awsRegions';
import { TrailLensError, throwIfAborted } from './errors';
import { silentLogger, type Logger } from './logger';
import { formatDuration } from './time';
import { accountInEvents, accountKey } from './accounts';
import { sharedLimiter } from './limiter';
import { cloudFormationApi } from './cloudformation/client';
import type { CloudFormationApi } from './cloudformation/types';
import { s3Api, type S3Api } from './s3Client';
import { athenaApi, type AthenaApi } from './engines/athenaClient';
import { logsApi, type LogsApi } from './engines/logsClient';
import { lakeApi, type LakeApi } from './engines/lakeClient';
import { lazyClient, type LazyClientInput } from './sdkClient';

export { listProfiles, sharedFilePaths } from './awsProfiles';

export interface ConnectOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /**
   * The longest one call may take, from sending the request to the last byte of the answer
   * (default 30 s). The SDK's own timeout only measures silence on the socket, so an endpoint
   * that trickles its answer would otherwise hold a call open forever.
   */
  requestTimeoutMs?: number;
  /**
   * The CloudFormation endpoint (default: AWS_ENDPOINT_URL_CLOUDFORMATION, AWS_ENDPOINT_URL, the
   * profile's endpoint_url; else the Region's). `endpointUrl` is CloudTrail's only.
   */
  cloudFormationEndpointUrl?: string;
  /** The S3 endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url; else the Region's). */
  s3EndpointUrl?: string;
  /** Athena endpoint override; else AWS_ENDPOINT_URL_ATHENA / AWS_ENDPOINT_URL / the profile's. */
  athenaEndpointUrl?: string;
  /** CloudWatch Logs endpoint override; else AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / AWS_ENDPOINT_URL / the profile's. */
  logsEndpointUrl?: string;
  /**
   * CloudTrail Lake's endpoint when it is not CloudTrail's own (the sample account's local Lake,
   * which `npm start` serves beside the in-process sample endpoint). Default: the CloudTrail endpoint.
   */
  lakeEndpointUrl?: string;
  /** Fixed credentials instead of the profile chain (the built-in sample account). Never logged. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface Connection {
  /** undefined = default chain (env vars, AWS_PROFILE, default). */
  profile: string | undefined;
  region: string;
  /** The endpoint override in force, if any. */
  endpoint: string | undefined;
  /**
   * Stable key of this connection: endpoint + the credentials' identity (profile name or access key
   * id prefix) + region. Never contains a secret.
   */
  key: string;
  /** The AWS account the connection reaches, once known (useAccount, or learned from the first page). */
  readonly account: string | undefined;
  /**
   * The key for the rate limiter and the cache: the account's and Region's once the account is
   * known (two profiles on one account share one budget), else the connection's own.
   */
  readonly sharedKey: string;
  /** The account is known (remembered from an earlier run): pace through the account's limiter from now on. */
  useAccount(accountId: string): void;
  /** Called once, when the account is first learned from an answer. */
  onAccount(listener: (accountId: string) => void): void;
  /** LookupEvents through the real CloudTrailClient (maxAttempts 1: core owns retries/pacing), errors mapped by classifyAwsError. */
  lookupEvents(input: LookupEventsCommandInput, signal?: AbortSignal): Promise<LookupEventsCommandOutput>;
  describeTrails(signal?: AbortSignal): Promise<Trail[]>;
  getTrailStatus(name: string, signal?: AbortSignal): Promise<GetTrailStatusCommandOutput>;
  /** CloudFormation in the same Region with the same credentials (its SDK is loaded on the first call). */
  cloudFormation: CloudFormationApi;
  /** S3 in the same Region with the same credentials, for trail buckets (its SDK is loaded on the first call). */
  s3: S3Api;
  /** Athena in the same Region with the same credentials (its SDK is loaded on the first call). */
  athena: AthenaApi;
  /** CloudWatch Logs in the same Region with the same credentials (its SDK is loaded on the first call). */
  logs: LogsApi;
  /** CloudTrail Lake (event data stores and their SQL queries) at the CloudTrail endpoint, its client made on the first call. */
  lake: LakeApi;
  dispose(): void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

export async function connect(opts: ConnectOptions = {}): Promise<Connection> {
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? silentLogger;
  const files = await readSharedFiles(env);

  const fixed = opts.credentials;
  const profile = fixed ? undefined : (nonEmpty(opts.profile) ?? nonEmpty(env.AWS_PROFILE));
  if (profile !== undefined && !files.profiles.has(profile)) {
    throw unknownProfile(profile, nonEmpty(opts.profile) ? 'the profile option' : 'AWS_PROFILE', files);
  }
  // The profile whose settings (region, endpoint_url) apply: the chosen one, else [default].
  const settingsName = profile ?? (files.profiles.has('default') ? 'default' : undefined);
  const settings = settingsName ? files.profiles.get(settingsName) : undefined;

  const region = resolveRegion(opts.region, profile, settings, env);
  const endpoint = resolveEndpoint('CloudTrail', opts.endpointUrl, env, settings, files);
  const cfnEndpoint = resolveEndpoint('CloudFormation', opts.cloudFormationEndpointUrl, env, settings, files);
  const s3Endpoint = resolveEndpoint('S3', opts.s3EndpointUrl, env, settings, files);
  const athenaEndpoint = resolveEndpoint('Athena', opts.athenaEndpointUrl, env, settings, files);
  const logsEndpoint = resolveEndpoint('CloudWatch Logs', opts.logsEndpointUrl, env, settings, files);
  const endpointOf = {
    CloudTrail: endpoint,
    CloudFormation: cfnEndpoint,
    S3: s3Endpoint,
    Athena: athenaEndpoint,
    'CloudWatch Logs': logsEndpoint,
  };
  const hostOf = { CloudTrail: 'cloudtrail', CloudFormation: 'cloudformation', S3: 's3', Athena: 'athena', 'CloudWatch Logs': 'logs' };
  const sdkLogger = toSdkLogger(logger);
  const deadlineMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const credentials: AwsCredentialIdentityProvider = fixed
    ? async () => ({ ...fixed })
    : credentialChain({ env, profile, files, sdkLogger });

  const client = new CloudTrailClient({
    region,
    credentials,
    maxAttempts: 1,
    userAgentAppId: 'trail-lens',
    requestHandler: {
      requestTimeout: deadlineMs,
      connectionTimeout: Math.min(CONNECT_TIMEOUT_MS, opts.requestTimeoutMs ?? CONNECT_TIMEOUT_MS),
      // Without this a timeout is only a console warning and the request hangs on.
      throwOnRequestTimeout: true,
    },
    // Explicit endpoint, or none at all: never let the SDK pick one from process.env or the
    // default files behind our back, so `endpoint` always reports what is used.
    ...(endpoint ? { endpoint } : { ignoreConfiguredEndpointUrls: true }),
  });

  // The profile to name in hints: with no profile chosen, env keys (when set) win over [default].
  const errorProfile = profile ?? (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? undefined : settingsName);
  const ctx = (operation: string, service: Service): AwsErrorContext => ({
    profile: errorProfile,
    region,
    operation,
    service,
    endpoint: endpointOf[service] ?? `https://${hostOf[service]}.${region}.amazonaws.com`,
  });

  /** Runs one call under the caller's signal and the deadline; every error comes out classified. */
  async function call<T>(
    operation: string,
    signal: AbortSignal | undefined,
    run: (signal: AbortSignal) => Promise<T>,
    service: Service = 'CloudTrail',
    timeLimitMs: number = deadlineMs,
  ): Promise<T> {
    throwIfAborted(signal);
    const started = Date.now();
    const deadline = new AbortController();
    const timer = Number.isFinite(timeLimitMs) ? setTimeout(() => deadline.abort(), timeLimitMs) : undefined;
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    try {
      const out = await abortable(run(combined), combined);
      const via = endpointOf[service];
      logger.debug(`${operation} ${region}${via ? ` via ${via}` : ''}: ok in ${Date.now() - started} ms`);
      return out;
    } catch (err) {
      const mapped =
        deadline.signal.aborted && !signal?.aborted
          ? new TrailLensError(
              'Network',
              `${operation} did not finish within ${formatDuration(timeLimitMs)}: ${ctx(operation, service).endpoint} had not sent its whole answer by then.`,
              { cause: err, hint: 'Check the network connection, proxy or VPN, and the endpoint URL if one is configured.' },
            )
          : classifyAwsError(err, ctx(operation, service));
      if (mapped.code !== 'Cancelled')
        logger.debug(`${operation} ${region}: ${mapped.code} after ${Date.now() - started} ms: ${mapped.message}`);
      throw mapped;
    } finally {
      clearTimeout(timer);
    }
  }

  const connectionTimeoutMs = Math.min(CONNECT_TIMEOUT_MS, opts.requestTimeoutMs ?? CONNECT_TIMEOUT_MS);
  const base = (service: Service, at: string | undefined, maxAttempts = 3): LazyClientInput => ({
    region,
    credentials,
    endpoint: at,
    maxAttempts,
    requestTimeoutMs: deadlineMs,
    connectionTimeoutMs,
    call: (operation, signal, run) => call(operation, signal, run, service),
  });
  // CloudFormation's calls are retried by its client (cloudformation/client.ts), not by the SDK.
  const cloudFormation = cloudFormationApi(
    lazyClient(
      () => import('@aws-sdk/client-cloudformation'),
      (sdk, c) => new sdk.CloudFormationClient(c),
      base('CloudFormation', cfnEndpoint, 1),
    ),
  );
  const s3 = s3Api(
    lazyClient(
      () => import('@aws-sdk/client-s3'),
      (sdk, c) => new sdk.S3Client({ ...c, followRegionRedirects: false, ...(c.endpoint ? { forcePathStyle: true } : {}) }),
      base('S3', s3Endpoint),
    ),
    errorProfile,
  );
  const athena = athenaApi(
    lazyClient(
      () => import('@aws-sdk/client-athena'),
      (sdk, c) => new sdk.AthenaClient(c),
      base('Athena', athenaEndpoint),
    ),
  );
  const lake = lakeApi(
    lazyClient(
      () => import('@aws-sdk/client-cloudtrail'),
      (sdk, c) => new sdk.CloudTrailClient(c),
      base('CloudTrail', opts.lakeEndpointUrl ?? endpoint),
    ),
  );
  const logs = logsApi(
    lazyClient(
      () => import('@aws-sdk/client-cloudwatch-logs'),
      (sdk, c) => new sdk.CloudWatchLogsClient(c),
      base('CloudWatch Logs', logsEndpoint),
    ),
  );

  const key = [endpoint ?? 'aws', fixed ? `akid:${fixed.accessKeyId.slice(0, 12)}` : identityOf(profile, env, files), region].join('|');
  let account: string | undefined;
  const accountListeners: ((id: string) => void)[] = [];
  const useAccount = (id: string): void => {
    if (account) return;
    account = id;
    sharedLimiter(key).shareWith(sharedLimiter(accountKey(endpoint, id, region)));
  };

  return {
    profile,
    region,
    endpoint,
    key,
    get account() {
      return account;
    },
    get sharedKey() {
      return account ? accountKey(endpoint, account, region) : key;
    },
    useAccount,
    onAccount: (listener) => void accountListeners.push(listener),
    lookupEvents: (input, signal) =>
      call('LookupEvents', signal, async (s) => {
        const out = await client.send(new LookupEventsCommand(input), { abortSignal: s });
        if (!account) {
          const learned = accountInEvents(out.Events);
          if (learned) {
            useAccount(learned);
            for (const listener of accountListeners) listener(learned);
          }
        }
        return out;
      }),
    describeTrails: (signal) =>
      call('DescribeTrails', signal, async (s) => {
        const out = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: s });
        return out.trailList ?? [];
      }),
    getTrailStatus: (name, signal) =>
      call('GetTrailStatus', signal, (s) => client.send(new GetTrailStatusCommand({ Name: name }), { abortSignal: s })),
    cloudFormation,
    s3,
    athena,
    logs,
    lake,
    dispose: () => {
      logs.dispose();
      lake.dispose();
      client.destroy();
      cloudFormation.dispose();
      s3.dispose();
      athena.dispose();
    },
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

function unknownProfile(name: string, from: string, files: SharedFiles): TrailLensError {
  const names = sortProfileNames([...files.profiles.keys()]);
  const list = names.length ? `Profiles that exist: ${names.join(', ')}.` : 'No profiles are configured yet.';
  return new TrailLensError(
    'UnknownProfile',
    `Profile '${name}' (from ${from}) is not in ${files.paths.config} or ${files.paths.credentials}. ${list}`,
    {
      hint: `Choose one of the existing profiles, or create it: aws configure --profile ${name} (or aws configure sso --profile ${name}).`,
    },
  );
}

/**
 * Region order: the option, then a chosen profile's `region` (a profile picked on purpose beats an
 * ambient AWS_REGION), then AWS_REGION / AWS_DEFAULT_REGION, then [default]'s region — with no profile
 * chosen this is the SDK's own order (environment before config file).
 */
function resolveRegion(
  option: string | undefined,
  profile: string | undefined,
  settings: ProfileData | undefined,
  env: NodeJS.ProcessEnv,
): string {
  const candidates: [string | undefined, string][] = [[option, 'the region option']];
  if (profile) candidates.push([settings?.region, `profile ${profile}`]);
  candidates.push([env.AWS_REGION, 'AWS_REGION'], [env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION']);
  if (!profile) candidates.push([settings?.region, 'profile default']);
  for (const [value, from] of candidates) {
    const region = nonEmpty(value);
    if (!region) continue;
    if (isValidRegion(region)) return region;
    const suggestions = suggestRegions(region);
    throw new TrailLensError('UnknownRegion', `'${region}' (from ${from}) is not an AWS Region.`, {
      hint: suggestions.length ? `Did you mean ${suggestions.join(', ')}?` : 'Use a Region ID such as us-east-1 or ap-northeast-1.',
    });
  }
  const name = profile ?? 'default';
  throw new TrailLensError('UnknownRegion', `No region: pass --region, set region in profile ${name}, or AWS_REGION`, {
    hint: `For example: aws configure set region us-east-1 --profile ${name}`,
  });
}

type Service = 'CloudTrail' | 'CloudFormation' | 'S3' | 'Athena' | 'CloudWatch Logs';

function resolveEndpoint(
  service: Service,
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  settings: ProfileData | undefined,
  files: SharedFiles,
): string | undefined {
  const explicit = nonEmpty(option);
  const url = explicit ?? configuredEndpoint(service, env, settings, files.config);
  if (url === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    const from = explicit ? 'the endpoint option' : `AWS_ENDPOINT_URL_${service.toUpperCase()} / AWS_ENDPOINT_URL / endpoint_url`;
    throw new TrailLensError('Config', `Endpoint URL '${safeText(url)}' (from ${from}) is not an http(s) URL.`, {
      hint: 'Use a URL such as http://127.0.0.1:4566, or clear the setting to use the AWS endpoint for the Region.',
    });
  }
  return url;
}

/** Who signs: never a secret, at most the first 12 characters of an access key ID. */
function identityOf(profile: string | undefined, env: NodeJS.ProcessEnv, files: SharedFiles): string {
  if (profile) return `profile:${profile}`;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return `akid:${env.AWS_ACCESS_KEY_ID.slice(0, 12)}`;
  if (files.profiles.has('default')) return 'profile:default';
  return 'default-chain';
}

/** SDK provider debug lines go to trace, one line each, masked like any AWS message. */
function toSdkLogger(logger: Logger): SdkLogger {
  const line = (args: unknown[]) => safeText(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  return {
    trace: (...a: unknown[]) => logger.trace(line(a)),
    debug: (...a: unknown[]) => logger.trace(line(a)),
    info: (...a: unknown[]) => logger.trace(line(a)),
    warn: (...a: unknown[]) => logger.warn(line(a)),
    error: (...a: unknown[]) => logger.error(line(a)),
  };
}

function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TrailLensError('Cancelled', 'Cancelled', { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
