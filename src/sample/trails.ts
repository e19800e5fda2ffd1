/**
 * The sample account's trails: a healthy multi-Region trail, and an organisation trail whose S3
 * delivery has failed with AccessDenied since a little after two hours before the sample's `now`
 * (a bucket-policy change silently stops delivery). `writeTrailLogs` takes the layout
 * of either, so reading the org trail's files shows the gap the failure leaves.
 */
import type { SampleAccount } from './account';
import type { FakeTrail } from './endpoint/trails';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const SAMPLE_ORG_ID = 'o-a1b2c3d4e5';
export const SAMPLE_HEALTHY_TRAIL = 'management-events';
export const SAMPLE_FAILING_TRAIL = 'org-trail';
/** The organisation trail's home Region: not the sample's, so it shows as a shadow trail there. */
const ORG_HOME = 'us-east-1';

/** When the org trail's last delivery succeeded: HH:05 UTC, two hours before the sample's current hour. */
export function sampleFailureTime(account: Pick<SampleAccount, 'end'>): Date {
  return new Date(Math.floor(account.end.getTime() / HOUR) * HOUR - 2 * HOUR + 5 * MINUTE);
}

/** Where a sample trail's files go: its bucket, its organisation folder, and (failing trail) when delivery stopped. */
export interface SampleTrailLayout {
  bucket: string;
  orgId?: string;
  /** Files delivered at or after this time, and digests ending after it, are not written. */
  until?: Date;
}

export function sampleTrailLayout(account: SampleAccount, trail: string): SampleTrailLayout {
  if (trail === SAMPLE_FAILING_TRAIL) {
    return { bucket: `${SAMPLE_ORG_ID}-org-trail-logs`, orgId: SAMPLE_ORG_ID, until: sampleFailureTime(account) };
  }
  return { bucket: `aws-cloudtrail-logs-${account.accountId}-7f3a9c21` };
}

export function sampleTrails(account: SampleAccount): FakeTrail[] {
  const { accountId } = account;
  const failedAt = sampleFailureTime(account).getTime();
  return [
    {
      Name: SAMPLE_HEALTHY_TRAIL,
      HomeRegion: account.region,
      S3BucketName: sampleTrailLayout(account, SAMPLE_HEALTHY_TRAIL).bucket,
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
      status: (now) => ({
        IsLogging: true,
        LatestDeliveryTime: now.getTime() - 4 * MINUTE,
        LatestDigestDeliveryTime: Math.floor((now.getTime() - 7 * MINUTE) / HOUR) * HOUR + 7 * MINUTE,
        StartLoggingTime: now.getTime() - 400 * DAY,
      }),
    },
    {
      Name: SAMPLE_FAILING_TRAIL,
      HomeRegion: ORG_HOME,
      TrailARN: `arn:aws:cloudtrail:${ORG_HOME}:${accountId}:trail/${SAMPLE_FAILING_TRAIL}`,
      S3BucketName: sampleTrailLayout(account, SAMPLE_FAILING_TRAIL).bucket,
      KmsKeyId: `arn:aws:kms:${ORG_HOME}:${accountId}:key/5f0c1e2d-7a3b-4c5d-9e8f-0a1b2c3d4e5f`,
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      HasCustomEventSelectors: true,
      HasInsightSelectors: false,
      IsOrganizationTrail: true,
      status: (now) => ({
        IsLogging: true,
        LatestDeliveryError: 'AccessDenied',
        LatestDigestDeliveryError: 'AccessDenied',
        LatestDeliveryTime: failedAt,
        LatestDigestDeliveryTime: failedAt - 5 * MINUTE + 2 * MINUTE,
        // CloudTrail keeps trying: the last attempt is recent, the last success is the failure time.
        LatestDeliveryAttemptTime: now.getTime() - 3 * MINUTE,
        StartLoggingTime: now.getTime() - 200 * DAY,
      }),
    },
  ];
}
