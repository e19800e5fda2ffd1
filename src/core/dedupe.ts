/**
 * CloudTrail may deliver one event more than once in trail files (docs/cloudtrail.md); a source
 * shows each event once by its eventID. Memory: one Set entry per distinct event read (an eventID
 * is a 36-character GUID, about 100 bytes an entry: some 100 MB for a million events).
 */
import type { CloudTrailRecord } from './record';

export class EventIdDedup {
  private readonly seen = new Set<string>();
  /** Records dropped as repeats so far. */
  duplicates = 0;

  /** The records not seen before (in order), remembering them. */
  keep(records: readonly CloudTrailRecord[]): CloudTrailRecord[] {
    const out: CloudTrailRecord[] = [];
    for (const r of records) {
      if (this.seen.has(r.eventID)) this.duplicates++;
      else {
        this.seen.add(r.eventID);
        out.push(r);
      }
    }
    return out;
  }
}
