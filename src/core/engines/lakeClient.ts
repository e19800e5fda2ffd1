/**
 * The connection's CloudTrail Lake calls — ListEventDataStores, StartQuery, DescribeQuery,
 * GetQueryResults, CancelQuery — through the CloudTrail SDK client with the connection's Region,
 * credentials, timeouts and CloudTrail endpoint, made on the first Lake call. Errors come out
 * classified like LookupEvents', naming the operation (so an AccessDenied names cloudtrail:StartQuery).
 */
import type {
  CancelQueryCommandInput,
  CancelQueryCommandOutput,
  CloudTrailClient,
  DescribeQueryCommandInput,
  DescribeQueryCommandOutput,
  GetQueryResultsCommandInput,
  GetQueryResultsCommandOutput,
  ListEventDataStoresCommandInput,
  ListEventDataStoresCommandOutput,
  StartQueryCommandInput,
  StartQueryCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type * as CloudTrailSdk from '@aws-sdk/client-cloudtrail';
import type { LazyClient } from '../sdkClient';

export interface LakeApi {
  listEventDataStores(input: ListEventDataStoresCommandInput, signal?: AbortSignal): Promise<ListEventDataStoresCommandOutput>;
  startQuery(input: StartQueryCommandInput, signal?: AbortSignal): Promise<StartQueryCommandOutput>;
  describeQuery(input: DescribeQueryCommandInput, signal?: AbortSignal): Promise<DescribeQueryCommandOutput>;
  getQueryResults(input: GetQueryResultsCommandInput, signal?: AbortSignal): Promise<GetQueryResultsCommandOutput>;
  cancelQuery(input: CancelQueryCommandInput, signal?: AbortSignal): Promise<CancelQueryCommandOutput>;
}

export function lakeApi(client: LazyClient<typeof CloudTrailSdk, CloudTrailClient>): LakeApi & { dispose(): void } {
  const { send } = client;
  return {
    listEventDataStores: (i, signal) => send('ListEventDataStores', signal, (sdk) => new sdk.ListEventDataStoresCommand(i)),
    startQuery: (i, signal) => send('StartQuery', signal, (sdk) => new sdk.StartQueryCommand(i)),
    describeQuery: (i, signal) => send('DescribeQuery', signal, (sdk) => new sdk.DescribeQueryCommand(i)),
    getQueryResults: (i, signal) => send('GetQueryResults', signal, (sdk) => new sdk.GetQueryResultsCommand(i)),
    cancelQuery: (i, signal) => send('CancelQuery', signal, (sdk) => new sdk.CancelQueryCommand(i)),
    dispose: () => client.dispose(),
  };
}
