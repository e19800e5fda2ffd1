/**
 * Searching the log group a trail delivers to (DescribeTrails → CloudWatchLogsLogGroupArn) with
 * FilterLogEvents: `{ $.requestID = "…" }` for a request ID, or the user's filter pattern as
 * written (CloudWatch applies it itself), over the window. A page may be partly full or empty
 * while more remain (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html),
 * so the search follows nextToken until there is none.
 */
import { TrailLensError, throwIfAborted } from '../errors';
import type { CloudTrailRecord } from '../record';
import type { TimeWindow } from '../time';
import type { LogsApi } from './logsClient';

export interface LogsProgress {
  pages: number;
  events: number;
}

export interface LogsSearch {
  logGroup: string;
  window: TimeWindow;
  filterPattern: string;
  /** Stop after this many matching events (default 1000). */
  limit?: number;
  signal?: AbortSignal;
  onProgress?(p: LogsProgress): void;
}

export interface LogsOutcome extends LogsProgress {
  records: CloudTrailRecord[];
  /** More matched than `limit`: the search stopped there and says so. */
  truncated: boolean;
  filterPattern: string;
}

/** The filter pattern for a request ID (its characters are those of request IDs; a quote or backslash is escaped). */
export function requestIdFilter(requestId: string): string {
  return `{ $.requestID = "${requestId.replace(/["\\]/g, (c) => `\\${c}`)}" }`;
}

/** The log group's name from CloudWatchLogsLogGroupArn (`arn:aws:logs:R:A:log-group:NAME:*`), or the name as given. */
export function logGroupName(arnOrName: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:\d*:log-group:([^:]+)(:\*)?$/.exec(arnOrName.trim());
  return m ? m[1] : arnOrName.trim();
}

export async function searchLogGroup(api: LogsApi, search: LogsSearch): Promise<LogsOutcome> {
  const limit = search.limit ?? 1000;
  const records: CloudTrailRecord[] = [];
  const seen = new Set<string>();
  let pages = 0;
  let events = 0;
  let token: string | undefined;
  let truncated = false;
  do {
    throwIfAborted(search.signal);
    const page = await api.filterLogEvents(
      {
        logGroupName: logGroupName(search.logGroup),
        startTime: search.window.start.getTime(),
        endTime: search.window.end.getTime(),
        filterPattern: search.filterPattern,
        ...(token ? { nextToken: token } : {}),
      },
      search.signal,
    );
    pages++;
    for (const e of page.events ?? []) {
      events++;
      let record: CloudTrailRecord;
      try {
        record = JSON.parse(e.message ?? '') as CloudTrailRecord;
      } catch {
        throw new TrailLensError(
          'ParseError',
          `An event in ${search.logGroup} (${e.logStreamName ?? 'unknown stream'}) is not a CloudTrail JSON record`,
        );
      }
      // CloudTrail can deliver an event twice; one record per eventID.
      const key = record.eventID ?? e.eventId ?? '';
      if (key && seen.has(key)) continue;
      seen.add(key);
      if (records.length >= limit) {
        truncated = true;
        break;
      }
      records.push(record);
    }
    search.onProgress?.({ pages, events });
    token = truncated ? undefined : page.nextToken;
  } while (token);
  return { records, pages, events, truncated, filterPattern: search.filterPattern };
}
