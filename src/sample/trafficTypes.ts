/**
 * What one source of everyday traffic is: its share of the traffic, its rhythm, the size and pace
 * of its bursts, the operations it calls (weighted), who it calls as, and its tools and error
 * habits. The sources are in trafficPeople.ts, trafficCi.ts, trafficIntegrations.ts and
 * trafficWorkloads.ts; traffic.ts mixes them.
 */
import type { CloudTrailRecord } from '../core/record';
import type { Caller, Env } from './build';
import type { CallOptions } from './catalog';
import type { Rhythm } from './rhythm';

export interface Profile {
  share: number;
  rhythm: Rhythm;
  burst: [number, number];
  /** Seconds between calls in a burst. */
  gap: [number, number];
  ops: readonly (readonly [string, number])[];
  session: (env: Env, t: number) => Caller;
  uaFor?: (source: string, name: string) => string;
  opts?: CallOptions;
  /** Records that open a session, e.g. the OIDC sign-in of a CI run. */
  prelude?: (env: Env, caller: Caller, t: number) => CloudTrailRecord[];
  /** Records a service makes on the caller's behalf right after a call (Secrets Manager → KMS). */
  follow?: (env: Env, caller: Caller, key: string, record: CloudTrailRecord, t: number) => CloudTrailRecord[];
  /** A session that is one record, made here rather than from `ops` (an AWS service assuming a role). */
  single?: (env: Env, caller: Caller, t: number) => CloudTrailRecord;
}

/** Adds `writes` to `reads` so that they make `writeShare` of the weight. */
export const withWrites = (reads: [string, number][], writes: [string, number][], writeShare: number): [string, number][] => {
  const rw = reads.reduce((s, [, w]) => s + w, 0);
  const ww = writes.reduce((s, [, w]) => s + w, 0);
  return [...reads, ...writes.map(([k, w]): [string, number] => [k, (w / ww) * rw * (writeShare / (1 - writeShare))])];
};
