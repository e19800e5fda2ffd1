/**
 * The generated SQL really executed: the sample account's records in DuckDB shaped like AWS's
 * CloudTrail table (test/fake-cloudtrail/duckTable.ts), each query's rows compared with what the
 * filter pattern itself selects from the same records in the same window — so SQL that does not
 * parse, or returns other rows than the pattern means, fails here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { patternQuery, requestIdQuery, type QueryTarget } from '../../src/core/engines/sql';
import { rowToRecord, type ResultRow } from '../../src/core/engines/results';
import { FILTER_PRESETS } from '../../src/core/filter/presets';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { recordTime, type CloudTrailRecord } from '../../src/core/record';
import { STORY_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { loadCloudTrailTable } from '../fake-cloudtrail/duckTable';

const account = generateSampleAccount({ seed: 7, now: new Date('2026-11-20T12:00:00Z'), days: 3, eventsPerDay: 800 });
let conn: DuckDBConnection;
let instance: DuckDBInstance;

async function rows(sql: string): Promise<ResultRow[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])));
}

const ids = (records: readonly CloudTrailRecord[]) => records.map((r) => r.eventID).sort();

function inWindow(target: QueryTarget, r: CloudTrailRecord): boolean {
  const t = recordTime(r);
  return t >= target.window.start.getTime() && t <= target.window.end.getTime();
}

before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await loadCloudTrailTable(conn, 'cloudtrail_logs', account.records);
});
after(() => {
  conn.closeSync();
  instance.closeSync();
});

const target: QueryTarget = {
  table: 'cloudtrail_logs',
  window: { start: new Date('2026-11-18T06:00:00Z'), end: new Date('2026-11-20T11:00:00Z') },
  limit: 100_000,
};

describe('generated SQL on DuckDB over the sample account', () => {
  test('a request-ID query returns exactly the story record, restored as CloudTrail wrote it', async () => {
    const story = account.records.find((r) => r.requestID === STORY_REQUEST_ID);
    assert.ok(story);
    const t = recordTime(story);
    const q = requestIdQuery(
      { table: 'cloudtrail_logs', window: { start: new Date(t - 3600_000), end: new Date(t + 60_000) } },
      STORY_REQUEST_ID,
    );
    const got = (await rows(q.sql)).map(rowToRecord);
    assert.equal(got.length, 1);
    // What the table holds: CloudTrail's fields that AWS's table declares (not managementEvent), a JSON null as no value.
    const { managementEvent: _notInTable, ...declared } = story;
    const held = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(declared))).filter(([, v]) => v !== null));
    assert.deepEqual(got[0], held);
  });

  test("resources come back as CloudTrail writes them (ARN, accountId, type), not in the table's case", async () => {
    const withResources = account.records.find((r) => Array.isArray(r.resources) && r.resources.length && r.requestID);
    assert.ok(withResources, 'the sample account has an event with resources');
    const t = recordTime(withResources);
    const q = requestIdQuery(
      { table: 'cloudtrail_logs', window: { start: new Date(t - 60_000), end: new Date(t + 60_000) } },
      withResources.requestID!,
    );
    const got = (await rows(q.sql)).map(rowToRecord).find((r) => r.eventID === withResources.eventID);
    assert.deepEqual(got?.resources, withResources.resources);
  });

  test('a request ID outside the window is not returned (the window bounds the search)', async () => {
    const story = account.records.find((r) => r.requestID === STORY_REQUEST_ID)!;
    const t = recordTime(story);
    const q = requestIdQuery(
      { table: 'cloudtrail_logs', window: { start: new Date(t + 60_000), end: new Date(t + 7200_000) } },
      STORY_REQUEST_ID,
    );
    assert.deepEqual(await rows(q.sql), []);
  });

  const patterns = [
    ...FILTER_PRESETS.map((p) => p.pattern),
    '{ $.eventName = "CreateBackupVault" }',
    '{ $.eventName = Describe* }',
    '{ $.eventName = *Policy }',
    '{ $.eventName = *Bucket* }',
    '{ $.eventSource = * }',
    '{ $.errorCode != "AccessDenied" }',
    '{ $.eventName = %^Get.*s$% }',
    '{ $.eventName != %^Describe% && $.readOnly IS TRUE }',
    '{ $.readOnly IS FALSE && $.userIdentity.sessionContext.sessionIssuer.userName = * }',
    '{ $.userIdentity.sessionContext.attributes.mfaAuthenticated = "true" }',
    '{ $.errorMessage NOT EXISTS && $.eventSource = "s3.amazonaws.com" }',
    '{ $.requestParameters.bucketName = * }',
    '{ $.requestParameters.bucketName NOT EXISTS && $.eventSource = "s3.amazonaws.com" }',
    '{ $.requestParameters.maxResults > 10 || $.requestParameters.maxResults <= 0 }',
    '{ ($.userIdentity.type = "AssumedRole" || $.userIdentity.type = "Root") && $.awsRegion != "us-east-1" }',
  ];
  const nonEmpty: string[] = [];
  for (const text of patterns) {
    test(`${text} selects the rows the pattern matches`, async () => {
      const pattern = parseFilterPattern(text);
      const q = patternQuery(target, pattern);
      const got = (await rows(q.sql)).map(rowToRecord);
      const want = account.records.filter((r) => inWindow(target, r) && pattern.matches(r));
      assert.deepEqual(ids(got), ids(want));
      if (want.length) nonEmpty.push(text);
    });
  }
  test('most patterns select some rows, so the comparisons prove something', () => {
    assert.ok(nonEmpty.length >= 14, `only ${nonEmpty.length} patterns selected rows: ${nonEmpty.join(' ')}`);
  });
});
