/**
 * `npm start`'s engines on the sample account (scripts/workbench/sampleEngines.ts): the local Athena,
 * CloudWatch Logs and CloudTrail Lake, reached the way the extension's sample session reaches them
 * (src/extension/sample.ts: the endpoints from the env the start script sets, the sample's fixed
 * credentials), each finding the sample's S3 data event that LookupEvents never returns.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { runAthenaQuery } from '../../src/core/engines/athena';
import { lakeRequestIdQuery, resolveEventDataStore, runLakeQuery } from '../../src/core/engines/lake';
import { requestIdFilter, searchLogGroup } from '../../src/core/engines/logs';
import { requestIdQuery } from '../../src/core/engines/sql';
import { recordTime } from '../../src/core/record';
import { DATA_EVENT_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { SAMPLE_CREDENTIALS } from '../../src/sample/serve';
import { SAMPLE_ATHENA, startSampleEngines, type SampleEngines } from '../../scripts/workbench/sampleEngines';

const account = generateSampleAccount({ now: new Date(), days: 2, eventsPerDay: 300 });
const event = account.records.find((r) => r.requestID === DATA_EVENT_REQUEST_ID);

describe("npm start's engines over the sample account", () => {
  let engines: SampleEngines;
  let connection: Connection;
  before(async () => {
    assert.ok(event, 'the sample account holds the S3 data event');
    engines = await startSampleEngines(account.records, account.region);
    connection = await connect({
      region: account.region,
      credentials: { ...SAMPLE_CREDENTIALS },
      athenaEndpointUrl: engines.env.AWS_ENDPOINT_URL_ATHENA,
      logsEndpointUrl: engines.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS,
      lakeEndpointUrl: engines.env.TRAIL_LENS_SAMPLE_LAKE_URL,
      env: {},
    });
  });
  after(async () => {
    connection?.dispose();
    await engines?.close();
  });

  const window = () => {
    const t = recordTime(event!);
    return { start: new Date(t - 3600_000), end: new Date(t + 600_000) };
  };

  test('the settings name what the stand-ins serve', () => {
    assert.equal(engines.settings['trailLens.athena.table'], SAMPLE_ATHENA.table);
    assert.equal(engines.settings['trailLens.cloudWatchLogs.logGroup'], engines.logGroup);
    assert.ok(engines.settings['trailLens.lake.eventDataStore']);
  });

  test('Athena finds the data event', async () => {
    const sql = requestIdQuery(
      { table: SAMPLE_ATHENA.table, database: SAMPLE_ATHENA.database, window: window() },
      DATA_EVENT_REQUEST_ID,
    ).sql;
    const out = await runAthenaQuery(
      connection.athena,
      sql,
      { database: SAMPLE_ATHENA.database, workgroup: SAMPLE_ATHENA.workgroup },
      { pollMs: 10 },
    );
    assert.deepEqual(
      out.records.map((r) => r.eventID),
      [event!.eventID],
    );
  });

  test('CloudWatch Logs finds the data event', async () => {
    const out = await searchLogGroup(connection.logs, {
      logGroup: engines.settings['trailLens.cloudWatchLogs.logGroup'],
      window: window(),
      filterPattern: requestIdFilter(DATA_EVENT_REQUEST_ID),
    });
    assert.deepEqual(
      out.records.map((r) => r.eventID),
      [event!.eventID],
    );
  });

  test('CloudTrail Lake, on its own endpoint beside the sample, finds the data event', async () => {
    const store = await resolveEventDataStore(connection.lake, engines.settings['trailLens.lake.eventDataStore']);
    const out = await runLakeQuery(connection.lake, lakeRequestIdQuery(store.id, DATA_EVENT_REQUEST_ID, window()).sql, { pollMs: 10 });
    assert.deepEqual(
      out.records.map((r) => r.eventID),
      [event!.eventID],
    );
  });
});
