/**
 * Small record builders for tests that talk to the fake endpoint. Dependency-free, like the
 * server, so any test tier (or a benchmark) can use them.
 */
import { randomUUID } from 'node:crypto';
import type { CloudTrailRecord, UserIdentity } from '../../src/core/record';

let sequence = 0;

/** A GUID-shaped, sortable event ID unique within the process. */
export function nextEventId(): string {
  sequence++;
  return `00000000-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

export const ACCOUNT = '123456789012';

export function iamUser(userName: string, accessKeyId = 'AKIAIOSFODNN7EXAMPLE'): UserIdentity {
  return {
    type: 'IAMUser',
    principalId: 'AIDAJ45Q7YFFAREXAMPLE',
    arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
    accountId: ACCOUNT,
    accessKeyId,
    userName,
  };
}

export function assumedRole(role: string, session: string, accessKeyId = 'ASIAEXAMPLEEXAMPLE01'): UserIdentity {
  return {
    type: 'AssumedRole',
    principalId: `AROAJIKPFTA72SWU4L7T4:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId,
    sessionContext: {
      attributes: { creationDate: '2024-08-08T05:00:00Z', mfaAuthenticated: 'false' },
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAJIKPFTA72SWU4L7T4',
        arn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        accountId: ACCOUNT,
        userName: role,
      },
    },
  };
}

export function rootUser(): UserIdentity {
  return { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
}

/**
 * A management-event record; `at` (Date or epoch ms) sets eventTime at second precision, as
 * CloudTrail writes it. Everything else can be overridden.
 */
export function makeRecord(overrides: Partial<CloudTrailRecord> & { at?: Date | number } = {}): CloudTrailRecord {
  const { at, ...rest } = overrides;
  const when = at === undefined ? new Date() : new Date(at);
  const eventTime = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    eventVersion: '1.11',
    userIdentity: iamUser('alice'),
    eventTime,
    eventSource: 'iam.amazonaws.com',
    eventName: 'GetUser',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { userName: 'alice' },
    responseElements: null,
    requestID: randomUUID(),
    eventID: nextEventId(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...rest,
  };
}
