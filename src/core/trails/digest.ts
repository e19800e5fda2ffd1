/**
 * CloudTrail digest files (log file validation, docs/cloudtrail.md §10.2): each hour's digest lists
 * the log files the trail delivered in that hour (`logFiles[]`: s3Bucket, s3Object, hashValue) and
 * chains to the previous digest. Checked against the files actually present, they say which log
 * files are missing and which hours have no digest at all. SDK-free; reads only the digests.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { formatWindow } from '../time';
import { shortTime } from './health';
import { parseTrailPath, type TrailFileKey } from './paths';

/** Digest files are small (a line per log file of one hour); this bounds a bad or hostile one. */
const MAX_DIGEST_BYTES = 64 * 1024 * 1024;
/** Consecutive digests meet exactly; allow clock rounding. */
const GAP_TOLERANCE_MS = 60_000;

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue?: string;
}

export interface Digest {
  path: string;
  account: string;
  region: string;
  start: Date;
  end: Date;
  bucket?: string;
  object?: string;
  previousObject?: string;
  logFiles: DigestLogFile[];
}

export interface MissingFile {
  /** From AWSLogs/ on. */
  key: string;
  bucket: string;
  region: string;
  delivered?: Date;
}

export interface DigestGap {
  account: string;
  region: string;
  start: Date;
  end: Date;
}

export interface DigestCheck {
  /** Digests read. */
  digests: Digest[];
  /** Digest files that could not be read, each by name. */
  unreadable: { path: string; reason: string }[];
  /** Log files listed by digests of Regions whose log files were read. */
  listed: number;
  missing: MissingFile[];
  gaps: DigestGap[];
  /** Regions whose digests list files but of which no log file was read at all (not counted as missing). */
  regionsNotRead: string[];
}

function fail(path: string, reason: string): Error {
  return Object.assign(new Error(`${path}: ${reason}`), { reason });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function date(v: unknown, field: string, path: string): Date {
  const d = typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw fail(path, `not a CloudTrail digest: ${field} is ${v === undefined ? 'missing' : 'not a time'}.`);
  return d;
}

/** Parses one digest's text (AWS's digest file structure); throws with a reason naming what is wrong. */
export function parseDigest(text: string, path: string): Digest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw fail(path, `invalid JSON (${err instanceof Error ? err.message : String(err)}): truncated or not a digest file.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw fail(path, 'not a CloudTrail digest: expected one JSON object.');
  const o = value as Record<string, unknown>;
  if (!Array.isArray(o.logFiles))
    throw fail(path, `not a CloudTrail digest: logFiles is ${o.logFiles === undefined ? 'missing' : 'not a list'}.`);
  const start = date(o.digestStartTime, 'digestStartTime', path);
  const end = date(o.digestEndTime, 'digestEndTime', path);
  const logFiles: DigestLogFile[] = [];
  o.logFiles.forEach((f, i) => {
    const entry = f && typeof f === 'object' ? (f as Record<string, unknown>) : {};
    const s3Bucket = str(entry.s3Bucket);
    const s3Object = str(entry.s3Object);
    if (!s3Bucket || !s3Object) throw fail(path, `not a CloudTrail digest: logFiles[${i}] has no s3Bucket/s3Object.`);
    logFiles.push({ s3Bucket, s3Object, ...(str(entry.hashValue) ? { hashValue: str(entry.hashValue) } : {}) });
  });
  const where = parseTrailPath(str(o.digestS3Object) ?? path);
  const account = str(o.awsAccountId) ?? where?.account;
  const region = where?.region;
  if (!account || !region) throw fail(path, 'not a CloudTrail digest: no account or Region (awsAccountId, digestS3Object).');
  return {
    path,
    account,
    region,
    start,
    end,
    bucket: str(o.digestS3Bucket),
    object: str(o.digestS3Object),
    previousObject: str(o.previousDigestS3Object),
    logFiles,
  };
}

/** Reads and parses one digest file (.json.gz or .json). */
export async function readDigest(path: string): Promise<Digest> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(
      path,
      code === 'ENOENT'
        ? 'does not exist.'
        : code === 'EACCES'
          ? 'cannot be read (permission denied).'
          : `cannot be read (${code ?? 'error'}).`,
    );
  }
  let text: Buffer = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      text = gunzipSync(raw, { maxOutputLength: MAX_DIGEST_BYTES });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw fail(
        path,
        code === 'ERR_BUFFER_TOO_LARGE'
          ? `inflates past ${MAX_DIGEST_BYTES / 1024 / 1024} MB: not a digest file.`
          : 'is not a readable gzip file: it is truncated or corrupt.',
      );
    }
  } else if (raw.length > MAX_DIGEST_BYTES) throw fail(path, 'is too large to be a digest file.');
  return parseDigest(text.toString('utf8'), path);
}

function keyOf(s3Object: string): string {
  const i = s3Object.indexOf('AWSLogs/');
  return i < 0 ? s3Object : s3Object.slice(i);
}

/**
 * Checks digests against the log files present (local paths or S3 keys): which files the digests
 * list that are not there, and which hours between the first and last digest of each account and
 * Region have none. Only Regions with at least one log file present are compared file by file, so
 * reading one Region's folder does not report the others as missing.
 */
export async function checkDigests(digestPaths: readonly string[], logPaths: readonly string[]): Promise<DigestCheck> {
  const digests: Digest[] = [];
  const unreadable: DigestCheck['unreadable'] = [];
  for (const path of digestPaths) {
    try {
      digests.push(await readDigest(path));
    } catch (err) {
      unreadable.push({ path, reason: (err as { reason?: string }).reason ?? String(err) });
    }
  }
  const present = new Set<string>();
  const regionsPresent = new Set<string>();
  for (const p of logPaths) {
    const k: TrailFileKey | undefined = parseTrailPath(p);
    if (!k || k.digest) continue;
    present.add(k.key);
    regionsPresent.add(`${k.account}|${k.region}`);
  }
  let listed = 0;
  const missing: MissingFile[] = [];
  const notRead = new Set<string>();
  const seen = new Set<string>();
  for (const d of digests) {
    for (const f of d.logFiles) {
      const key = keyOf(f.s3Object);
      const at = parseTrailPath(key);
      const region = at?.region ?? d.region;
      if (!regionsPresent.has(`${at?.account ?? d.account}|${region}`)) {
        notRead.add(region);
        continue;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      listed++;
      if (!present.has(key)) missing.push({ key, bucket: f.s3Bucket, region, ...(at?.delivered ? { delivered: at.delivered } : {}) });
    }
  }
  missing.sort((a, b) => (a.delivered?.getTime() ?? 0) - (b.delivered?.getTime() ?? 0) || (a.key < b.key ? -1 : 1));
  return { digests, unreadable, listed, missing, gaps: findGaps(digests), regionsNotRead: [...notRead].sort() };
}

/** Hours with no digest between the first and last digest of each account and Region. */
export function findGaps(digests: readonly Digest[]): DigestGap[] {
  const chains = new Map<string, Digest[]>();
  for (const d of digests) {
    const k = `${d.account}|${d.region}|${d.bucket ?? ''}`;
    chains.set(k, [...(chains.get(k) ?? []), d]);
  }
  const gaps: DigestGap[] = [];
  for (const chain of chains.values()) {
    chain.sort((a, b) => a.start.getTime() - b.start.getTime());
    let reached = chain[0].end;
    for (const d of chain.slice(1)) {
      if (d.start.getTime() - reached.getTime() > GAP_TOLERANCE_MS)
        gaps.push({ account: d.account, region: d.region, start: reached, end: d.start });
      if (d.end > reached) reached = d.end;
    }
  }
  return gaps.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * What to tell a person, one line each: "3 log files listed by digests are missing (first …):
 * files from 14:05 UTC on are missing", "no digest for 13:00–15:00 UTC (us-east-1): …", and each
 * unreadable digest by name. Empty when everything the digests list is present.
 */
export function describeDigestCheck(check: DigestCheck, newestPresent: Map<string, Date> = new Map(), now: Date = new Date()): string[] {
  const lines: string[] = [];
  const { missing } = check;
  if (missing.length) {
    const first = missing[0];
    const n = missing.length;
    const when = first.delivered ? `, delivered ${shortTime(first.delivered, now)}` : '';
    // Missing files all later than every file present of their Region: the trail stopped delivering.
    const tail = missing.every((m) => m.delivered && (newestPresent.get(m.region)?.getTime() ?? 0) < m.delivered.getTime());
    lines.push(
      `${n} log file${n === 1 ? '' : 's'} listed by digests ${n === 1 ? 'is' : 'are'} missing (first: s3://${first.bucket}/${first.key}${when})` +
        (tail && first.delivered ? `; files from ${shortTime(first.delivered, now)} on are missing` : ''),
    );
  }
  for (const g of check.gaps) {
    lines.push(
      `no digest for ${formatWindow(g)} (${g.account}, ${g.region}): the trail delivered no digest then, or those files are missing`,
    );
  }
  for (const u of check.unreadable) lines.push(`digest ${u.path} could not be read: ${u.reason}`);
  return lines;
}

/** The newest delivery time of the log files present, per Region (for describeDigestCheck). */
export function newestByRegion(logPaths: readonly string[]): Map<string, Date> {
  const out = new Map<string, Date>();
  for (const p of logPaths) {
    const k = parseTrailPath(p);
    if (!k?.delivered || k.digest) continue;
    const known = out.get(k.region);
    if (!known || known < k.delivered) out.set(k.region, k.delivered);
  }
  return out;
}
