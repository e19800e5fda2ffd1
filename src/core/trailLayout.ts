/**
 * Where a trail writes its log files, in S3 and in a synced copy of the bucket
 * (docs/cloudtrail.md, "Trail log files: layout and delivery time"):
 *
 *   [prefix/]AWSLogs/[o-orgid/]AccountID/CloudTrail/Region/YYYY/MM/DD/
 *     AccountID_CloudTrail_Region_YYYYMMDDTHHmmZ_UniqueString.json.gz
 *
 * The date in the folders and the time in the name are the file's DELIVERY time (UTC): a file holds
 * events from before it, by up to DELIVERY_LAG_MS. Digest files sit under CloudTrail-Digest/ and
 * Insights files under CloudTrail-Insight/; neither holds the trail's events.
 *
 * Pure functions on keys and paths (no I/O, no SDK), plus a walk of account → Region → day over
 * any folder lister, so the extension's tree and the S3 source list the same way.
 */
import { DELIVERY_LAG_MS } from './limits';
import type { TimeWindow } from './time';

/** What a trail file is, from the folder it is in. */
export type TrailFileKind = 'log' | 'digest' | 'insight';

export interface TrailKey {
  /** Everything before `AWSLogs/` (the trail's S3 key prefix, or a local folder), '' when none. */
  prefix: string;
  /** The organization ID of an organization trail (`o-…`). */
  org?: string;
  account: string;
  region: string;
  /** The delivery day, `YYYY-MM-DD` (UTC). */
  day: string;
  kind: TrailFileKind;
  /** The delivery time in the file name (to the minute; digests to the second), when it has one. */
  deliveryTime?: Date;
}

/** One account's folder in a trail's layout. */
export interface TrailAccount {
  org?: string;
  account: string;
}

/** One Region's folder of an account. */
export interface TrailRegion extends TrailAccount {
  region: string;
}

const KIND_FOLDERS: Record<string, TrailFileKind> = {
  CloudTrail: 'log',
  'CloudTrail-Digest': 'digest',
  'CloudTrail-Insight': 'insight',
};

const KEY_RE =
  /^(?:(.*?)\/)?AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/(CloudTrail|CloudTrail-Digest|CloudTrail-Insight)\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]*)$/;
const NAME_TIME_RE = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z(?=[_.])/;

/** Backslashes (Windows paths) as slashes, so one pattern reads keys and paths. */
function slashed(path: string): string {
  return path.replace(/\\/g, '/');
}

/** The delivery time CloudTrail put in a file name (`…_20261130T1205Z_…`), if any. */
export function deliveryTimeOfName(name: string): Date | undefined {
  const m = NAME_TIME_RE.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Reads an S3 key or a local path in the trail layout; undefined when it is not in it. */
export function parseTrailKey(keyOrPath: string): TrailKey | undefined {
  const m = KEY_RE.exec(slashed(keyOrPath));
  if (!m) return undefined;
  const [, prefix, org, account, folder, region, y, mo, d, name] = m;
  const deliveryTime = deliveryTimeOfName(name);
  return {
    prefix: prefix ?? '',
    ...(org ? { org } : {}),
    account,
    region,
    day: `${y}-${mo}-${d}`,
    kind: KIND_FOLDERS[folder],
    ...(deliveryTime ? { deliveryTime } : {}),
  };
}

/**
 * What a trail file is, from where it lies or, outside the layout, from its name: under
 * CloudTrail-Digest/ or named `…_CloudTrail-Digest_…` a digest, under CloudTrail-Insight/ or named
 * `…_CloudTrail-Insight_…` an Insights file, under CloudTrail/ a log file; undefined for any other
 * path (a file of records by some other name). The one rule for every listing of files and keys.
 */
export function trailFileKind(keyOrPath: string): TrailFileKind | undefined {
  const path = slashed(keyOrPath);
  const m = /(?:^|\/)(CloudTrail-Digest|CloudTrail-Insight)(?:\/|$)/.exec(path);
  if (m) return KIND_FOLDERS[m[1]];
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name.includes('_CloudTrail-Digest_')) return 'digest';
  if (name.includes('_CloudTrail-Insight_')) return 'insight';
  return parseTrailKey(keyOrPath)?.kind;
}

/** The `AWSLogs/` folder under a root: the root itself when it is in the layout already. */
export function awsLogsBase(root: string): string {
  const r = slashed(root);
  const at = r.search(/(?:^|\/)AWSLogs(?:\/|$)/);
  if (at >= 0) {
    const start = r[at] === '/' ? at + 1 : at;
    return `${r.slice(0, start)}AWSLogs/`;
  }
  return r === '' || r.endsWith('/') ? `${r}AWSLogs/` : `${r}/AWSLogs/`;
}

/** The folder of one account's log files in one Region: `base` is an awsLogsBase. */
export function regionFolder(base: string, loc: TrailRegion): string {
  return `${base}${loc.org ? `${loc.org}/` : ''}${loc.account}/CloudTrail/${loc.region}/`;
}

/** `YYYY/MM/DD` of a UTC day. */
function dayPath(t: number): string {
  return new Date(t).toISOString().slice(0, 10).replace(/-/g, '/');
}

/**
 * The delivery-day folders (`YYYY/MM/DD`) whose files can hold events of the window: from the
 * start's day to the day of end + lag, since an event is delivered after it happened.
 */
export function dayFoldersFor(window: TimeWindow, lagMs: number = DELIVERY_LAG_MS): string[] {
  const DAY = 86_400_000;
  const first = Math.floor(window.start.getTime() / DAY) * DAY;
  const last = window.end.getTime() + lagMs;
  const out: string[] = [];
  for (let t = first; t <= last; t += DAY) out.push(dayPath(t));
  return out;
}

/**
 * Whether a file delivered at `delivery` (the minute in its name) can hold events of the window:
 * it was delivered no earlier than the window's first minute and no later than end + lag.
 */
export function deliveryMayHold(delivery: Date, window: TimeWindow, lagMs: number = DELIVERY_LAG_MS): boolean {
  const t = delivery.getTime();
  const startMinute = Math.floor(window.start.getTime() / 60_000) * 60_000;
  return t >= startMinute && t <= window.end.getTime() + lagMs;
}

/** Whether a key or path in the trail layout can hold events of the window; files outside the layout can (they are read). */
export function keyMayHold(keyOrPath: string, window: TimeWindow, lagMs: number = DELIVERY_LAG_MS): boolean {
  const key = parseTrailKey(keyOrPath);
  if (!key || key.kind !== 'log') return !key;
  if (key.deliveryTime) return deliveryMayHold(key.deliveryTime, window, lagMs);
  return dayFoldersFor(window, lagMs).includes(key.day.replace(/-/g, '/'));
}

/**
 * Lists the child folders (names only, no slash) of a folder given as a '/'-ended prefix
 * (a local directory or an S3 common prefix). Missing folders list as [].
 */
export type FolderLister = (folder: string) => Promise<string[]>;

const ACCOUNT_RE = /^\d{12}$/;
const ORG_RE = /^o-[a-z0-9]{10,32}$/;

/** The accounts under an AWSLogs/ base, organization trails' member accounts included. */
export async function listTrailAccounts(list: FolderLister, base: string): Promise<TrailAccount[]> {
  const out: TrailAccount[] = [];
  for (const name of (await list(base)).sort()) {
    if (ACCOUNT_RE.test(name)) out.push({ account: name });
    else if (ORG_RE.test(name)) {
      for (const member of (await list(`${base}${name}/`)).sort()) {
        if (ACCOUNT_RE.test(member)) out.push({ org: name, account: member });
      }
    }
  }
  return out;
}

/** The Regions an account's trail delivered log files for. */
export async function listTrailRegions(list: FolderLister, base: string, account: TrailAccount): Promise<TrailRegion[]> {
  const folder = `${base}${account.org ? `${account.org}/` : ''}${account.account}/CloudTrail/`;
  return (await list(folder))
    .filter((r) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(r))
    .sort()
    .map((region) => ({ ...account, region }));
}

/** The delivery days (`YYYY-MM-DD`) of one account and Region, newest first. */
export async function listTrailDays(list: FolderLister, base: string, loc: TrailRegion): Promise<string[]> {
  const root = regionFolder(base, loc);
  const out: string[] = [];
  const digits = (n: number) => (name: string) => name.length === n && /^\d+$/.test(name);
  for (const y of (await list(root)).filter(digits(4))) {
    for (const m of (await list(`${root}${y}/`)).filter(digits(2))) {
      for (const d of (await list(`${root}${y}/${m}/`)).filter(digits(2))) out.push(`${y}-${m}-${d}`);
    }
  }
  return out.sort().reverse();
}
