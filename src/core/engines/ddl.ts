/**
 * "Create the CloudTrail table for this trail": AWS's documented DDL with partition projection
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html),
 * for the trail's bucket, its account(s) and Regions. With one account and one Region it is AWS's
 * example as written (the account and Region in the location); with several, account and Region
 * become enum-projected partition columns in the storage location template.
 */
import { TrailLensError } from '../errors';
import { CLOUDTRAIL_COLUMNS, PARTITION_DAY, hiveType } from './schema';

export interface TableSpec {
  /** e.g. `cloudtrail_logs` */
  table: string;
  database?: string;
  /** The trail's S3 bucket, and the key prefix it was given (none by default). */
  bucket: string;
  prefix?: string;
  accounts: readonly string[];
  regions: readonly string[];
  /** An organization trail's organization ID: the files are under AWSLogs/<org-id>/<account>/. */
  organizationId?: string;
  /** The first day projected, `yyyy/MM/dd` (default 2020/01/01, AWS's example). */
  firstDay?: string;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const NAME = /^[a-z_][a-z0-9_]*$/;

function check(spec: TableSpec): void {
  const bad = (what: string) => {
    throw new TrailLensError('InvalidInput', `cannot write the table's DDL: ${what}`);
  };
  if (!NAME.test(spec.table)) bad(`the table name '${spec.table}' must be lower-case letters, digits and '_'`);
  if (spec.database !== undefined && !NAME.test(spec.database))
    bad(`the database name '${spec.database}' must be lower-case letters, digits and '_'`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(spec.bucket)) bad(`'${spec.bucket}' is not an S3 bucket name`);
  if (!spec.accounts.length) bad('no account ID');
  if (!spec.regions.length) bad('no Region');
  for (const a of spec.accounts) if (!ACCOUNT.test(a)) bad(`'${a}' is not a 12-digit account ID`);
  for (const r of spec.regions) if (!REGION.test(r)) bad(`'${r}' is not a Region name`);
  if (spec.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(spec.organizationId))
    bad(`'${spec.organizationId}' is not an organization ID`);
  if (spec.prefix !== undefined && /['\\]|^\/|\/$/.test(spec.prefix))
    bad(`the prefix '${spec.prefix}' has a quote or backslash, or starts or ends with '/'`);
  if (spec.firstDay !== undefined && !/^\d{4}\/\d{2}\/\d{2}$/.test(spec.firstDay))
    bad(`the first day '${spec.firstDay}' is not yyyy/MM/dd`);
}

/** The CREATE EXTERNAL TABLE statement, for review before it runs. */
export function createTableDdl(spec: TableSpec): string {
  check(spec);
  const many = spec.accounts.length > 1 || spec.regions.length > 1;
  const root = `s3://${spec.bucket}/${spec.prefix ? `${spec.prefix}/` : ''}AWSLogs/${spec.organizationId ? `${spec.organizationId}/` : ''}`;
  const account = many ? '${account}' : spec.accounts[0];
  const region = many ? '${region}' : spec.regions[0];
  const base = `${root}${account}/CloudTrail/${region}`;
  const name = spec.database ? `${spec.database}.${spec.table}` : spec.table;
  const partitions = [`\`${PARTITION_DAY}\` string`, ...(many ? ['account string', 'region string'] : [])];
  const properties: [string, string][] = [
    ['projection.enabled', 'true'],
    [`projection.${PARTITION_DAY}.format`, 'yyyy/MM/dd'],
    [`projection.${PARTITION_DAY}.interval`, '1'],
    [`projection.${PARTITION_DAY}.interval.unit`, 'DAYS'],
    [`projection.${PARTITION_DAY}.range`, `${spec.firstDay ?? '2020/01/01'},NOW`],
    [`projection.${PARTITION_DAY}.type`, 'date'],
    ...(many
      ? ([
          ['projection.account.type', 'enum'],
          ['projection.account.values', spec.accounts.join(',')],
          ['projection.region.type', 'enum'],
          ['projection.region.values', spec.regions.join(',')],
        ] as [string, string][])
      : []),
    ['storage.location.template', `${base}/\${${PARTITION_DAY}}`],
  ];
  return [
    `CREATE EXTERNAL TABLE ${name} (`,
    CLOUDTRAIL_COLUMNS.map((c) => `  ${c.name} ${hiveType(c.type)}`).join(',\n'),
    `)`,
    `PARTITIONED BY (${partitions.join(', ')})`,
    `ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'`,
    `STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'`,
    `OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'`,
    `LOCATION '${many ? root : base}'`,
    `TBLPROPERTIES (`,
    properties.map(([k, v]) => `  '${k}'='${v}'`).join(',\n'),
    `)`,
  ].join('\n');
}
