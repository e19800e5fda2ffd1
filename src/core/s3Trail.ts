/**
 * A trail's log files in S3 as an event source: list only the delivery days and objects that can
 * hold a time window (trailLayout.ts), then read or search them in parallel within a bound, each
 * object's body streamed through the same reader (recordReader.ts) and request-ID search
 * (fileSearch.ts) as local files. Reached through `Connection.s3` (core/s3Client.ts).
 */
import { TrailLensError, throwIfAborted } from './errors';
import { inflateStream } from './inflate';
import { searchSourcesForRequestId, type FileSearchOptions, type FileSearchResult, type SearchSource } from './fileSearch';
import type { FileRecords } from './files';
import { readRecordBatches } from './recordReader';
import type { S3Api, S3ObjectInfo } from './s3Client';
import {
  awsLogsBase,
  dayFoldersFor,
  keyMayHold,
  listTrailAccounts,
  listTrailRegions,
  parseTrailKey,
  regionFolder,
  trailFileKind,
  type FolderLister,
  type TrailRegion,
} from './trailLayout';
import { formatWindow, type TimeWindow } from './time';

/** Objects fetched at once. */
export const S3_CONCURRENCY = 8;

export interface S3Location {
  bucket: string;
  /** The key prefix ('' for the whole bucket); a folder, or a deeper part of the trail layout. */
  prefix: string;
}

/** `s3://bucket/prefix` → bucket and prefix; undefined when the text is not an s3:// URL. */
export function parseS3Url(text: string): S3Location | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text.trim());
  if (!m) return undefined;
  return { bucket: m[1], prefix: m[2] ?? '' };
}

export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

export interface S3TrailScope {
  /** Only this account (and organization) / Region; default every one under the prefix. */
  org?: string;
  account?: string;
  region?: string;
  /** The events wanted; without it the prefix must be one delivery day or deeper. */
  window?: TimeWindow;
}

export interface S3Listing {
  bucket: string;
  objects: S3ObjectInfo[];
  /** What was listed, for messages: the folders (s3://…) and the window. */
  searched: string;
  /** Objects under the folders listed that the window ruled out by delivery time. */
  ruledOut: number;
}

/** The lister of trailLayout's walks over S3 common prefixes. */
export function s3FolderLister(s3: S3Api, bucket: string, signal?: AbortSignal): FolderLister {
  return (folder) => s3.listFolders(bucket, folder, signal);
}

/** Whether a prefix reaches a delivery day (or a key) of the layout: a listing without a window is then bounded. */
function withinDay(prefix: string): boolean {
  return parseTrailKey(prefix.endsWith('/') ? `${prefix}x` : prefix) !== undefined;
}

/** No account folders under the base: what the prefix holds instead, and how to name the right one. */
export async function missingPrefix(s3: S3Api, loc: S3Location, base: string, signal?: AbortSignal): Promise<TrailLensError> {
  const parent = base.replace(/AWSLogs\/$/, '');
  const there = await s3.listFolders(loc.bucket, parent, signal);
  const list = there.length
    ? there
        .slice(0, 12)
        .map((n) => `${n}/`)
        .join(', ') + (there.length > 12 ? ', …' : '')
    : 'nothing';
  return new TrailLensError(
    'InvalidInput',
    `No trail log files under ${s3Url(loc.bucket, base)}: no account folders there. ${s3Url(loc.bucket, parent)} holds ${list}.`,
    {
      hint: "Give the trail's S3 key prefix (DescribeTrails: S3KeyPrefix) as s3://bucket/prefix; the files are under prefix/AWSLogs/.",
    },
  );
}

/**
 * Lists the trail objects that can hold the window: the day folders of each account and Region
 * from the window's start to its end + 15 minutes of delivery lag, and in them only the files whose
 * delivery time is in that span. Digest and Insights files are never listed.
 */
export async function listTrailObjects(s3: S3Api, loc: S3Location, scope: S3TrailScope = {}, signal?: AbortSignal): Promise<S3Listing> {
  const window = scope.window;
  const deep = /(?:^|\/)AWSLogs\/./.test(loc.prefix);
  if (!window && !withinDay(loc.prefix)) {
    throw new TrailLensError(
      'InvalidInput',
      `Reading ${s3Url(loc.bucket, loc.prefix)} needs a time window: a trail bucket holds every day the trail has run.`,
      {
        hint: 'Add --window 1h (the last hour; or --start and --end), or give one day: s3://bucket/…/AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/',
      },
    );
  }
  const folders: string[] = [];
  if (deep && (withinDay(loc.prefix) || !/AWSLogs\/(o-[a-z0-9]+\/)?\d{12}\/CloudTrail\/[a-z0-9-]+\/?$/.test(loc.prefix))) {
    folders.push(loc.prefix); // a day or a key, or some other part of the layout: list it as it is
  } else {
    const base = awsLogsBase(loc.prefix);
    const lister = s3FolderLister(s3, loc.bucket, signal);
    let regions: TrailRegion[];
    const pinned = /AWSLogs\/(?:(o-[a-z0-9]+)\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/?$/.exec(loc.prefix);
    if (pinned) regions = [{ ...(pinned[1] ? { org: pinned[1] } : {}), account: pinned[2], region: pinned[3] }];
    else {
      const accounts = (await listTrailAccounts(lister, base)).filter(
        (a) => (!scope.account || a.account === scope.account) && (!scope.org || a.org === scope.org),
      );
      if (!accounts.length) {
        if (scope.account) {
          throw new TrailLensError('InvalidInput', `No folder for account ${scope.account} under ${s3Url(loc.bucket, base)}.`, {
            hint: 'Leave out the account to read every account the trail logs.',
          });
        }
        throw await missingPrefix(s3, loc, base, signal);
      }
      regions = [];
      for (const a of accounts) {
        throwIfAborted(signal);
        regions.push(...(await listTrailRegions(lister, base, a)).filter((r) => !scope.region || r.region === scope.region));
      }
    }
    const days = dayFoldersFor(window as TimeWindow);
    for (const r of regions) for (const d of days) folders.push(`${regionFolder(base, r)}${d}/`);
  }
  const objects: S3ObjectInfo[] = [];
  let ruledOut = 0;
  let next = 0;
  const worker = async () => {
    while (next < folders.length) {
      const folder = folders[next++];
      for (const o of await s3.listObjects(loc.bucket, folder, signal)) {
        const kind = trailFileKind(o.key);
        if (kind && kind !== 'log') continue;
        if (window && !keyMayHold(o.key, window)) ruledOut++;
        else objects.push(o);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(S3_CONCURRENCY, folders.length) }, worker));
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const shown =
    folders.length <= 3
      ? folders.map((f) => s3Url(loc.bucket, f)).join(', ')
      : `${folders.length} day folders under ${s3Url(loc.bucket, awsLogsBase(loc.prefix))}`;
  return {
    bucket: loc.bucket,
    objects,
    ruledOut,
    searched: `${shown}${window ? ` for ${formatWindow(window)} (+15 min delivery lag)` : ''}`,
  };
}

/** An object as a search or read input: its body fetched and inflated as a stream. */
function objectSource(s3: S3Api, bucket: string, key: string): SearchSource {
  const name = s3Url(bucket, key);
  return {
    name,
    open: async function* (signal?: AbortSignal) {
      const body = await s3.getObject(bucket, key, signal);
      yield* inflateStream(body, name, {
        signal,
        sourceError: (err) =>
          new TrailLensError('Network', `${name} could not be read to the end: ${err instanceof Error ? err.message : String(err)}`, {
            cause: err,
          }),
      });
    },
  };
}

export interface S3ReadOptions {
  signal?: AbortSignal;
  concurrency?: number;
  /** An object that cannot be read: reported, the rest are still read (without it the error is thrown). */
  onError?: (name: string, error: TrailLensError) => void;
  /** After each object: how far the read is. */
  onObject?: (name: string, done: number, total: number) => void;
}

/** Errors that every other object would repeat: they stop the read instead of being reported per object. */
function stopsAll(err: TrailLensError): boolean {
  return ['AccessDenied', 'Config', 'NoCredentials', 'SsoExpired', 'ExpiredCredentials', 'InvalidCredentials', 'UnknownRegion'].includes(
    err.code,
  );
}

/**
 * The records of the listed objects, fetched `concurrency` (default 8) at a time, each streamed
 * through the reader; batches come as objects finish, not in key order (records in trail files
 * are not in time order anyway). FileRecords.path is the object's s3:// URL.
 */
export async function* readS3Objects(s3: S3Api, listing: S3Listing, opts: S3ReadOptions = {}): AsyncGenerator<FileRecords> {
  const width = Math.max(1, Math.min(opts.concurrency ?? S3_CONCURRENCY, listing.objects.length));
  const queue: { value?: FileRecords; error?: unknown; done?: true }[] = [];
  let wake: (() => void) | undefined;
  let resumers: (() => void)[] = [];
  const resume = () => {
    const r = resumers;
    resumers = [];
    for (const f of r) f();
  };
  let stopped = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const push = async (item: (typeof queue)[number]) => {
    queue.push(item);
    notify();
    // Backpressure: a worker waits while the consumer has more than a batch per worker to take.
    while (queue.length > width && !stopped) await new Promise<void>((r) => resumers.push(r));
  };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < listing.objects.length && !stopped) {
      const { key } = listing.objects[next++];
      const source = objectSource(s3, listing.bucket, key);
      let part = 0;
      try {
        for await (const batch of readRecordBatches(source.open(opts.signal), source.name)) {
          if (stopped) return;
          await push({ value: { path: source.name, kind: batch.kind, records: batch.records, part: part++ } });
        }
      } catch (err) {
        const error =
          err instanceof TrailLensError ? err : new TrailLensError('ParseError', `${source.name}: ${String(err)}`, { cause: err });
        if (!opts.onError || stopsAll(error) || error.code === 'Cancelled') await push({ error });
        else opts.onError(source.name, error);
      }
      opts.onObject?.(source.name, ++done, listing.objects.length);
    }
  };
  const all = Promise.all(Array.from({ length: width }, worker)).then(() => push({ done: true }));
  try {
    for (;;) {
      while (!queue.length) await new Promise<void>((r) => (wake = r));
      const item = queue.shift() as (typeof queue)[number];
      resume();
      if (item.done) break;
      if (item.error) throw item.error;
      yield item.value as FileRecords;
    }
  } finally {
    stopped = true;
    resume();
    await all.catch(() => {});
  }
}

/** The request-ID fast path over the listed objects (fileSearch.ts), 8 objects at a time. */
export function searchS3ForRequestId(
  s3: S3Api,
  listing: S3Listing,
  requestId: string,
  opts: FileSearchOptions = {},
): Promise<FileSearchResult> {
  return searchSourcesForRequestId(
    listing.objects.map((o) => objectSource(s3, listing.bucket, o.key)),
    requestId,
    {
      ...opts,
      concurrency: opts.concurrency ?? S3_CONCURRENCY,
      onError: (name, error) => {
        if (stopsAll(error) || !opts.onError) throw error;
        opts.onError(name, error);
      },
    },
  );
}
