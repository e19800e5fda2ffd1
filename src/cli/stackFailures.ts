/**
 * `trail-lens stack-failures <stack-name-or-id> [--operation ID] [--format json|table]`: each failed
 * resource of a stack operation with the CloudTrail event of the call that failed (core/cloudformation).
 * Exit: 0 every failure has its event (or there is none), 1 some have none, 2 usage, 3 AWS error.
 */
import { stackFailures } from '../core/cloudformation/failures';
import type { StackFailure } from '../core/cloudformation/types';
import { TrailLensError } from '../core/errors';
import { jsonForTerminal } from '../core/json';
import { sharedLimiter } from '../core/limiter';
import { formatUtc } from '../core/time';
import { oneLine } from '../core/text';
import { openSession, progressLine, type CommonArgs } from './commands';
import { say } from './format';

/** Exit code when some failure has no CloudTrail event. */
export const EXIT_SOME_WITHOUT_EVENT = 1;

/** The JSON form of one failure, exactly the documented members. */
export function failureJson(f: StackFailure) {
  return {
    logicalResourceId: f.logicalResourceId,
    resourceType: f.resourceType,
    status: f.status,
    statusReason: f.statusReason,
    timestamp: f.timestamp.toISOString(),
    requestId: f.requestId ?? null,
    matchedBy: f.matchedBy,
    event: f.event,
    searched: f.searched,
  };
}

/** The table form: one block per failure, for a person at a terminal. */
export function failureTable(failures: readonly StackFailure[]): string {
  return failures
    .map((f) => {
      const lines = [`${f.logicalResourceId}  ${f.resourceType}  ${f.status}  ${formatUtc(f.timestamp)}`];
      lines.push(`  reason:   ${oneLine(f.statusReason, 400)}`);
      if (f.event) {
        const e = f.event;
        const how = f.matchedBy === 'requestID' ? `by request ID ${f.requestId}` : 'by correlation';
        lines.push(
          `  event:    ${e.eventTime}  ${e.eventSource} ${e.eventName}${e.errorCode ? `  ${e.errorCode}` : ''}  (${how}; requestID ${e.requestID ?? '-'}, eventID ${e.eventID})`,
        );
        if (e.errorMessage) lines.push(`  error:    ${oneLine(e.errorMessage, 400)}`);
      } else lines.push('  event:    none found');
      if (f.logStream) lines.push(`  log:      CloudWatch Logs stream ${f.logStream}`);
      lines.push(`  searched: ${oneLine(f.searched, 600)}`);
      if (!f.event && f.deliveryMayLag)
        lines.push('  note:     under 15 minutes old: CloudTrail may not have delivered its event yet; run again');
      return lines.join('\n');
    })
    .join('\n\n');
}

export async function runStackFailures(positionals: string[], args: CommonArgs & { operation?: string }): Promise<number> {
  if (positionals.length !== 1 || !positionals[0].trim())
    throw new TrailLensError('InvalidInput', 'stack-failures needs one stack name or stack ID');
  const stack = positionals[0].trim();
  const { connection, cache } = await openSession(args);
  const line = progressLine(args.progress);
  try {
    say(`Reading stack ${stack} in ${connection.region}${args.operation ? `, operation ${args.operation}` : ''}`);
    const failures = await stackFailures(connection, stack, {
      operationId: args.operation,
      signal: args.signal,
      cache,
      limiter: sharedLimiter(connection.key),
      onProgress: (p) => line.update(`${p.index}/${p.total} ${p.logicalResourceId}: ${p.step} · ${p.calls} calls`),
    });
    line.done();
    if (args.format === 'json') process.stdout.write(jsonForTerminal(failures.map(failureJson), 2) + '\n');
    else if (failures.length) process.stdout.write(failureTable(failures) + '\n');
    const missing = failures.filter((f) => !f.event);
    const calls = failures.reduce((n, f) => n + f.calls, 0);
    if (!failures.length) say(`No failed resources in stack ${stack}'s operation.`);
    else
      say(
        `${failures.length} failed resource${failures.length === 1 ? '' : 's'}, ${failures.length - missing.length} with its CloudTrail event (${calls} LookupEvents call${calls === 1 ? '' : 's'})`,
      );
    for (const f of failures) if (f.logStream) say(`${f.logicalResourceId}: the custom resource's log stream is ${f.logStream}`);
    if (missing.some((f) => f.deliveryMayLag))
      say('Some failures are under 15 minutes old: CloudTrail may not have delivered their events yet. Run again in a few minutes.');
    return missing.length ? EXIT_SOME_WITHOUT_EVENT : 0;
  } finally {
    line.done();
    connection.dispose();
  }
}
