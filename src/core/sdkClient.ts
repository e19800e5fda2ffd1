/**
 * The one way a connection (aws.ts) makes its other SDK clients — CloudFormation, S3, Athena,
 * CloudWatch Logs, CloudTrail Lake: the package imported on the first call (a session that never
 * needs it never evaluates it, and only the engine and CLI bundles hold it), the connection's
 * Region, credentials, timeouts and endpoint, every call under its deadline and error mapping.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** Runs one call under the signal and the connection's deadline, classifying its error for `operation`. */
type CallUnder = <T>(operation: string, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** The settings every SDK client of a connection shares: Region, credentials, timeouts, the endpoint (explicit or none). */
export interface SdkClientConfig {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  maxAttempts: number;
  userAgentAppId: string;
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: boolean };
  endpoint?: string;
  ignoreConfiguredEndpointUrls?: boolean;
}

export interface LazyClientInput {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  endpoint: string | undefined;
  maxAttempts: number;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  call: CallUnder;
}

/** An SDK client of the connection whose package is imported on the first call (only the engine and CLI bundles hold it). */
export interface LazyClient<Sdk, C> {
  readonly region: string;
  /** The endpoint override in force, if any. */
  readonly endpoint: string | undefined;
  /** Runs `fn` with the loaded SDK and client under one call's deadline; its error is classified for `operation`. */
  run<T>(operation: string, signal: AbortSignal | undefined, fn: (sdk: Sdk, client: C, signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Sends the command `make` builds (the command classes are typed per operation; `make` picks this one's). */
  send<O>(operation: string, signal: AbortSignal | undefined, make: (sdk: Sdk) => unknown): Promise<O>;
  dispose(): void;
}

/** One SDK client, created from `load`ed SDK on the first call with the connection's settings. */
export function lazyClient<Sdk, C extends { destroy(): void }>(
  load: () => Promise<Sdk>,
  create: (sdk: Sdk, config: SdkClientConfig) => C,
  input: LazyClientInput,
): LazyClient<Sdk, C> {
  let loaded: Promise<{ sdk: Sdk; client: C }> | undefined;
  let client: C | undefined;
  const config: SdkClientConfig = {
    region: input.region,
    credentials: input.credentials,
    maxAttempts: input.maxAttempts,
    userAgentAppId: 'trail-lens',
    requestHandler: { requestTimeout: input.requestTimeoutMs, connectionTimeout: input.connectionTimeoutMs, throwOnRequestTimeout: true },
    // As for CloudTrail: an explicit endpoint or none, never one the SDK finds behind our back.
    ...(input.endpoint ? { endpoint: input.endpoint } : { ignoreConfiguredEndpointUrls: true }),
  };
  const ready = () => (loaded ??= load().then((sdk) => ({ sdk, client: (client = create(sdk, config)) })));
  const run: LazyClient<Sdk, C>['run'] = (operation, signal, fn) =>
    input.call(operation, signal, async (s) => {
      const { sdk, client: c } = await ready();
      return fn(sdk, c, s);
    });
  return {
    region: input.region,
    endpoint: input.endpoint,
    run,
    send: <O>(operation: string, signal: AbortSignal | undefined, make: (sdk: Sdk) => unknown) =>
      run(operation, signal, async (sdk, c, s) => {
        const sender = c as unknown as { send(command: unknown, options: { abortSignal: AbortSignal }): Promise<unknown> };
        return (await sender.send(make(sdk), { abortSignal: s })) as O;
      }),
    dispose: () => client?.destroy(),
  };
}
