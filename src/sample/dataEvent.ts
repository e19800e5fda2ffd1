/**
 * A data event in the sample account: the orders worker's nightly export reads an object from the
 * data-lake bucket and S3 refuses it (the bucket policy allows only the export role). The trail logs
 * S3 object calls, so the call is in its log files — and in Athena, CloudWatch Logs and Lake over
 * them — but LookupEvents returns management events only, so event history never shows it. Its
 * request ID is what the request-ID jump routes to an engine (docs/engines.md, "The sample account").
 */
import type { CloudTrailRecord } from '../core/record';
import { buildRecord, roleCaller, UA } from './build';
import type { Env } from './build';

/** The refused GetObject's request ID: an S3 request ID (16 upper-case hex characters), as CloudTrail stores it. */
export const DATA_EVENT_REQUEST_ID = 'B7D2A9CE41F8D3FA';
/** The object the export tried to read. */
export const DATA_EVENT_KEY = 'exports/orders/daily/orders-latest.csv.gz';

/** The refused read, `minutesBefore` minutes before `failAt` (the story's failure); none when that is before `start`. */
export function dataEvents(env: Env, failAt: number, start: number, minutesBefore = 50): CloudTrailRecord[] {
  const at = failAt - minutesBefore * 60_000;
  if (at <= start) return [];
  const { inv, accountId } = env;
  const bucket = 'orders-data-lake-raw';
  const worker = roleCaller(env, inv.roles.ecsTask, `orders-worker-${env.rng.hex(8)}`, {
    ip: '10.0.12.41',
    ua: UA.boto3,
    creationMs: at - 20 * 60_000,
    vpce: inv.vpcEndpointS3,
  });
  const host = `${bucket}.s3.${env.region}.amazonaws.com`;
  const record = buildRecord(env, worker, at, {
    source: 's3',
    name: 'GetObject',
    readOnly: true,
    req: { bucketName: bucket, Host: host, key: DATA_EVENT_KEY },
    add: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': `${env.rng.base64(75)}=`,
      bytesTransferredOut: 243,
    },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${DATA_EVENT_KEY}` },
      { accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    errorCode: 'AccessDenied',
    errorMessage: 'Access Denied',
    requestID: DATA_EVENT_REQUEST_ID,
    host,
  });
  // Data events: S3 object calls are not management events (LookupEvents leaves them out).
  return [{ ...record, managementEvent: false, eventCategory: 'Data' }];
}
