/**
 * The sample account: a deterministic, realistic CloudTrail history for tests, the demo
 * ("Explore the sample account", no AWS account needed) and benchmarks. The same options give the
 * same records byte for byte.
 *
 * `records` is what a multi-region trail would hold: nearly all in `region`, with IAM calls and
 * root/unknown-user sign-ins in us-east-1 as real CloudTrail records them (docs/cloudtrail.md §1.2, §4).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TrailLensError } from '../core/errors';
import { sortNewestFirst } from '../core/record';
import { formatUtc } from '../core/time';
import type { CloudTrailRecord } from '../core/record';
import type { Env } from './build';
import { buildInventory } from './inventory';
import { backupJobs, configNoise, consoleSignIns, hostileEvents, serviceEvents } from './noise';
import { hashString, Rng } from './random';
import { storyEvents } from './story';
import { otherRegionEvents } from './otherRegion';
import { dataEvents } from './dataEvent';
import { sampleStacks } from './stacks';
import type { FakeStack } from './endpoint/cloudformation';
import type { SampleStory } from './story';
import type { SampleTrailLayout } from './trails';
import { everydayTraffic } from './traffic';

export type { SampleStory } from './story';
export { STORY_REQUEST_ID } from './story';
export { OTHER_REGION, OTHER_REGION_REQUEST_ID } from './otherRegion';
export { DATA_EVENT_KEY, DATA_EVENT_REQUEST_ID } from './dataEvent';

export interface SampleOptions {
  seed?: number;
  now?: Date;
  /** Default 7. At least 0.125 (3 hours), so the story fits. */
  days?: number;
  /** Default 1500: the everyday traffic is sized so the total is about days × eventsPerDay. */
  eventsPerDay?: number;
  /** Default 'ap-northeast-1'. */
  region?: string;
  /** Default '123456789012'. */
  accountId?: string;
  /** How long before `now` the failed-deployment deployment fails. Default 2 (hours); at most days × 24 − 1. */
  storyHoursAgo?: number;
}

export interface SampleAccount {
  accountId: string;
  region: string;
  /** Newest first. */
  records: CloudTrailRecord[];
  story: SampleStory;
  /** The account's CloudFormation stacks (stacks.ts), served by the endpoint's CloudFormation. */
  stacks: FakeStack[];
  start: Date;
  end: Date;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function generateSampleAccount(opts: SampleOptions = {}): SampleAccount {
  const seed = opts.seed ?? 1;
  const days = opts.days ?? 7;
  const eventsPerDay = opts.eventsPerDay ?? 1500;
  const region = opts.region ?? 'ap-northeast-1';
  const accountId = opts.accountId ?? '123456789012';
  if (!Number.isFinite(days) || days < 0.125)
    throw new TrailLensError('InvalidInput', `Sample account days must be at least 0.125 (3 hours); got ${days}.`);
  if (!Number.isFinite(eventsPerDay) || eventsPerDay < 0)
    throw new TrailLensError('InvalidInput', `Sample account eventsPerDay must be 0 or more; got ${eventsPerDay}.`);
  if (!/^\d{12}$/.test(accountId)) throw new TrailLensError('InvalidInput', `Sample account ID must be 12 digits; got ${accountId}.`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new TrailLensError('InvalidInput', `Sample account region is not a region name: ${region}.`);
  const end = opts.now ? opts.now.getTime() : Math.floor(Date.now() / 60_000) * 60_000;
  if (!Number.isFinite(end)) throw new TrailLensError('InvalidInput', 'Sample account `now` is not a valid date.');
  const start = end - days * DAY;

  // Each part draws from its own stream, so changing the traffic volume leaves the story and inventory alone.
  const root = new Rng(seed);
  const inv = buildInventory(root.fork('inventory'), accountId, region);
  const env = (label: string): Env => ({ rng: root.fork(label), inv, accountId, region });

  const hoursAgo = opts.storyHoursAgo ?? 2;
  if (!Number.isFinite(hoursAgo) || hoursAgo < 1 || hoursAgo > days * 24 - 1) {
    throw new TrailLensError('InvalidInput', `Sample account storyHoursAgo must be from 1 to ${days * 24 - 1}; got ${hoursAgo}.`);
  }
  const failAt = Math.floor((end - hoursAgo * HOUR + 37_000) / 1000) * 1000;
  const { records: storyRecords, story } = storyEvents(env('story'), failAt, start);
  const { stacks, records: stackRecords } = sampleStacks(env('stacks'), story, failAt);
  const scheduled = [
    ...storyRecords,
    ...stackRecords,
    ...configNoise(env('config'), start, end),
    ...consoleSignIns(env('signin'), start, end),
    ...backupJobs(env('backup'), start, end),
    ...serviceEvents(env('service'), start, end),
    ...hostileEvents(env('hostile'), start, end),
  ];
  const budget = Math.max(0, Math.round(days * eventsPerDay) - scheduled.length);
  const traffic = everydayTraffic(env('traffic'), start, end, budget);
  // Drawn after the traffic's stream, so adding them changed no other record.
  const elsewhere = failAt - 5 * HOUR > start ? otherRegionEvents(env('other-region'), failAt) : [];
  // A data event (an S3 object call) only the trail and the engines over it hold; drawn last too.
  const data = dataEvents(env('data-event'), failAt, start);
  const records = sortNewestFirst([...scheduled, ...traffic, ...elsewhere, ...data]);
  return { accountId, region, records, story, stacks, start: new Date(start), end: new Date(end) };
}

// --- trail log files ----------------------------------------------------------------------------

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function stamp(ms: number, seconds: boolean): string {
  const d = new Date(ms);
  const hm = `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${seconds ? pad(d.getUTCSeconds()) : ''}`;
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${hm}Z`;
}

function dayPath(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

interface LogFile {
  key: string;
  body: Buffer;
  delivered: number;
  sha256: string;
  oldest: string;
  newest: string;
}

/**
 * Writes the account as a trail delivers it to S3 (docs/cloudtrail.md §5.1): one gzip file per region
 * per delivery slot, records unordered inside, named by delivery time a few minutes after the
 * slot, plus an hourly digest per region under CloudTrail-Digest/. Returns every path written
 * (log files first, then digests).
 */
export async function writeTrailLogs(
  account: SampleAccount,
  dir: string,
  opts: { filesPerHour?: number; trail?: SampleTrailLayout } = {},
): Promise<string[]> {
  const filesPerHour = opts.filesPerHour ?? 12;
  if (!Number.isInteger(filesPerHour) || filesPerHour < 1 || filesPerHour > 60) {
    throw new TrailLensError('InvalidInput', `filesPerHour must be a whole number from 1 to 60; got ${filesPerHour}.`);
  }
  const { accountId, region: homeRegion } = account;
  const rng = new Rng(hashString(`${accountId}/${account.start.toISOString()}/${filesPerHour}`));
  const slotMs = HOUR / filesPerHour;
  const randomBucket = `aws-cloudtrail-logs-${accountId}-${rng.hex(8)}`;
  // A sample trail's layout (src/sample/trails.ts): its bucket, its organisation folder, and when its delivery stopped.
  const bucket = opts.trail?.bucket ?? randomBucket;
  const root = opts.trail?.orgId ? `AWSLogs/${opts.trail.orgId}/${accountId}` : `AWSLogs/${accountId}`;
  const until = opts.trail?.until?.getTime() ?? Infinity;
  const slots = new Map<string, CloudTrailRecord[]>();
  for (const r of account.records) {
    const k = `${r.awsRegion ?? homeRegion}|${Math.floor(Date.parse(r.eventTime) / slotMs)}`;
    let list = slots.get(k);
    if (!list) slots.set(k, (list = []));
    list.push(r);
  }
  const files: LogFile[] = [];
  for (const k of [...slots.keys()].sort()) {
    const [region, slot] = k.split('|') as [string, string];
    const records = rng.shuffle([...(slots.get(k) as CloudTrailRecord[])]);
    const delivered = (Number(slot) + 1) * slotMs + rng.int(60, 300) * 1000;
    const name = `${accountId}_CloudTrail_${region}_${stamp(delivered, false)}_${rng.alnum(16)}.json.gz`;
    const text = JSON.stringify({ Records: records });
    const times = records.map((r) => r.eventTime).sort();
    if (delivered >= until) continue;
    files.push({
      key: `${root}/CloudTrail/${region}/${dayPath(delivered)}/${name}`,
      body: gzipSync(text),
      delivered,
      sha256: createHash('sha256').update(text).digest('hex'),
      oldest: times[0],
      newest: times[times.length - 1],
    });
  }
  const digests = digestFiles(files, { accountId, homeRegion, bucket, rng, root, until });
  const written: string[] = [];
  const all = [...files.map((f) => ({ key: f.key, body: f.body })), ...digests];
  for (let i = 0; i < all.length; i += 64) {
    await Promise.all(
      all.slice(i, i + 64).map(async ({ key, body }) => {
        const path = join(dir, ...key.split('/'));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, body);
      }),
    );
  }
  for (const { key } of all) written.push(join(dir, ...key.split('/')));
  return written;
}

/** Hourly digests per region, chained by previousDigest* like real ones (signatures are placeholders). */
function digestFiles(
  files: LogFile[],
  ctx: { accountId: string; homeRegion: string; bucket: string; rng: Rng; root: string; until: number },
): { key: string; body: Buffer }[] {
  const { accountId, homeRegion, bucket, rng, root, until } = ctx;
  const byRegion = new Map<string, LogFile[]>();
  for (const f of files) {
    const region = f.key.slice(root.length + 1).split('/')[1];
    byRegion.set(region, [...(byRegion.get(region) ?? []), f]);
  }
  const out: { key: string; body: Buffer }[] = [];
  for (const [region, list] of [...byRegion.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const first = Math.floor(Math.min(...list.map((f) => f.delivered)) / HOUR) * HOUR;
    const last = Math.max(...list.map((f) => f.delivered));
    let previous: { key: string; hash: string; signature: string } | undefined;
    for (let h = first; h <= last; h += HOUR) {
      const inHour = list.filter((f) => f.delivered >= h && f.delivered < h + HOUR);
      const endMs = h + HOUR;
      // A trail that stopped delivering delivers no digest for the hour it stopped in either.
      if (endMs > until) break;
      const key = `${root}/CloudTrail-Digest/${region}/${dayPath(endMs)}/${accountId}_CloudTrail-Digest_${region}_management-events_${homeRegion}_${stamp(endMs, true)}.json.gz`;
      const times = inHour.flatMap((f) => [f.oldest, f.newest]).sort();
      const signature = rng.hex(512);
      const digest = {
        awsAccountId: accountId,
        digestStartTime: formatUtc(new Date(h), 'iso'),
        digestEndTime: formatUtc(new Date(endMs), 'iso'),
        digestS3Bucket: bucket,
        digestS3Object: key,
        digestPublicKeyFingerprint: rng.hex(32),
        digestSignatureAlgorithm: 'SHA256withRSA',
        newestEventTime: times.length ? times[times.length - 1] : null,
        oldestEventTime: times.length ? times[0] : null,
        previousDigestS3Bucket: previous ? bucket : null,
        previousDigestS3Object: previous?.key ?? null,
        previousDigestHashValue: previous?.hash ?? null,
        previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
        previousDigestSignature: previous?.signature ?? null,
        logFiles: inHour.map((f) => ({
          s3Bucket: bucket,
          s3Object: f.key,
          hashValue: f.sha256,
          hashAlgorithm: 'SHA-256',
          newestEventTime: f.newest,
          oldestEventTime: f.oldest,
        })),
      };
      const text = JSON.stringify(digest);
      out.push({ key, body: gzipSync(text) });
      previous = { key, hash: createHash('sha256').update(text).digest('hex'), signature };
    }
  }
  return out;
}
