/**
 * Local stand-ins for the engines over the sample account's trail, for `npm start` and the UI tests:
 * the test fakes' Athena (DuckDB really runs the generated SQL over the records) and CloudWatch Logs
 * (FilterLogEvents over the records as the trail's log group). Returns the env that points the
 * extension's SDK clients at them and the settings that name the table and the log group, so the
 * request-ID jump's not-found message offers "Search Athena" and "Search CloudWatch Logs".
 */
import type { CloudTrailRecord } from '../../src/core/record';
import { startFakeAthena } from '../../test/fake-cloudtrail/athena';
import { startFakeLogs } from '../../test/fake-cloudtrail/logs';

export const SAMPLE_ATHENA = { database: 'default', table: 'cloudtrail_logs', workgroup: 'primary' };

export interface SampleEngines {
  /** AWS_ENDPOINT_URL_ATHENA and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS for the extension host. */
  env: Record<string, string>;
  /** trailLens.athena.* and trailLens.cloudWatchLogs.logGroup. */
  settings: Record<string, string>;
  logGroup: string;
  athenaUrl: string;
  logsUrl: string;
  close(): Promise<void>;
}

export async function startSampleEngines(records: readonly CloudTrailRecord[], region: string): Promise<SampleEngines> {
  const athena = await startFakeAthena({ records, table: SAMPLE_ATHENA.table });
  const logs = await startFakeLogs({ records, region }).catch(async (err: unknown) => {
    await athena.close();
    throw err;
  });
  return {
    env: { AWS_ENDPOINT_URL_ATHENA: athena.url, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url },
    settings: {
      'trailLens.athena.database': SAMPLE_ATHENA.database,
      'trailLens.athena.table': SAMPLE_ATHENA.table,
      'trailLens.athena.workgroup': SAMPLE_ATHENA.workgroup,
      'trailLens.cloudWatchLogs.logGroup': logs.logGroup,
    },
    logGroup: logs.logGroup,
    athenaUrl: athena.url,
    logsUrl: logs.url,
    close: async () => {
      await Promise.all([athena.close(), logs.close()]);
    },
  };
}
