/**
 * The connection's CloudFormation calls, through the real `@aws-sdk/client-cloudformation` client
 * with the connection's Region, credentials and timeouts. The SDK is imported on the first call (a
 * dynamic import), so a CloudTrail-only session never evaluates it; only the engine and CLI bundles
 * hold it. Every error comes out classified like CloudTrail's, naming CloudFormation.
 */
import type {
  CloudFormationClient,
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
import type { LazyClient } from '../sdkClient';
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

type Sdk = typeof CfnSdk;

export function cloudFormationApi(client: LazyClient<Sdk, CloudFormationClient>): CloudFormationApi & { dispose(): void } {
  /** One SDK command by name, sent under the connection's deadline and error mapping, retried when worth it. */
  function send<I extends object, O>(operation: string, make: (sdk: Sdk, input: I) => unknown) {
    const once = (commandInput: I, signal?: AbortSignal): Promise<O> => client.send<O>(operation, signal, (sdk) => make(sdk, commandInput));
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
    endpoint: client.endpoint,
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
    dispose: () => client.dispose(),
  };
}
