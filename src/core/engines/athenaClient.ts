/**
 * The connection's Athena calls, through the real `@aws-sdk/client-athena` client with the
 * connection's Region, credentials and timeouts, imported on the first call (a CloudTrail-only
 * session never evaluates it; only the engine and CLI bundles hold it). Errors come out classified
 * like CloudTrail's, naming Athena.
 */
import type {
  AthenaClient,
  AthenaClientConfig,
  GetQueryExecutionCommandOutput,
  GetQueryResultsCommandInput,
  GetQueryResultsCommandOutput,
  StartQueryExecutionCommandInput,
  StartQueryExecutionCommandOutput,
} from '@aws-sdk/client-athena';
import type * as AthenaSdk from '@aws-sdk/client-athena';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AthenaApi {
  startQueryExecution(input: StartQueryExecutionCommandInput, signal?: AbortSignal): Promise<StartQueryExecutionCommandOutput>;
  getQueryExecution(queryExecutionId: string, signal?: AbortSignal): Promise<GetQueryExecutionCommandOutput>;
  getQueryResults(input: GetQueryResultsCommandInput, signal?: AbortSignal): Promise<GetQueryResultsCommandOutput>;
  stopQueryExecution(queryExecutionId: string, signal?: AbortSignal): Promise<void>;
}

export interface AthenaClientInput {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  endpoint: string | undefined;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  /** Runs one call under the signal and the connection's deadline, classifying its error for `operation`. */
  call<T>(operation: string, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

type Sdk = typeof AthenaSdk;

export function athenaApi(input: AthenaClientInput): AthenaApi & { dispose(): void } {
  let loaded: Promise<{ sdk: Sdk; client: AthenaClient }> | undefined;
  let client: AthenaClient | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-athena').then((sdk) => {
      const config: AthenaClientConfig = {
        region: input.region,
        credentials: input.credentials,
        maxAttempts: 3,
        userAgentAppId: 'trail-lens',
        requestHandler: {
          requestTimeout: input.requestTimeoutMs,
          connectionTimeout: input.connectionTimeoutMs,
          throwOnRequestTimeout: true,
        },
        ...(input.endpoint ? { endpoint: input.endpoint } : { ignoreConfiguredEndpointUrls: true }),
      };
      client = new sdk.AthenaClient(config);
      return { sdk, client };
    }));
  const send = <O>(operation: string, signal: AbortSignal | undefined, make: (sdk: Sdk) => unknown): Promise<O> =>
    input.call(operation, signal, async (s) => {
      const { sdk, client: c } = await load();
      return (await c.send(make(sdk) as Parameters<AthenaClient['send']>[0], { abortSignal: s })) as O;
    });
  return {
    startQueryExecution: (i, signal) => send('StartQueryExecution', signal, (sdk) => new sdk.StartQueryExecutionCommand(i)),
    getQueryExecution: (id, signal) =>
      send('GetQueryExecution', signal, (sdk) => new sdk.GetQueryExecutionCommand({ QueryExecutionId: id })),
    getQueryResults: (i, signal) => send('GetQueryResults', signal, (sdk) => new sdk.GetQueryResultsCommand(i)),
    stopQueryExecution: async (id, signal) => {
      await send('StopQueryExecution', signal, (sdk) => new sdk.StopQueryExecutionCommand({ QueryExecutionId: id }));
    },
    dispose: () => client?.destroy(),
  };
}
