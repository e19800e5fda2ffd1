/**
 * "Create the CloudTrail table for this trail": which accounts, Regions and organization the trail's
 * bucket really holds (the folders under its AWSLogs/, listed from S3 with trailLayout's walks), and
 * the DDL for them (ddl.ts), for a person to review before it runs on Athena.
 */
import { TrailLensError } from '../errors';
import type { S3Api } from '../s3Client';
import { s3FolderLister, s3Url, type S3Location } from '../s3Trail';
import { awsLogsBase, listTrailAccounts, listTrailRegions } from '../trailLayout';
import { createTableDdl, type TableSpec } from './ddl';

export const DEFAULT_TABLE = 'cloudtrail_logs';

export interface TrailTablePlan {
  spec: TableSpec;
  /** The CREATE EXTERNAL TABLE statement. */
  ddl: string;
  /** The AWSLogs/ folder listed, as s3://… */
  listed: string;
  /** What the listing found, in words: "2 accounts (…), 3 Regions (…)". */
  found: string;
}

export interface TrailTableNames {
  table?: string;
  database?: string;
}

/** The trail's bucket and prefix: a DescribeTrails entry's S3BucketName and S3KeyPrefix. */
export function trailLocation(trail: { S3BucketName?: string; S3KeyPrefix?: string; Name?: string }): S3Location {
  if (!trail.S3BucketName) {
    throw new TrailLensError('Config', `Trail ${trail.Name ?? '(unnamed)'} delivers to no S3 bucket (DescribeTrails has no S3BucketName)`);
  }
  return { bucket: trail.S3BucketName, prefix: trail.S3KeyPrefix ? `${trail.S3KeyPrefix.replace(/\/+$/, '')}/` : '' };
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/**
 * Lists the accounts and Regions under the location's AWSLogs/ folder and writes the table's DDL for
 * exactly those. A bucket that holds two organizations' folders, or none, is refused by name.
 */
export async function planTrailTable(
  s3: S3Api,
  loc: S3Location,
  names: TrailTableNames = {},
  signal?: AbortSignal,
): Promise<TrailTablePlan> {
  const base = awsLogsBase(loc.prefix);
  const list = s3FolderLister(s3, loc.bucket, signal);
  const listed = s3Url(loc.bucket, base);
  // A prefix that reaches into one organization's folder (…/AWSLogs/o-…/) keeps to that organization.
  const orgOfPrefix = /^(o-[a-z0-9]{10,32})(?:\/|$)/.exec(loc.prefix.slice(base.length))?.[1];
  const accounts = (await listTrailAccounts(list, base)).filter((a) => !orgOfPrefix || a.org === orgOfPrefix);
  if (!accounts.length) {
    throw new TrailLensError('InvalidInput', `No account folders under ${listed}: a table there would read nothing.`, {
      hint: "Give the trail's bucket and S3 key prefix (DescribeTrails: S3BucketName, S3KeyPrefix); the log files are under prefix/AWSLogs/.",
    });
  }
  const orgs = [...new Set(accounts.map((a) => a.org).filter((o): o is string => o !== undefined))];
  if (orgs.length > 1 || (orgs.length === 1 && accounts.some((a) => !a.org))) {
    const what = [...orgs, ...(accounts.some((a) => !a.org) ? ['accounts outside an organization'] : [])].join(', ');
    throw new TrailLensError('InvalidInput', `${listed} holds log files of ${what}: one table reads one layout.`, {
      hint: 'Give a prefix that reaches one of them (s3://bucket/prefix/AWSLogs/o-…/), and make a table for each.',
    });
  }
  const regions = new Set<string>();
  for (const account of accounts) for (const r of await listTrailRegions(list, base, account)) regions.add(r.region);
  if (!regions.size) {
    throw new TrailLensError('InvalidInput', `No Region folders under the account folders of ${listed} (…/CloudTrail/REGION/).`);
  }
  const spec: TableSpec = {
    table: names.table ?? DEFAULT_TABLE,
    database: names.database,
    bucket: loc.bucket,
    prefix: base === 'AWSLogs/' ? undefined : base.slice(0, -'/AWSLogs/'.length),
    accounts: [...new Set(accounts.map((a) => a.account))],
    regions: [...regions].sort(),
    organizationId: orgs[0],
  };
  const found = [
    orgs[0] ? `organization ${orgs[0]}` : '',
    `${plural(spec.accounts.length, 'account')} (${spec.accounts.join(', ')})`,
    `${plural(spec.regions.length, 'Region')} (${spec.regions.join(', ')})`,
  ]
    .filter(Boolean)
    .join(', ');
  return { spec, ddl: createTableDdl(spec), listed, found };
}
