/**
 * A fake CloudWatch Logs holding one log group a trail delivers to: AWS JSON 1.1
 * (`X-Amz-Target: Logs_20140328.<Op>`) for FilterLogEvents and DescribeLogGroups. Each
 * FilterLogEvents call scans `scanPerPage` events of the window (ascending time, as CloudWatch
 * returns them) and answers the matches among them with a nextToken while events remain — so
 * pages are often partly full or empty before the search is over, as AWS documents. Filter patterns
 * are applied with Trail Lens's own parser (src/core/filter/pattern.ts, CloudWatch's JSON syntax);
 * a pattern it rejects is InvalidParameterException, as CloudWatch rejects one.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { recordTime, type CloudTrailRecord } from '../../src/core/record';
import { CONTENT_TYPE, ServiceError, operationFromTarget, parseBody } from '../../src/sample/endpoint/protocol';

export interface FakeLogsOptions {
  records: readonly CloudTrailRecord[];
  logGroup?: string;
  region?: string;
  accountId?: string;
  scanPerPage?: number;
}

export interface FakeLogs {
  url: string;
  logGroup: string;
  arn: string;
  /** FilterLogEvents calls answered, with how many events each returned. */
  readonly pages: number[];
  close(): Promise<void>;
}

export async function startFakeLogs(opts: FakeLogsOptions): Promise<FakeLogs> {
  const logGroup = opts.logGroup ?? 'aws-cloudtrail-logs-123456789012';
  const arn = `arn:aws:logs:${opts.region ?? 'ap-northeast-1'}:${opts.accountId ?? '123456789012'}:log-group:${logGroup}:*`;
  const events = [...opts.records]
    .map((r) => ({ time: recordTime(r), record: r }))
    .sort((a, b) => a.time - b.time)
    .map((e, i) => ({ ...e, eventId: String(i).padStart(20, '0'), message: JSON.stringify(e.record) }));
  const scanPerPage = opts.scanPerPage ?? 100;
  const pages: number[] = [];

  const ops: Record<string, (p: Record<string, unknown>) => unknown> = {
    DescribeLogGroups: (p) => {
      const prefix = typeof p.logGroupNamePrefix === 'string' ? p.logGroupNamePrefix : '';
      const groups = logGroup.startsWith(prefix) ? [{ logGroupName: logGroup, arn, creationTime: 0, storedBytes: 0 }] : [];
      return { logGroups: groups };
    },
    FilterLogEvents: (p) => {
      const name = p.logGroupName ?? p.logGroupIdentifier;
      if (name !== logGroup && name !== arn.replace(/:\*$/, ''))
        throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
      const start = typeof p.startTime === 'number' ? p.startTime : -Infinity;
      const end = typeof p.endTime === 'number' ? p.endTime : Infinity;
      let matches: (r: unknown) => boolean = () => true;
      if (typeof p.filterPattern === 'string' && p.filterPattern.trim()) {
        try {
          matches = parseFilterPattern(p.filterPattern).matches;
        } catch (err) {
          throw new ServiceError('InvalidParameterException', `Invalid filter pattern: ${(err as Error).message}`);
        }
      }
      const inWindow = events.filter((e) => e.time >= start && e.time <= end);
      const from = typeof p.nextToken === 'string' ? Number(p.nextToken) : 0;
      if (!Number.isInteger(from) || from < 0) throw new ServiceError('InvalidParameterException', 'The nextToken is not valid');
      const scanned = inWindow.slice(from, from + scanPerPage);
      const out = scanned.filter((e) => matches(e.record));
      pages.push(out.length);
      return {
        events: out.map((e) => ({
          logStreamName: `${opts.accountId ?? '123456789012'}_CloudTrail_${opts.region ?? 'ap-northeast-1'}`,
          timestamp: e.time,
          ingestionTime: e.time + 60_000,
          message: e.message,
          eventId: e.eventId,
        })),
        searchedLogStreams: [],
        ...(from + scanPerPage < inWindow.length ? { nextToken: String(from + scanPerPage) } : {}),
      };
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const target = req.headers['x-amz-target'];
      const op = typeof target === 'string' && target.startsWith('Logs_20140328.') ? operationFromTarget(target) : undefined;
      const run = op ? ops[op] : undefined;
      if (!run)
        throw new ServiceError(
          'UnknownOperationException',
          `Operation ${String(target)} is not supported by this CloudWatch Logs endpoint`,
        );
      const out = run(parseBody(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': randomUUID() });
      res.end(JSON.stringify(out));
    } catch (err) {
      const e = err instanceof ServiceError ? err : new ServiceError('ServiceUnavailableException', (err as Error).message, 500);
      res.writeHead(e.status, { 'Content-Type': CONTENT_TYPE, 'x-amzn-ErrorType': e.code, 'x-amzn-RequestId': randomUUID() });
      res.end(JSON.stringify({ __type: e.code, message: e.message }));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logGroup,
    arn,
    pages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
