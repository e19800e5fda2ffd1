/**
 * AWS's documented CloudTrail table for Athena (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html),
 * defined once: the DDL Trail Lens offers, the SQL it generates, the fake Athena's DuckDB table
 * and the mapping of result rows back to CloudTrail records all read this list.
 *
 * Names are CloudTrail's (camelCase). Athena (Hive) stores column and struct-field names in lower
 * case and matches them case-insensitively, so generated SQL writes them in lower case.
 */

/** `string`: a plain string; `json`: a string column holding a JSON document; `bool`: 'true'/'false' as a string. */
export type ColumnType =
  | { readonly kind: 'string' | 'json' | 'bool' }
  | { readonly kind: 'struct'; readonly fields: readonly Column[] }
  | { readonly kind: 'array'; readonly of: ColumnType }
  | { readonly kind: 'map' };

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

const S = { kind: 'string' } as const;
const J = { kind: 'json' } as const;
const col = (name: string, type: ColumnType = S): Column => ({ name, type });
const struct = (...fields: Column[]): ColumnType => ({ kind: 'struct', fields });

export const CLOUDTRAIL_COLUMNS: readonly Column[] = [
  col('eventVersion'),
  col(
    'userIdentity',
    struct(
      col('type'),
      col('principalId'),
      col('arn'),
      col('accountId'),
      col('invokedBy'),
      col('accessKeyId'),
      col('userName'),
      col('onBehalfOf', struct(col('userId'), col('identityStoreArn'))),
      col(
        'sessionContext',
        struct(
          col('attributes', struct(col('mfaAuthenticated'), col('creationDate'))),
          col('sessionIssuer', struct(col('type'), col('principalId'), col('arn'), col('accountId'), col('userName'))),
          col('sourceIdentity'),
          col('ec2RoleDelivery'),
          col('webIdFederationData', struct(col('federatedProvider'), col('attributes', { kind: 'map' }))),
        ),
      ),
    ),
  ),
  col('eventTime'),
  col('eventSource'),
  col('eventName'),
  col('awsRegion'),
  col('sourceIPAddress'),
  col('userAgent'),
  col('errorCode'),
  col('errorMessage'),
  col('requestParameters', J),
  col('responseElements', J),
  col('additionalEventData', J),
  col('requestID'),
  col('eventID'),
  col('readOnly', { kind: 'bool' }),
  col('resources', { kind: 'array', of: struct(col('ARN'), col('accountId'), col('type')) }),
  col('eventType'),
  col('apiVersion'),
  col('recipientAccountId'),
  col('serviceEventDetails', J),
  col('sharedEventID'),
  col('vpcEndpointId'),
  col('vpcEndpointAccountId'),
  col('eventCategory'),
  col('sessionCredentialFromConsole'),
  col('edgeDeviceDetails', J),
  col('tlsDetails', struct(col('tlsVersion'), col('cipherSuite'), col('clientProvidedHostHeader'))),
];

/** The projected partition columns: the day folder (`yyyy/MM/dd`), and with several accounts or Regions, those. */
export const PARTITION_DAY = 'timestamp';

/** Hive DDL for one column type, as AWS's documented table writes it. */
export function hiveType(t: ColumnType): string {
  switch (t.kind) {
    case 'string':
    case 'json':
    case 'bool':
      return 'STRING';
    case 'map':
      return 'MAP<STRING,STRING>';
    case 'array':
      return `ARRAY<${hiveType(t.of)}>`;
    case 'struct':
      return `STRUCT<${t.fields.map((f) => `${f.name}: ${hiveType(f.type)}`).join(', ')}>`;
  }
}

/** Whether a column is a struct, array or map, so that result rows carry it as JSON text. */
export function isNested(t: ColumnType): boolean {
  return t.kind === 'struct' || t.kind === 'array' || t.kind === 'map';
}
