/**
 * `trail-lens find-request --engine athena|logs|lake` through the built CLI against the fake Athena
 * (DuckDB executing the generated SQL), the fake CloudWatch Logs and the fake CloudTrail's Lake
 * (DuckDB too); the log group found from DescribeTrails → CloudWatchLogsLogGroupArn on the fake
 * CloudTrail. Same output and exit codes as the LookupEvents search.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { recordTime } from '../../src/core/record';
import { STORY_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { startFakeAthena, type FakeAthena } from '../fake-cloudtrail/athena';
import { FAKE_EVENT_DATA_STORE_ID } from '../fake-cloudtrail/lake';
import { startFakeLogs, type FakeLogs } from '../fake-cloudtrail/logs';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { CLI, cli, homeWithProfile } from './cliRun';

const now = new Date();
const account = generateSampleAccount({ now, days: 2, eventsPerDay: 500 });
const story = account.records.find((r) => r.requestID === STORY_REQUEST_ID)!;
const around = new Date(recordTime(story)).toISOString();

describe('find-request --engine', () => {
  let athena: FakeAthena;
  let logs: FakeLogs;
  let cloudtrail: FakeCloudTrail;
  let home: string;
  let env: Record<string, string>;
  before(async () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is built (node esbuild.mjs)');
    athena = await startFakeAthena({ records: account.records, pollsToFinish: 2 });
    logs = await startFakeLogs({ records: account.records, region: account.region, scanPerPage: 40 });
    cloudtrail = await startFakeCloudTrail({
      records: [],
      rate: 0,
      region: account.region,
      trails: [{ Name: 'management-events', S3BucketName: 'trail-bucket', CloudWatchLogsLogGroupArn: logs.arn }],
      lake: { records: account.records, pollsToFinish: 2 },
    });
    home = homeWithProfile(account.region);
    env = { AWS_ENDPOINT_URL_ATHENA: athena.url, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url, AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail.url };
  });
  after(async () => {
    await athena?.close();
    await logs?.close();
    await cloudtrail?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('athena: prints the record; stderr has the query, its state, data scanned and cost', async () => {
    const run = await cli(
      ['find-request', '--engine', 'athena', '--athena-database', 'default', '--around', around, '--window', '1h', STORY_REQUEST_ID],
      { home, env },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).eventID, story.eventID);
    assert.match(run.stderr, /FROM "default"\."cloudtrail_logs"/);
    assert.match(run.stderr, /"timestamp" BETWEEN/);
    assert.match(run.stderr, /SUCCEEDED in .*MB scanned.*about \$/);
    assert.equal(athena.queries.length, 1);
  });

  test('athena: not in the window is exit 1 and says where it looked', async () => {
    const run = await cli(
      ['find-request', '--engine', 'athena', '--start', '2020-01-01T00:00:00Z', '--end', '2020-01-02T00:00:00Z', STORY_REQUEST_ID],
      { home, env },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /Not found: no event with request ID .* in Athena table cloudtrail_logs/);
  });

  test("logs: the trail's log group from DescribeTrails, the record on stdout", async () => {
    const run = await cli(['find-request', '--engine', 'logs', '--around', around, '--window', '1h', STORY_REQUEST_ID], { home, env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).eventID, story.eventID);
    assert.match(run.stderr, new RegExp(`CloudWatch Logs group ${logs.logGroup} with \\{ \\$\\.requestID = "${STORY_REQUEST_ID}" \\}`));
  });

  test('logs: --log-group names a group that does not exist: an AWS error (exit 3)', async () => {
    const run = await cli(['find-request', '--engine', 'logs', '--log-group', 'nope', '--around', around, STORY_REQUEST_ID], { home, env });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /CloudWatch Logs|log group/);
    assert.doesNotMatch(run.stderr, /at .*\.js:\d+/);
  });

  test('lake: the enabled event data store; stderr has the query, its state, run time and bytes scanned', async () => {
    const run = await cli(['find-request', '--engine', 'lake', '--around', around, '--window', '1h', STORY_REQUEST_ID], { home, env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).eventID, story.eventID);
    assert.match(run.stderr, new RegExp(`event data store management-events \\(${FAKE_EVENT_DATA_STORE_ID}\\)`));
    assert.match(run.stderr, new RegExp(`FROM ${FAKE_EVENT_DATA_STORE_ID}\\nWHERE eventTime >= '`));
    assert.match(run.stderr, /CloudTrail Lake query [0-9a-f-]+ FINISHED in .*: [\d.]+ MB scanned, about \$/);
    assert.equal(cloudtrail.lake?.queries.length, 1);
  });

  test('lake: not in the window is exit 1; an event data store that does not exist is a configuration error (exit 2)', async () => {
    const none = await cli(
      [
        'find-request',
        '--engine',
        'lake',
        '--event-data-store',
        FAKE_EVENT_DATA_STORE_ID,
        '--start',
        '2020-01-01T00:00:00Z',
        '--end',
        '2020-01-02T00:00:00Z',
        STORY_REQUEST_ID,
      ],
      { home, env },
    );
    assert.equal(none.code, 1, none.stderr);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /Not found: no event with request ID .* in CloudTrail Lake event data store management-events/);
    const missing = await cli(['find-request', '--engine', 'lake', '--event-data-store', 'nope', '--around', around, STORY_REQUEST_ID], {
      home,
      env,
    });
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /No CloudTrail Lake event data store is named nope/);
    assert.doesNotMatch(missing.stderr, /at .*\.js:\d+/);
  });

  test('an unknown engine is a usage error', async () => {
    const run = await cli(['find-request', '--engine', 'bigquery', STORY_REQUEST_ID], { home, env });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--engine must be one of lookup, athena, logs, lake/);
  });
});
