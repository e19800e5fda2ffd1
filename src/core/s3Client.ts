/**
 * The connection's S3 calls for trail buckets, through the real `@aws-sdk/client-s3` with the
 * connection's Region, credentials and timeouts. The SDK is imported on the first call, so a
 * session that never opens a bucket never evaluates it. With an endpoint override
 * (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, a profile's endpoint_url) addressing is path-style
 * (http://host/bucket/key), which S3-compatible servers expect.
 *
 * S3's own faults come out as errors a person can act on: which action on which bucket was denied,
 * KMS decryption denied, the bucket's real Region.
 */
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { LazyClient } from './sdkClient';
import { TrailLensError } from './errors';

export interface S3ObjectInfo {
  key: string;
  size: number;
}

export interface S3Api {
  readonly region: string;
  /** The endpoint override in force, if any. */
  readonly endpoint: string | undefined;
  /** Child "folders" (common prefixes) of a '/'-ended prefix, as names without the slash. */
  listFolders(bucket: string, prefix: string, signal?: AbortSignal): Promise<string[]>;
  /** Every object under a prefix (all pages of ListObjectsV2). */
  listObjects(bucket: string, prefix: string, signal?: AbortSignal): Promise<S3ObjectInfo[]>;
  /** An object's body as a stream (GetObject). */
  getObject(bucket: string, key: string, signal?: AbortSignal): Promise<Readable>;
  dispose(): void;
}

interface S3ErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  Region?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined>; statusCode?: number };
}

/** The Region a redirect or a wrong-Region signature names, when S3 said it. */
function regionOf(e: S3ErrorShape): string | undefined {
  const header = e.$response?.headers?.['x-amz-bucket-region'];
  if (header) return header;
  if (e.Region) return e.Region;
  return /expecting '([a-z0-9-]+)'/.exec(e.message ?? '')?.[1];
}

/** S3 faults with a specific next step; undefined for those the connection's classifier words well. */
export function s3Error(
  err: unknown,
  input: { operation: string; bucket: string; key?: string; region: string; profile?: string },
): TrailLensError | undefined {
  if (err instanceof TrailLensError || typeof err !== 'object' || err === null) return undefined;
  const e = err as S3ErrorShape;
  const code = e.Code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const message = (e.message ?? '').slice(0, 300);
  const what = input.key ? `s3://${input.bucket}/${input.key}` : `bucket ${input.bucket}`;
  const who = input.profile ? `profile ${input.profile}` : 'these credentials';
  if (code.startsWith('KMS.') || (/kms/i.test(message) && (code === 'AccessDenied' || status === 403))) {
    return new TrailLensError(
      'AccessDenied',
      `S3 cannot decrypt ${what} for ${who}: the KMS key of the trail denies kms:Decrypt (${code || `HTTP ${status}`}).`,
      {
        cause: err,
        hint: "Trail files encrypted with SSE-KMS need kms:Decrypt on the trail's KMS key as well as s3:GetObject: ask for it in the key policy, or choose another profile.",
      },
    );
  }
  if (
    code === 'PermanentRedirect' ||
    code === 'AuthorizationHeaderMalformed' ||
    code === 'IllegalLocationConstraintException' ||
    status === 301
  ) {
    const region = regionOf(e);
    return new TrailLensError(
      'Config',
      `Bucket ${input.bucket} is not in ${input.region}${region ? `: it is in ${region}` : ''} (${code || `HTTP ${status}`}).`,
      {
        cause: err,
        hint: region
          ? `Retry with --region ${region} (or that Region chosen for the source).`
          : 'Retry with the Region of the bucket (--region).',
      },
    );
  }
  if (code === 'AccessDenied' || status === 403) {
    const action = input.operation === 'ListObjectsV2' ? 's3:ListBucket' : 's3:GetObject';
    return new TrailLensError('AccessDenied', `Access denied: ${who} may not call ${input.operation} on ${what} (IAM action ${action}).`, {
      cause: err,
      hint: `Ask for ${action} on arn:aws:s3:::${input.bucket}${action === 's3:GetObject' ? '/*' : ''} (in the IAM policy and the bucket policy), or choose another profile.`,
    });
  }
  if (code === 'NoSuchBucket') {
    return new TrailLensError('InvalidInput', `Bucket ${input.bucket} does not exist (NoSuchBucket).`, {
      cause: err,
      hint: "Check the name: DescribeTrails shows a trail's S3BucketName and S3KeyPrefix.",
    });
  }
  if (code === 'NoSuchKey')
    return new TrailLensError('InvalidInput', `${what} does not exist (NoSuchKey): it was deleted while being read.`, { cause: err });
  return undefined;
}

type Sdk = typeof S3Sdk;

/** `profile`: the one to name in access-denied messages. */
export function s3Api(client: LazyClient<Sdk, S3Client>, profile: string | undefined): S3Api {
  const run = <T>(
    operation: string,
    bucket: string,
    key: string | undefined,
    signal: AbortSignal | undefined,
    fn: (sdk: Sdk, c: S3Client, s: AbortSignal) => Promise<T>,
  ) =>
    client.run(operation, signal, async (sdk, c, s) => {
      try {
        return await fn(sdk, c, s);
      } catch (err) {
        throw s3Error(err, { operation, bucket, key, region: client.region, profile }) ?? err;
      }
    });
  return {
    region: client.region,
    endpoint: client.endpoint,
    listFolders: (bucket, prefix, signal) =>
      run('ListObjectsV2', bucket, undefined, signal, async (sdk, c, s) => {
        const out: string[] = [];
        let token: string | undefined;
        do {
          const page = await c.send(
            new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
            {
              abortSignal: s,
            },
          );
          for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return out;
      }),
    listObjects: (bucket, prefix, signal) =>
      run('ListObjectsV2', bucket, undefined, signal, async (sdk, c, s) => {
        const out: S3ObjectInfo[] = [];
        let token: string | undefined;
        do {
          const page = await c.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), {
            abortSignal: s,
          });
          for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0 });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return out;
      }),
    getObject: (bucket, key, signal) =>
      run('GetObject', bucket, key, signal, async (sdk, c, s) => {
        const out = await c.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: s });
        return out.Body as Readable;
      }),
    dispose: () => client.dispose(),
  };
}
