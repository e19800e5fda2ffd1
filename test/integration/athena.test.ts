/**
 * Athena end to end: the real `@aws-sdk/client-athena` (through connect(), endpoint from
 * AWS_ENDPOINT_URL_ATHENA) and the AWS CLI against the fake Athena, which executes the generated
 * SQL with DuckDB over the sample account's records. The AWS CLI part skips without an AWS CLI,
 * except under CI=true, where a missing CLI fails the run.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { describeCost, runAthenaQuery } from '../../src/core/engines/athena';
import { patternQuery, requestIdQuery } from '../../src/core/engines/sql';
import { TrailLensError } from '../../src/core/errors';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { recordTime } from '../../src/core/record';
import { STORY_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { startFakeAthena, type FakeAthena } from '../fake-cloudtrail/athena';

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

function findAws(): string | undefined {
  for (const path of [process.env.TRAIL_LENS_AWS_CLI, '/usr/bin/aws', 'aws']) {
    if (!path) continue;
    try {
      execFileSync(path, ['--version'], { timeout: 30_000, stdio: 'ignore' });
      return path;
    } catch {
      // not installed here: try the next one
    }
  }
  return undefined;
}
const awsPath = findAws();
const skipAws = awsPath ? false : process.env.CI === 'true' ? false : 'no AWS CLI found';

describe('AWS CLI against the fake Athena', { skip: skipAws }, () => {
  let fake: FakeAthena;
  let home: string;
  before(async () => {
    fake = await startFakeAthena({ records: account.records, pollsToFinish: 2 });
    home = mkdtempSync(join(tmpdir(), 'tl-athena-awscli-'));
    writeFileSync(join(home, 'config'), '[default]\nregion = ap-northeast-1\n');
  });
  after(async () => {
    await fake?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function aws(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    assert.ok(awsPath, 'the AWS CLI is installed (CI=true requires it)');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    };
    if (!awsPath.startsWith('/usr/')) env.PYENV_ROOT = process.env.PYENV_ROOT ?? join(process.env.HOME ?? '', '.pyenv');
    const argv = ['athena', ...args, '--endpoint-url', fake.url, '--region', 'ap-northeast-1', '--output', 'json'];
    return new Promise((resolve) =>
      execFile(awsPath, argv, { env, timeout: 90_000, encoding: 'utf8' }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      ),
    );
  }

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
