/**
 * AWS JSON 1.1 wire helpers for the fake CloudTrail endpoint (docs/cloudtrail.md §2).
 * Dependency-free: the extension bundles this folder for its sample-account mode.
 */

/** An error the service answers with: `{"__type": code, "message": …}` plus `x-amzn-ErrorType`. */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.status = status;
  }
}

export const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Largest request body accepted; real CloudTrail requests are a few hundred bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The operation named by `X-Amz-Target`: the part after the last `.`, so that both
 * `CloudTrail_20131101.LookupEvents` (JS v3) and the botocore long form are accepted.
 */
export function operationFromTarget(target: string | undefined): string | undefined {
  if (!target) return undefined;
  const op = target.slice(target.lastIndexOf('.') + 1).trim();
  return op.length > 0 ? op : undefined;
}

/** Parses a request body; `{}` for an empty body, as botocore and JS v3 both send `{}`. */
export function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ServiceError('SerializationException', 'Request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ServiceError('SerializationException', 'Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * An epoch-seconds timestamp member as epoch milliseconds. botocore sends integers, JS v3 may
 * send fractions (`date.getTime()/1000`), and numeric strings are tolerated (docs/cloudtrail.md §2.1).
 */
export function epochMillis(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) {
    throw new ServiceError('SerializationException', `${member} must be a timestamp in epoch seconds`);
  }
  return Math.round(n * 1000);
}

/** Epoch milliseconds as the JSON number of epoch seconds that real responses carry. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** A Date, ISO string or epoch-milliseconds number (as tests and options give times) in epoch ms. */
export function toMillis(value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function optionalString(params: Record<string, unknown>, member: string): string | undefined {
  const value = params[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ServiceError('SerializationException', `${member} must be a string`);
  return value;
}
