/** Deterministic records for cache tests: the same IDs in every process, newest first, one a minute. */
import { makeRecord } from '../fake-cloudtrail/fixtures';
import type { CloudTrailRecord } from '../../src/core/record';

export function cacheTestRecords(count: number, now: number, extra: Partial<CloudTrailRecord> = {}): CloudTrailRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const hex = i.toString(16).padStart(12, '0');
    return makeRecord({
      at: now - 20 * 60_000 - i * 60_000,
      eventID: `cace0000-0000-4000-8000-${hex}`,
      requestID: `feed0000-0000-4000-8000-${hex}`,
      ...extra,
    });
  });
}
