/**
 * The fake Athena's CREATE EXTERNAL TABLE: Hive DDL, which DuckDB cannot run, is checked here the
 * way Athena would refuse it — the statement's shape, the CloudTrail SerDe and input format, every
 * partition column projected and used in `storage.location.template`, a LOCATION the template
 * extends — and then the table name becomes a view on the records the fake holds, so the queries
 * that follow run against it. A statement that fails a check fails the query with Athena's kind of
 * message (a test then sees FAILED and the reason).
 */
const DDL_RE =
  /^\s*CREATE\s+EXTERNAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:[a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*)\s*\(([\s\S]*)\)\s*(?:COMMENT\s+'[^']*'\s*)?PARTITIONED\s+BY\s*\(([^)]*)\)\s*ROW\s+FORMAT\s+SERDE\s+'([^']+)'\s*STORED\s+AS\s+INPUTFORMAT\s+'([^']+)'\s*OUTPUTFORMAT\s+'([^']+)'\s*LOCATION\s+'([^']+)'\s*TBLPROPERTIES\s*\(([\s\S]*)\)\s*;?\s*$/i;

const SERDES = ['org.apache.hive.hcatalog.data.JsonSerDe', 'com.amazon.emr.hive.serde.CloudTrailSerde'];
const INPUT_FORMAT = 'com.amazon.emr.cloudtrail.CloudTrailInputFormat';
/** Columns every CloudTrail table needs for the generated queries to run. */
const REQUIRED_COLUMNS = [
  'eventtime',
  'eventsource',
  'eventname',
  'requestid',
  'eventid',
  'errorcode',
  'useridentity',
  'requestparameters',
];

export interface CreatedTable {
  /** The table's name without its database. */
  name: string;
  database?: string;
  location: string;
  properties: Record<string, string>;
}

/** Whether the statement is DDL this fake handles (anything else goes to DuckDB as a query). */
export function isCreateTable(sql: string): boolean {
  return /^\s*CREATE\s+EXTERNAL\s+TABLE\b/i.test(sql);
}

/** The top-level comma-separated parts of a list (struct<a:string,b:string> types and quoted values hold commas). */
function topLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of list) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && (ch === '<' || ch === '(')) depth++;
    if (!quoted && (ch === '>' || ch === ')')) depth--;
    if (ch === ',' && depth === 0 && !quoted) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/** Checks a CREATE EXTERNAL TABLE statement; throws with the reason Athena would give. */
export function checkCreateTable(sql: string): CreatedTable {
  const m = DDL_RE.exec(sql);
  if (!m) throw new Error('line 1:1: mismatched input. Expecting: CREATE EXTERNAL TABLE … PARTITIONED BY … LOCATION … TBLPROPERTIES');
  const [, qualified, columnList, partitionList, serde, inputFormat, , location, propertyList] = m;
  const columns = topLevel(columnList).map((c) => c.split(/\s+/)[0].replace(/`/g, '').toLowerCase());
  for (const c of REQUIRED_COLUMNS) if (!columns.includes(c)) throw new Error(`the table has no column ${c}`);
  if (!SERDES.includes(serde)) throw new Error(`SerDe ${serde} does not read CloudTrail log files`);
  if (inputFormat !== INPUT_FORMAT) throw new Error(`input format ${inputFormat} does not read CloudTrail log files`);
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9]\/(?:.*\/)?AWSLogs\//.test(location))
    throw new Error(`LOCATION ${location} is not a trail's AWSLogs/ folder`);
  const properties: Record<string, string> = {};
  for (const p of topLevel(propertyList)) {
    const kv = /^'([^']+)'\s*=\s*'([^']*)'$/.exec(p);
    if (!kv) throw new Error(`TBLPROPERTIES entry ${p} is not 'key'='value'`);
    properties[kv[1]] = kv[2];
  }
  const partitions = topLevel(partitionList).map((p) => p.split(/\s+/)[0].replace(/`/g, ''));
  const template = properties['storage.location.template'];
  if (properties['projection.enabled'] !== 'true') throw new Error('partition projection is not enabled: queries would find no partitions');
  if (!template?.startsWith(location.replace(/\/$/, ''))) throw new Error('storage.location.template does not extend LOCATION');
  for (const p of partitions) {
    if (!properties[`projection.${p}.type`]) throw new Error(`partition column ${p} has no projection.${p}.type`);
    if (!template.includes(`\${${p}}`)) throw new Error(`storage.location.template does not use partition column ${p}`);
  }
  const [database, name] = qualified.includes('.') ? qualified.split('.') : [undefined, qualified];
  return { name, database, location, properties };
}
