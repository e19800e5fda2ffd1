/**
 * CloudWatch Logs end to end: the real `@aws-sdk/client-cloudwatch-logs` (through connect(),
 * endpoint from AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) and the AWS CLI against the fake log group.
 * The AWS CLI part skips without an AWS CLI, except under CI=true.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { logGroupName, requestIdFilter, searchLogGroup } from '../../src/core/engines/logs';
import { TrailLensError } from '../../src/core/errors';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { recordTime } from '../../src/core/record';
import { STORY_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { startFakeLogs, type FakeLogs } from '../fake-cloudtrail/logs';
import { awsCliFor, awsCliSkip, type AwsCli } from '../harness/awsCli';

const account = generateSampleAccount({ seed: 5, now: new Date('2026-11-21T12:00:00Z'), days: 2, eventsPerDay: 600 });
const story = account.records.find((r) => r.requestID === STORY_REQUEST_ID)!;
const storyMs = recordTime(story);

test('log group names from CloudWatchLogsLogGroupArn; request-ID filters escape quotes', () => {
  assert.equal(logGroupName('arn:aws:logs:us-east-1:123456789012:log-group:aws-cloudtrail-logs-x:*'), 'aws-cloudtrail-logs-x');
  assert.equal(logGroupName('my-group'), 'my-group');
  assert.equal(requestIdFilter('ab"c'), '{ $.requestID = "ab\\"c" }');
  assert.ok(parseFilterPattern(requestIdFilter(STORY_REQUEST_ID)).matches(story));
});

describe('CloudWatch Logs through the real SDK against the fake', () => {
  let fake: FakeLogs;
  let connection: Connection;
  before(async () => {
    fake = await startFakeLogs({ records: account.records, scanPerPage: 10 });
    connection = await connect({
      env: { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: fake.url },
      region: account.region,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
    });
  });
  after(async () => {
    connection?.dispose();
    await fake?.close();
  });

  test('a request-ID search follows nextToken through empty pages to the story record', async () => {
    fake.pages.length = 0;
    const progress: number[] = [];
    const out = await searchLogGroup(connection.logs, {
      logGroup: fake.arn,
      window: { start: new Date(storyMs - 2 * 3600_000), end: new Date(storyMs + 3600_000) },
      filterPattern: requestIdFilter(STORY_REQUEST_ID),
      onProgress: (p) => progress.push(p.pages),
    });
    assert.deepEqual(
      out.records.map((r) => r.eventID),
      [story.eventID],
    );
    assert.ok(fake.pages.filter((n) => n === 0).length >= 2, 'empty pages came before the end');
    assert.equal(out.pages, fake.pages.length, 'every page was read');
    assert.deepEqual(
      progress,
      [...Array(out.pages).keys()].map((i) => i + 1),
    );
  });

  test("the user's filter pattern is sent as written and matches what it matches", async () => {
    const text = '{ $.errorCode = "AccessDenied*" }';
    const out = await searchLogGroup(connection.logs, {
      logGroup: fake.logGroup,
      window: { start: account.start, end: account.end },
      filterPattern: text,
      limit: 10_000,
    });
    const want = account.records.filter((r) => parseFilterPattern(text).matches(r));
    assert.ok(want.length > 0);
    assert.deepEqual(out.records.map((r) => r.eventID).sort(), want.map((r) => r.eventID).sort());
  });

  test('a limit stops the search and says so; an unknown group is an error naming CloudWatch Logs', async () => {
    const out = await searchLogGroup(connection.logs, {
      logGroup: fake.logGroup,
      window: { start: account.start, end: account.end },
      filterPattern: '',
      limit: 30,
    });
    assert.equal(out.records.length, 30);
    assert.equal(out.truncated, true);
    await assert.rejects(
      searchLogGroup(connection.logs, { logGroup: 'nope', window: { start: account.start, end: account.end }, filterPattern: '' }),
      (err: unknown) => err instanceof TrailLensError && /FilterLogEvents|log group/.test(err.message),
    );
  });

  test('an abort stops between pages', async () => {
    const ac = new AbortController();
    await assert.rejects(
      searchLogGroup(connection.logs, {
        logGroup: fake.logGroup,
        window: { start: account.start, end: account.end },
        filterPattern: requestIdFilter('none'),
        signal: ac.signal,
        onProgress: () => ac.abort(),
      }),
      (err: unknown) => err instanceof TrailLensError && err.code === 'Cancelled',
    );
  });
});

describe('AWS CLI against the fake CloudWatch Logs', { skip: awsCliSkip }, () => {
  let fake: FakeLogs;
  let cli: AwsCli;
  before(async () => {
    fake = await startFakeLogs({ records: account.records, scanPerPage: 10 });
    cli = awsCliFor('logs', fake.url);
  });
  after(async () => {
    cli?.close();
    await fake?.close();
  });

  test('filter-log-events auto-paginates through empty pages; describe-log-groups lists the group', async () => {
    const aws = (args: string[]) => cli.run(args);
    const groups = await aws(['describe-log-groups']);
    assert.equal(groups.code, 0, groups.stderr);
    assert.equal(JSON.parse(groups.stdout).logGroups[0].logGroupName, fake.logGroup);
    fake.pages.length = 0;
    const found = await aws([
      'filter-log-events',
      '--log-group-name',
      fake.logGroup,
      '--start-time',
      String(storyMs - 2 * 3600_000),
      '--end-time',
      String(storyMs + 3600_000),
      '--filter-pattern',
      requestIdFilter(STORY_REQUEST_ID),
    ]);
    assert.equal(found.code, 0, found.stderr);
    const events = JSON.parse(found.stdout).events as { message: string }[];
    assert.equal(events.length, 1);
    assert.equal(JSON.parse(events[0].message).eventID, story.eventID);
    assert.ok(fake.pages.length > 2, 'the CLI followed nextToken');
  });
});
