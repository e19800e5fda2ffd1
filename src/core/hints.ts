/**
 * Search hints around a request ID: which service (→ eventSource, the server-side filter), when
 * (→ the first search window), what failed (errorCode, statusCode, eventName), who called, which Region.
 * Every hint is a guess read from untrusted text; the finder uses them to order its search, never to
 * decide a match (that is the requestID alone). Pure functions; no I/O.
 *
 * Decisions:
 * - `errorCode` is the API's error code as CloudTrail records it (`api error X`, `Error Code: X`,
 *   `An error occurred (X)`, `"errorCode"`, `x-amzn-ErrorType`, an exception class named after the
 *   error). CloudFormation's `HandlerErrorCode` (InvalidRequest, NotStabilized, …) classifies the
 *   handler's failure, not the API's: it goes to `handlerErrorCode`. In the seed story it says
 *   InvalidRequest while the CloudTrail errorCode is InvalidParameterValueException.
 * - `eventName` comes only from text that names the operation; a CloudFormation resource type is too
 *   loose for that (AWS::Lambda::Function is CreateFunction20150331), so it only hints the service.
 * - Time: the window is [t − aroundMinutes, t + 5 min] around the best timestamp (aroundMinutes is
 *   the caller's setting, 30 by default). The call happens before the line that reports it, so most
 *   of the window lies before t; the 5 minutes after cover a text whose clock runs behind the
 *   service's and events whose eventTime CloudTrail sets a little later than the text's time. When
 *   the text gives no zone and the caller did not say how to read it, the time is read as UTC and
 *   the window widened to every zone in use (UTC−12 … UTC+14), so it stays honest; `zoneKnown` is
 *   false and `windowNote` says so. The window never reaches past `now` nor before the 90 days
 *   LookupEvents keeps.
 */
import { REGION_PATTERN, isValidRegion } from './awsRegions';
import { cleanText } from './invisible';
import { parseEndpointHost, serviceToEventSource, KNOWN_EVENT_SOURCES } from './services';
import { DEFAULT_AROUND_MINUTES, findTimestamps, formatUtc, type FoundTime, type TimeWindow } from './time';
import { EVENT_HISTORY_MS as RETENTION } from './limits';

export type { TimeWindow } from './time';

export interface SearchHints {
  /** The service as written: 'Backup', 'Amazon S3', 'S3', 'kms'. */
  service?: string;
  /** 'backup.amazonaws.com' */
  eventSource?: string;
  /** Timestamps found near the ID, best first. */
  times: Date[];
  /** Suggested first search window, from `times[0]`. */
  window?: TimeWindow;
  /** False when times[0] had no zone in the text and the window was widened for it. */
  zoneKnown?: boolean;
  /** How the window was made, for a person: "30 min before to 5 min after 2024-08-08 05:49:02 UTC". */
  windowNote?: string;
  /** The API error code (as in CloudTrail's errorCode). */
  errorCode?: string;
  /** CloudFormation's HandlerErrorCode, which is not the API's errorCode. */
  handlerErrorCode?: string;
  statusCode?: number;
  eventName?: string;
  /** The calling service, e.g. 'cloudformation.amazonaws.com' for a CloudFormation status reason. */
  caller?: string;
  /** A Region named in the text: ARNs, endpoint hosts, `region: …`. */
  region?: string;
}

export interface HintOptions {
  /** Offset of the ID in text: hints nearest it win. */
  around?: number;
  now?: Date;
  /** How to read zone-less times. Absent: as UTC, with the window widened for the unknown zone. */
  timeZone?: 'UTC' | 'local';
  /** Minutes before the timestamp the window starts (trailLens.requestIdSearch.aroundMinutes). Default 30. */
  aroundMinutes?: number;
  /**
   * How far back a window may reach (default the 90 days LookupEvents keeps). A trail's files and the
   * engines over them keep everything: their searches pass Infinity.
   */
  retentionMs?: number;
}

/** How far after a text's timestamp the first window reaches, whatever aroundMinutes says. */
export const AFTER_MINUTES = 5;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const AFTER = AFTER_MINUTES * MINUTE;
/** Zone offsets in use run from UTC−12 to UTC+14: a zone-less local time L is UTC L−14 h … L+12 h. */
const ZONE_EAST = 14 * HOUR;
const ZONE_WEST = 12 * HOUR;

interface Found<T> {
  value: T;
  start: number;
  /** Lower is more trustworthy. */
  tier: number;
}

const REGION = `(${REGION_PATTERN})`;

function* scan(text: string, re: RegExp): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) yield m;
}

function pick<T>(found: Found<T>[], around: number | undefined): T | undefined {
  const dist = (f: Found<T>) => (around === undefined ? f.start : Math.abs(f.start - around));
  return [...found].sort((a, b) => a.tier - b.tier || dist(a) - dist(b))[0]?.value;
}

interface ServiceHit {
  service: string;
  eventSource?: string;
}

function services(text: string): Found<ServiceHit>[] {
  const out: Found<ServiceHit>[] = [];
  const add = (service: string, start: number, tier: number, eventSource = serviceToEventSource(service)) => {
    if (eventSource) out.push({ value: { service, eventSource }, start, tier });
  };
  // Java SDK v2 "(Service: Backup, …" and v1 "(Service: Amazon S3; …".
  for (const m of scan(text, /\(Service:\s*([A-Za-z0-9][A-Za-z0-9 .-]{0,50}?)\s*[,;)]/g)) add(m[1], m.index, 0);
  // Java SDK v1's legacy message "AWS Service: AmazonDynamoDBv2," and the .NET SDK's metrics "ServiceName = AmazonS3;".
  for (const m of scan(text, /\bAWS Service:\s*([A-Za-z0-9][A-Za-z0-9 .-]{0,50}?)\s*,|\bServiceName = ([A-Za-z0-9]+);/g))
    add(m[1] ?? m[2], m.index, 0);
  // Go SDK v2 "operation error S3: PutObject".
  for (const m of scan(text, /operation error ([A-Za-z0-9][A-Za-z0-9 .-]{0,40}?):\s*[A-Za-z0-9]+/g)) add(m[1], m.index, 0);
  // "is not authorized to perform: backup:CreateBackupVault"
  for (const m of scan(text, /not authorized to perform:?\s*([a-z0-9-]+):[A-Za-z0-9*]+/g)) add(m[1], m.index, 1);
  // JS SDK v3: package paths and the per-service exception base class.
  for (const m of scan(text, /@aws-sdk\/client-([a-z0-9-]+)/g)) add(m[1], m.index, 2);
  for (const m of scan(text, /\b([A-Z][A-Za-z0-9]*)ServiceException\b/g)) add(m[1], m.index, 2);
  // Endpoint hosts; a bare "x.amazonaws.com" with no Region and no scheme is a principal, not an endpoint.
  for (const m of scan(
    text,
    /(?<![\w.-])(?:(https?:\/\/)|(?:host['"]?\s*[:=]\s*['"]?))?((?:[a-z0-9-]+\.)+amazonaws\.com(?:\.cn)?)(?![\w-])/gi,
  )) {
    const host = parseEndpointHost(m[2]);
    if (host?.eventSource && (m[1] || /^host/i.test(m[0]) || host.region)) add(host.service, m.index, 3, host.eventSource);
  }
  for (const m of scan(text, /["']?eventSource["']?\s*[:=]\s*["']?([a-z0-9-]+\.amazonaws\.com)/g)) add(m[1], m.index, 3);
  // CloudFormation resource type: the service only, and only when nothing better is there.
  for (const m of scan(text, /\bAWS::([A-Za-z0-9]+)::[A-Za-z0-9]+/g)) {
    if (m[1] !== 'CloudFormation') add(m[1], m.index, 4);
  }
  return out;
}

function eventNames(text: string): Found<string>[] {
  const out: Found<string>[] = [];
  const res: Array<[RegExp, number]> = [
    [/operation error [A-Za-z0-9][A-Za-z0-9 .-]{0,40}?:\s*([A-Za-z0-9]+)/g, 0],
    [/when calling the ([A-Za-z0-9]+) operation/g, 0],
    [/OperationModel\(name=([A-Za-z0-9]+)\)/g, 0],
    [/X-Amz-Target['"]?\s*[:=]\s*['"]?[A-Za-z0-9_.]+\.([A-Za-z0-9]+)/gi, 0],
    [/["']?eventName["']?\s*[:=]\s*["']?([A-Za-z0-9]+)/g, 0],
    // JS SDK v3: `new CreateBackupVaultCommand(`, and the (de)serializers in stack traces.
    [/(?:\bnew\s+|\b(?:de|se)_)([A-Z][A-Za-z0-9]+)Command\b/g, 1],
    [/not authorized to perform:?\s*[a-z0-9-]+:([A-Za-z0-9]+)/g, 2],
  ];
  for (const [re, tier] of res) for (const m of scan(text, re)) out.push({ value: m[1], start: m.index, tier });
  return out;
}

/** Exception class names that say nothing about the error: generic SDK or language classes. */
const GENERIC_EXCEPTION =
  /^(?:Client|Service|Sdk|SdkClient|SdkService|AwsService|AmazonService|AmazonClient|Runtime|Type|Value|Key|Http|IO|Unknown|Unhandled|Internal)?(?:Error|Exception|Fault)$/;

function errorCodes(text: string): Found<string>[] {
  const out: Found<string>[] = [];
  const res: RegExp[] = [
    /api error ([A-Za-z0-9.]+):/g,
    /Error Code:\s*([A-Za-z0-9.]+)/g,
    /An error occurred \(([A-Za-z0-9.]+)\)/g,
    /["']?errorCode["']?\s*[:=]\s*["']?([A-Za-z0-9.]+)/g,
    /x-amzn-ErrorType['"]?\s*[:=]\s*['"]?([A-Za-z0-9.]+)/gi,
    /["']?__type["']?\s*:\s*["'](?:[\w.]+#)?([A-Za-z0-9]+)/g,
    /<Code>([A-Za-z0-9.]+)<\/Code>/g,
    /(?<![\w$])["']?Code["']?\s*:\s*["']([A-Za-z0-9.]+)["']/g,
    /(?<![\w$])name:\s*'([A-Za-z0-9]+(?:Exception|Error|Fault))'/g,
    // Java v1's legacy "AWS Error Code: X", .NET metrics' "AWSErrorCode = X;", the Rust SDK's ErrorMetadata "code: Some(\"X\")".
    /\bAWS ?Error ?Code(?::| =)\s*([A-Za-z0-9.]+)/g,
    /\bErrorMetadata \{ code: Some\("([A-Za-z0-9.]+)"\)/g,
  ];
  for (const re of res) for (const m of scan(text, re)) if (m[1] !== 'null') out.push({ value: m[1], start: m.index, tier: 0 });
  // An exception class named after the error (JS v3 "InvalidParameterValueException: …", Java v2 model classes).
  for (const m of scan(text, /(?:^|[\s(])(?:[\w$]+\.)*([A-Z][A-Za-z0-9]*(?:Exception|Error|Fault))(?=:\s)/gm)) {
    const name = m[1];
    if (GENERIC_EXCEPTION.test(name)) continue;
    // Java v2's per-service base class (BackupException, S3Exception) and v1's AmazonS3Exception name the service.
    const source = serviceToEventSource(name.replace(/(?:Exception|Error|Fault)$/, ''));
    if (source && KNOWN_EVENT_SOURCES.includes(source)) continue;
    out.push({ value: name, start: m.index, tier: 1 });
  }
  return out;
}

function statusCodes(text: string): Found<number>[] {
  const out: Found<number>[] = [];
  // The Rust SDK prints the status as StatusCode(404).
  const re =
    /(?:Status ?Code|httpStatusCode|HTTPStatusCode|statusCode)(?:["']?\s*[:=]\s*["']?|\()([1-5]\d\d)(?!\d)|HTTP\/\d(?:\.\d)?"?\s+([1-5]\d\d)(?!\d)/gi;
  for (const m of scan(text, re)) out.push({ value: Number(m[1] ?? m[2]), start: m.index, tier: 0 });
  return out;
}

function callers(text: string): Found<string>[] {
  const out: Found<string>[] = [];
  for (const m of scan(text, /["']?(?:sourceIPAddress|invokedBy)["']?\s*[:=]\s*["']?([a-z0-9-]+\.amazonaws\.com)/g))
    out.push({ value: m[1], start: m.index, tier: 0 });
  // A CloudFormation resource handler's status reason: CloudFormation made the call.
  for (const m of scan(text, /Resource handler returned message|\(RequestToken: |HandlerErrorCode:/g)) {
    out.push({ value: 'cloudformation.amazonaws.com', start: m.index, tier: 1 });
  }
  return out;
}

function regions(text: string): Found<string>[] {
  const out: Found<string>[] = [];
  const res: RegExp[] = [
    new RegExp(`arn:aws[a-z-]*:[a-z0-9-]+:${REGION}:`, 'g'),
    new RegExp(`(?:awsRegion|region|AWS_REGION|AWS_DEFAULT_REGION|--region)["']?\\s*[:= ]\\s*["']?${REGION}(?![\\w-])`, 'gi'),
    new RegExp(`[a-z0-9-]\\.${REGION}\\.amazonaws\\.com`, 'g'),
    new RegExp(`\\bs3-${REGION}\\.amazonaws\\.com`, 'g'),
  ];
  for (const re of res) for (const m of scan(text, re)) if (isValidRegion(m[1])) out.push({ value: m[1], start: m.index, tier: 0 });
  return out;
}

/** Same line as the ID first, then earlier text (a log record's timestamp precedes its message), then later. */
function rankTimes(text: string, times: FoundTime[], around: number | undefined): FoundTime[] {
  if (around === undefined) return times;
  const lineFrom = text.lastIndexOf('\n', around - 1) + 1;
  const nl = text.indexOf('\n', around);
  const lineTo = nl < 0 ? text.length : nl;
  // On the ID's own line a time with a stated zone (an HTTP Date header) beats a zone-less log prefix.
  const key = (t: FoundTime): [number, number] => {
    if (t.start >= lineFrom && t.end <= lineTo) return [t.zoneKnown ? 0 : 0.5, Math.abs(t.start - around)];
    return t.start < around ? [1, around - t.end] : [2, t.start - around];
  };
  return [...times].sort((a, b) => {
    const [ka, da] = key(a);
    const [kb, db] = key(b);
    return ka - kb || da - db || Number(b.zoneKnown) - Number(a.zoneKnown);
  });
}

/** 90 min → "1 h 30 min", 15 min → "15 min", 2 h → "2 h". */
function spoken(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m || !h ? `${m} min` : ''].filter(Boolean).join(' ');
}

function makeWindow(
  t: FoundTime,
  widen: boolean,
  now: Date,
  before: number,
  retention = RETENTION,
): Pick<SearchHints, 'window' | 'windowNote'> {
  const at = t.time.getTime();
  const earlier = before + (widen ? ZONE_EAST : 0);
  const later = AFTER + (widen ? ZONE_WEST : 0);
  let start = at - earlier;
  let end = at + later;
  const span = `${spoken(earlier)} before to ${spoken(later)} after ${formatUtc(t.time)}`;
  const note = widen
    ? `${span}: the text gives no time zone, so it was read as UTC and the window covers every zone from UTC−12 to UTC+14`
    : span;
  const floor = now.getTime() - retention;
  if (end > now.getTime()) end = now.getTime();
  if (start < floor) start = floor;
  if (end <= start) {
    const why = at > now.getTime() ? 'is in the future' : 'is older than the 90 days Event history keeps';
    return { windowNote: `${formatUtc(t.time)} ${why}; no window suggested` };
  }
  return { window: { start: new Date(start), end: new Date(end) }, windowNote: note };
}

/** Reads every hint in `text`, preferring those nearest `opts.around` (the ID's offset). */
export function collectHints(given: string, opts?: HintOptions): SearchHints {
  // Read past invisible characters ("Service:\u200B Backup"); `around` is an offset in the text as given.
  const clean = cleanText(given);
  const text = clean.text;
  const around = opts?.around === undefined ? undefined : clean.toClean(opts.around);
  const now = opts?.now ?? new Date();
  const hints: SearchHints = { times: [] };

  const service = pick(services(text), around);
  if (service) {
    hints.service = service.service;
    hints.eventSource = service.eventSource;
  }
  const found = rankTimes(text, findTimestamps(text, { now, timeZone: opts?.timeZone ?? 'UTC' }), around).slice(0, 20);
  hints.times = found.map((t) => t.time);
  if (found.length > 0) {
    hints.zoneKnown = found[0].zoneKnown || opts?.timeZone !== undefined;
    const before = (opts?.aroundMinutes ?? DEFAULT_AROUND_MINUTES) * MINUTE;
    Object.assign(hints, makeWindow(found[0], !hints.zoneKnown, now, before, opts?.retentionMs));
  }
  const errorCode = pick(errorCodes(text), around);
  if (errorCode) hints.errorCode = errorCode;
  const handler = /HandlerErrorCode:\s*([A-Za-z]+)/.exec(text);
  if (handler) hints.handlerErrorCode = handler[1];
  const statusCode = pick(statusCodes(text), around);
  if (statusCode !== undefined) hints.statusCode = statusCode;
  const eventName = pick(eventNames(text), around);
  if (eventName) hints.eventName = eventName;
  const caller = pick(callers(text), around);
  if (caller) hints.caller = caller;
  const region = pick(regions(text), around);
  if (region) hints.region = region;
  return hints;
}
