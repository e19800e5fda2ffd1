/**
 * The generated CloudTrail Lake SQL really executed: the sample account's records in DuckDB shaped
 * like Lake's schema (test/fake-cloudtrail/duckTable.ts, shape 'lake'), each query's rows compared
 * with what the filter pattern itself selects in the same window; the conditions Lake's schema
 * cannot express exactly are refused, and only those.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { lakePatternQuery, lakeRequestIdQuery, lakeRowToRecord } from '../../src/core/engines/lake';
import { UntranslatableError } from '../../src/core/engines/sql';
import { FILTER_PRESETS } from '../../src/core/filter/presets';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { recordTime, type CloudTrailRecord } from '../../src/core/record';
import { STORY_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { loadCloudTrailTable } from '../fake-cloudtrail/duckTable';
import { FAKE_EVENT_DATA_STORE_ID, LAKE_TABLE, lakeCellText } from '../fake-cloudtrail/lake';

const account = generateSampleAccount({ seed: 11, now: new Date('2026-11-20T12:00:00Z'), days: 3, eventsPerDay: 800 });
const window = { start: new Date('2026-11-18T06:00:00Z'), end: new Date('2026-11-20T11:00:00Z') };
let conn: DuckDBConnection;
let instance: DuckDBInstance;

/** The query's rows as Lake returns them (one-key maps merged), back to records. */
async function run(sql: string): Promise<CloudTrailRecord[]> {
  const reader = await conn.runAndReadAll(sql.replace(`FROM ${FAKE_EVENT_DATA_STORE_ID}`, `FROM "${LAKE_TABLE}"`));
  return reader.getRowObjectsJS().map((r) => lakeRowToRecord(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, lakeCellText(v)]))));
}

const ids = (records: readonly CloudTrailRecord[]) => records.map((r) => r.eventID).sort();
const inWindow = (r: CloudTrailRecord) => recordTime(r) >= window.start.getTime() && recordTime(r) <= window.end.getTime();

before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await loadCloudTrailTable(conn, LAKE_TABLE, account.records, 'lake');
});
after(() => {
  conn.closeSync();
  instance.closeSync();
});

describe('generated Lake SQL on DuckDB over the sample account', () => {
  test('a request-ID query returns the story record as CloudTrail wrote it', async () => {
    const story = account.records.find((r) => r.requestID === STORY_REQUEST_ID)!;
    const t = recordTime(story);
    const got = await run(
      lakeRequestIdQuery(FAKE_EVENT_DATA_STORE_ID, STORY_REQUEST_ID, { start: new Date(t - 60_000), end: new Date(t) }).sql,
    );
    assert.equal(got.length, 1);
    // What the store holds: the schema's fields (not managementEvent, which Trail Lens does not select), a JSON null as no value.
    const { managementEvent: _notSelected, ...declared } = story;
    const held = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(declared))).filter(([, v]) => v !== null));
    assert.deepEqual(got[0], held);
    const later = lakeRequestIdQuery(FAKE_EVENT_DATA_STORE_ID, STORY_REQUEST_ID, {
      start: new Date(t + 1000),
      end: new Date(t + 3600_000),
    });
    assert.deepEqual(await run(later.sql), [], 'the window bounds the search');
  });

  test('an event data store ID that is not one is refused before any SQL is written', () => {
    assert.throws(() => lakeRequestIdQuery("x'; DROP", STORY_REQUEST_ID, window), /is not an event data store ID/);
  });

  const translated = [
    ...FILTER_PRESETS.map((p) => p.pattern).filter((p) => !/requestParameters|responseElements|additionalEventData/.test(p)),
    '{ $.eventName = "CreateBackupVault" }',
    '{ $.eventName = Describe* }',
    '{ $.eventName = *Bucket* }',
    '{ $.errorCode != "AccessDenied" }',
    '{ $.eventName = %^Get.*s$% }',
    '{ $.eventName != %^Describe% && $.readOnly IS TRUE }',
    '{ $.readOnly IS FALSE && $.userIdentity.sessionContext.sessionIssuer.userName = * }',
    '{ $.userIdentity.sessionContext.attributes.mfaAuthenticated = "true" }',
    '{ $.errorMessage NOT EXISTS && $.eventSource = "s3.amazonaws.com" }',
    '{ $.userIdentity.invokedBy = * && $.readOnly IS FALSE }',
    '{ ($.userIdentity.type = "AssumedRole" || $.userIdentity.type = "Root") && $.awsRegion != "us-east-1" }',
  ];
  const nonEmpty: string[] = [];
  for (const text of translated) {
    test(`${text} selects the rows the pattern matches`, async () => {
      const pattern = parseFilterPattern(text);
      const got = await run(lakePatternQuery(FAKE_EVENT_DATA_STORE_ID, pattern, window, 100_000).sql);
      assert.deepEqual(ids(got), ids(account.records.filter((r) => inWindow(r) && pattern.matches(r))));
      if (got.length) nonEmpty.push(text);
    });
  }
  test('most patterns select some rows, so the comparisons prove something', () => {
    assert.ok(nonEmpty.length >= 10, `only ${nonEmpty.length} patterns selected rows: ${nonEmpty.join(' ')}`);
  });

  for (const [text, why] of [
    ['{ $.requestParameters.bucketName = * }', /map of text values/],
    ['{ $.responseElements.credentials.expiration > 10 }', /map of text values/],
    ['{ $.eventTime = "2026-11-19T10:00:00Z" }', /timestamp in CloudTrail Lake/],
    ['{ $.readOnly = "true" }', /boolean/],
    ['{ $.resources[0].ARN = * }', /array column/],
  ] as const) {
    test(`${text} is refused, saying why`, () => {
      assert.throws(
        () => lakePatternQuery(FAKE_EVENT_DATA_STORE_ID, parseFilterPattern(text), window),
        (err: unknown) => err instanceof UntranslatableError && why.test(err.message),
      );
    });
  }
});
