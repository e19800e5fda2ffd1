/**
 * The fake's event history: records pre-sorted newest first with lazily built per-attribute
 * indexes, so one LookupEvents page costs two binary searches plus the page itself.
 * Records are treated as immutable once added (their wire form is cached).
 */
import type { AttributeKey, CloudTrailRecord } from '../../core/record';

/** Which LookupEvents category a record belongs to; data and network-activity events are never returned. */
export type Visibility = 'management' | 'insight' | 'hidden';

export interface WireResource {
  ResourceType?: string;
  ResourceName?: string;
}

/** One element of the LookupEvents `Events[]` response (docs/cloudtrail.md §1.2). */
export interface WireEvent {
  EventId: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime: number;
  EventSource?: string;
  Username?: string;
  Resources: WireResource[];
  CloudTrailEvent: string;
}

export interface IndexedEvent {
  readonly record: CloudTrailRecord;
  readonly timeMs: number;
  readonly eventId: string;
  readonly visibility: Visibility;
  readonly attributes: ReadonlyMap<AttributeKey, readonly string[]>;
  wire?: WireEvent;
}

/** Position of the last event a page returned; the next page starts strictly after it. */
export interface Cursor {
  timeMs: number;
  eventId: string;
}

/** Newest first; equal times ordered by eventID so the order (and paging) is total and stable. */
export function compareEvents(a: Cursor, b: Cursor): number {
  if (a.timeMs !== b.timeMs) return b.timeMs - a.timeMs;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** First index whose element satisfies `pred`, for a predicate that is false…false,true…true over the list. */
export function lowerBound<T>(list: readonly T[], pred: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(list[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The `Username` LookupEvents reports. Real responses show the *session name* for assumed roles
 * (aws-cli `examples/cloudtrail/lookup-events.rst`: `"Username": "my-session-name"` for
 * `assumed-role/my-role/my-session-name`) and `root` for the root user (the user guide's
 * `Username=root` example). IAM users use `userName`; other principals fall back to the last
 * segment of their ARN (federated-user/Bob → Bob). AWS service principals get no Username: what
 * the real service shows for them is not documented, so the fake leaves it out.
 */
export function lookupUsername(record: CloudTrailRecord): string | undefined {
  const identity = record.userIdentity;
  if (!identity || typeof identity !== 'object') return undefined;
  const arn = typeof identity.arn === 'string' ? identity.arn : undefined;
  if (identity.type === 'AssumedRole') {
    if (arn && arn.includes('/')) return arn.slice(arn.lastIndexOf('/') + 1);
    const principal = typeof identity.principalId === 'string' ? identity.principalId : '';
    return principal.includes(':') ? principal.slice(principal.indexOf(':') + 1) : undefined;
  }
  if (typeof identity.userName === 'string' && identity.userName !== '') return identity.userName;
  if (identity.type === 'Root') return 'root';
  if (identity.type === 'AWSService') return undefined;
  if (arn && arn.includes('/')) return arn.slice(arn.lastIndexOf('/') + 1);
  return undefined;
}

/** The short name of an ARN: after the last `/`, else after the last `:` (arn:aws:s3:::bucket → bucket). */
export function arnLastSegment(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn.slice(arn.lastIndexOf(':') + 1);
}

function visibilityOf(record: CloudTrailRecord): Visibility {
  const category = typeof record.eventCategory === 'string' ? record.eventCategory.toLowerCase() : '';
  if (category === 'insight' || record.eventType === 'AwsCloudTrailInsight') return 'insight';
  if (category === 'data' || category === 'networkactivity') return 'hidden';
  return 'management';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Insights records keep their event name and source under insightDetails (docs/cloudtrail.md §4). */
function insightDetail(record: CloudTrailRecord, key: 'eventName' | 'eventSource'): string | undefined {
  const details = record.insightDetails as Record<string, unknown> | undefined;
  return details && typeof details === 'object' ? str(details[key]) : undefined;
}

function indexRecord(record: CloudTrailRecord): IndexedEvent | undefined {
  if (!record || typeof record !== 'object') return undefined;
  const eventId = str(record.eventID);
  const timeMs = typeof record.eventTime === 'string' ? Date.parse(record.eventTime) : NaN;
  if (!eventId || Number.isNaN(timeMs)) return undefined;
  const attributes = new Map<AttributeKey, string[]>();
  const put = (key: AttributeKey, value: string | undefined): void => {
    if (value === undefined) return;
    const list = attributes.get(key);
    if (list) {
      if (!list.includes(value)) list.push(value);
    } else attributes.set(key, [value]);
  };
  put('EventId', eventId);
  put('EventName', str(record.eventName) ?? insightDetail(record, 'eventName'));
  put('EventSource', str(record.eventSource) ?? insightDetail(record, 'eventSource'));
  if (typeof record.readOnly === 'boolean') put('ReadOnly', String(record.readOnly));
  put('Username', lookupUsername(record));
  put('AccessKeyId', str(record.userIdentity?.accessKeyId));
  for (const resource of Array.isArray(record.resources) ? record.resources : []) {
    put('ResourceType', str(resource?.type));
    const arn = str(resource?.ARN);
    if (arn) {
      put('ResourceName', arn);
      put('ResourceName', arnLastSegment(arn));
    }
  }
  return { record, timeMs, eventId, visibility: visibilityOf(record), attributes };
}

/** The LookupEvents form of an event, built once per record. */
export function wireEvent(event: IndexedEvent): WireEvent {
  if (event.wire) return event.wire;
  const { record } = event;
  const first = (key: AttributeKey): string | undefined => event.attributes.get(key)?.[0];
  const resources = (Array.isArray(record.resources) ? record.resources : [])
    .filter((r) => r && (str(r.type) || str(r.ARN)))
    .map((r) => {
      const out: WireResource = {};
      if (str(r.type)) out.ResourceType = r.type;
      if (str(r.ARN)) out.ResourceName = r.ARN;
      return out;
    });
  const wire: WireEvent = {
    EventId: event.eventId,
    EventName: first('EventName'),
    ReadOnly: first('ReadOnly'),
    AccessKeyId: first('AccessKeyId'),
    EventTime: event.timeMs / 1000,
    EventSource: first('EventSource'),
    Username: first('Username'),
    Resources: resources,
    CloudTrailEvent: JSON.stringify(record),
  };
  // Absent members are left out, as real responses do, rather than sent as null.
  for (const key of Object.keys(wire) as (keyof WireEvent)[]) if (wire[key] === undefined) delete wire[key];
  event.wire = wire;
  return wire;
}

export class EventStore {
  private readonly byId = new Map<string, IndexedEvent>();
  private sorted: IndexedEvent[] = [];
  /** visibility + attribute key → value → events newest first; dropped whenever records change. */
  private indexes = new Map<string, Map<string, IndexedEvent[]>>();
  private byVisibility = new Map<Visibility, IndexedEvent[]>();

  get size(): number {
    return this.sorted.length;
  }

  setRecords(records: readonly CloudTrailRecord[]): void {
    this.byId.clear();
    this.sorted = [];
    this.addRecords(records);
  }

  /** Adds records; a record whose eventID is already present replaces it. Unusable records are skipped. */
  addRecords(records: readonly CloudTrailRecord[]): void {
    const fresh: IndexedEvent[] = [];
    let replaced = false;
    for (const record of records) {
      const event = indexRecord(record);
      if (!event) continue;
      if (this.byId.has(event.eventId)) replaced = true;
      this.byId.set(event.eventId, event);
      fresh.push(event);
    }
    if (fresh.length === 0) return;
    if (replaced || fresh.length > 64) {
      this.sorted = [...this.byId.values()].sort(compareEvents);
    } else {
      for (const event of fresh) {
        this.sorted.splice(
          lowerBound(this.sorted, (e) => compareEvents(e, event) > 0),
          0,
          event,
        );
      }
    }
    this.indexes = new Map();
    this.byVisibility = new Map();
  }

  /** Every visible event of a category, newest first. */
  all(visibility: Visibility): readonly IndexedEvent[] {
    let list = this.byVisibility.get(visibility);
    if (!list) {
      list = this.sorted.filter((e) => e.visibility === visibility);
      this.byVisibility.set(visibility, list);
    }
    return list;
  }

  /** Events of a category whose attribute `key` has `value` (case-sensitive, exact), newest first. */
  matching(visibility: Visibility, key: AttributeKey, value: string): readonly IndexedEvent[] {
    if (key === 'EventId') {
      const event = this.byId.get(value);
      return event && event.visibility === visibility ? [event] : [];
    }
    const indexKey = `${visibility}:${key}`;
    let index = this.indexes.get(indexKey);
    if (!index) {
      index = new Map();
      for (const event of this.all(visibility)) {
        for (const v of event.attributes.get(key) ?? []) {
          const list = index.get(v);
          if (list) list.push(event);
          else index.set(v, [event]);
        }
      }
      this.indexes.set(indexKey, index);
    }
    return index.get(value) ?? [];
  }
}
