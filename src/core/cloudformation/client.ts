/**
 * The connection's CloudFormation calls, through the real `@aws-sdk/client-cloudformation` client
 * with the connection's Region, credentials and timeouts. The SDK is imported on the first call (a
 * dynamic import), so a CloudTrail-only session never evaluates it; only the engine and CLI bundles
 * hold it. Every error comes out classified like CloudTrail's, naming CloudFormation.
 */
import type {
  CloudFormationClient,
  CloudFormationClientConfig,
  DescribeEventsCommandInput,
  DescribeEventsCommandOutput,
  DescribeStackEventsCommandInput,
  DescribeStackEventsCommandOutput,
  DescribeStackResourcesCommandInput,
  DescribeStackResourcesCommandOutput,
  DescribeStacksCommandInput,
  DescribeStacksCommandOutput,
  ListStacksCommandInput,
  ListStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import type * as CfnSdk from '@aws-sdk/client-cloudformation';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { retryClass } from '../awsErrors';
import { TrailLensError } from '../errors';
import { abortableSleep } from '../limiter';
import type { CloudFormationApi } from './types';

/**
 * Attempts per call: throttling and server or network faults are retried after 0.5, 1, 2 s
 * (CloudFormation's Describe calls are rate limited too).
 */
const ATTEMPTS = 4;
const BACKOFF_MS = 500;

export interface CloudFormationClientInput {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** The endpoint override in force, if any. */
  endpoint: string | undefined;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  /** Runs one call under the signal and the connection's deadline, classifying its error for `operation`. */
  call<T>(operation: string, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

type Sdk = typeof CfnSdk;

export function cloudFormationApi(input: CloudFormationClientInput): CloudFormationApi & { dispose(): void } {
  let loaded: Promise<{ sdk: Sdk; client: CloudFormationClient }> | undefined;
  let client: CloudFormationClient | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-cloudformation').then((sdk) => {
      const config: CloudFormationClientConfig = {
        region: input.region,
        credentials: input.credentials,
        maxAttempts: 1,
        userAgentAppId: 'trail-lens',
        requestHandler: {
          requestTimeout: input.requestTimeoutMs,
          connectionTimeout: input.connectionTimeoutMs,
          throwOnRequestTimeout: true,
        },
        // As for CloudTrail: an explicit endpoint or none, never one the SDK finds behind our back.
        ...(input.endpoint ? { endpoint: input.endpoint } : { ignoreConfiguredEndpointUrls: true }),
      };
      client = new sdk.CloudFormationClient(config);
      return { sdk, client };
    }));

  /** One SDK command by name, sent under the connection's deadline and error mapping, retried when worth it. */
  function send<I extends object, O>(operation: string, make: (sdk: Sdk, input: I) => unknown) {
    const once = (commandInput: I, signal?: AbortSignal): Promise<O> =>
      input.call(operation, signal, async (s) => {
        const { sdk, client: c } = await load();
        // The command classes are typed per operation; `make` picks the right one for this name.
        return (await c.send(make(sdk, commandInput) as Parameters<CloudFormationClient['send']>[0], { abortSignal: s })) as O;
      });
    return async (commandInput: I, signal?: AbortSignal): Promise<O> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(commandInput, signal);
        } catch (err) {
          if (!(err instanceof TrailLensError) || attempt >= ATTEMPTS || retryClass(err) === 'fatal') throw err;
          await abortableSleep(BACKOFF_MS * 2 ** (attempt - 1), signal);
        }
      }
    };
  }

  return {
    endpoint: input.endpoint,
    listStacks: send<ListStacksCommandInput, ListStacksCommandOutput>('ListStacks', (sdk, i) => new sdk.ListStacksCommand(i)),
    describeStacks: send<DescribeStacksCommandInput, DescribeStacksCommandOutput>(
      'DescribeStacks',
      (sdk, i) => new sdk.DescribeStacksCommand(i),
    ),
    describeStackEvents: send<DescribeStackEventsCommandInput, DescribeStackEventsCommandOutput>(
      'DescribeStackEvents',
      (sdk, i) => new sdk.DescribeStackEventsCommand(i),
    ),
    describeEvents: send<DescribeEventsCommandInput, DescribeEventsCommandOutput>(
      'DescribeEvents',
      (sdk, i) => new sdk.DescribeEventsCommand(i),
    ),
    describeStackResources: send<DescribeStackResourcesCommandInput, DescribeStackResourcesCommandOutput>(
      'DescribeStackResources',
      (sdk, i) => new sdk.DescribeStackResourcesCommand(i),
    ),
    dispose: () => client?.destroy(),
  };
}
