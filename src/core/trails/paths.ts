/**
 * Where trail files came from: the S3 layout in a key or a local path
 * (`[prefix/]AWSLogs/[o-orgid/]ACCOUNT/CloudTrail[-Digest]/REGION/YYYY/MM/DD/NAME`, docs/cloudtrail.md §5.1),
 * and which trails of a connection deliver there (bucket, prefix, organisation, Region). SDK-free.
 */
import type { TrailHealth } from './health';

export interface TrailLocation {
  /** What comes before AWSLogs/ (a local folder, or the key prefix), '/'-separated, no trailing '/'. */
  before: string;
  orgId?: string;
  account: string;
  region: string;
  /** The bucket, when a digest file named it. */
  bucket?: string;
}

export interface TrailFileKey extends TrailLocation {
  digest: boolean;
  /** From `AWSLogs/` on: the part of the S3 key a local copy keeps. */
  key: string;
  /** Delivery time from the file name (…_20261201T1405Z_… or the digest's …T140000Z). */
  delivered?: Date;
}

const LAYOUT = /(?:^|\/)AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/(CloudTrail|CloudTrail-Digest)\/([a-z]{2}(?:-[a-z]+)+-\d)\/(.*)$/;

/** The layout of one path or key, or undefined when it is not in the S3 layout. */
export function parseTrailPath(path: string): TrailFileKey | undefined {
  const p = path.replace(/\\/g, '/');
  const m = LAYOUT.exec(p);
  if (!m) return undefined;
  const at = p.length - m[0].length + (m[0].startsWith('/') ? 1 : 0);
  const stamp = /_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)?Z[_.]/.exec(m[5].slice(m[5].lastIndexOf('/') + 1));
  const delivered = stamp ? new Date(Date.UTC(+stamp[1], +stamp[2] - 1, +stamp[3], +stamp[4], +stamp[5], +(stamp[6] ?? 0))) : undefined;
  return {
    before: p.slice(0, at).replace(/\/+$/, ''),
    ...(m[1] ? { orgId: m[1] } : {}),
    account: m[2],
    region: m[4],
    digest: m[3] === 'CloudTrail-Digest',
    key: p.slice(at),
    ...(delivered && !Number.isNaN(delivered.getTime()) ? { delivered } : {}),
  };
}

function locationKey(l: TrailLocation): string {
  return [l.before, l.orgId ?? '', l.account, l.region].join('|');
}

/** Distinct locations (account, Region, org, folder) among parsed paths; a digest's bucket is kept. */
export function locationsOf(keys: readonly (TrailFileKey & { bucket?: string })[]): TrailLocation[] {
  const out = new Map<string, TrailLocation>();
  for (const k of keys) {
    const id = locationKey(k);
    const known = out.get(id);
    if (!known)
      out.set(id, {
        before: k.before,
        ...(k.orgId ? { orgId: k.orgId } : {}),
        account: k.account,
        region: k.region,
        ...(k.bucket ? { bucket: k.bucket } : {}),
      });
    else if (!known.bucket && k.bucket) known.bucket = k.bucket;
  }
  return [...out.values()];
}

/** Whether any location is of this account (so a check would concern the connection; costs no call). */
export function locationsOfAccount(locations: readonly TrailLocation[], accountId: string | undefined): boolean {
  return !!accountId && locations.some((l) => l.account === accountId);
}

function accountOfArn(arn: string | undefined): string | undefined {
  return arn ? /^arn:[a-z-]+:cloudtrail:[a-z0-9-]+:(\d{12}):/.exec(arn)?.[1] : undefined;
}

/**
 * The trails that may deliver files found at `location`: same bucket when a digest named it; an
 * organisation trail for o-… paths (any member account), else the trail's own account; its prefix
 * ends the folder before AWSLogs/ (a local copy keeps it); its Regions include the location's.
 */
export function trailsDelivering(location: TrailLocation, trails: readonly TrailHealth[]): TrailHealth[] {
  return trails.filter((t) => {
    const { bucket, prefix } = t.target;
    if (location.bucket && bucket && location.bucket !== bucket) return false;
    if (!!location.orgId !== t.organization) return false;
    if (!t.organization && accountOfArn(t.arn) && accountOfArn(t.arn) !== location.account) return false;
    if (!t.multiRegion && t.homeRegion && t.homeRegion !== location.region) return false;
    const p = (prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (p && !location.bucket && !(location.before === p || location.before.endsWith(`/${p}`))) return false;
    return true;
  });
}
