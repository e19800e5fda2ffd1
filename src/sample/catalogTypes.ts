/**
 * The shape of the operation catalogs: for each 'service:EventName', whether it is read-only and
 * how to fill requestParameters, responseElements and resources the way that service does.
 */
import type { Call, Caller, Env, Json } from './build';

export interface OpCtx {
  env: Env;
  caller: Caller;
  /** The call's request ID (EC2 echoes it in responseElements.requestId). */
  requestID: string;
  t: number;
}

export interface OpDef {
  ro: boolean;
  make?: (c: OpCtx) => Partial<Call>;
  /** An expected miss, e.g. NoSuchTagSet on a bucket without tags: [rate, errorCode, errorMessage]. */
  miss?: readonly [number, string, string | ((c: OpCtx) => string)];
  /** The ARN named in AccessDenied messages, when the action is on a resource. */
  target?: (c: OpCtx) => string | undefined;
}

export type Catalog = Record<string, OpDef>;

export function tags(pairs: Record<string, string>, keyName = 'key', valueName = 'value'): Json[] {
  return Object.entries(pairs).map(([k, v]) => ({ [keyName]: k, [valueName]: v }));
}
