/**
 * Local stand-ins for the engines over the sample account's trail, for `npm start` and the UI tests:
 * the test fakes' Athena (DuckDB really runs the generated SQL over the records), CloudWatch Logs
 * (FilterLogEvents over the records as the trail's log group) and CloudTrail Lake (an event data
 * store whose queries DuckDB runs). Returns the env that points the extension's SDK clients at them
 * and the settings that name the table, the log group and the event data store, so the request-ID
 * jump's not-found message offers "Search Athena", "Search CloudWatch Logs" and "Search CloudTrail Lake".
 */
import type { CloudTrailRecord } from '../../src/core/record';
import { startFakeAthena } from '../../test/fake-cloudtrail/athena';
import { FAKE_EVENT_DATA_STORE_ID } from '../../test/fake-cloudtrail/lake';
import { startFakeLogs } from '../../test/fake-cloudtrail/logs';
import { startFakeCloudTrail } from '../../test/fake-cloudtrail/server';

export const SAMPLE_ATHENA = { database: 'default', table: 'cloudtrail_logs', workgroup: 'primary' };

export interface SampleEngines {
  /** AWS_ENDPOINT_URL_ATHENA, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS and TRAIL_LENS_SAMPLE_LAKE_URL for the extension host. */
  env: Record<string, string>;
  /** trailLens.athena.* and trailLens.cloudWatchLogs.logGroup. */
  settings: Record<string, string>;
  logGroup: string;
  athenaUrl: string;
  logsUrl: string;
  lakeUrl: string;
  close(): Promise<void>;
}

export async function startSampleEngines(records: readonly CloudTrailRecord[], region: string): Promise<SampleEngines> {
  const athena = await startFakeAthena({ records, table: SAMPLE_ATHENA.table });
  const logs = await startFakeLogs({ records, region }).catch(async (err: unknown) => {
    await athena.close();
    throw err;
  });
  // Lake's operations on a CloudTrail endpoint of their own (no LookupEvents there: the sample's own endpoint has those).
  const lake = await startFakeCloudTrail({ records: [], region, lake: { records } }).catch(async (err: unknown) => {
    await Promise.all([athena.close(), logs.close()]);
    throw err;
  });
  return {
    env: { AWS_ENDPOINT_URL_ATHENA: athena.url, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url, TRAIL_LENS_SAMPLE_LAKE_URL: lake.url },
    settings: {
      'trailLens.athena.database': SAMPLE_ATHENA.database,
      'trailLens.athena.table': SAMPLE_ATHENA.table,
      'trailLens.athena.workgroup': SAMPLE_ATHENA.workgroup,
      'trailLens.cloudWatchLogs.logGroup': logs.logGroup,
      'trailLens.lake.eventDataStore': FAKE_EVENT_DATA_STORE_ID,
    },
    logGroup: logs.logGroup,
    athenaUrl: athena.url,
    logsUrl: logs.url,
    lakeUrl: lake.url,
    close: async () => {
      await Promise.all([athena.close(), logs.close(), lake.close()]);
    },
  };
}
