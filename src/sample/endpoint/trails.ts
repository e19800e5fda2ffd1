/**
 * DescribeTrails, GetTrailStatus and ListTrails (docs/cloudtrail.md §3). Trails are configured by
 * the test or the sample account; the extension uses them for its "is logging?" health checks.
 */
import { ServiceError, epochSeconds, optionalString, toMillis } from './protocol';

type Time = Date | string | number;

/** GetTrailStatus fields; times are Dates, ISO strings or epoch milliseconds. */
export interface FakeTrailStatus {
  IsLogging?: boolean;
  /** An S3 error code such as "AccessDenied" or "NoSuchBucket". */
  LatestDeliveryError?: string;
  LatestNotificationError?: string;
  LatestDeliveryTime?: Time;
  LatestNotificationTime?: Time;
  StartLoggingTime?: Time;
  StopLoggingTime?: Time;
  LatestCloudWatchLogsDeliveryError?: string;
  LatestCloudWatchLogsDeliveryTime?: Time;
  LatestDigestDeliveryTime?: Time;
  LatestDigestDeliveryError?: string;
  /**
   * The deprecated string members (ISO 8601, "2016-01-28T23:02:24Z" on the wire). Each defaults to
   * the time it stands for: the attempt and success times to LatestDeliveryTime /
   * LatestNotificationTime, TimeLoggingStarted/Stopped to StartLoggingTime/StopLoggingTime.
   */
  LatestDeliveryAttemptTime?: Time;
  LatestDeliveryAttemptSucceeded?: Time;
  LatestNotificationAttemptTime?: Time;
  LatestNotificationAttemptSucceeded?: Time;
  TimeLoggingStarted?: Time;
  TimeLoggingStopped?: Time;
}

/** Deprecated string members and the timestamp each defaults to. */
const DEPRECATED_STRINGS: Record<string, keyof FakeTrailStatus> = {
  LatestDeliveryAttemptTime: 'LatestDeliveryTime',
  LatestDeliveryAttemptSucceeded: 'LatestDeliveryTime',
  LatestNotificationAttemptTime: 'LatestNotificationTime',
  LatestNotificationAttemptSucceeded: 'LatestNotificationTime',
  TimeLoggingStarted: 'StartLoggingTime',
  TimeLoggingStopped: 'StopLoggingTime',
};

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A trail as DescribeTrails returns it (wire member names), plus its status. */
export interface FakeTrail {
  Name: string;
  /** Default arn:aws:cloudtrail:<HomeRegion>:<accountId>:trail/<Name>. */
  TrailARN?: string;
  /** Default: the server's region. A multi-region trail from another region is a shadow trail. */
  HomeRegion?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  SnsTopicARN?: string;
  IncludeGlobalServiceEvents?: boolean;
  IsMultiRegionTrail?: boolean;
  LogFileValidationEnabled?: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  HasCustomEventSelectors?: boolean;
  HasInsightSelectors?: boolean;
  IsOrganizationTrail?: boolean;
  /** Fixed, or computed per request from the server's clock. Default: logging, delivered minutes ago. */
  status?: FakeTrailStatus | ((now: Date) => FakeTrailStatus);
}

export interface TrailContext {
  trails: readonly FakeTrail[];
  region: string;
  accountId: string;
  now: Date;
}

/** The trail a fresh account set up through the console usually has. */
export function defaultTrails(accountId: string): FakeTrail[] {
  return [
    {
      Name: 'management-events',
      S3BucketName: `aws-cloudtrail-logs-${accountId}-7f3a9c21`,
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
      status: (now) => ({
        IsLogging: true,
        LatestDeliveryTime: now.getTime() - 4 * 60_000,
        LatestDigestDeliveryTime: now.getTime() - 38 * 60_000,
        StartLoggingTime: now.getTime() - 400 * 86_400_000,
      }),
    },
  ];
}

function homeRegion(trail: FakeTrail, ctx: TrailContext): string {
  return trail.HomeRegion ?? ctx.region;
}

function trailArn(trail: FakeTrail, ctx: TrailContext): string {
  return trail.TrailARN ?? `arn:aws:cloudtrail:${homeRegion(trail, ctx)}:${ctx.accountId}:trail/${trail.Name}`;
}

function findTrail(nameOrArn: string, ctx: TrailContext): FakeTrail | undefined {
  return ctx.trails.find((t) => t.Name === nameOrArn || trailArn(t, ctx) === nameOrArn);
}

function describe(trail: FakeTrail, ctx: TrailContext): Record<string, unknown> {
  const { status: _status, ...wire } = trail;
  const out: Record<string, unknown> = { ...wire, HomeRegion: homeRegion(trail, ctx), TrailARN: trailArn(trail, ctx) };
  // The deprecated SnsTopicName accompanies SnsTopicARN in real responses.
  if (trail.SnsTopicARN) out.SnsTopicName = trail.SnsTopicARN.slice(trail.SnsTopicARN.lastIndexOf(':') + 1);
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

export function describeTrails(params: Record<string, unknown>, ctx: TrailContext): Record<string, unknown> {
  const names = params.trailNameList;
  if (names !== undefined && names !== null && !Array.isArray(names)) {
    throw new ServiceError('SerializationException', 'trailNameList must be a list');
  }
  const includeShadow = params.includeShadowTrails !== false;
  let trails = ctx.trails.filter((t) => includeShadow || homeRegion(t, ctx) === ctx.region);
  if (Array.isArray(names) && names.length > 0) {
    const wanted = new Set(names.filter((n): n is string => typeof n === 'string'));
    trails = trails.filter((t) => wanted.has(t.Name) || wanted.has(trailArn(t, ctx)));
  }
  return { trailList: trails.map((t) => describe(t, ctx)) };
}

export function listTrails(_params: Record<string, unknown>, ctx: TrailContext): Record<string, unknown> {
  return {
    Trails: ctx.trails.map((t) => ({ TrailARN: trailArn(t, ctx), Name: t.Name, HomeRegion: homeRegion(t, ctx) })),
  };
}

export function getTrailStatus(params: Record<string, unknown>, ctx: TrailContext): Record<string, unknown> {
  const name = optionalString(params, 'Name');
  if (!name) throw new ServiceError('InvalidTrailNameException', 'Name is required: give the name or ARN of a trail.');
  const found = findTrail(name, ctx);
  // A shadow trail (home Region elsewhere) is only found by its ARN, as on AWS (docs/cloudtrail.md §3).
  const trail = found && found.Name === name && !name.startsWith('arn:') && homeRegion(found, ctx) !== ctx.region ? undefined : found;
  if (!trail) {
    const arn = name.startsWith('arn:') ? name : `arn:aws:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${name}`;
    throw new ServiceError('TrailNotFoundException', `Unknown trail: ${arn} for the user: ${ctx.accountId}`, 404);
  }
  const status = typeof trail.status === 'function' ? trail.status(ctx.now) : (trail.status ?? {});
  const out: Record<string, unknown> = { IsLogging: status.IsLogging ?? true };
  for (const [key, value] of Object.entries(status)) {
    if (key === 'IsLogging' || value === undefined || key in DEPRECATED_STRINGS) continue;
    if (key.endsWith('Time')) {
      const ms = toMillis(value as Time);
      if (ms !== undefined) out[key] = epochSeconds(ms);
    } else out[key] = value;
  }
  for (const [key, from] of Object.entries(DEPRECATED_STRINGS)) {
    const ms = toMillis((status[key as keyof FakeTrailStatus] ?? status[from]) as Time | undefined);
    if (ms !== undefined) out[key] = isoSeconds(ms);
  }
  return out;
}
