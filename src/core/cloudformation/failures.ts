/**
 * Each failed resource of a stack operation → the CloudTrail event of the call that failed.
 *
 * 1. The status reason carries the request ID (most resource handlers' messages do): findRequest with
 *    the reason's `Service:` as the event source and the stack event's timestamp as the time, in one
 *    window from 10 minutes before to 2 minutes after it, never widened (usually one LookupEvents call).
 * 2. It carries none (`Internal Failure`, a handler that crashed, a custom resource): correlation. Every
 *    page of LookupEvents `ReadOnly = false` from 5 minutes before the failure to 2 minutes after, kept
 *    when the call failed and CloudFormation made it (invokedBy / sourceIPAddress
 *    cloudformation.amazonaws.com) or the stack's service role did, ranked by resource identity (the
 *    physical ID, then the logical ID in the request, then the resource type's service) and by time.
 *    A candidate must match the resource or its service: a failed call of another service nearby is
 *    not evidence. `searched` says what was read.
 */
import { TrailLensError, isAbortError } from '../errors';
import { findRequest } from '../find';
import { collectHints, type SearchHints } from '../hints';
import { DELIVERY_LAG_MS } from '../limits';
import { sharedLimiter } from '../limiter';
import { describeQuery, lookupPages, type LookupQuery } from '../lookup';
import type { CloudTrailRecord } from '../record';
import { formatWindow } from '../time';
import { readStatusReason, resourceTypeEventSource } from './reason';
import { operationFailures, type FailedResourceEvent } from './stacks';
import type { StackConnection, StackFailure, StackFailuresOptions } from './types';

const MINUTE = 60_000;
/** The request-ID window around the stack event: the call comes before the event that reports it. */
export const REQUEST_WINDOW = { beforeMs: 10 * MINUTE, afterMs: 2 * MINUTE };
/** The correlation window (cdk diagnose's): 5 minutes before the failure to 2 minutes after. */
export const CORRELATION_WINDOW = { beforeMs: 5 * MINUTE, afterMs: 2 * MINUTE };
export const CLOUDFORMATION = 'cloudformation.amazonaws.com';

/** A failed write call CloudFormation (or the stack's service role) made. */
export function madeByStack(record: CloudTrailRecord, roleArn: string | undefined): boolean {
  if (!record.errorCode) return false;
  const id = record.userIdentity;
  if (id?.invokedBy === CLOUDFORMATION || record.sourceIPAddress === CLOUDFORMATION) return true;
  return !!roleArn && id?.sessionContext?.sessionIssuer?.arn === roleArn;
}

export interface Candidate {
  record: CloudTrailRecord;
  score: number;
  /** Why it ranks where it does, for tests and `searched`. */
  why: string[];
}

/**
 * How well a candidate call fits a failure, or undefined when nothing ties it to the resource.
 * Identity first (the physical ID anywhere in the request, response or resources: 100; the logical ID
 * in the request: 60, as CloudFormation's generated names hold it; the resource type's service: 30),
 * then time: minus one point per 10 s away (calls after the stack event count double, as the call
 * comes first).
 */
export function scoreCandidate(failure: FailedResourceEvent, record: CloudTrailRecord): Candidate | undefined {
  const why: string[] = [];
  let identity = 0;
  const request = JSON.stringify(record.requestParameters ?? {});
  const around = `${request}${JSON.stringify(record.responseElements ?? {})}${JSON.stringify(record.resources ?? [])}`;
  const physical = failure.physicalResourceId;
  if (physical && physical.length >= 3 && around.includes(physical)) {
    identity += 100;
    why.push('physical ID');
  }
  if (failure.logicalResourceId.length >= 3 && request.toLowerCase().includes(failure.logicalResourceId.toLowerCase())) {
    identity += 60;
    why.push('logical ID in the request');
  }
  const source = resourceTypeEventSource(failure.resourceType);
  if (source && source !== CLOUDFORMATION && record.eventSource === source) {
    identity += 30;
    why.push(`service ${source}`);
  }
  if (identity === 0) return undefined;
  const delta = Date.parse(record.eventTime) - failure.timestamp.getTime();
  const seconds = Math.abs(delta) / 1000;
  const score = identity - (seconds / 10) * (delta > 0 ? 2 : 1);
  why.push(`${Math.round(seconds)} s ${delta > 0 ? 'after' : 'before'}`);
  return { record, score, why };
}

/** The best candidates, best first; equal scores go to the call nearest in time. */
export function rankCandidates(failure: FailedResourceEvent, records: readonly CloudTrailRecord[]): Candidate[] {
  const t = failure.timestamp.getTime();
  return records
    .map((r) => scoreCandidate(failure, r))
    .filter((c): c is Candidate => !!c)
    .sort((a, b) => b.score - a.score || Math.abs(Date.parse(a.record.eventTime) - t) - Math.abs(Date.parse(b.record.eventTime) - t));
}

/** Merges overlapping windows (sorted by start). */
function mergeWindows(windows: { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const w of [...windows].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && w.start <= last.end + 1000) last.end = Math.max(last.end, w.end);
    else out.push({ ...w });
  }
  return out;
}

/**
 * The failed resources of one operation of a stack (default its last), each with its CloudTrail
 * event, oldest failure first. Throws a TrailLensError for AWS errors (CloudFormation's or
 * CloudTrail's) and Cancelled on the signal.
 */
export async function stackFailures(connection: StackConnection, stack: string, opts: StackFailuresOptions = {}): Promise<StackFailure[]> {
  const now = (opts.now ?? new Date()).getTime();
  const limiter = opts.limiter ?? sharedLimiter(connection.sharedKey);
  const { stack: found, failures } = await operationFailures(connection, stack, { operationId: opts.operationId, signal: opts.signal });
  const roleArn = found.RoleARN;
  const total = failures.length;
  let calls = 0;
  const progress = (index: number, f: FailedResourceEvent, step: string) =>
    opts.onProgress?.({ index: index + 1, total, logicalResourceId: f.logicalResourceId, step, calls });

  const results: StackFailure[] = failures.map((f) => {
    const facts = readStatusReason(f.statusReason);
    return {
      ...f,
      ...(facts.requestId ? { requestId: facts.requestId } : {}),
      matchedBy: null,
      event: null,
      searched: '',
      ...(facts.logStream ? { logStream: facts.logStream } : {}),
      deliveryMayLag: now - f.timestamp.getTime() < DELIVERY_LAG_MS,
      calls: 0,
    };
  });

  try {
    // 1. By request ID.
    for (const [i, r] of results.entries()) {
      if (!r.requestId) continue;
      const t = r.timestamp.getTime();
      const hints: SearchHints = {
        ...collectHints(r.statusReason, { now: new Date(now) }),
        times: [r.timestamp],
        zoneKnown: true,
        window: { start: new Date(t - REQUEST_WINDOW.beforeMs), end: new Date(Math.min(now, t + REQUEST_WINDOW.afterMs)) },
      };
      const before = calls;
      const out = await findRequest(
        { lookupEvents: connection.lookupEvents, limiter, cache: opts.cache },
        {
          requestId: r.requestId,
          hints,
          region: connection.region,
          signal: opts.signal,
          now: new Date(now),
          requestedAt: r.timestamp,
          widen: false,
          onProgress: (p) => {
            calls = before + p.calls;
            progress(i, r, p.step);
          },
        },
      );
      calls = before + out.calls;
      r.calls = out.calls;
      r.event = out.record ?? null;
      r.matchedBy = out.record ? 'requestID' : null;
      // A global service's calls (IAM, STS, …) are recorded in us-east-1 whatever the stack's Region.
      const global = out.record ? undefined : out.suggestions.find((x) => /global service/.test(x));
      r.searched = global ? `${out.summary}. ${global}` : out.summary;
    }

    // 2. By correlation, one read of every page over the merged windows of the failures left.
    const open = results.filter((r) => !r.requestId);
    if (open.length) {
      const claimed = new Set(results.flatMap((r) => (r.event ? [r.event.eventID] : [])));
      const windows = mergeWindows(
        open.map((r) => ({
          start: r.timestamp.getTime() - CORRELATION_WINDOW.beforeMs,
          end: Math.min(now, r.timestamp.getTime() + CORRELATION_WINDOW.afterMs),
        })),
      );
      const candidates: CloudTrailRecord[] = [];
      const read: string[] = [];
      let pages = 0;
      let events = 0;
      const before = calls;
      for (const w of windows) {
        const query: LookupQuery = { attribute: { key: 'ReadOnly', value: 'false' }, start: new Date(w.start), end: new Date(w.end) };
        const feed = opts.cache?.feed(query);
        let windowPages = 0;
        const base = calls;
        for await (const page of lookupPages(connection.lookupEvents, query, {
          limiter,
          signal: opts.signal,
          onProgress: (p) => {
            calls = base + p.calls;
            progress(results.indexOf(open[0]), open[0], `${describeQuery(query)} · page ${p.pages || 1}`);
          },
        })) {
          windowPages++;
          events += page.records.length;
          await feed?.add(page.records);
          for (const rec of page.records) if (madeByStack(rec, roleArn) && !claimed.has(rec.eventID)) candidates.push(rec);
        }
        await feed?.complete();
        pages += windowPages;
        read.push(`${formatWindow({ start: query.start, end: query.end })} (${windowPages} page${windowPages === 1 ? '' : 's'})`);
      }
      const who = roleArn ? `CloudFormation or its service role ${roleArn}` : 'CloudFormation';
      const scanned = `ReadOnly = false, every page: ${read.join('; ')} — ${events} events, ${candidates.length} failed call${candidates.length === 1 ? '' : 's'} by ${who}`;
      // Greedy: the strongest pairing first, so one call explains at most one failure.
      const pairs = open.flatMap((r) => rankCandidates(r, candidates).map((c) => ({ r, c })));
      pairs.sort((a, b) => b.c.score - a.c.score);
      const used = new Set<string>();
      for (const { r, c } of pairs) {
        if (r.event || used.has(c.record.eventID)) continue;
        const inWindow =
          Date.parse(c.record.eventTime) >= r.timestamp.getTime() - CORRELATION_WINDOW.beforeMs &&
          Date.parse(c.record.eventTime) <= r.timestamp.getTime() + CORRELATION_WINDOW.afterMs;
        if (!inWindow) continue;
        r.event = c.record;
        r.matchedBy = 'correlation';
        used.add(c.record.eventID);
        r.searched = `Correlated (${c.why.join(', ')}): ${scanned}`;
      }
      const share = Math.ceil((calls - before) / open.length);
      for (const r of open) {
        r.calls = share;
        if (!r.event) r.searched = `No failed call by ${who} matches ${r.logicalResourceId} (${r.resourceType}): ${scanned}`;
      }
      if (!pages) for (const r of open) r.searched ||= 'Nothing to read: the window is in the future';
    }
  } catch (err) {
    if (isAbortError(err)) throw new TrailLensError('Cancelled', 'Search cancelled', { cause: err });
    throw err;
  }
  return results;
}
