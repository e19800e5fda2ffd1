/**
 * CloudFormation on the fake endpoint, in CloudFormation's own wire protocol (AWS Query,
 * docs/cloudformation.md): a form-encoded POST with `Action=…&Version=2010-05-15`, answered with XML
 * in the 2010-05-15 namespace, `ResponseMetadata/RequestId`, and errors as
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…`.
 * Serves ListStacks, DescribeStacks (with LastOperations), DescribeStackEvents, DescribeEvents
 * (OperationId, Filters.FailedEvents) and DescribeStackResources, paged with opaque NextTokens.
 * Dependency-free and never imports `vscode`.
 */
import { createHmac } from 'node:crypto';
import { ServiceError } from './protocol';

export const QUERY_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const CFN_XML_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
export const CFN_VERSION = '2010-05-15';

export interface FakeStackEvent {
  eventId: string;
  timestamp: Date;
  operationId?: string;
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  clientRequestToken?: string;
}

export interface FakeStackResource {
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: Date;
}

export interface FakeOperation {
  operationId: string;
  operationType: string;
  /** FAILED, SUCCEEDED, IN_PROGRESS. */
  status: string;
}

export interface FakeStack {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  description?: string;
  creationTime: Date;
  lastUpdatedTime?: Date;
  deletionTime?: Date;
  roleArn?: string;
  /** Most recent first, as DescribeStacks lists them. */
  operations: FakeOperation[];
  events: FakeStackEvent[];
  resources: FakeStackResource[];
}

export interface CfnContext {
  stacks: readonly FakeStack[];
  /** Items per page for every paged action. */
  pageSize: number;
  /** False: DescribeEvents answers InvalidAction, as endpoints that predate it do. */
  describeEvents: boolean;
  secret: string;
  region: string;
  accountId: string;
}

/** Reads a form-encoded body into its flat members (`StackStatusFilter.member.1`, `Filters.FailedEvents`). */
export function parseQueryBody(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
  return out;
}

export function isQueryRequest(contentType: string | undefined): boolean {
  return !!contentType && contentType.toLowerCase().startsWith(QUERY_CONTENT_TYPE);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

/** A value as Query-protocol XML: structures as elements, lists as `<member>`s, timestamps ISO 8601. */
function toXml(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export function xmlResponse(action: string, result: Record<string, unknown>, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${CFN_XML_NS}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function xmlError(err: ServiceError, requestId: string): string {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${CFN_XML_NS}"><Error><Type>${type}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

/** Query-protocol services say ValidationError where JSON services say ValidationException. */
function validation(message: string): ServiceError {
  return new ServiceError('ValidationError', message, 400);
}

/** An opaque NextToken bound to the request's other parameters, as real tokens are. */
function pageOf<T>(items: readonly T[], params: Record<string, string>, ctx: CfnContext): { items: T[]; NextToken?: string } {
  const { NextToken: token, ...rest } = params;
  const bind = createHmac('sha256', ctx.secret)
    .update(JSON.stringify(Object.entries(rest).sort()))
    .digest('base64url')
    .slice(0, 16);
  let offset = 0;
  if (token !== undefined) {
    const m = /^(\d+)\.([A-Za-z0-9_-]{16})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m || m[2] !== bind) throw validation('Invalid NextToken: it does not belong to this request.');
    offset = Number(m[1]);
  }
  const page = items.slice(offset, offset + ctx.pageSize);
  const next = offset + ctx.pageSize < items.length ? Buffer.from(`${offset + ctx.pageSize}.${bind}`).toString('base64url') : undefined;
  return next ? { items: page, NextToken: next } : { items: page };
}

function findStack(ctx: CfnContext, name: string | undefined): FakeStack {
  if (!name) throw validation('1 validation error detected: StackName must not be null');
  // By name: the live stack only; by stack ID: deleted ones too, as the real service does.
  const stack =
    ctx.stacks.find((s) => s.stackId === name) ?? ctx.stacks.find((s) => s.stackName === name && s.status !== 'DELETE_COMPLETE');
  if (!stack) throw validation(`Stack with id ${name} does not exist`);
  return stack;
}

function newestFirst<T extends { timestamp: Date }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
}

function lastOperations(stack: FakeStack) {
  return stack.operations.length
    ? stack.operations.map((o) => ({ OperationType: o.operationType, OperationId: o.operationId }))
    : undefined;
}

function stackEventXml(stack: FakeStack, e: FakeStackEvent) {
  return {
    StackId: stack.stackId,
    EventId: e.eventId,
    StackName: stack.stackName,
    OperationId: e.operationId,
    LogicalResourceId: e.logicalResourceId,
    PhysicalResourceId: e.physicalResourceId ?? '',
    ResourceType: e.resourceType,
    Timestamp: e.timestamp,
    ResourceStatus: e.status,
    ResourceStatusReason: e.reason,
    ClientRequestToken: e.clientRequestToken,
  };
}

const FAILED_EVENT = (e: FakeStackEvent) => e.status.endsWith('_FAILED');

export function handleCloudFormation(action: string, params: Record<string, string>, ctx: CfnContext): Record<string, unknown> {
  if (params.Version !== undefined && params.Version !== CFN_VERSION)
    throw new ServiceError('InvalidAction', `Version ${params.Version} is not supported (use ${CFN_VERSION})`, 400);
  switch (action) {
    case 'ListStacks': {
      const filter = Object.keys(params)
        .filter((k) => /^StackStatusFilter\.member\.\d+$/.test(k))
        .map((k) => params[k]);
      const stacks = ctx.stacks
        .filter((s) => (filter.length ? filter.includes(s.status) : true))
        .sort((a, b) => (b.lastUpdatedTime ?? b.creationTime).getTime() - (a.lastUpdatedTime ?? a.creationTime).getTime());
      const { items, NextToken } = pageOf(stacks, params, ctx);
      return {
        StackSummaries: items.map((s) => ({
          StackId: s.stackId,
          StackName: s.stackName,
          TemplateDescription: s.description,
          CreationTime: s.creationTime,
          LastUpdatedTime: s.lastUpdatedTime,
          DeletionTime: s.deletionTime,
          StackStatus: s.status,
          StackStatusReason: s.statusReason,
          DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
          LastOperations: lastOperations(s),
        })),
        NextToken,
      };
    }
    case 'DescribeStacks': {
      const stacks = params.StackName ? [findStack(ctx, params.StackName)] : ctx.stacks.filter((s) => s.status !== 'DELETE_COMPLETE');
      const { items, NextToken } = pageOf(stacks, params, ctx);
      return {
        Stacks: items.map((s) => ({
          StackId: s.stackId,
          StackName: s.stackName,
          Description: s.description,
          CreationTime: s.creationTime,
          LastUpdatedTime: s.lastUpdatedTime,
          DeletionTime: s.deletionTime,
          StackStatus: s.status,
          StackStatusReason: s.statusReason,
          DisableRollback: false,
          RoleARN: s.roleArn,
          DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
          LastOperations: lastOperations(s),
        })),
        NextToken,
      };
    }
    case 'DescribeStackEvents': {
      const stack = findStack(ctx, params.StackName);
      const { items, NextToken } = pageOf(newestFirst(stack.events), params, ctx);
      return { StackEvents: items.map((e) => stackEventXml(stack, e)), NextToken };
    }
    case 'DescribeEvents': {
      if (!ctx.describeEvents) throw new ServiceError('InvalidAction', 'The action DescribeEvents is not valid for this endpoint.', 400);
      const chosen = ['StackName', 'ChangeSetName', 'OperationId'].filter((k) => params[k] !== undefined);
      if (chosen.length !== 1) throw validation('Exactly one of StackName, ChangeSetName or OperationId must be given');
      let pairs: { stack: FakeStack; e: FakeStackEvent }[];
      if (params.OperationId) {
        const stack = ctx.stacks.find((s) => s.operations.some((o) => o.operationId === params.OperationId));
        if (!stack) throw validation(`Operation ${params.OperationId} does not exist`);
        pairs = stack.events.filter((e) => e.operationId === params.OperationId).map((e) => ({ stack, e }));
      } else if (params.StackName) {
        const stack = findStack(ctx, params.StackName);
        pairs = stack.events.map((e) => ({ stack, e }));
      } else throw validation(`ChangeSet ${params.ChangeSetName} does not exist`);
      if (params['Filters.FailedEvents'] === 'true') pairs = pairs.filter((p) => FAILED_EVENT(p.e));
      pairs.sort((a, b) => b.e.timestamp.getTime() - a.e.timestamp.getTime());
      const { items, NextToken } = pageOf(pairs, params, ctx);
      return {
        OperationEvents: items.map(({ stack, e }) => {
          const op = stack.operations.find((o) => o.operationId === e.operationId);
          const starts = stack.events.filter((x) => x.operationId === e.operationId).map((x) => x.timestamp.getTime());
          return {
            EventId: e.eventId,
            StackId: stack.stackId,
            OperationId: e.operationId,
            OperationType: op?.operationType,
            OperationStatus: op?.status,
            EventType: FAILED_EVENT(e) ? 'PROVISIONING_ERROR' : 'STACK_EVENT',
            LogicalResourceId: e.logicalResourceId,
            PhysicalResourceId: e.physicalResourceId ?? '',
            ResourceType: e.resourceType,
            Timestamp: e.timestamp,
            StartTime: starts.length ? new Date(Math.min(...starts)) : undefined,
            ResourceStatus: e.status,
            ResourceStatusReason: e.reason,
            ClientRequestToken: e.clientRequestToken,
          };
        }),
        NextToken,
      };
    }
    case 'DescribeStackResources': {
      const stack = findStack(ctx, params.StackName);
      const wanted = params.LogicalResourceId;
      return {
        StackResources: stack.resources
          .filter((r) => !wanted || r.logicalResourceId === wanted)
          .map((r) => ({
            StackName: stack.stackName,
            StackId: stack.stackId,
            LogicalResourceId: r.logicalResourceId,
            PhysicalResourceId: r.physicalResourceId,
            ResourceType: r.resourceType,
            Timestamp: r.timestamp,
            ResourceStatus: r.status,
            ResourceStatusReason: r.reason,
            DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
          })),
      };
    }
    default:
      throw new ServiceError('InvalidAction', `The action ${action || '(none)'} is not valid for this endpoint.`, 400);
  }
}
