/**
 * Trail health: each trail of a connection (DescribeTrails with shadow trails) with its
 * GetTrailStatus, as plain data the Trails view and `trail-lens trails` render, and the one-line
 * warning `read` prints before the results when the trail that delivers the files is failing
 * (docs/cloudtrail.md §3, §10). Takes the connection as an interface: no SDK import here.
 */
import type { GetTrailStatusCommandOutput, Trail } from '@aws-sdk/client-cloudtrail';
import { TrailLensError, isAbortError, throwIfAborted } from '../errors';
import { formatUtc } from '../time';
import { ERROR_FIELDS, explainTrailError, type DeliveryKind, type Explanation, type TrailTarget } from './explain';

/** What health needs of a connection (core/aws.ts Connection has it). */
export interface TrailsApi {
  region: string;
  describeTrails(signal?: AbortSignal): Promise<Trail[]>;
  getTrailStatus(nameOrArn: string, signal?: AbortSignal): Promise<GetTrailStatusCommandOutput>;
}

export interface TrailProblem {
  kind: DeliveryKind;
  code: string;
  explanation: Explanation;
}

export interface TrailHealth {
  target: TrailTarget;
  name: string;
  arn: string | undefined;
  homeRegion: string | undefined;
  /** The trail's home Region is not the connection's: it is managed (and its status read) there. */
  shadow: boolean;
  organization: boolean;
  multiRegion: boolean;
  /** undefined when GetTrailStatus failed (statusError says why). */
  logging: boolean | undefined;
  latestDelivery: Date | undefined;
  latestDigestDelivery: Date | undefined;
  latestNotification: Date | undefined;
  latestCloudWatchLogsDelivery: Date | undefined;
  stoppedLogging: Date | undefined;
  problems: TrailProblem[];
  /** GetTrailStatus could not be read for this trail (AccessDenied, throttling, …): nothing else was lost. */
  statusError?: TrailLensError;
}

export interface TrailsReport {
  region: string;
  trails: TrailHealth[];
  /** Trails that are failing a delivery or not logging. */
  failing: TrailHealth[];
}

const RETRYABLE = new Set<TrailLensError['code']>(['Throttled', 'ServiceError', 'Network']);
const ATTEMPTS = 3;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new TrailLensError('Cancelled', 'Cancelled'));
      },
      { once: true },
    );
  });
}

/** Throttling, 5xx and network faults are retried with backoff (Describe/Get allow 10 requests/s); the last error says how often. */
async function withRetry<T>(run: () => Promise<T>, signal: AbortSignal | undefined, baseMs: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    try {
      return await run();
    } catch (err) {
      if (isAbortError(err)) throw err;
      const e = err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Trail status');
      if (!RETRYABLE.has(e.code) || attempt >= ATTEMPTS) {
        throw attempt > 1 ? new TrailLensError(e.code, `${e.message} (after ${attempt} attempts)`, { cause: e, hint: e.hint }) : e;
      }
      await sleep(baseMs * 2 ** (attempt - 1), signal);
    }
  }
}

function targetOf(t: Trail): TrailTarget {
  return {
    name: t.Name ?? t.TrailARN ?? '(unnamed trail)',
    arn: t.TrailARN,
    homeRegion: t.HomeRegion,
    bucket: t.S3BucketName,
    prefix: t.S3KeyPrefix,
    kmsKeyId: t.KmsKeyId,
    snsTopicArn: t.SnsTopicARN,
    logGroupArn: t.CloudWatchLogsLogGroupArn,
    logsRoleArn: t.CloudWatchLogsRoleArn,
  };
}

/** One trail's health from its description and status (pure). */
export function trailHealth(
  trail: Trail,
  status: GetTrailStatusCommandOutput | undefined,
  region: string,
  statusError?: TrailLensError,
): TrailHealth {
  const target = targetOf(trail);
  const problems: TrailProblem[] = [];
  if (status) {
    for (const kind of Object.keys(ERROR_FIELDS) as DeliveryKind[]) {
      const code = (status as unknown as Record<string, unknown>)[ERROR_FIELDS[kind]];
      if (typeof code === 'string' && code.trim())
        problems.push({ kind, code: code.trim(), explanation: explainTrailError(kind, code.trim(), target) });
    }
  }
  return {
    target,
    name: target.name,
    arn: trail.TrailARN,
    homeRegion: trail.HomeRegion,
    shadow: !!trail.HomeRegion && trail.HomeRegion !== region,
    organization: trail.IsOrganizationTrail === true,
    multiRegion: trail.IsMultiRegionTrail === true,
    logging: status ? status.IsLogging === true : undefined,
    latestDelivery: status?.LatestDeliveryTime,
    latestDigestDelivery: status?.LatestDigestDeliveryTime,
    latestNotification: status?.LatestNotificationTime,
    latestCloudWatchLogsDelivery: status?.LatestCloudWatchLogsDeliveryTime,
    stoppedLogging: status && status.IsLogging !== true ? status.StopLoggingTime : undefined,
    problems,
    statusError,
  };
}

export function isFailing(h: TrailHealth): boolean {
  return h.problems.length > 0 || h.logging === false;
}

/**
 * Every trail of the connection with its status. DescribeTrails failing (AccessDenied, throttling
 * that does not clear, the network) throws a TrailLensError naming the operation; a GetTrailStatus
 * failure stays with its trail (statusError) and the others are still read.
 */
export async function loadTrailHealth(api: TrailsApi, opts: { signal?: AbortSignal; retryBaseMs?: number } = {}): Promise<TrailsReport> {
  const base = opts.retryBaseMs ?? 500;
  const trails = await withRetry(() => api.describeTrails(opts.signal), opts.signal, base);
  const trailsHealth = await Promise.all(
    trails.map(async (t) => {
      // A shadow trail's status is read by its ARN (docs/cloudtrail.md §3).
      const name = t.TrailARN ?? t.Name ?? '';
      try {
        return trailHealth(t, await withRetry(() => api.getTrailStatus(name, opts.signal), opts.signal, base), api.region);
      } catch (err) {
        if (isAbortError(err)) throw err;
        return trailHealth(t, undefined, api.region, err instanceof TrailLensError ? err : TrailLensError.chain(err, 'GetTrailStatus'));
      }
    }),
  );
  trailsHealth.sort((a, b) => Number(isFailing(b)) - Number(isFailing(a)) || a.name.localeCompare(b.name));
  return { region: api.region, trails: trailsHealth, failing: trailsHealth.filter(isFailing) };
}

/** "14:05 UTC" within the day before `now`, else "2026-11-30 14:05 UTC". */
export function shortTime(d: Date, now: Date = new Date()): string {
  const text = formatUtc(d).replace(/:\d\d UTC$/, ' UTC');
  return now.getTime() - d.getTime() < 20 * 3600_000 && now.getTime() >= d.getTime() ? text.slice(11) : text;
}

/** The S3 delivery problem first (it is what loses files), then digests, then the rest. */
function mainProblem(h: TrailHealth): TrailProblem | undefined {
  const order: DeliveryKind[] = ['logs', 'digest', 'cloudWatchLogs', 'notification'];
  return [...h.problems].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0];
}

const SHORT: Record<DeliveryKind, string> = { logs: 'S3', digest: 'digest', notification: 'SNS', cloudWatchLogs: 'CloudWatch Logs' };

/** One line: "org-trail: failing since 14:05 UTC (AccessDenied)", "logging, delivered 14:05 UTC", … */
export function describeHealth(h: TrailHealth, now: Date = new Date()): string {
  if (h.statusError) return `status unknown: ${h.statusError.message}`;
  const main = mainProblem(h);
  const delivered = h.latestDelivery ? `last delivery ${shortTime(h.latestDelivery, now)}` : 'no delivery yet';
  if (h.logging === false) return `not logging${h.stoppedLogging ? ` since ${shortTime(h.stoppedLogging, now)}` : ''} · ${delivered}`;
  if (main) return `failing: ${h.problems.map((p) => `${SHORT[p.kind]} ${p.code}`).join(', ')} · ${delivered}`;
  return `logging · ${delivered}`;
}

/**
 * The warning before results read from a failing trail's files, or undefined when it is healthy:
 * "trail org-trail has not delivered since 14:05 UTC (AccessDenied): files after that time are missing".
 */
export function deliveryWarning(h: TrailHealth, now: Date = new Date()): string | undefined {
  const s3 = h.problems.find((p) => p.kind === 'logs');
  if (s3) {
    const since = h.latestDelivery ? ` since ${shortTime(h.latestDelivery, now)}` : '';
    return since
      ? `trail ${h.name} has not delivered${since} (${s3.code}): files after that time are missing`
      : `trail ${h.name} is failing to deliver (${s3.code}) and has no successful delivery on record: its files may all be missing`;
  }
  if (h.logging === false) {
    const since = h.stoppedLogging ? ` since ${shortTime(h.stoppedLogging, now)}` : '';
    return `trail ${h.name} is not logging${since}: ${since ? 'files after that time are missing' : 'no new files are being written'}`;
  }
  return undefined;
}
