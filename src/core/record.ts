/**
 * The CloudTrail record model and the parsers for every input shape.
 * Records are plain objects exactly as CloudTrail wrote them; helpers below read them safely.
 */
import { TrailLensError } from './errors';
import { formatUtc } from './time';

export interface SessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  identityProvider?: string;
  sessionContext?: {
    attributes?: { creationDate?: string; mfaAuthenticated?: string };
    sessionIssuer?: SessionIssuer;
    webIdFederationData?: Record<string, unknown>;
    sourceIdentity?: string;
  };
  [key: string]: unknown;
}

export interface ResourceRef {
  ARN?: string;
  accountId?: string;
  type?: string;
}

export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: UserIdentity;
  /** ISO 8601 UTC, e.g. 2024-08-08T05:49:02Z */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID: string;
  readOnly?: boolean;
  resources?: ResourceRef[];
  eventType?: string;
  managementEvent?: boolean;
  recipientAccountId?: string;
  sharedEventID?: string;
  vpcEndpointId?: string;
  eventCategory?: string;
  [key: string]: unknown;
}

/** The eight LookupEvents attribute keys (the LookupEvents API reference). */
export const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  key: AttributeKey;
  value: string;
}

/** The literal values services put in place of sensitive fields (the CloudTrail record contents reference). */
/** Does this record match a LookupEvents attribute the way the service filters? */
export function matchesAttribute(r: CloudTrailRecord, a: LookupAttribute | undefined): boolean {
  if (!a) return true;
  const ui = r.userIdentity ?? {};
  switch (a.key) {
    case 'EventId':
      return r.eventID === a.value;
    case 'EventName':
      return r.eventName === a.value;
    case 'EventSource':
      return r.eventSource === a.value;
    case 'ReadOnly':
      return String(r.readOnly ?? false) === a.value;
    case 'AccessKeyId':
      return ui.accessKeyId === a.value;
    case 'Username': {
      const session = typeof ui.arn === 'string' && ui.type === 'AssumedRole' ? ui.arn.split('/').pop() : undefined;
      return ui.userName === a.value || session === a.value;
    }
    case 'ResourceType':
      return (r.resources ?? []).some((x) => x.type === a.value);
    case 'ResourceName':
      return (r.resources ?? []).some((x) => x.ARN === a.value || x.ARN?.split(/[:/]/).pop() === a.value);
  }
}

export const REDACTION_MARKERS = ['HIDDEN_DUE_TO_SECURITY_REASONS', '<sensitiveDataRemoved>'] as const;

export function isRedacted(value: unknown): boolean {
  return typeof value === 'string' && (REDACTION_MARKERS as readonly string[]).includes(value);
}

/** Epoch milliseconds of a record's eventTime (NaN if unparseable). */
export function recordTime(record: CloudTrailRecord): number {
  return Date.parse(record.eventTime);
}

// ---------------------------------------------------------------------------------------------
// Parsing every input shape: trail log files, lookup-events output, arrays, single records
// ---------------------------------------------------------------------------------------------

export type InputKind = 'trail-log' | 'lookup-events' | 'array' | 'record' | 'digest';

export interface ParsedInput {
  kind: InputKind;
  records: CloudTrailRecord[];
}

/** A LookupEvents `Event` as the SDK returns it (EventTime a Date) or as the CLI prints it (epoch or ISO). */
export interface LookupEventLike {
  CloudTrailEvent?: string;
  EventId?: string;
  EventName?: string;
  EventSource?: string;
  EventTime?: Date | string | number;
  ReadOnly?: string;
  Username?: string;
  AccessKeyId?: string;
}

const ACCEPTED_SHAPES =
  'a trail log file {"Records":[…]}, `aws cloudtrail lookup-events` output {"Events":[…]}, ' +
  'an array of records or of lookup events, or a single CloudTrail record';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True for an object that is a CloudTrail record: eventTime and eventID, and either
 * eventSource + eventName (API calls, sign-ins, service events) or eventType (Insights records lack the names).
 */
export function isRecord(value: unknown): value is CloudTrailRecord {
  if (!isObject(value)) return false;
  if (typeof value.eventTime !== 'string' || typeof value.eventID !== 'string') return false;
  const named = typeof value.eventSource === 'string' && typeof value.eventName === 'string';
  return named || typeof value.eventType === 'string';
}

function isLookupEvent(value: unknown): value is LookupEventLike {
  return isObject(value) && (typeof value.CloudTrailEvent === 'string' || ('EventId' in value && 'EventTime' in value));
}

/** ISO 8601 UTC (no milliseconds, like CloudTrail) from a Date, epoch seconds or an ISO string with any offset. */
function isoFromEventTime(time: Date | string | number | undefined): string | undefined {
  let ms: number;
  if (time instanceof Date) ms = time.getTime();
  else if (typeof time === 'number') ms = time * 1000;
  else if (typeof time === 'string') ms = /^\d+(\.\d+)?$/.test(time) ? Number(time) * 1000 : Date.parse(time);
  else return undefined;
  if (!Number.isFinite(ms)) return undefined;
  return formatUtc(new Date(ms), 'iso');
}

function lookupEventToRecord(event: LookupEventLike, where: string): CloudTrailRecord {
  const name = event.EventId ? `event ${event.EventId}` : 'the event';
  if (typeof event.CloudTrailEvent !== 'string' || event.CloudTrailEvent.trim() === '') {
    throw new TrailLensError('ParseError', `${where}: ${name} has no CloudTrailEvent, so its full record is unknown.`, {
      hint: 'Use the untrimmed output of `aws cloudtrail lookup-events` (no --query) or the LookupEvents response.',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.CloudTrailEvent);
  } catch (err) {
    const detail = err instanceof Error ? jsonErrorDetail(err.message) : String(err);
    throw new TrailLensError('ParseError', `${where}: the CloudTrailEvent of ${name} is not valid JSON (${detail}).`, {
      cause: err,
    });
  }
  if (!isObject(parsed)) {
    throw new TrailLensError('ParseError', `${where}: the CloudTrailEvent of ${name} is not a JSON object.`);
  }
  // The envelope repeats what the record says; it only fills gaps (never overrides the record).
  const record = parsed as Partial<CloudTrailRecord>;
  if (record.eventID === undefined && event.EventId) record.eventID = event.EventId;
  if (record.eventName === undefined && event.EventName) record.eventName = event.EventName;
  if (record.eventSource === undefined && event.EventSource) record.eventSource = event.EventSource;
  if (record.eventTime === undefined) record.eventTime = isoFromEventTime(event.EventTime);
  if (!isRecord(record)) {
    throw new TrailLensError(
      'ParseError',
      `${where}: the CloudTrailEvent of ${name} is not a CloudTrail record (it lacks eventTime, eventID or eventName).`,
    );
  }
  return record;
}

/** The full record inside a LookupEvents Event. Throws ParseError if CloudTrailEvent is missing or malformed. */
export function recordFromLookupEvent(event: LookupEventLike): CloudTrailRecord {
  return lookupEventToRecord(event, 'Lookup event');
}

/** One element of a records array (a record, or a LookupEvents Event holding one); `label[i]` names it in errors. */
export function recordFromItem(item: unknown, source: string, label: string, i: number): CloudTrailRecord {
  if (isRecord(item)) return item;
  if (isLookupEvent(item)) return lookupEventToRecord(item, `${source}: ${label}[${i}]`);
  throw new TrailLensError(
    'ParseError',
    `${source}: ${label}[${i}] is not a CloudTrail record (a record needs eventTime, eventID and eventSource/eventName).`,
  );
}

function recordsFromArray(items: unknown[], source: string, label: string): CloudTrailRecord[] {
  const records: CloudTrailRecord[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) records[i] = recordFromItem(items[i], source, label, i);
  return records;
}

/** Shapes are told apart by their keys, so that SDK responses ($metadata, NextToken) and CLI output both work. */
export function parseRecordsValue(value: unknown, source: string): ParsedInput {
  if (Array.isArray(value)) return { kind: 'array', records: recordsFromArray(value, source, 'item') };
  if (!isObject(value)) {
    throw new TrailLensError(
      'ParseError',
      `${source} holds a JSON ${value === null ? 'null' : typeof value}, not CloudTrail events. Accepted: ${ACCEPTED_SHAPES}.`,
    );
  }
  if (Array.isArray(value.Records)) return { kind: 'trail-log', records: recordsFromArray(value.Records, source, 'Records') };
  if (Array.isArray(value.Events)) {
    const records = value.Events.map((e, i) => {
      if (!isObject(e)) throw new TrailLensError('ParseError', `${source}: Events[${i}] is not an object.`);
      return lookupEventToRecord(e as LookupEventLike, `${source}: Events[${i}]`);
    });
    return { kind: 'lookup-events', records };
  }
  if ('QueryResultRows' in value) {
    // Lake rows hold only the selected columns, every value flattened to a string, so no full record can be rebuilt.
    throw new TrailLensError(
      'ParseError',
      `${source} is a CloudTrail Lake query result; its rows hold selected columns as strings, not full CloudTrail records.`,
      { hint: 'Select eventID in the Lake query and open those events, or use trail log files or `aws cloudtrail lookup-events` output.' },
    );
  }
  if (typeof value.awsAccountId === 'string' && 'digestStartTime' in value) return { kind: 'digest', records: [] };
  const detail = value.detail;
  if (isRecord(value)) return { kind: 'record', records: [value] };
  if (isLookupEvent(value)) return { kind: 'lookup-events', records: [lookupEventToRecord(value, source)] };
  // An EventBridge "AWS API Call via CloudTrail" event carries the record as its detail.
  if (isRecord(detail)) return { kind: 'record', records: [detail] };
  throw new TrailLensError('ParseError', `${source} is JSON but not in a shape Trail Lens reads. Accepted: ${ACCEPTED_SHAPES}.`);
}

/** Parses JSON text of any accepted shape; malformed JSON gives a ParseError with the line and column. */
export function parseRecordsText(text: string, source: string): ParsedInput {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new TrailLensError('ParseError', `${source} is empty; expected ${ACCEPTED_SHAPES}.`);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw invalidJson(body, source, err);
  }
  return parseRecordsValue(value, source);
}

/**
 * The ParseError for JSON.parse failing on `text`, with the line and column of the fault; `at` is
 * where `text` starts in its file (1-based) when it is one record of a larger document.
 */
export function invalidJson(
  text: string,
  source: string,
  err: unknown,
  at: { line: number; column: number } = { line: 1, column: 1 },
): TrailLensError {
  const message = err instanceof Error ? err.message : String(err);
  const inText = lineColumn(text, jsonErrorOffset(text, message));
  const line = at.line + inText.line - 1;
  const column = inText.line === 1 ? at.column + inText.column - 1 : inText.column;
  return new TrailLensError('ParseError', `${source}:${line}:${column}: invalid JSON: ${jsonErrorDetail(message)}.`, { cause: err });
}

/** V8's message without the position (given separately) and without its echo of the input text. */
function jsonErrorDetail(message: string): string {
  return message
    .replace(/,\s*(\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/\.$/, '');
}

/** The 0-based offset of a JSON syntax error: from V8's "at position N" when given, else found by scanning. */
function jsonErrorOffset(text: string, message: string): number {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  return scanJsonError(text);
}

/** 1-based line and column (in UTF-16 code units, as editors count) of an offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const end = Math.min(Math.max(offset, 0), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * A small JSON scanner used only when V8's message has no position ("Unexpected token 'x', …").
 * Returns the offset of the first character that cannot continue a valid JSON text.
 */
function scanJsonError(s: string): number {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (s[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\') {
        i++;
        if (s[i] === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(s[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 4;
        } else if (!'"\\/bfnrt'.includes(s[i] ?? 'x')) fail();
      } else if (s.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= s.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
    if (!m) fail();
    else i += m[0].length;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (s[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (s[i] !== '"') fail();
          string();
          ws();
          if (s[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    number();
  };
  try {
    value();
    ws();
    return i;
  } catch (pos) {
    return typeof pos === 'number' ? pos : 0;
  }
}

/** Newest first by eventTime, then by eventID so the order is stable; returns a new array. */
/** Epoch ms of an eventTime for ordering; unparseable times sort last. */
function orderTime(eventTime: string): number {
  const t = Date.parse(eventTime);
  return Number.isNaN(t) ? -Infinity : t;
}

function newestFirst(ta: number, ida: string, tb: number, idb: string): number {
  if (ta !== tb) return tb - ta;
  return ida < idb ? -1 : ida > idb ? 1 : 0;
}

/** Newest first; unparseable times last; ties broken by eventID so the order is stable across reloads. */
export function compareNewestFirst(a: CloudTrailRecord, b: CloudTrailRecord): number {
  return newestFirst(orderTime(a.eventTime), a.eventID, orderTime(b.eventTime), b.eventID);
}

/** A sorted copy; times are parsed once per record, not per comparison (files can hold 100k+ records). */
export function sortNewestFirst(records: CloudTrailRecord[]): CloudTrailRecord[] {
  return records
    .map((r) => ({ r, t: orderTime(r.eventTime) }))
    .sort((a, b) => newestFirst(a.t, a.r.eventID, b.t, b.r.eventID))
    .map((k) => k.r);
}
