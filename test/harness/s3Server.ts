/**
 * A real S3-compatible server for tests: s3rver (maintained on npm, pure JavaScript with no native
 * dependencies, and it speaks the S3 REST/XML protocol the SDK and the AWS CLI use), started
 * in-process on port 0 in a scratch directory and seeded with the sample account written in the
 * trail layout (writeTrailLogs). S3's own refusals that s3rver cannot produce (it has no IAM,
 * KMS or Regions) come from a thin layer in front of it: requests for the fault buckets below get
 * the answer S3 sends, in S3's XML, and everything else goes to s3rver untouched.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { writeTrailLogs, type SampleAccount } from '../../src/sample/account';
import { scratchDir } from './scratch';

// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  configureBuckets(): Promise<void>;
};

export const TRAIL_BUCKET = 'trail-lens-logs';
export const TRAIL_PREFIX = 'org-trail';
/** ListObjectsV2 and GetObject answer 403 AccessDenied. */
export const DENIED_BUCKET = 'trail-lens-denied';
/** Listing works; GetObject answers 403 AccessDenied naming KMS, as S3 does for SSE-KMS without kms:Decrypt. */
export const KMS_BUCKET = 'trail-lens-kms';
/** Every request answers 301 PermanentRedirect with x-amz-bucket-region: eu-west-1. */
export const EU_BUCKET = 'trail-lens-eu';

export interface TestS3 {
  url: string;
  /** The keys written under TRAIL_BUCKET. */
  keys: string[];
  stop(): Promise<void>;
}

function s3ErrorXml(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'TESTFAULT0000001', ...extra });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>TESTFAULT0000001</RequestId></Error>`,
  );
}

function fault(req: IncomingMessage, res: ServerResponse): boolean {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const bucket = path.split('/')[1];
  if (bucket === DENIED_BUCKET) return (s3ErrorXml(res, 403, 'AccessDenied', 'Access Denied'), true);
  if (bucket === EU_BUCKET) {
    s3ErrorXml(res, 301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.', {
      'x-amz-bucket-region': 'eu-west-1',
    });
    return true;
  }
  if (bucket === KMS_BUCKET && req.method === 'GET' && (path.split('/')[2] ?? '') !== '') {
    s3ErrorXml(
      res,
      403,
      'AccessDenied',
      'User: arn:aws:iam::123456789012:user/reader is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because no identity-based policy allows the kms:Decrypt action',
    );
    return true;
  }
  return false;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/** Starts s3rver (plus the fault layer) on 127.0.0.1, port 0, holding the account's trail logs under TRAIL_PREFIX/. */
export async function startTestS3(account: SampleAccount): Promise<TestS3> {
  const data = scratchDir('s3rver-');
  const s3rver = new S3rver({ directory: data, silent: !process.env.DBG_S3, allowMismatchedSignatures: true, vhostBuckets: false });
  const handler = s3rver.callback();
  let base = '';
  const server: Server = createServer((req, res) => {
    if (fault(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.get('delimiter') === '/' && req.method === 'GET') void foldedListing(url, res);
    else handler(req, res);
  });
  /**
   * s3rver 3.7's file store cannot list common prefixes more than one folder below the prefix (its
   * walk skips those folders, lib/stores/filesystem.js listObjects), so a Delimiter listing is
   * answered here from s3rver's own full listing of the prefix, folded into CommonPrefixes.
   */
  const foldedListing = async (url: URL, res: ServerResponse) => {
    const bucket = url.pathname.split('/')[1];
    const prefix = url.searchParams.get('prefix') ?? '';
    // One page: s3rver's continuation tokens use DES, which OpenSSL 3 refuses (ERR_OSSL_EVP_UNSUPPORTED),
    // so the seeded bucket is kept under 1,000 keys and never needs a second page.
    const page = await fetch(`${base}/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`);
    const keys = [...(await page.text()).matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
    const prefixes = new Set<string>();
    const direct: string[] = [];
    for (const key of keys) {
      const at = key.indexOf('/', prefix.length);
      if (at >= 0) prefixes.add(key.slice(0, at + 1));
      else direct.push(key);
    }
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${direct.length + prefixes.size}</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>${direct.map((k) => `<Contents><Key>${k}</Key><Size>0</Size></Contents>`).join('')}${[...prefixes].map((p) => `<CommonPrefixes><Prefix>${p}</Prefix></CommonPrefixes>`).join('')}</ListBucketResult>`,
    );
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = url;
  const client = new S3Client({
    endpoint: url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const logs = scratchDir('s3-seed-');
  await writeTrailLogs(account, logs);

  const keys: string[] = [];
  try {
    for (const bucket of [TRAIL_BUCKET, KMS_BUCKET]) await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const files = await filesUnder(logs);
    if (files.length >= 1000) throw new Error(`${files.length} trail files: s3rver lists at most 1,000 keys (see foldedListing)`);
    for (const file of files) {
      const key = `${TRAIL_PREFIX}/${relative(logs, file).split(sep).join('/')}`;
      const body = await readFile(file);
      await client.send(new PutObjectCommand({ Bucket: TRAIL_BUCKET, Key: key, Body: body }));
      keys.push(key);
    }
    const first = keys.find((k) => k.includes('/CloudTrail/')) as string;
    await client.send(
      new PutObjectCommand({
        Bucket: KMS_BUCKET,
        Key: first.replace(`${TRAIL_PREFIX}/`, ''),
        Body: await readFile(join(logs, first.slice(TRAIL_PREFIX.length + 1))),
      }),
    );
  } finally {
    client.destroy();
  }
  return {
    url,
    keys,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
