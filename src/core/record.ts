/**
 * The CloudTrail record model (CLOUDTRAIL.md §4) and the parsers for every input shape.
 * Records are plain objects exactly as CloudTrail wrote them; helpers below read them safely.
 */

export interface SessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  identityProvider?: string;
  sessionContext?: {
    attributes?: { creationDate?: string; mfaAuthenticated?: string };
    sessionIssuer?: SessionIssuer;
    webIdFederationData?: Record<string, unknown>;
    sourceIdentity?: string;
  };
  [key: string]: unknown;
}

export interface ResourceRef {
  ARN?: string;
  accountId?: string;
  type?: string;
}

export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: UserIdentity;
  /** ISO 8601 UTC, e.g. 2024-08-08T05:49:02Z */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID: string;
  readOnly?: boolean;
  resources?: ResourceRef[];
  eventType?: string;
  managementEvent?: boolean;
  recipientAccountId?: string;
  sharedEventID?: string;
  vpcEndpointId?: string;
  eventCategory?: string;
  [key: string]: unknown;
}

/** The eight LookupEvents attribute keys (CLOUDTRAIL.md §1.1). */
export const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  key: AttributeKey;
  value: string;
}

/** The literal values services put in place of sensitive fields (CLOUDTRAIL.md §4). */
export const REDACTION_MARKERS = ['HIDDEN_DUE_TO_SECURITY_REASONS', '<sensitiveDataRemoved>'] as const;

export function isRedacted(value: unknown): boolean {
  return typeof value === 'string' && (REDACTION_MARKERS as readonly string[]).includes(value);
}

/** Epoch milliseconds of a record's eventTime (NaN if unparseable). */
export function recordTime(record: CloudTrailRecord): number {
  return Date.parse(record.eventTime);
}
