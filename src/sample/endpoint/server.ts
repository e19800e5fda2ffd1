/**
 * A protocol-faithful CloudTrail endpoint on loopback (AWS JSON 1.1 over node:http: LookupEvents,
 * DescribeTrails, GetTrailStatus, ListTrails), serving a set of records such as the sample
 * account's. The same port answers CloudFormation's AWS Query protocol (./cloudformation.ts) for the
 * account's stacks. The product uses it for `--sample`, "Explore the Sample Account" and `npm start`; the
 * tests wrap it with fault injection (test/fake-cloudtrail/), through the `intercept` hook.
 * Dependency-free and never imports `vscode`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CloudTrailRecord } from '../../core/record';
import { TokenBucket } from './tokenBucket';
import { parseLookupRequest, runLookup } from './lookup';
import { CONTENT_TYPE, MAX_BODY_BYTES, ServiceError, operationFromTarget, parseBody } from './protocol';
import { EventStore } from './store';
import { defaultTrails, describeTrails, getTrailStatus, listTrails } from './trails';
import type { FakeTrail, TrailContext } from './trails';
import { handleCloudFormation, isQueryRequest, parseQueryBody, xmlError, xmlResponse, type FakeStack } from './cloudformation';

export type { FakeTrail } from './trails';
export type { FakeStack } from './cloudformation';

/** What an interceptor sees of a request before it is answered. */
export interface InterceptedRequest {
  operation: string;
  params: Record<string, unknown>;
  /** The Region the request was signed for (SigV4 credential scope), else the endpoint's. */
  region: string;
  /** Aborted when the endpoint closes. */
  signal: AbortSignal;
}

/**
 * How an interceptor changes one answer (test/fake-cloudtrail's faults). Every member is optional;
 * an interception that sets none only labels the request and leaves the rate limit in force.
 */
export interface Interception {
  /** Recorded with the request (RecordedRequest.fault) and counted in the stats. */
  label: string;
  /** The request was answered out of band: the rate limit does not apply. */
  bypassRateLimit?: boolean;
  /** Answer with this error. */
  error?: ServiceError;
  /** Answer as if the request carried no NextToken. */
  firstPage?: boolean;
  /** Change the answer before it is sent. */
  transform?(answer: Record<string, unknown>): void;
  /**
   * Send the answer yourself (slowly, cut short, not at all); returns the status to record
   * (0: no answer). `body` is the JSON answer the endpoint would have sent.
   */
  deliver?(req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Record<string, string>): number;
}

export type Interceptor = (request: InterceptedRequest) => Interception | undefined | Promise<Interception | undefined>;

export interface CloudTrailEndpointOptions {
  records?: CloudTrailRecord[];
  /** Default 0: a random free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  /** LookupEvents requests per second (token bucket; with perRegion, one bucket per Region); default 2, 0 = unlimited. */
  rate?: number;
  /** Bucket size; default max(1, rate). */
  burst?: number;
  /** Delay before every answer; the real service takes 0.2–4 s. Default 0. */
  latencyMs?: number | (() => number);
  /** The server's clock for the 90-day window and trail status times. Default: the real clock. */
  now?: () => Date;
  /** Default: one multi-region trail that is logging. `[]` models an account without trails. */
  trails?: FakeTrail[];
  /** Sees every parsed request first and may change its answer (fault injection in tests). */
  intercept?: Interceptor;
  /** Region the endpoint pretends to serve (shadow trails, default ARNs). Default us-east-1. */
  region?: string;
  /**
   * Like the real service, LookupEvents sees one Region: the one in the request's SigV4 credential
   * scope (else `region`); records whose awsRegion differs are not returned. Default false: every
   * record is visible whatever Region the client names. Also gives each Region its own rate-limit
   * bucket, as CloudTrail's limit is per account and Region.
   */
  perRegion?: boolean;
  /** Account in default trail ARNs. Default 123456789012. */
  accountId?: string;
  /** How many requests `requests` keeps (oldest dropped first). Default 10000. */
  maxRecordedRequests?: number;
  /** The CloudFormation stacks served over the Query protocol. Default none. */
  stacks?: FakeStack[];
  /** Items per CloudFormation page (ListStacks, DescribeStackEvents, DescribeEvents). Default 100. */
  cfnPageSize?: number;
  /** Default true. False: DescribeEvents answers InvalidAction, like endpoints that predate it. */
  describeEvents?: boolean;
  /**
   * More JSON 1.1 operations answered on this port by name (the tests' CloudTrail Lake,
   * test/fake-cloudtrail/lake.ts); a ServiceError they throw is the answer.
   */
  operations?: Record<string, (params: Record<string, unknown>, requestRegion: string) => unknown>;
}

export interface OperationStats {
  calls: number;
  throttled: number;
  /** Answers with status >= 400 (throttled and injected errors included). */
  errors: number;
  /** Requests an interceptor changed. */
  faults: number;
}

export interface EndpointStats extends OperationStats {
  byOperation: Record<string, OperationStats>;
}

export interface RecordedRequest {
  /** From X-Amz-Target (CloudTrail) or the form's Action (CloudFormation); '' when missing. */
  operation: string;
  /** The wire protocol of the request. */
  protocol: 'json' | 'query';
  target: string | undefined;
  params: Record<string, unknown>;
  /** HTTP status sent; 0 when the connection was dropped on purpose. */
  status: number;
  errorCode?: string;
  /** The label of the interception that changed this request. */
  fault?: string;
  requestId: string;
  /** The Region the request was signed for, else the endpoint's. */
  region: string;
  /** Wall-clock arrival time (not the `now` option). */
  time: Date;
  durationMs: number;
}

export interface CloudTrailEndpoint {
  url: string;
  port: number;
  /** Live counters, reset in place by resetStats(). */
  stats: EndpointStats;
  /** Every answered request, oldest first (auth headers are never kept). */
  requests: RecordedRequest[];
  addRecords(records: CloudTrailRecord[]): void;
  setRecords(records: CloudTrailRecord[]): void;
  setTrails(trails: FakeTrail[]): void;
  setStacks(stacks: FakeStack[]): void;
  setLatency(ms: number | (() => number)): void;
  setRate(rate: number, burst?: number): void;
  /** Zeroes the stats and forgets the recorded requests. */
  resetStats(): void;
  close(): Promise<void>;
}

const HANDLED = ['LookupEvents', 'DescribeTrails', 'GetTrailStatus', 'ListTrails'] as const;

function emptyStats(): OperationStats {
  return { calls: 0, throttled: 0, errors: 0, faults: 0 };
}

/** localhost, 127.0.0.0/8 or ::1, from a Host header value (port stripped). */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.startsWith('[') ? hostHeader.slice(1, hostHeader.indexOf(']')) : hostHeader.replace(/:\d*$/, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

// Oversized bodies end the connection rather than being drained: nothing legitimate sends them.
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ServiceError('SerializationException', 'Request body too large', 413));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Region of a SigV4 Authorization header's credential scope: Credential=AKID/20261121/ap-northeast-1/cloudtrail/aws4_request. */
export function signedRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\//.exec(authorization ?? '')?.[1];
}

export async function startCloudTrailEndpoint(opts: CloudTrailEndpointOptions = {}): Promise<CloudTrailEndpoint> {
  const store = new EventStore();
  let allRecords: CloudTrailRecord[] = [...(opts.records ?? [])];
  store.setRecords(allRecords);
  // perRegion: one store per Region asked for, built on first use and dropped when records change.
  const regional = new Map<string, EventStore>();
  const storeFor = (requestRegion: string): EventStore => {
    if (!opts.perRegion) return store;
    let s = regional.get(requestRegion);
    if (!s) {
      s = new EventStore();
      s.setRecords(allRecords.filter((r) => (r.awsRegion ?? region) === requestRegion));
      regional.set(requestRegion, s);
    }
    return s;
  };
  const host = opts.host ?? '127.0.0.1';
  const loopbackOnly = isLoopbackHost(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  const region = opts.region ?? 'us-east-1';
  const accountId = opts.accountId ?? '123456789012';
  let trails: FakeTrail[] = opts.trails ?? defaultTrails(accountId);
  const clock = opts.now ?? (() => new Date());
  let limit = { rate: opts.rate ?? 2, burst: opts.burst };
  const bucket = new TokenBucket(limit.rate, limit.burst);
  const regionalBuckets = new Map<string, TokenBucket>();
  const bucketFor = (requestRegion: string): TokenBucket => {
    if (!opts.perRegion) return bucket;
    let b = regionalBuckets.get(requestRegion);
    if (!b) regionalBuckets.set(requestRegion, (b = new TokenBucket(limit.rate, limit.burst)));
    return b;
  };
  let latency: number | (() => number) = opts.latencyMs ?? 0;
  const maxRecorded = opts.maxRecordedRequests ?? 10_000;
  // Signs NextTokens so they are opaque and cannot be reused with other parameters.
  const secret = randomBytes(16).toString('hex');
  const stats: EndpointStats = { ...emptyStats(), byOperation: {} };
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  const sockets = new Set<Socket>();

  let stacks: FakeStack[] = opts.stacks ?? [];
  const cfnContext = () => ({
    stacks,
    pageSize: opts.cfnPageSize ?? 100,
    describeEvents: opts.describeEvents ?? true,
    secret,
    region,
    accountId,
  });
  const trailContext = (): TrailContext => ({ trails, region, accountId, now: clock() });
  const handlers: Record<(typeof HANDLED)[number], (params: Record<string, unknown>, requestRegion: string) => unknown> = {
    LookupEvents: (p, r) => runLookup(storeFor(r), parseLookupRequest(p, secret), clock().getTime(), secret),
    DescribeTrails: (p) => describeTrails(p, trailContext()),
    GetTrailStatus: (p) => getTrailStatus(p, trailContext()),
    ListTrails: (p) => listTrails(p, trailContext()),
  };

  function opStats(operation: string): OperationStats {
    const key = operation || '(none)';
    return (stats.byOperation[key] ??= emptyStats());
  }

  function latencyMs(): number {
    try {
      const ms = typeof latency === 'function' ? latency() : latency;
      return Number.isFinite(ms) && ms > 0 ? ms : 0;
    } catch {
      return 0;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = Date.now();
    const requestId = randomUUID();
    const target = typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
    const query = !target && isQueryRequest(req.headers['content-type']);
    let operation = operationFromTarget(target) ?? '';
    const requestRegion = signedRegion(req.headers.authorization) ?? region;
    const entry: RecordedRequest = {
      operation,
      protocol: query ? 'query' : 'json',
      target,
      params: {},
      status: 0,
      requestId,
      region: requestRegion,
      time: new Date(arrived),
      durationMs: 0,
    };
    stats.calls++;
    let op = emptyStats();
    const count = (name: string) => {
      op = opStats(name);
      op.calls++;
    };
    if (!query) count(operation);

    const finish = (status: number, errorCode?: string): void => {
      entry.status = status;
      entry.errorCode = errorCode;
      entry.durationMs = Date.now() - arrived;
      if (status >= 400) {
        stats.errors++;
        op.errors++;
      }
      requests.push(entry);
      if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);
    };
    const baseHeaders = { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId };
    const sendJson = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
      const text = JSON.stringify(body);
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { ...baseHeaders, ...extra, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const sendError = (err: ServiceError): void => {
      if (err.code === 'ThrottlingException') {
        stats.throttled++;
        op.throttled++;
      }
      finish(err.status, err.code);
      if (query) sendXml(err.status, xmlError(err, requestId));
      else sendJson(err.status, { __type: err.code, message: err.message }, { 'x-amzn-ErrorType': err.code });
    };
    const sendXml = (status: number, text: string): void => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };

    try {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (req.method !== 'POST' || !path.endsWith('/')) {
        req.resume();
        throw new ServiceError('UnknownOperationException', `Only POST to a path ending in "/" is served (got ${req.method} ${path})`, 404);
      }
      // A loopback-bound fake only answers loopback Host names, so a web page using DNS
      // rebinding cannot read it through the user's browser.
      if (loopbackOnly && !isLoopbackHost(req.headers.host)) {
        req.resume();
        throw new ServiceError(
          'AccessDeniedException',
          `Host ${JSON.stringify(req.headers.host ?? '')} is not served: this endpoint only answers loopback clients`,
          403,
        );
      }
      if (query) {
        const form = parseQueryBody(await readBody(req));
        operation = form.Action ?? '';
        entry.operation = operation;
        count(operation);
        delete form.Action;
        entry.params = form;
      } else entry.params = parseBody(await readBody(req));
      const change = await opts.intercept?.({ operation, params: entry.params, region: requestRegion, signal: closing.signal });
      if (change) {
        entry.fault = change.label;
        stats.faults++;
        op.faults++;
      }
      const throttled = !change?.bypassRateLimit && operation === 'LookupEvents' && !bucketFor(requestRegion).tryTake();
      const wait = latencyMs();
      if (wait > 0) await sleep(wait, undefined, { signal: closing.signal });
      if (change?.error) throw change.error;
      if (throttled) throw new ServiceError('ThrottlingException', 'Rate exceeded', 400);
      if (query) {
        const result = handleCloudFormation(operation, entry.params as Record<string, string>, cfnContext());
        change?.transform?.(result);
        const xml = xmlResponse(operation, result, requestId);
        if (change?.deliver) {
          finish(change.deliver(req, res, Buffer.from(xml), { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }));
          return;
        }
        finish(200);
        sendXml(200, xml);
        return;
      }
      const extra = Object.hasOwn(opts.operations ?? {}, operation) ? opts.operations?.[operation] : undefined;
      if (!extra && !(HANDLED as readonly string[]).includes(operation)) {
        throw new ServiceError(
          'UnknownOperationException',
          operation ? `Operation ${operation} is not supported by this CloudTrail endpoint` : 'Missing X-Amz-Target header',
        );
      }
      const params = change?.firstPage ? { ...entry.params, NextToken: undefined } : entry.params;
      const result = extra ? await extra(params, requestRegion) : handlers[operation as (typeof HANDLED)[number]](params, requestRegion);
      change?.transform?.(result as Record<string, unknown>);
      if (change?.deliver) {
        finish(change.deliver(req, res, Buffer.from(JSON.stringify(result)), { ...baseHeaders }));
        return;
      }
      finish(200);
      sendJson(200, result);
    } catch (err) {
      if (closing.signal.aborted) return;
      sendError(
        err instanceof ServiceError
          ? err
          : new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error.', 500),
      );
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    stats,
    requests,
    addRecords: (records) => {
      allRecords = [...allRecords, ...records];
      store.addRecords(records);
      regional.clear();
    },
    setRecords: (records) => {
      allRecords = [...records];
      store.setRecords(records);
      regional.clear();
    },
    setTrails: (next) => {
      trails = next;
    },
    setStacks: (next) => {
      stacks = next;
    },
    setLatency: (ms) => {
      latency = ms;
    },
    setRate: (rate, burst) => {
      limit = { rate, burst };
      bucket.configure(rate, burst);
      for (const b of regionalBuckets.values()) b.configure(rate, burst);
    },
    resetStats: () => {
      Object.assign(stats, emptyStats());
      stats.byOperation = {};
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closing.signal.aborted) return resolve();
        closing.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
