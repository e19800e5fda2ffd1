/**
 * `find-request --engine athena|logs|lake`: the same request-ID search on Athena over the trail
 * bucket, on the trail's CloudWatch Logs group or on a CloudTrail Lake event data store
 * (docs/engines.md). Same output and exit codes as the
 * LookupEvents search: the record as JSON on stdout, what was searched on stderr, 0 found, 1 not.
 */
import type { Connection } from '../core/aws';
import { describeCost, runAthenaQuery } from '../core/engines/athena';
import { describeLakeCost, lakeRequestIdQuery, resolveEventDataStore, runLakeQuery } from '../core/engines/lake';
import { logGroupName, requestIdFilter, searchLogGroup } from '../core/engines/logs';
import { requestIdQuery } from '../core/engines/sql';
import { TrailLensError } from '../core/errors';
import { jsonForTerminal } from '../core/json';
import type { CloudTrailRecord } from '../core/record';
import { formatDuration, formatWindow, type TimeWindow } from '../core/time';
import { say } from './format';

export const ENGINES = ['lookup', 'athena', 'logs', 'lake'] as const;
export type Engine = (typeof ENGINES)[number];

export interface EngineArgs {
  engine: Engine;
  athenaDatabase?: string;
  athenaTable?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  logGroup?: string;
  /** --event-data-store: an ID, ARN or name. */
  eventDataStore?: string;
}

export function parseEngine(value: string | undefined): Engine {
  if (value === undefined) return 'lookup';
  if ((ENGINES as readonly string[]).includes(value)) return value as Engine;
  throw new TrailLensError('Config', `--engine must be one of ${ENGINES.join(', ')} (got '${value}')`);
}

function printFound(records: readonly CloudTrailRecord[], id: string, where: string): number {
  if (!records.length) {
    say(`Not found: no event with request ID ${id} in ${where}.`);
    return 1;
  }
  if (records.length > 1) say(`note: ${records.length} events have request ID ${id}; printing the newest`);
  process.stdout.write(jsonForTerminal(records[0], 2) + '\n');
  return 0;
}

/** The log group: --log-group, else the first trail that delivers to CloudWatch Logs. */
async function findLogGroup(connection: Connection, given: string | undefined, signal: AbortSignal): Promise<string> {
  if (given) return given;
  const trails = await connection.describeTrails(signal);
  const arn = trails.find((t) => t.CloudWatchLogsLogGroupArn)?.CloudWatchLogsLogGroupArn;
  if (!arn) {
    throw new TrailLensError(
      'Config',
      `No trail in ${connection.region} delivers to CloudWatch Logs (DescribeTrails has no CloudWatchLogsLogGroupArn)`,
      {
        hint: 'Name the log group with --log-group, or configure the trail to deliver to CloudWatch Logs.',
      },
    );
  }
  return arn;
}

export async function runEngineSearch(
  connection: Connection,
  id: string,
  window: TimeWindow,
  opts: EngineArgs & { signal: AbortSignal; update(text: string): void },
): Promise<number> {
  if (opts.engine === 'athena') {
    const table = opts.athenaTable ?? 'cloudtrail_logs';
    const query = requestIdQuery({ table, database: opts.athenaDatabase, window }, id);
    say(
      `Searching Athena table ${opts.athenaDatabase ? `${opts.athenaDatabase}.` : ''}${table} for request ID ${id}, ${formatWindow(window)}:\n${query.sql}`,
    );
    const out = await runAthenaQuery(
      connection.athena,
      query.sql,
      { database: opts.athenaDatabase, workgroup: opts.athenaWorkgroup, outputLocation: opts.athenaOutput },
      {
        signal: opts.signal,
        onProgress: (p) => opts.update(`Athena ${p.state} · ${(p.dataScannedBytes / 1024 / 1024).toFixed(1)} MB scanned`),
      },
    );
    say(`Athena query ${out.queryExecutionId} ${out.state} in ${formatDuration(out.runMs)}: ${describeCost(out.dataScannedBytes)}`);
    return printFound(out.records, id, `Athena table ${table}, ${formatWindow(window)}`);
  }
  if (opts.engine === 'lake') {
    const store = await resolveEventDataStore(connection.lake, opts.eventDataStore, opts.signal);
    const query = lakeRequestIdQuery(store.id, id, window);
    const named = store.name ? `${store.name} (${store.id})` : store.id;
    say(`Searching CloudTrail Lake event data store ${named} for request ID ${id}, ${formatWindow(window)}:\n${query.sql}`);
    const out = await runLakeQuery(connection.lake, query.sql, {
      signal: opts.signal,
      onProgress: (p) => opts.update(`CloudTrail Lake ${p.state} · ${(p.bytesScanned / 1024 / 1024).toFixed(1)} MB scanned`),
    });
    say(`CloudTrail Lake query ${out.queryId} ${out.state} in ${formatDuration(out.runMs)}: ${describeLakeCost(out.bytesScanned)}`);
    return printFound(out.records, id, `CloudTrail Lake event data store ${named}, ${formatWindow(window)}`);
  }
  const group = await findLogGroup(connection, opts.logGroup, opts.signal);
  const filterPattern = requestIdFilter(id);
  say(`Searching CloudWatch Logs group ${logGroupName(group)} with ${filterPattern}, ${formatWindow(window)}`);
  const out = await searchLogGroup(connection.logs, {
    logGroup: group,
    window,
    filterPattern,
    signal: opts.signal,
    onProgress: (p) => opts.update(`CloudWatch Logs · ${p.pages} pages · ${p.events} events`),
  });
  say(`Read ${out.pages} pages of FilterLogEvents`);
  return printFound(out.records, id, `CloudWatch Logs group ${logGroupName(group)}, ${formatWindow(window)}`);
}
