/**
 * Athena end to end: the real `@aws-sdk/client-athena` (through connect(), endpoint from
 * AWS_ENDPOINT_URL_ATHENA) and the AWS CLI against the fake Athena, which executes the generated
 * SQL with DuckDB over the sample account's records. The AWS CLI part skips without an AWS CLI,
 * except under CI=true, where a missing CLI fails the run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { describeCost, runAthenaQuery } from '../../src/core/engines/athena';
import { patternQuery, requestIdQuery } from '../../src/core/engines/sql';
import { TrailLensError } from '../../src/core/errors';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { recordTime } from '../../src/core/record';
import { STORY_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { startFakeAthena, type FakeAthena } from '../fake-cloudtrail/athena';
import { awsCliFor, awsCliSkip, type AwsCli } from '../harness/awsCli';

const account = generateSampleAccount({ seed: 3, now: new Date('2026-11-21T12:00:00Z'), days: 4, eventsPerDay: 600 });
const story = account.records.find((r) => r.requestID === STORY_REQUEST_ID)!;
const storyMs = recordTime(story);
const window = { start: new Date(storyMs - 3600_000), end: new Date(storyMs + 300_000) };

describe('Athena through the real SDK against the fake', () => {
  let fake: FakeAthena;
  let connection: Connection;
  before(async () => {
    fake = await startFakeAthena({ records: account.records, pollsToFinish: 3 });
    connection = await connect({
      env: { AWS_ENDPOINT_URL_ATHENA: fake.url },
      region: account.region,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
    });
  });
  after(async () => {
    connection?.dispose();
    await fake?.close();
  });

  test('a request-ID search goes QUEUED → RUNNING → SUCCEEDED and returns the story record with its statistics', async () => {
    const q = requestIdQuery({ table: 'cloudtrail_logs', database: 'default', window }, STORY_REQUEST_ID);
    const states: string[] = [];
    const out = await runAthenaQuery(
      connection.athena,
      q.sql,
      { database: 'default', workgroup: 'primary' },
      {
        pollMs: 5,
        onProgress: (p) => states.push(p.state),
      },
    );
    assert.deepEqual(states, ['QUEUED', 'RUNNING', 'SUCCEEDED']);
    assert.equal(out.records.length, 1);
    assert.equal(out.records[0].eventID, story.eventID);
    assert.deepEqual(out.records[0].requestParameters, story.requestParameters);
    assert.equal(out.records[0].userIdentity?.arn, story.userIdentity?.arn);
    assert.ok(out.dataScannedBytes > 0, 'data scanned is reported');
    const all = account.records.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
    assert.ok(out.dataScannedBytes < all, 'the day partition bounded the scan');
    assert.ok(out.estimatedCostUsd > 0);
    assert.match(describeCost(out.dataScannedBytes), /scanned.*about \$/);
    assert.equal(fake.queries.at(-1), q.sql);
  });

  test('results are read across pages (GetQueryResults NextToken, header only on the first page)', async () => {
    const pattern = parseFilterPattern('{ $.readOnly IS TRUE }');
    const q = patternQuery({ table: 'cloudtrail_logs', window: { start: account.start, end: account.end }, limit: 5000 }, pattern);
    const out = await runAthenaQuery(connection.athena, q.sql, {}, { pollMs: 5 });
    const want = account.records.filter((r) => pattern.matches(r)).length;
    assert.ok(want > 1000, `more than one page (${want} rows)`);
    assert.equal(out.records.length, Math.min(want, 5000));
    assert.ok(out.records.every((r) => r.readOnly === true));
  });

  test('a query Athena cannot run is FAILED with its reason', async () => {
    await assert.rejects(
      runAthenaQuery(connection.athena, 'SELECT * FROM no_such_table', {}, { pollMs: 5 }),
      (err: unknown) => err instanceof TrailLensError && err.code === 'Rejected' && /failed: .*no_such_table/.test(err.message),
    );
  });

  test('aborting stops the query on Athena (StopQueryExecution)', async () => {
    const ac = new AbortController();
    const q = requestIdQuery({ table: 'cloudtrail_logs', window }, STORY_REQUEST_ID);
    const run = runAthenaQuery(connection.athena, q.sql, {}, { pollMs: 200, signal: ac.signal, onProgress: () => ac.abort() });
    await assert.rejects(
      run,
      (err: unknown) => err instanceof TrailLensError && err.code === 'Cancelled' && /was stopped/.test(err.message),
    );
    assert.equal(fake.stopped.length, 1);
  });
});

describe('AWS CLI against the fake Athena', { skip: awsCliSkip }, () => {
  let fake: FakeAthena;
  let cli: AwsCli;
  before(async () => {
    fake = await startFakeAthena({ records: account.records, pollsToFinish: 2 });
    cli = awsCliFor('athena', fake.url);
  });
  after(async () => {
    cli?.close();
    await fake?.close();
  });
  const aws = (args: string[]) => cli.run(args);

  test('start-query-execution, get-query-execution until SUCCEEDED, get-query-results with the header row', async () => {
    const q = requestIdQuery({ table: 'cloudtrail_logs', database: 'default', window }, STORY_REQUEST_ID);
    const started = await aws([
      'start-query-execution',
      '--query-string',
      q.sql,
      '--query-execution-context',
      'Database=default',
      '--work-group',
      'primary',
    ]);
    assert.equal(started.code, 0, started.stderr);
    const id = JSON.parse(started.stdout).QueryExecutionId as string;
    const states: string[] = [];
    for (let i = 0; i < 5 && states.at(-1) !== 'SUCCEEDED'; i++) {
      const got = await aws(['get-query-execution', '--query-execution-id', id]);
      assert.equal(got.code, 0, got.stderr);
      const qe = JSON.parse(got.stdout).QueryExecution;
      states.push(qe.Status.State);
      if (qe.Status.State === 'SUCCEEDED') assert.ok(qe.Statistics.DataScannedInBytes > 0);
    }
    assert.deepEqual(states, ['QUEUED', 'SUCCEEDED']);
    const results = await aws(['get-query-results', '--query-execution-id', id]);
    assert.equal(results.code, 0, results.stderr);
    const rows = JSON.parse(results.stdout).ResultSet.Rows as { Data: { VarCharValue?: string }[] }[];
    assert.equal(rows.length, 2, 'the header and the story row');
    assert.equal(rows[0].Data[0].VarCharValue, 'eventversion');
    const header = rows[0].Data.map((d) => d.VarCharValue);
    assert.equal(rows[1].Data[header.indexOf('requestid')].VarCharValue, STORY_REQUEST_ID);
  });

  test('stop-query-execution cancels; an unknown ID is InvalidRequestException', async () => {
    const started = await aws(['start-query-execution', '--query-string', 'SELECT 1']);
    const id = JSON.parse(started.stdout).QueryExecutionId as string;
    assert.equal((await aws(['stop-query-execution', '--query-execution-id', id])).code, 0);
    const got = await aws(['get-query-execution', '--query-execution-id', id]);
    assert.equal(JSON.parse(got.stdout).QueryExecution.Status.State, 'CANCELLED');
    const missing = await aws(['get-query-execution', '--query-execution-id', 'nope']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /InvalidRequestException/);
  });
});
