/**
 * Stacks, their operations and their failed resources, read through the connection's CloudFormation
 * calls. Every list is read to its last page (a NextToken that repeats ends the read with an error,
 * never a loop); DescribeEvents is used where the endpoint has it, DescribeStackEvents otherwise.
 */
import type { Stack, StackEvent, OperationEvent } from '@aws-sdk/client-cloudformation';
import { TrailLensError, throwIfAborted } from '../errors';
import { malformedResponse } from '../awsErrors';
import { compareStacks, isCancellation, isFailedResourceStatus, isFailedStackStatus } from './reason';
import type { ListStacksOptions, StackConnection, StackInfo, StackOperationInfo, StackOperationsOptions } from './types';

/** Every ListStacks status except DELETE_COMPLETE (the model's StackStatus enum). */
const LIVE_STATUSES = [
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'CREATE_COMPLETE',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_FAILED',
  'ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS',
  'DELETE_FAILED',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'REVIEW_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_IN_PROGRESS',
  'IMPORT_ROLLBACK_FAILED',
  'IMPORT_ROLLBACK_COMPLETE',
] as const;

/** A guard on paging: more pages than this is a broken endpoint, not an account. */
const MAX_PAGES = 1000;

/** Follows NextToken to the end; a token seen twice is the endpoint's fault and says so. */
export async function readAllPages<T>(
  operation: string,
  endpoint: string | undefined,
  signal: AbortSignal | undefined,
  page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    throwIfAborted(signal);
    const { items, next } = await page(token);
    out.push(...items);
    if (!next) return out;
    if (seen.has(next)) throw malformedResponse(operation, 'its NextToken repeats an earlier one', endpoint);
    seen.add(next);
    token = next;
  }
  throw malformedResponse(operation, `it was still paging after ${MAX_PAGES} pages`, endpoint);
}

/** The stacks of the connection's Region, failed and rolled-back ones first, then the most recently changed. */
export async function listStacks(connection: StackConnection, opts: ListStacksOptions = {}): Promise<StackInfo[]> {
  const cfn = connection.cloudFormation;
  const summaries = await readAllPages('ListStacks', cfn.endpoint, opts.signal, async (NextToken) => {
    const out = await cfn.listStacks(
      { ...(opts.includeDeleted ? {} : { StackStatusFilter: [...LIVE_STATUSES] }), ...(NextToken ? { NextToken } : {}) },
      opts.signal,
    );
    return { items: out.StackSummaries ?? [], next: out.NextToken };
  });
  const stacks: StackInfo[] = [];
  for (const s of summaries) {
    if (!s.StackName || !s.StackStatus) continue;
    stacks.push({
      stackName: s.StackName,
      stackId: s.StackId ?? s.StackName,
      status: s.StackStatus,
      ...(s.StackStatusReason ? { statusReason: s.StackStatusReason } : {}),
      lastUpdated: s.DeletionTime ?? s.LastUpdatedTime ?? s.CreationTime,
      failed: isFailedStackStatus(s.StackStatus),
    });
  }
  return stacks.sort(compareStacks);
}

/** DescribeStacks for one stack (name or ID); a stack that does not exist is said so plainly. */
export async function describeStack(connection: StackConnection, stack: string, signal?: AbortSignal): Promise<Stack> {
  const name = stack.trim();
  if (!name) throw new TrailLensError('InvalidInput', 'A stack name or stack ID is needed');
  const out = await connection.cloudFormation.describeStacks({ StackName: name }, signal).catch((err: unknown) => {
    if (err instanceof TrailLensError && /does not exist/i.test(err.message)) {
      throw new TrailLensError('InvalidRequest', `Stack ${name} does not exist in ${connection.region}.`, {
        cause: err,
        hint: 'Check the name and the Region (CloudFormation stacks are Regional); a deleted stack is found by its stack ID.',
      });
    }
    throw err;
  });
  const found = out.Stacks?.[0];
  if (!found?.StackName)
    throw malformedResponse('DescribeStacks', `no stack in the answer for ${name}`, connection.cloudFormation.endpoint);
  return found;
}

/** DescribeEvents is newer than many endpoints (LocalStack, older partitions): its absence is not an error. */
function unsupported(err: unknown): boolean {
  return err instanceof TrailLensError && /InvalidAction|UnknownOperation|not (?:supported|implemented)/i.test(err.message);
}

/** The stack's last operations (DescribeStacks → LastOperations), each with its status and start from DescribeEvents. */
export async function stackOperations(
  connection: StackConnection,
  stack: string,
  opts: StackOperationsOptions = {},
): Promise<StackOperationInfo[]> {
  const found = await describeStack(connection, stack, opts.signal);
  const entries = found.LastOperations ?? [];
  const out: StackOperationInfo[] = [];
  let describeEvents = true;
  for (const entry of entries) {
    const info: StackOperationInfo = { operationId: entry.OperationId, operationType: entry.OperationType };
    if (entry.OperationId && describeEvents) {
      try {
        const page = await connection.cloudFormation.describeEvents({ OperationId: entry.OperationId }, opts.signal);
        const events = page.OperationEvents ?? [];
        info.status = events.find((e) => e.OperationStatus)?.OperationStatus;
        const starts = events.map((e) => (e.StartTime ?? e.Timestamp)?.getTime()).filter((t): t is number => t !== undefined);
        if (starts.length) info.time = new Date(Math.min(...starts));
      } catch (err) {
        if (!unsupported(err)) throw err;
        describeEvents = false;
      }
    }
    out.push(info);
  }
  return out;
}

/** A failed resource event of an operation, from either event API. */
export interface FailedResourceEvent {
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  status: string;
  statusReason: string;
  timestamp: Date;
}

function toFailure(e: StackEvent | OperationEvent, stackName: string): FailedResourceEvent | undefined {
  if (!isFailedResourceStatus(e.ResourceStatus) || !e.LogicalResourceId || !e.Timestamp) return undefined;
  // The stack's own event is the summary of its resources' failures, not one of them.
  if (e.ResourceType === 'AWS::CloudFormation::Stack' && e.LogicalResourceId === stackName) return undefined;
  if (isCancellation(e.ResourceStatusReason)) return undefined;
  return {
    logicalResourceId: e.LogicalResourceId,
    ...(e.PhysicalResourceId ? { physicalResourceId: e.PhysicalResourceId } : {}),
    resourceType: e.ResourceType ?? 'unknown',
    status: e.ResourceStatus as string,
    statusReason: e.ResourceStatusReason ?? '',
    timestamp: e.Timestamp,
  };
}

export interface OperationFailures {
  stack: Stack;
  operationId?: string;
  failures: FailedResourceEvent[];
  /** Which API listed them, for `searched`. */
  source: 'DescribeEvents' | 'DescribeStackEvents';
}

/**
 * The failed resources of one operation (default the stack's last), oldest first: DescribeEvents with
 * the operation and `Filters.FailedEvents`, else DescribeStackEvents back to the operation's start.
 */
export async function operationFailures(
  connection: StackConnection,
  stack: string,
  opts: { operationId?: string; signal?: AbortSignal } = {},
): Promise<OperationFailures> {
  const cfn = connection.cloudFormation;
  const found = await describeStack(connection, stack, opts.signal);
  const stackName = found.StackName as string;
  const operationId = opts.operationId ?? found.LastOperations?.[0]?.OperationId;
  if (opts.operationId && found.LastOperations && !found.LastOperations.some((o) => o.OperationId === opts.operationId)) {
    const known = found.LastOperations.map((o) => `${o.OperationId} (${o.OperationType})`).join(', ');
    throw new TrailLensError('InvalidInput', `Operation ${opts.operationId} is not one of stack ${stackName}'s last operations.`, {
      hint: known ? `Its last operations: ${known}.` : 'The stack lists no operations.',
    });
  }
  const dedupe = (list: FailedResourceEvent[]) => {
    const seen = new Set<string>();
    return list
      .filter((f) => {
        const k = `${f.logicalResourceId}|${f.status}|${f.timestamp.getTime()}`;
        return seen.has(k) ? false : (seen.add(k), true);
      })
      .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  };
  if (operationId) {
    try {
      const events = await readAllPages('DescribeEvents', cfn.endpoint, opts.signal, async (NextToken) => {
        const out = await cfn.describeEvents(
          { OperationId: operationId, Filters: { FailedEvents: true }, ...(NextToken ? { NextToken } : {}) },
          opts.signal,
        );
        return { items: out.OperationEvents ?? [], next: out.NextToken };
      });
      const failures = events.map((e) => toFailure(e, stackName)).filter((f): f is FailedResourceEvent => !!f);
      return { stack: found, operationId, failures: dedupe(failures), source: 'DescribeEvents' };
    } catch (err) {
      if (!unsupported(err)) throw err;
    }
  }
  // DescribeStackEvents, newest first: the operation's events (by OperationId where the events carry
  // one), else those since the last user-initiated start of the stack.
  const failures: FailedResourceEvent[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  let inOperation = false;
  let done = false;
  for (let page = 0; !done; page++) {
    throwIfAborted(opts.signal);
    const out = await cfn.describeStackEvents(
      { StackName: found.StackId ?? stackName, ...(token ? { NextToken: token } : {}) },
      opts.signal,
    );
    for (const e of out.StackEvents ?? []) {
      if (operationId && e.OperationId) {
        // Newer operations come first; once past the one asked for, the rest is older.
        if (e.OperationId !== operationId) {
          if (inOperation) done = true;
          if (done) break;
          continue;
        }
        inOperation = true;
      }
      const f = toFailure(e, stackName);
      if (f) failures.push(f);
      if (
        e.LogicalResourceId === stackName &&
        /_IN_PROGRESS$/.test(e.ResourceStatus ?? '') &&
        e.ResourceStatusReason === 'User Initiated'
      ) {
        done = true;
        break;
      }
    }
    if (done || !out.NextToken) break;
    if (seen.has(out.NextToken) || page + 1 >= MAX_PAGES)
      throw malformedResponse('DescribeStackEvents', 'its NextToken repeats an earlier one', cfn.endpoint);
    seen.add(out.NextToken);
    token = out.NextToken;
  }
  return { stack: found, operationId, failures: dedupe(failures), source: 'DescribeStackEvents' };
}
