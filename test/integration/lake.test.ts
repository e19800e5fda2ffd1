/**
 * CloudTrail Lake end to end: the real CloudTrail SDK client's Lake operations (through connect(),
 * endpoint from AWS_ENDPOINT_URL_CLOUDTRAIL) and the AWS CLI against the fake CloudTrail endpoint,
 * whose Lake executes the generated SQL with DuckDB over the sample account's records. The AWS
 * CLI part skips without an AWS CLI, except under CI=true, where a missing CLI fails the run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { lakePatternQuery, lakeRequestIdQuery, resolveEventDataStore, runLakeQuery } from '../../src/core/engines/lake';
import { TrailLensError } from '../../src/core/errors';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { recordTime } from '../../src/core/record';
import { STORY_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { FAKE_EVENT_DATA_STORE_ID, type FakeLakeOptions } from '../fake-cloudtrail/lake';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { awsCliFor, awsCliSkip, type AwsCli } from '../harness/awsCli';

const account = generateSampleAccount({ seed: 7, now: new Date('2026-11-21T12:00:00Z'), days: 3, eventsPerDay: 600 });
const story = account.records.find((r) => r.requestID === STORY_REQUEST_ID)!;
const storyMs = recordTime(story);
const window = { start: new Date(storyMs - 3600_000), end: new Date(storyMs + 300_000) };
const isError = (code: string, message: RegExp) => (err: unknown) =>
  err instanceof TrailLensError && err.code === code && message.test(`${err.message}\n${err.hint ?? ''}`);

async function lakeEndpoint(lake: Partial<FakeLakeOptions>): Promise<{ fake: FakeCloudTrail; connection: Connection }> {
  const fake = await startFakeCloudTrail({ records: account.records, rate: 0, region: account.region, lake });
  const connection = await connect({
    env: { AWS_ENDPOINT_URL_CLOUDTRAIL: fake.url },
    region: account.region,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
  });
  return { fake, connection };
}

describe('CloudTrail Lake through the real SDK against the fake', () => {
  let fake: FakeCloudTrail;
  let connection: Connection;
  before(async () => ({ fake, connection } = await lakeEndpoint({ pollsToFinish: 3 })));
  after(async () => {
    connection?.dispose();
    await fake?.close();
  });

  test('the enabled event data store is found; a request-ID search goes QUEUED → RUNNING → FINISHED to the story record', async () => {
    const store = await resolveEventDataStore(connection.lake);
    assert.equal(store.id, FAKE_EVENT_DATA_STORE_ID);
    assert.equal(store.status, 'ENABLED');
    const q = lakeRequestIdQuery(store.id, STORY_REQUEST_ID, window);
    assert.match(q.sql, new RegExp(`FROM ${FAKE_EVENT_DATA_STORE_ID}\\nWHERE eventTime >= '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d'`));
    const states: string[] = [];
    const out = await runLakeQuery(connection.lake, q.sql, { pollMs: 5, onProgress: (p) => states.push(p.state) });
    assert.deepEqual(states, ['QUEUED', 'RUNNING', 'FINISHED']);
    assert.equal(out.records.length, 1);
    const [record] = out.records;
    assert.equal(record.eventID, story.eventID);
    assert.equal(record.eventTime, story.eventTime, 'eventTime back in CloudTrail form');
    assert.equal(record.readOnly, story.readOnly);
    assert.equal(record.userIdentity?.arn, story.userIdentity?.arn);
    assert.deepEqual(record.requestParameters, story.requestParameters);
    const all = account.records.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
    assert.ok(out.bytesScanned > 0 && out.bytesScanned < all, 'the eventTime bounds limited the bytes scanned');
    assert.ok(out.eventsScanned > 0 && out.eventsScanned < account.records.length);
    assert.ok(out.estimatedCostUsd > 0);
    assert.equal(fake.lake?.queries.at(-1), q.sql);
  });

  test('a request ID not in the window: no records, and the query still FINISHED', async () => {
    const q = lakeRequestIdQuery(FAKE_EVENT_DATA_STORE_ID, '00000000-0000-4000-8000-000000000000', window);
    const out = await runLakeQuery(connection.lake, q.sql, { pollMs: 5 });
    assert.equal(out.state, 'FINISHED');
    assert.deepEqual(out.records, []);
  });

  test('a filter pattern in Lake’s dialect returns exactly what the pattern matches, across result pages', async () => {
    const pattern = parseFilterPattern('{ $.readOnly IS TRUE && $.userIdentity.type = "AssumedRole" }');
    const whole = { start: account.start, end: account.end };
    const q = lakePatternQuery(FAKE_EVENT_DATA_STORE_ID, pattern, whole, 5000);
    assert.match(q.sql, /readOnly = true AND userIdentity\.type = 'AssumedRole'/);
    const out = await runLakeQuery(connection.lake, q.sql, { pollMs: 5 });
    const want = account.records.filter((r) => pattern.matches(r) && recordTime(r) <= whole.end.getTime());
    assert.ok(want.length > 1000, `more than one GetQueryResults page (${want.length} rows)`);
    assert.deepEqual(out.records.map((r) => r.eventID).sort(), want.map((r) => r.eventID).sort());
    assert.throws(
      () => lakePatternQuery(FAKE_EVENT_DATA_STORE_ID, parseFilterPattern('{ $.requestParameters.bucketName = "b" }'), whole),
      (err: unknown) => err instanceof TrailLensError && err.name === 'UntranslatableError' && /map of text values/.test(err.message),
    );
  });

  test('aborting cancels the query on Lake (CancelQuery sent)', async () => {
    const ac = new AbortController();
    const q = lakeRequestIdQuery(FAKE_EVENT_DATA_STORE_ID, STORY_REQUEST_ID, window);
    const run = runLakeQuery(connection.lake, q.sql, { pollMs: 200, signal: ac.signal, onProgress: () => ac.abort() });
    await assert.rejects(run, isError('Cancelled', /was cancelled \(CancelQuery\)/));
    assert.equal(fake.lake?.cancelled.length, 1);
    assert.ok(fake.requests.some((r) => r.operation === 'CancelQuery' && r.status === 200));
  });

  test('a query that cannot run FAILS with its reason; one that does not parse is InvalidQueryStatement', async () => {
    await assert.rejects(
      runLakeQuery(connection.lake, `SELECT noSuchColumn FROM ${FAKE_EVENT_DATA_STORE_ID}`, { pollMs: 5 }),
      isError('Rejected', /query .* failed: .*noSuchColumn/),
    );
    await assert.rejects(
      runLakeQuery(connection.lake, `SELECT eventID FROM ${FAKE_EVENT_DATA_STORE_ID} WHERE (`, { pollMs: 5 }),
      isError('Rejected', /CloudTrail Lake cannot run the query/),
    );
  });

  test('access denied names the Lake IAM actions', async () => {
    fake.addFault({ kind: 'accessDenied', operation: 'StartQuery', count: 1 });
    await assert.rejects(
      runLakeQuery(connection.lake, lakeRequestIdQuery(FAKE_EVENT_DATA_STORE_ID, STORY_REQUEST_ID, window).sql, { pollMs: 5 }),
      isError('AccessDenied', /cloudtrail:StartQuery[\s\S]*cloudtrail:DescribeQuery, cloudtrail:GetQueryResults, cloudtrail:CancelQuery/),
    );
  });
});

describe('CloudTrail Lake: which event data store', () => {
  const opened: { fake: FakeCloudTrail; connection: Connection }[] = [];
  after(async () => {
    for (const o of opened) {
      o.connection.dispose();
      await o.fake.close();
    }
  });
  const open = async (lake: Partial<FakeLakeOptions>) => {
    const o = await lakeEndpoint(lake);
    opened.push(o);
    return o;
  };

  test('no event data store: a Config error saying Lake is closed to new customers, pointing to Athena and CloudWatch Logs', async () => {
    const { connection } = await open({ stores: [] });
    await assert.rejects(
      resolveEventDataStore(connection.lake),
      isError(
        'Config',
        /no CloudTrail Lake event data store[\s\S]*closed to new customers since 2026-05-31[\s\S]*Athena[\s\S]*CloudWatch Logs/,
      ),
    );
  });

  test('ListEventDataStores is read page by page to the first ENABLED store; a name or ARN picks one', async () => {
    const stores: FakeLakeOptions['stores'] = [
      { id: '11111111-1111-4111-8111-111111111111', name: 'old', status: 'STOPPED_INGESTION' },
      { id: '22222222-2222-4222-8222-222222222222', name: 'gone', status: 'PENDING_DELETION' },
      { id: FAKE_EVENT_DATA_STORE_ID, name: 'management-events', status: 'ENABLED' },
    ];
    const { fake, connection } = await open({ stores, storesPerPage: 1 });
    assert.equal((await resolveEventDataStore(connection.lake)).id, FAKE_EVENT_DATA_STORE_ID);
    assert.equal(fake.requests.filter((r) => r.operation === 'ListEventDataStores').length, 3);
    assert.equal((await resolveEventDataStore(connection.lake, 'old')).id, stores[0].id);
    const arn = `arn:aws:cloudtrail:${account.region}:123456789012:eventdatastore/${stores[1].id}`;
    assert.equal((await resolveEventDataStore(connection.lake, arn)).status, 'PENDING_DELETION');
    await assert.rejects(resolveEventDataStore(connection.lake, 'nope'), isError('Config', /named nope[\s\S]*old \(1111/));
  });

  test('an inactive event data store: StartQuery’s InactiveEventDataStore is a clear Config error', async () => {
    const id = '33333333-3333-4333-8333-333333333333';
    const { connection } = await open({ stores: [{ id, name: 'deleting', status: 'PENDING_DELETION' }] });
    await assert.rejects(resolveEventDataStore(connection.lake), isError('Config', /No CloudTrail Lake event data store is ENABLED/));
    await assert.rejects(
      runLakeQuery(connection.lake, lakeRequestIdQuery(id, STORY_REQUEST_ID, window).sql, { pollMs: 5 }),
      isError('Config', /is not active, so it cannot be queried \(InactiveEventDataStoreException\)/),
    );
  });
});

describe('AWS CLI against the fake CloudTrail Lake', { skip: awsCliSkip }, () => {
  let fake: FakeCloudTrail;
  let aws: AwsCli;
  before(async () => {
    fake = await startFakeCloudTrail({ records: account.records, rate: 0, region: 'ap-northeast-1', lake: { pollsToFinish: 2 } });
    aws = awsCliFor('cloudtrail', fake.url);
  });
  after(async () => {
    aws?.close();
    await fake?.close();
  });

  test('list-event-data-stores, start-query, describe-query until FINISHED, get-query-results rows of one-key maps', async () => {
    const listed = await aws.run(['list-event-data-stores']);
    assert.equal(listed.code, 0, listed.stderr);
    const [store] = JSON.parse(listed.stdout).EventDataStores as { EventDataStoreArn: string; Status: string }[];
    assert.equal(store.Status, 'ENABLED');
    assert.ok(store.EventDataStoreArn.endsWith(`/${FAKE_EVENT_DATA_STORE_ID}`));
    const q = lakeRequestIdQuery(FAKE_EVENT_DATA_STORE_ID, STORY_REQUEST_ID, window);
    const started = await aws.run(['start-query', '--query-statement', q.sql]);
    assert.equal(started.code, 0, started.stderr);
    const id = JSON.parse(started.stdout).QueryId as string;
    const states: string[] = [];
    for (let i = 0; i < 5 && states.at(-1) !== 'FINISHED'; i++) {
      const got = await aws.run(['describe-query', '--query-id', id]);
      assert.equal(got.code, 0, got.stderr);
      const d = JSON.parse(got.stdout);
      states.push(d.QueryStatus);
      if (d.QueryStatus === 'FINISHED') assert.ok(d.QueryStatistics.BytesScanned > 0);
    }
    assert.deepEqual(states, ['QUEUED', 'FINISHED']);
    const results = await aws.run(['get-query-results', '--query-id', id]);
    assert.equal(results.code, 0, results.stderr);
    const rows = JSON.parse(results.stdout).QueryResultRows as Record<string, string>[][];
    assert.equal(rows.length, 1);
    assert.ok(rows[0].every((cell) => Object.keys(cell).length === 1));
    assert.equal(Object.assign({}, ...rows[0]).requestID, STORY_REQUEST_ID);
  });

  test('cancel-query cancels a running query; an unknown query ID is QueryIdNotFoundException', async () => {
    const started = await aws.run(['start-query', '--query-statement', `SELECT eventID FROM ${FAKE_EVENT_DATA_STORE_ID}`]);
    const id = JSON.parse(started.stdout).QueryId as string;
    const cancelled = await aws.run(['cancel-query', '--query-id', id]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(JSON.parse(cancelled.stdout).QueryStatus, 'CANCELLED');
    assert.equal(JSON.parse((await aws.run(['describe-query', '--query-id', id])).stdout).QueryStatus, 'CANCELLED');
    const missing = await aws.run(['describe-query', '--query-id', '00000000-0000-4000-8000-000000000000']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /QueryIdNotFoundException/);
  });
});
