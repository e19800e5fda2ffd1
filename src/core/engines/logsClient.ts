/**
 * The connection's CloudWatch Logs calls, through the real `@aws-sdk/client-cloudwatch-logs`
 * client, imported on the first call (only the engine and CLI bundles hold it), errors classified
 * naming CloudWatch Logs.
 */
import type {
  CloudWatchLogsClient,
  DescribeLogGroupsCommandInput,
  DescribeLogGroupsCommandOutput,
  FilterLogEventsCommandInput,
  FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import type * as LogsSdk from '@aws-sdk/client-cloudwatch-logs';
import type { LazyClient } from '../sdkClient';

export interface LogsApi {
  filterLogEvents(input: FilterLogEventsCommandInput, signal?: AbortSignal): Promise<FilterLogEventsCommandOutput>;
  describeLogGroups(input: DescribeLogGroupsCommandInput, signal?: AbortSignal): Promise<DescribeLogGroupsCommandOutput>;
}

export function logsApi(client: LazyClient<typeof LogsSdk, CloudWatchLogsClient>): LogsApi & { dispose(): void } {
  const { send } = client;
  return {
    filterLogEvents: (i, signal) => send('FilterLogEvents', signal, (sdk) => new sdk.FilterLogEventsCommand(i)),
    describeLogGroups: (i, signal) => send('DescribeLogGroups', signal, (sdk) => new sdk.DescribeLogGroupsCommand(i)),
    dispose: () => client.dispose(),
  };
}
