/**
 * The Events view's time range and the check of a custom one. Pure (no vscode): unit-tested.
 * The text is read by core's parseTimeRange, the same parser as the CLI's time arguments; this
 * adds what the view needs: LookupEvents keeps 90 days, so nothing older is accepted.
 */
import { TrailLensError } from '../../core/errors';
import { parseTimeRange, type TimeRangeArg } from '../../core/time';
import { EVENT_HISTORY_DAYS, EVENT_HISTORY_MS } from '../../core/limits';

export type TimeRange = TimeRangeArg;

export const MAX_RANGE_MS = EVENT_HISTORY_MS;

/** A TimeRange, or a message saying what is wrong with the text. */
export function parseRange(text: string, now: number): TimeRange | string {
  let range: TimeRangeArg;
  try {
    range = parseTimeRange(text, new Date(now));
  } catch (err) {
    if (!(err instanceof TrailLensError)) throw err;
    return err.hint ? `${err.message} ${err.hint}` : err.message;
  }
  if (range.kind === 'relative') {
    if (!(range.ms > 0)) return 'The duration must be longer than zero';
    if (range.ms > MAX_RANGE_MS) return `CloudTrail Event history keeps ${EVENT_HISTORY_DAYS} days: use ${EVENT_HISTORY_DAYS}d or less`;
    return range;
  }
  const start = range.start.getTime();
  if (start < now - MAX_RANGE_MS) return 'CloudTrail Event history keeps 90 days: the start is older than that';
  if (start > now) return 'The start is in the future';
  return { kind: 'absolute', start: range.start, end: new Date(Math.min(range.end.getTime(), now)) };
}
