/**
 * The connection's Athena calls, through the real `@aws-sdk/client-athena` client with the
 * connection's Region, credentials and timeouts, imported on the first call (a CloudTrail-only
 * session never evaluates it; only the engine and CLI bundles hold it). Errors come out classified
 * like CloudTrail's, naming Athena.
 */
import type {
  AthenaClient,
  GetQueryExecutionCommandOutput,
  GetQueryResultsCommandInput,
  GetQueryResultsCommandOutput,
  StartQueryExecutionCommandInput,
  StartQueryExecutionCommandOutput,
} from '@aws-sdk/client-athena';
import type * as AthenaSdk from '@aws-sdk/client-athena';
import type { LazyClient } from '../sdkClient';

export interface AthenaApi {
  startQueryExecution(input: StartQueryExecutionCommandInput, signal?: AbortSignal): Promise<StartQueryExecutionCommandOutput>;
  getQueryExecution(queryExecutionId: string, signal?: AbortSignal): Promise<GetQueryExecutionCommandOutput>;
  getQueryResults(input: GetQueryResultsCommandInput, signal?: AbortSignal): Promise<GetQueryResultsCommandOutput>;
  stopQueryExecution(queryExecutionId: string, signal?: AbortSignal): Promise<void>;
}

export function athenaApi(client: LazyClient<typeof AthenaSdk, AthenaClient>): AthenaApi & { dispose(): void } {
  const { send } = client;
  return {
    startQueryExecution: (i, signal) => send('StartQueryExecution', signal, (sdk) => new sdk.StartQueryExecutionCommand(i)),
    getQueryExecution: (id, signal) =>
      send('GetQueryExecution', signal, (sdk) => new sdk.GetQueryExecutionCommand({ QueryExecutionId: id })),
    getQueryResults: (i, signal) => send('GetQueryResults', signal, (sdk) => new sdk.GetQueryResultsCommand(i)),
    stopQueryExecution: async (id, signal) => {
      await send('StopQueryExecution', signal, (sdk) => new sdk.StopQueryExecutionCommand({ QueryExecutionId: id }));
    },
    dispose: () => client.dispose(),
  };
}
