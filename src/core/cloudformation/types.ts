/**
 * The CloudFormation side of Trail Lens: the stacks of a connection, their operations, and each
 * failed resource with the CloudTrail event that explains it. Types only (no SDK values), so the
 * extension can `import type` them; the functions live in ./stacks.ts and ./failures.ts and reach
 * the extension through src/extension/engine.ts.
 */
import type {
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
import type { Connection } from '../aws';
import type { EventCache } from '../cache';
import type { RateLimiter } from '../limiter';
import type { CloudTrailRecord } from '../record';

export interface StackInfo {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  /** LastUpdatedTime, else CreationTime. */
  lastUpdated?: Date;
  /** *_FAILED, ROLLBACK_*, UPDATE_ROLLBACK_*, IMPORT_ROLLBACK_*: the stack's last operation did not succeed. */
  failed: boolean;
}

export interface StackOperationInfo {
  operationId?: string;
  /** CREATE_STACK, UPDATE_STACK, DELETE_STACK, ROLLBACK, CONTINUE_ROLLBACK, CREATE_CHANGESET. */
  operationType?: string;
  /** FAILED, IN_PROGRESS, SUCCEEDED (from DescribeEvents), when the endpoint tells. */
  status?: string;
  /** When the operation started (its first event). */
  time?: Date;
}

export interface StackFailure {
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  /** CREATE_FAILED, UPDATE_FAILED, DELETE_FAILED, … */
  status: string;
  statusReason: string;
  /** The stack event's timestamp. */
  timestamp: Date;
  /** The CloudTrail request ID the status reason carries, if any. */
  requestId?: string;
  /** How `event` was found: by the status reason's request ID, by correlation, or not at all (null). */
  matchedBy: 'requestID' | 'correlation' | null;
  event: CloudTrailRecord | null;
  /** What was scanned to find (or not find) the event, for a person. */
  searched: string;
  /** The CloudWatch Logs stream a custom resource's reason names. */
  logStream?: string;
  /** The failure is younger than CloudTrail's delivery lag (~15 min): a missing event may not be delivered yet. */
  deliveryMayLag: boolean;
  /** The LookupEvents calls spent on this failure. */
  calls: number;
}

/** Progress of stackFailures: which failure is being searched and how many calls so far. */
export interface StackFailuresProgress {
  /** 1-based index of the failure being searched, of `total`. */
  index: number;
  total: number;
  logicalResourceId: string;
  /** What is being read, e.g. "EventSource = backup.amazonaws.com 05:48–05:50 UTC · page 1". */
  step: string;
  /** LookupEvents calls so far, over all failures. */
  calls: number;
}

export interface ListStacksOptions {
  signal?: AbortSignal;
  /** Include DELETE_COMPLETE stacks (default false: ListStacks without them). */
  includeDeleted?: boolean;
}

export interface StackOperationsOptions {
  signal?: AbortSignal;
}

export interface StackFailuresOptions {
  /** The operation to read (DescribeStacks → LastOperations); default the stack's last one. */
  operationId?: string;
  signal?: AbortSignal;
  onProgress?: (p: StackFailuresProgress) => void;
  /** The connection's event cache: a repeated look costs no LookupEvents call. */
  cache?: EventCache;
  /** Default: sharedLimiter(connection.sharedKey). */
  limiter?: RateLimiter;
  /** The clock for the delivery-lag verdict. Default: now. */
  now?: Date;
}

/** The CloudFormation calls a connection makes (real CloudFormationClient, errors classified like CloudTrail's). */
export interface CloudFormationApi {
  /** The endpoint override in force (AWS_ENDPOINT_URL_CLOUDFORMATION, AWS_ENDPOINT_URL, endpoint_url, the option), if any. */
  readonly endpoint: string | undefined;
  listStacks(input: ListStacksCommandInput, signal?: AbortSignal): Promise<ListStacksCommandOutput>;
  describeStacks(input: DescribeStacksCommandInput, signal?: AbortSignal): Promise<DescribeStacksCommandOutput>;
  describeStackEvents(input: DescribeStackEventsCommandInput, signal?: AbortSignal): Promise<DescribeStackEventsCommandOutput>;
  /** DescribeEvents (operation events, `Filters.FailedEvents`); absent from older endpoints. */
  describeEvents(input: DescribeEventsCommandInput, signal?: AbortSignal): Promise<DescribeEventsCommandOutput>;
  describeStackResources(input: DescribeStackResourcesCommandInput, signal?: AbortSignal): Promise<DescribeStackResourcesCommandOutput>;
}

/** What the CloudFormation functions need of a connection. */
export type StackConnection = Pick<Connection, 'region' | 'sharedKey' | 'lookupEvents' | 'cloudFormation'>;
