/**
 * Fault injection for the CloudTrail endpoint (src/sample/endpoint/server.ts). Faults reproduce what a real client meets
 * in the field: expired or unknown credentials, missing permissions, throttling, 5xx, slow
 * answers, connections that break mid-response, and broken endpoints (a proxy or a look-alike
 * service): paging that never ends or restarts, answers that trickle in, bodies of the wrong shape.
 */
import { ServiceError } from '../../src/sample/endpoint/protocol';

export type FaultKind =
  | 'internalFailure' // 500 InternalFailure
  | 'serviceUnavailable' // 503 ServiceUnavailable
  | 'accessDenied' // 400 AccessDeniedException, worded like the real service
  | 'expiredToken' // 400 ExpiredTokenException
  | 'unrecognizedClient' // 400 UnrecognizedClientException
  | 'throttling' // 400 ThrottlingException "Rate exceeded", regardless of the token bucket
  | 'error' // any error: give code, status and message
  | 'truncatedBody' // a 200 whose body stops halfway, then the socket ends
  | 'dropConnection' // the socket is destroyed without any response
  | 'latency' // delay by latencyMs, then answer normally
  | 'tokenLoop' // the first page of the query whatever NextToken says, with a NextToken (loopToken)
  | 'backwardsPage' // a request carrying a NextToken gets the first page again (newest events) and a new token
  | 'trickle' // a 200 whose body arrives one byte every intervalMs (default 2000)
  | 'malformedBody'; // a 200 whose body is `body`, verbatim

export interface FaultRequest {
  operation: string;
  params: Record<string, unknown>;
  /** The Region the request was signed for. */
  region?: string;
}

export interface Fault {
  kind: FaultKind;
  /** Only requests for this operation (e.g. 'LookupEvents'); default every operation. */
  operation?: string;
  /** Only requests signed for this Region (SigV4 credential scope); default every Region. */
  region?: string;
  /** Only requests this predicate accepts (e.g. those carrying a NextToken). */
  match?: (request: FaultRequest) => boolean;
  /** Let this many matching requests through untouched first. */
  skip?: number;
  /** Apply to this many matching requests, then retire; default: until clearFaults(). */
  count?: number;
  /** For 'error' (required) or to override another kind's code. */
  code?: string;
  /** HTTP status for 'error' (default 400) or to override another kind's. */
  status?: number;
  message?: string;
  /** The principal named in an 'accessDenied' message. */
  principalArn?: string;
  /** Delay for 'latency'. */
  latencyMs?: number;
  /** For 'tokenLoop': 'same' repeats one token on every page (default), 'fresh' makes a new one each time. */
  loopToken?: 'same' | 'fresh';
  /** For 'tokenLoop': leave the events out, so every page is empty. */
  emptyPages?: boolean;
  /** For 'trickle': the pause between two bytes. Default 2000. */
  intervalMs?: number;
  /** For 'malformedBody' (required): the exact response body. */
  body?: string;
}

/** A matched fault, for the server to act on. */
export type FaultAction =
  | { kind: 'error'; error: ServiceError; source: FaultKind }
  | { kind: 'truncatedBody' }
  | { kind: 'dropConnection' }
  | { kind: 'latency'; ms: number }
  | { kind: 'tokenLoop'; token: 'same' | 'fresh'; empty: boolean }
  | { kind: 'backwardsPage' }
  | { kind: 'trickle'; intervalMs: number }
  | { kind: 'malformedBody'; body: string };

export const DEFAULT_PRINCIPAL = 'arn:aws:iam::123456789012:user/x';

/** The error a fault kind answers with, worded like the real service. */
/** CloudFormation's operations on the endpoint (AWS Query): their errors use Query names (AccessDenied, Throttling). */
const QUERY_OPERATIONS = new Set(['ListStacks', 'DescribeStacks', 'DescribeStackEvents', 'DescribeEvents', 'DescribeStackResources']);

export function faultError(fault: Fault, operation: string): ServiceError {
  const custom = (code: string, message: string, status: number): ServiceError =>
    new ServiceError(fault.code ?? code, fault.message ?? message, fault.status ?? status);
  const query = QUERY_OPERATIONS.has(operation);
  switch (fault.kind) {
    case 'internalFailure':
      return custom('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
    case 'serviceUnavailable':
      return custom('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);
    case 'accessDenied': {
      const who = fault.principalArn ?? DEFAULT_PRINCIPAL;
      const action = `${query ? 'cloudformation' : 'cloudtrail'}:${operation}`;
      return custom(
        query ? 'AccessDenied' : 'AccessDeniedException',
        `User: ${who} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
        400,
      );
    }
    case 'expiredToken':
      return custom('ExpiredTokenException', 'The security token included in the request is expired', 400);
    case 'unrecognizedClient':
      return custom('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
    case 'throttling':
      return custom(query ? 'Throttling' : 'ThrottlingException', 'Rate exceeded', 400);
    default:
      return custom('InternalFailure', `Injected ${fault.kind} fault`, 500);
  }
}

interface ActiveFault {
  fault: Fault;
  skipLeft: number;
  left: number;
}

/** The faults in force, in the order added; the first one matching a request applies. */
export class FaultSet {
  private active: ActiveFault[] = [];

  add(fault: Fault): void {
    if (fault.kind === 'error' && !fault.code) throw new Error("An 'error' fault needs a code");
    if (fault.kind === 'latency' && !(typeof fault.latencyMs === 'number' && fault.latencyMs >= 0)) {
      throw new Error("A 'latency' fault needs latencyMs >= 0");
    }
    if (fault.kind === 'malformedBody' && typeof fault.body !== 'string') throw new Error("A 'malformedBody' fault needs a body");
    if (fault.kind === 'trickle' && fault.intervalMs !== undefined && !(fault.intervalMs > 0)) {
      throw new Error("A 'trickle' fault needs intervalMs > 0");
    }
    const count = fault.count ?? Infinity;
    if (!(count > 0)) return;
    this.active.push({ fault, skipLeft: Math.max(0, fault.skip ?? 0), left: count });
  }

  clear(): void {
    this.active = [];
  }

  get size(): number {
    return this.active.length;
  }

  /** Consumes and returns the fault that applies to this request, if any. */
  take(request: FaultRequest): FaultAction | undefined {
    for (let i = 0; i < this.active.length; i++) {
      const entry = this.active[i] as ActiveFault;
      const { fault } = entry;
      if (fault.operation !== undefined && fault.operation !== request.operation) continue;
      if (fault.region !== undefined && fault.region !== request.region) continue;
      // Paging faults only make sense for LookupEvents; a backwards page needs a page before it.
      if ((fault.kind === 'tokenLoop' || fault.kind === 'backwardsPage') && request.operation !== 'LookupEvents') continue;
      if (fault.kind === 'backwardsPage' && !request.params.NextToken) continue;
      if (fault.match && !safeMatch(fault.match, request)) continue;
      if (entry.skipLeft > 0) {
        entry.skipLeft--;
        continue;
      }
      entry.left--;
      if (entry.left <= 0) this.active.splice(i, 1);
      switch (fault.kind) {
        case 'truncatedBody':
        case 'dropConnection':
          return { kind: fault.kind };
        case 'latency':
          return { kind: 'latency', ms: fault.latencyMs ?? 0 };
        case 'tokenLoop':
          return { kind: 'tokenLoop', token: fault.loopToken ?? 'same', empty: fault.emptyPages ?? false };
        case 'backwardsPage':
          return { kind: 'backwardsPage' };
        case 'trickle':
          return { kind: 'trickle', intervalMs: fault.intervalMs ?? 2000 };
        case 'malformedBody':
          return { kind: 'malformedBody', body: fault.body ?? '' };
        default:
          return { kind: 'error', error: faultError(fault, request.operation), source: fault.kind };
      }
    }
    return undefined;
  }
}

function safeMatch(match: (r: FaultRequest) => boolean, request: FaultRequest): boolean {
  try {
    return match(request);
  } catch {
    return false;
  }
}
