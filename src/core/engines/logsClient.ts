/**
 * The connection's CloudWatch Logs calls, through the real `@aws-sdk/client-cloudwatch-logs`
 * client, imported on the first call (only the engine and CLI bundles hold it), errors classified
 * naming CloudWatch Logs.
 */
import type {
  CloudWatchLogsClient,
  CloudWatchLogsClientConfig,
  DescribeLogGroupsCommandInput,
  DescribeLogGroupsCommandOutput,
  FilterLogEventsCommandInput,
  FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import type * as LogsSdk from '@aws-sdk/client-cloudwatch-logs';
import type { AthenaClientInput } from './athenaClient';

export interface LogsApi {
  filterLogEvents(input: FilterLogEventsCommandInput, signal?: AbortSignal): Promise<FilterLogEventsCommandOutput>;
  describeLogGroups(input: DescribeLogGroupsCommandInput, signal?: AbortSignal): Promise<DescribeLogGroupsCommandOutput>;
}

type Sdk = typeof LogsSdk;

export function logsApi(input: AthenaClientInput): LogsApi & { dispose(): void } {
  let loaded: Promise<{ sdk: Sdk; client: CloudWatchLogsClient }> | undefined;
  let client: CloudWatchLogsClient | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-cloudwatch-logs').then((sdk) => {
      const config: CloudWatchLogsClientConfig = {
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
      client = new sdk.CloudWatchLogsClient(config);
      return { sdk, client };
    }));
  const send = <O>(operation: string, signal: AbortSignal | undefined, make: (sdk: Sdk) => unknown): Promise<O> =>
    input.call(operation, signal, async (s) => {
      const { sdk, client: c } = await load();
      return (await c.send(make(sdk) as Parameters<CloudWatchLogsClient['send']>[0], { abortSignal: s })) as O;
    });
  return {
    filterLogEvents: (i, signal) => send('FilterLogEvents', signal, (sdk) => new sdk.FilterLogEventsCommand(i)),
    describeLogGroups: (i, signal) => send('DescribeLogGroups', signal, (sdk) => new sdk.DescribeLogGroupsCommand(i)),
    dispose: () => client?.destroy(),
  };
}
