/**
 * Reading CloudFormation statuses and status reasons (docs/cloudformation.md). Pure and SDK-free, so
 * both extension bundles may use it (it is listed in src/extension/common.ts).
 */
import { extractRequestId } from '../requestId';
import { serviceToEventSource } from '../services';

/**
 * A stack whose last operation did not succeed: CREATE_FAILED, ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE,
 * IMPORT_ROLLBACK_FAILED, DELETE_FAILED, … (every status with FAILED or ROLLBACK in it).
 */
export function isFailedStackStatus(status: string | undefined): boolean {
  return !!status && /(?:^|_)(?:FAILED|ROLLBACK)(?:_|$)/.test(status);
}

/** A resource status that is a failure: CREATE_FAILED, UPDATE_FAILED, DELETE_FAILED, IMPORT_FAILED, … */
export function isFailedResourceStatus(status: string | undefined): boolean {
  return !!status && status.endsWith('_FAILED');
}

/**
 * Reasons CloudFormation gives a resource it stopped because another failed: consequences, not causes,
 * and never backed by a call of their own.
 */
export function isCancellation(reason: string | undefined): boolean {
  return !!reason && /^Resource (?:creation|update|deletion|import) cancelled\.?$/i.test(reason.trim());
}

/** Sorts stacks that did not succeed first, then the most recently changed first, then by name. */
export function compareStacks<T extends { stackName: string; failed: boolean; lastUpdated?: Date }>(a: T, b: T): number {
  if (a.failed !== b.failed) return a.failed ? -1 : 1;
  const ta = a.lastUpdated?.getTime() ?? 0;
  const tb = b.lastUpdated?.getTime() ?? 0;
  if (ta !== tb) return tb - ta;
  return a.stackName.localeCompare(b.stackName);
}

export interface StatusReasonFacts {
  /** The request ID the reason labels as one (`Request ID: …` inside `(Service: …)`, `RequestID: …`). */
  requestId?: string;
  /** `Service: Backup` → backup.amazonaws.com. */
  eventSource?: string;
  /** The CloudWatch Logs stream a cfn-response custom resource names. */
  logStream?: string;
}

const LOG_STREAM = /\bCloudWatch Log Stream:\s*(\S+)/i;

/**
 * What a status reason says about the failing call. Only a labelled request ID counts: a bare UUID in
 * a reason may be a physical ID or a token, and CloudFormation's `RequestToken` is refused by
 * extractRequestId (docs/cloudtrail.md on request IDs).
 */
export function readStatusReason(reason: string): StatusReasonFacts {
  const facts: StatusReasonFacts = {};
  const ex = extractRequestId(reason);
  const labelled = ex.match?.label ? ex.match : ex.candidates.find((c) => c.label);
  if (labelled) facts.requestId = labelled.id;
  const service = /\(Service:\s*([A-Za-z0-9 ]+?)\s*[;,)]/.exec(reason)?.[1];
  const source = service ? serviceToEventSource(service) : undefined;
  if (source) facts.eventSource = source;
  const stream = LOG_STREAM.exec(reason)?.[1]?.replace(/[.,;)"']+$/, '');
  if (stream) facts.logStream = stream;
  return facts;
}

/** The event source of a resource type's service: AWS::Backup::BackupVault → backup.amazonaws.com. */
export function resourceTypeEventSource(resourceType: string): string | undefined {
  const m = /^AWS::([A-Za-z0-9]+)::/.exec(resourceType);
  return m ? serviceToEventSource(m[1]) : undefined;
}

const HANDLER_MESSAGE = /Resource handler returned message:\s*"(.*?)(?:\s*\(Service:[^)]*\))?"\s*(?:\(RequestToken:[^)]*\))?\s*$/s;

/**
 * A status reason short enough for one line of UI: a resource handler's message without the
 * `(Service: …, Request ID: …)` and `(RequestToken: …, HandlerErrorCode: …)` parts, which the
 * tooltip and the event carry; any other reason as it is.
 */
export function shortStatusReason(reason: string): string {
  const m = HANDLER_MESSAGE.exec(reason.trim());
  return m?.[1]?.trim() || reason.trim();
}
