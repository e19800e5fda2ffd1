/**
 * The fake CloudTrail endpoint the tests and benchmarks use: the product's loopback endpoint
 * (src/sample/endpoint/server.ts) with fault injection (./faults.ts) plugged into its `intercept`
 * hook — expired credentials, throttling, 5xx, slow or broken answers, runaway paging — and, with
 * the `lake` option, CloudTrail Lake's operations executed on DuckDB (./lake.ts).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  startCloudTrailEndpoint,
  type CloudTrailEndpoint,
  type CloudTrailEndpointOptions,
  type Interception,
} from '../../src/sample/endpoint/server';
import { FaultSet, type Fault, type FaultAction } from './faults';
import type { FakeLake, FakeLakeOptions } from './lake';

export type { Fault, FaultKind } from './faults';
export { signedRegion } from '../../src/sample/endpoint/server';

export interface FakeCloudTrailOptions extends Omit<CloudTrailEndpointOptions, 'intercept' | 'operations'> {
  faults?: Fault[];
  /** Serve CloudTrail Lake too (records default to the endpoint's). DuckDB is loaded only then. */
  lake?: Partial<FakeLakeOptions>;
}

export interface FakeCloudTrail extends CloudTrailEndpoint {
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** The Lake side, with the `lake` option. */
  lake?: FakeLake;
}

/** The NextToken a 'tokenLoop' fault repeats on every page. */
export const LOOP_TOKEN = 'bG9vcC10b2tlbi1sb29wLXRva2Vu';

const freshToken = (): string => randomBytes(24).toString('base64url');

/** Sends a 200 one byte at a time, intervalMs apart, until the body is out or the client goes away. */
function trickle(res: ServerResponse, body: Buffer, intervalMs: number, headers: Record<string, string>): number {
  res.writeHead(200, { ...headers, 'Content-Length': body.length });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(body.subarray(sent, sent + 1));
    if (++sent >= body.length) {
      clearInterval(timer);
      res.end();
    }
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
  return 200;
}

/** How the endpoint answers a request a fault applies to. */
function interception(action: FaultAction, signal: AbortSignal): Interception | Promise<Interception> {
  switch (action.kind) {
    case 'latency':
      // Late, then answered normally: the rate limit still applies.
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ label: 'latency' }), action.ms);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve({ label: 'latency' })), { once: true });
      });
    case 'error':
      return { label: action.source, bypassRateLimit: true, error: action.error };
    case 'dropConnection':
      return { label: action.kind, bypassRateLimit: true, deliver: (req: IncomingMessage) => (req.socket.destroy(), 0) };
    case 'truncatedBody':
      return {
        label: action.kind,
        bypassRateLimit: true,
        deliver: (_req, res, body, headers) => {
          res.writeHead(200, { ...headers, 'Content-Length': body.length });
          res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => res.socket?.destroy());
          return 200;
        },
      };
    case 'tokenLoop':
      // The first page whatever NextToken said, handing out a token that leads nowhere new.
      return {
        label: action.kind,
        bypassRateLimit: true,
        firstPage: true,
        transform: (answer) => {
          answer.NextToken = action.token === 'same' ? LOOP_TOKEN : freshToken();
          if (action.empty) answer.Events = [];
        },
      };
    case 'backwardsPage':
      return { label: action.kind, bypassRateLimit: true, firstPage: true, transform: (answer) => void (answer.NextToken = freshToken()) };
    case 'trickle':
      return {
        label: action.kind,
        bypassRateLimit: true,
        deliver: (_req, res, body, headers) => trickle(res, body, action.intervalMs, headers),
      };
    case 'malformedBody':
      return {
        label: action.kind,
        bypassRateLimit: true,
        deliver: (_req, res, _body, headers) => {
          res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(action.body) });
          res.end(action.body);
          return 200;
        },
      };
  }
}

export async function startFakeCloudTrail(opts: FakeCloudTrailOptions = {}): Promise<FakeCloudTrail> {
  const { faults: initial, lake: lakeOpts, ...endpointOpts } = opts;
  const faults = new FaultSet();
  for (const fault of initial ?? []) faults.add(fault);
  let lake: FakeLake | undefined;
  if (lakeOpts) {
    const { createFakeLake } = await import('./lake.js');
    lake = await createFakeLake({ records: opts.records ?? [], region: opts.region, accountId: opts.accountId, ...lakeOpts });
  }
  const endpoint = await startCloudTrailEndpoint({
    ...endpointOpts,
    ...(lake ? { operations: lake.operations } : {}),
    intercept: ({ operation, params, region, signal }) => {
      const action = faults.take({ operation, params, region });
      return action ? interception(action, signal) : undefined;
    },
  });
  const close = endpoint.close;
  return Object.assign(endpoint, {
    addFault: (fault: Fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    lake,
    close: async () => {
      await close();
      lake?.close();
    },
  });
}
