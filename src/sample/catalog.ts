/**
 * The sample account's whole operation catalog (compute, data, operations) and one catalog
 * operation as one record, with the caller's error habits (denials, throttling, the operation's
 * own misses) applied. Everyday traffic, the noise and the story all make their records here.
 */
import type { CloudTrailRecord } from '../core/record';
import { buildRecord, denied, throttled } from './build';
import type { Call, Caller, Env } from './build';
import { COMPUTE } from './catalogCompute';
import { DATA } from './catalogData';
import { OPS } from './catalogOps';
import type { Catalog } from './catalogTypes';

export const CATALOG: Catalog = { ...COMPUTE, ...DATA, ...OPS };

export interface CallOptions {
  ua?: string;
  denyRate?: number;
  /** Only writes are denied (a read-only permission set), or any call (a too-narrow policy). */
  denyWritesOnly?: boolean;
  throttleRate?: number;
}

/** One catalog operation as one record, with the caller's error habits applied. */
export function catalogRecord(env: Env, caller: Caller, key: string, t: number, opts: CallOptions = {}): CloudTrailRecord {
  const def = CATALOG[key];
  if (!def) throw new Error(`sample catalog has no ${key}`);
  const [source, name] = key.split(':') as [string, string];
  const requestID = source === 's3' ? env.rng.upper(16) : env.rng.uuid();
  const ctx = { env, caller, requestID, t };
  const call: Call = { source, name, readOnly: def.ro, req: null, requestID, ua: opts.ua, ...def.make?.(ctx) };
  const { rng } = env;
  if (opts.denyRate && (!def.ro || !opts.denyWritesOnly) && rng.chance(opts.denyRate)) {
    Object.assign(call, denied(caller, source, name, def.target?.(ctx)));
  } else if (opts.throttleRate && rng.chance(opts.throttleRate)) {
    Object.assign(call, throttled(source));
  } else if (def.miss && rng.chance(def.miss[0])) {
    const message = def.miss[2];
    call.errorCode = def.miss[1];
    call.errorMessage = typeof message === 'function' ? message(ctx) : message;
  }
  return buildRecord(env, caller, t, call);
}
