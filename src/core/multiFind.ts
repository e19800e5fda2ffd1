/**
 * One request ID across many accounts (profiles) and Regions at once. LookupEvents sees one account
 * and Region, and its 2 requests/s limit is per account and Region too: so every target runs its own
 * findRequest, in parallel, each paced by its own account+Region limiter (two profiles of one
 * account share one — and search it once). The first hit cancels the rest. A target that fails
 * (access denied, an opt-in Region not enabled) is kept with its reason; the others go on.
 */
import { GLOBAL_SERVICE_REGION } from './awsRegions';
import { TrailLensError, describeError, isAbortError } from './errors';
import { findRequest, type FindDeps, type FindOptions, type FindResult } from './find';
import {
  describeNowhere,
  isNotEnabledError,
  searchesGlobalFirst,
  targetLabel,
  type SearchTarget,
  type TargetState,
} from './regionSearchReport';

/** What a target needs to search: its lookup, limiter and cache, and the key its budget is shared under. */
export interface TargetDeps extends FindDeps {
  /** The account+Region key (Connection.sharedKey): two targets with one key search once. */
  key: string;
  /** The Region the connection resolved (the target's). */
  region: string;
}

export interface MultiFindOptions extends Omit<FindOptions, 'region' | 'onProgress'> {
  targets: readonly SearchTarget[];
  /** Opens a target's connection; an error here is that target's failure. */
  open(target: SearchTarget, signal: AbortSignal): Promise<TargetDeps>;
  /** Called after the search, for every target opened. */
  close?(target: SearchTarget): void | Promise<void>;
  /** Every change of any target's state (the states array is live: read, do not keep). */
  onProgress?(changed: TargetState, all: readonly TargetState[]): void;
}

export interface MultiFindResult {
  requestId: string;
  /** The hit, with the target it was found in. */
  found?: { target: SearchTarget; result: FindResult };
  states: TargetState[];
  /** Found: where; else what was searched everywhere and what could not be. */
  summary: string;
  /** Every target failed with an error (none searched, none found). */
  allFailed: boolean;
  /** Not found, and some Region's miss may be CloudTrail's delivery lag. */
  pending?: FindResult['pending'];
  /** The not-found results, for their suggestions. */
  results: FindResult[];
  calls: number;
  elapsedMs: number;
}

export async function findRequestEverywhere(opts: MultiFindOptions): Promise<MultiFindResult> {
  const started = performance.now();
  const id = opts.requestId.trim();
  const states: TargetState[] = opts.targets.map((target) => ({ target, status: 'waiting', calls: 0, pages: 0 }));
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const keys = new Map<string, SearchTarget>();
  const results: FindResult[] = [];
  let found: MultiFindResult['found'];
  const changed = (s: TargetState) => opts.onProgress?.(s, states);

  const run = async (state: TargetState): Promise<void> => {
    const { target } = state;
    let deps: TargetDeps | undefined;
    try {
      deps = await opts.open(target, signal);
      const same = keys.get(deps.key);
      if (same) {
        Object.assign(state, { status: 'same-account', sameAs: same });
        return changed(state);
      }
      keys.set(deps.key, target);
      state.status = 'searching';
      changed(state);
      const result = await findRequest(deps, {
        ...opts,
        requestId: id,
        region: deps.region,
        signal,
        onProgress: (p) => {
          Object.assign(state, { progress: p, calls: p.calls, pages: p.pages });
          changed(state);
        },
      });
      Object.assign(state, { calls: result.calls, pages: result.pages });
      if (result.record && !found) {
        found = { target, result };
        state.status = 'found';
        stop.abort();
      } else {
        state.status = 'not-found';
        state.summary = `${targetLabel(target)}: ${result.summary.replace(/^No event with request ID \S+ in \S+: /, '')}`;
        results.push(result);
      }
    } catch (err) {
      if (isAbortError(err) && stop.signal.aborted && !opts.signal?.aborted) state.status = 'cancelled';
      else if (isAbortError(err)) throw err;
      else if (isNotEnabledError(err, target.region)) state.status = 'not-enabled';
      else Object.assign(state, { status: 'failed', reason: describeError(err).split('\n')[0] });
    } finally {
      if (deps) await opts.close?.(target);
    }
    changed(state);
  };

  // A global service's calls are in us-east-1 only: search it first, the rest only if it misses.
  const first = searchesGlobalFirst(opts.hints.eventSource) ? states.filter((s) => s.target.region === GLOBAL_SERVICE_REGION) : [];
  const rest = states.filter((s) => !first.includes(s));
  try {
    for (const phase of [first, rest]) {
      if (found) break;
      const outcomes = await Promise.allSettled(phase.map(run));
      const thrown = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (thrown) throw thrown.reason;
    }
  } catch (err) {
    if (isAbortError(err)) throw new TrailLensError('Cancelled', 'Search cancelled', { cause: err });
    throw err;
  }
  for (const s of states) {
    if (s.status !== 'waiting') continue;
    s.status = 'cancelled';
    changed(s);
  }
  const calls = states.reduce((n, s) => n + s.calls, 0);
  const elapsedMs = performance.now() - started;
  const seconds = `${(elapsedMs / 1000).toFixed(1)} s`;
  const summary = found
    ? `Found ${id} in ${targetLabel(found.target)} — ${states.length} target${states.length === 1 ? '' : 's'} searched in parallel, ${calls} call${calls === 1 ? '' : 's'}, ${seconds}`
    : `${describeNowhere(id, states)}\n  ${calls} calls, ${seconds}`;
  const allFailed = !found && states.every((s) => s.status === 'failed' || s.status === 'not-enabled' || s.status === 'same-account');
  return {
    requestId: id,
    found,
    states,
    summary,
    allFailed,
    pending: found ? undefined : results.find((r) => r.pending)?.pending,
    results,
    calls,
    elapsedMs,
  };
}
