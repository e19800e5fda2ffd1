/**
 * What to do with an extraction beyond its match (core/requestId.ts picks; this says whether a person
 * should be asked): an event ID to open by EventId instead, and whether the preferred request ID is
 * beyond doubt the failing call's or the person should choose among the candidates. Pure; no I/O.
 */
import { failingCallRank, type Extraction, type RejectedId, type SetAsideId } from './requestId';

/** Labels of a CloudTrail event ID (`"eventID": …`, `EventId: …`); not sharedEventID, which links copies. */
const EVENT_ID_LABEL = /^(?:original)?event[ _-]?id$/i;

/** True for a rejected ID whose label makes it a CloudTrail event ID, which LookupEvents finds by EventId. */
export function isEventId(rejected: RejectedId): boolean {
  return EVENT_ID_LABEL.test(rejected.label);
}

/** The event ID the text offers instead of a request ID (the one on the cursor first), if any. */
export function eventIdIn(ext: Extraction): RejectedId | undefined {
  if (ext.match) return undefined;
  return ext.rejected.find(isEventId);
}

/** A candidate request ID; `reason` says why the first choice was preferred to it (empty for the first). */
export type Choice = SetAsideId;

/**
 * The candidates to offer when the text holds more than one request ID and the preferred one is not
 * clearly the failing call's: the preferred first, then the others with why they rank below it.
 * Undefined when there is nothing to choose (one ID, or the preferred is inside `(Service: …)` or
 * is the last of the Java SDK's per-attempt IDs).
 */
export function choicesIn(text: string, ext: Extraction): Choice[] | undefined {
  const match = ext.match;
  if (!match || ext.setAside.length === 0) return undefined;
  if (failingCallRank(text, match.start) !== undefined) return undefined;
  if (ext.setAside.every((s) => s.reason.startsWith('an earlier attempt') || s.reason.startsWith('a later attempt'))) return undefined;
  const first: Choice = { id: match.id, label: match.label, start: match.start, end: match.end, reason: '' };
  return [first, ...ext.setAside];
}
