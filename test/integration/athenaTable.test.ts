/**
 * "Create the Athena table for this trail": the accounts and Regions listed from a real
 * S3-compatible server (s3rver) holding the sample account in the trail layout, the DDL written for
 * them, run on the fake Athena (which checks Hive DDL as Athena would, athenaDdl.ts) through the
 * built CLI, and then the new table searched with find-request --engine athena.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { planTrailTable, trailLocation } from '../../src/core/engines/trailTable';
import { recordTime } from '../../src/core/record';
import { STORY_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { checkCreateTable } from '../fake-cloudtrail/athenaDdl';
import { startFakeAthena, type FakeAthena } from '../fake-cloudtrail/athena';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { TRAIL_BUCKET, TRAIL_PREFIX, startTestS3, type TestS3 } from '../harness/s3Server';
import { CLI, cli, homeWithProfile } from './cliRun';

const now = new Date();
const account = generateSampleAccount({ now, days: 2, eventsPerDay: 300 });
const story = account.records.find((r) => r.requestID === STORY_REQUEST_ID)!;
const regions = [...new Set(account.records.map((r) => r.awsRegion))].sort();

describe('athena-table: the CloudTrail table for a trail bucket', () => {
  let s3: TestS3;
  let athena: FakeAthena;
  let cloudtrail: FakeCloudTrail;
  let connection: Connection;
  let home: string;
  let env: Record<string, string>;
  before(async () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is built (node esbuild.mjs)');
    s3 = await startTestS3(account);
    // The records sit in a table of another name, so the table the DDL makes is a new one.
    athena = await startFakeAthena({ records: account.records, table: 'loaded_records', pollsToFinish: 2 });
    cloudtrail = await startFakeCloudTrail({
      records: [],
      rate: 0,
      region: account.region,
      trails: [{ Name: 'management-events', S3BucketName: TRAIL_BUCKET, S3KeyPrefix: TRAIL_PREFIX }],
    });
    connection = await connect({
      region: account.region,
      s3EndpointUrl: s3.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      env: {},
    });
    home = homeWithProfile(account.region);
    env = { AWS_ENDPOINT_URL_S3: s3.url, AWS_ENDPOINT_URL_ATHENA: athena.url, AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail.url };
  });
  after(async () => {
    connection?.dispose();
    await s3?.stop();
    await athena?.close();
    await cloudtrail?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test("the plan lists the bucket's accounts and Regions and projects exactly those", async () => {
    const plan = await planTrailTable(connection.s3, trailLocation({ S3BucketName: TRAIL_BUCKET, S3KeyPrefix: TRAIL_PREFIX }));
    assert.deepEqual(plan.spec.accounts, [account.accountId]);
    assert.deepEqual(plan.spec.regions, regions);
    assert.equal(plan.spec.prefix, TRAIL_PREFIX);
    assert.equal(plan.listed, `s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}/AWSLogs/`);
    assert.match(plan.found, new RegExp(`1 account \\(${account.accountId}\\), ${regions.length} Regions?`));
    // The fake's Athena-style check accepts it: the CloudTrail SerDe, every partition projected.
    const made = checkCreateTable(plan.ddl);
    assert.equal(made.name, 'cloudtrail_logs');
    assert.equal(made.properties['projection.region.values'], regions.join(','));
  });

  test('a prefix with no trail files is refused by name', async () => {
    await assert.rejects(
      planTrailTable(connection.s3, { bucket: TRAIL_BUCKET, prefix: 'not-a-trail/' }),
      /No account folders under s3:\/\/trail-lens-logs\/not-a-trail\/AWSLogs\//,
    );
  });

  test('the CLI prints the DDL for review and runs nothing without --run', async () => {
    const run = await cli(['athena-table', `s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}`], { home, env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^CREATE EXTERNAL TABLE cloudtrail_logs \(/);
    assert.match(run.stdout, new RegExp(`LOCATION 's3://${TRAIL_BUCKET}/${TRAIL_PREFIX}/AWSLogs/'`));
    assert.match(run.stderr, /Listed s3:\/\/.*: 1 account/);
    assert.match(run.stderr, /run it with --run/);
    assert.equal(athena.queries.length, 0);
  });

  test('--run creates the table from the trail DescribeTrails names; find-request --engine athena then finds the story', async () => {
    const made = await cli(['athena-table', '--trail', 'management-events', '--athena-database', 'default', '--run'], { home, env });
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stderr, /Trail management-events: s3:\/\/trail-lens-logs\/org-trail/);
    assert.match(made.stderr, /SUCCEEDED/);
    assert.match(
      made.stderr,
      /Created default\.cloudtrail_logs\. Search it: trail-lens find-request --engine athena --athena-database default --athena-table cloudtrail_logs/,
    );
    assert.deepEqual(
      athena.created.map((t) => t.name),
      ['cloudtrail_logs'],
    );
    const around = new Date(recordTime(story)).toISOString();
    const found = await cli(
      [
        'find-request',
        '--engine',
        'athena',
        '--athena-database',
        'default',
        '--athena-table',
        'cloudtrail_logs',
        '--around',
        around,
        STORY_REQUEST_ID,
      ],
      { home, env },
    );
    assert.equal(found.code, 0, found.stderr);
    assert.equal(JSON.parse(found.stdout).eventID, story.eventID);
  });

  test("a statement Athena refuses is an AWS error with Athena's reason (exit 3)", async () => {
    // The table exists already (the previous test, or the fake's own table).
    const run = await cli(['athena-table', '--athena-table', 'loaded_records', '--run', `s3://${TRAIL_BUCKET}/${TRAIL_PREFIX}`], {
      home,
      env,
    });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /The Athena query .* failed: AlreadyExistsException: Table loaded_records already exists/);
  });

  test('with two trails and no --trail it asks which, naming them (exit 2)', async () => {
    const two = await startFakeCloudTrail({
      records: [],
      rate: 0,
      region: account.region,
      trails: [
        { Name: 'a', S3BucketName: TRAIL_BUCKET },
        { Name: 'b', S3BucketName: TRAIL_BUCKET },
      ],
    });
    try {
      const run = await cli(['athena-table'], { home, env: { ...env, AWS_ENDPOINT_URL_CLOUDTRAIL: two.url } });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /2 trails deliver to S3 in .* \(a, b\)/);
      assert.match(run.stderr, /--trail NAME/);
    } finally {
      await two.close();
    }
  });
});

describe('the fake Athena refuses DDL Athena would refuse', () => {
  const good = (extra = '') =>
    `CREATE EXTERNAL TABLE t (eventtime string, eventsource string, eventname string, requestid string, eventid string, errorcode string, useridentity struct<arn:string,type:string>, requestparameters string)
PARTITIONED BY (\`timestamp\` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://b-b/AWSLogs/123456789012/CloudTrail/us-east-1'
TBLPROPERTIES ('projection.enabled'='true', 'projection.timestamp.type'='date'${extra}, 'storage.location.template'='s3://b-b/AWSLogs/123456789012/CloudTrail/us-east-1/\${timestamp}')`;
  test('accepts a well-formed statement', () => {
    assert.equal(checkCreateTable(good()).name, 't');
  });
  test('refuses no projection, a wrong SerDe, a missing column, a template without the partition', () => {
    assert.throws(
      () => checkCreateTable(good().replace("'projection.enabled'='true'", "'projection.enabled'='false'")),
      /projection is not enabled/,
    );
    assert.throws(() => checkCreateTable(good().replace('JsonSerDe', 'LazySimpleSerDe')), /does not read CloudTrail/);
    assert.throws(() => checkCreateTable(good().replace('requestid string, ', '')), /no column requestid/);
    assert.throws(() => checkCreateTable(good().replace('/${timestamp}', '')), /does not use partition column timestamp/);
    assert.throws(() => checkCreateTable('CREATE EXTERNAL TABLE t (a string)'), /mismatched input/);
  });
});
