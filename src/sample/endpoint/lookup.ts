/**
 * LookupEvents: request validation, the 90-day window, newest-first paging
 * and NextToken handling. Tokens carry the position of the last returned event, not an offset,
 * so a chain stays duplicate-free even when records are added while a client is paging.
 */
import { createHmac } from 'node:crypto';
import { ATTRIBUTE_KEYS } from '../../core/record';
import type { AttributeKey } from '../../core/record';
import { ServiceError, epochMillis } from './protocol';
import type { Cursor, EventStore, Visibility, WireEvent } from './store';
import { compareEvents, lowerBound, wireEvent } from './store';

export const LOOKUP_WINDOW_MS = 90 * 24 * 60 * 60 * 1000;
export const MAX_RESULTS_LIMIT = 50;

export interface LookupEventsResponse {
  Events: WireEvent[];
  NextToken?: string;
}

export interface LookupQuery {
  attribute?: { key: AttributeKey; value: string };
  startMs?: number;
  endMs?: number;
  maxResults: number;
  visibility: Visibility;
  cursor?: Cursor;
}

/** `_`, space, `,` and newline count twice toward the 2000-character AttributeValue limit [BC]. */
function weightedLength(value: string): number {
  let n = 0;
  for (const ch of value) n += ch === '_' || ch === ' ' || ch === ',' || ch === '\n' ? 2 : 1;
  return n;
}

function parseAttribute(raw: unknown): LookupQuery['attribute'] {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new ServiceError('SerializationException', 'LookupAttributes must be a list');
  if (raw.length === 0) return undefined;
  if (raw.length > 1) {
    throw new ServiceError('InvalidLookupAttributesException', 'You can only specify one lookup attribute.');
  }
  const item = raw[0] as { AttributeKey?: unknown; AttributeValue?: unknown } | null;
  const key = item?.AttributeKey;
  const value = item?.AttributeValue;
  if (typeof key !== 'string' || !(ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
    throw new ServiceError(
      'InvalidLookupAttributesException',
      `Invalid attribute key: ${String(key)}. Valid keys: ${ATTRIBUTE_KEYS.join(', ')}.`,
    );
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new ServiceError('InvalidLookupAttributesException', `A value is required for lookup attribute ${key}.`);
  }
  if (weightedLength(value) > 2000) {
    throw new ServiceError('InvalidLookupAttributesException', 'AttributeValue must be at most 2000 characters.');
  }
  // Stricter than a silent empty result so a client sending "True" or "yes" is caught in tests.
  if (key === 'ReadOnly' && value !== 'true' && value !== 'false') {
    throw new ServiceError('InvalidLookupAttributesException', 'The ReadOnly attribute value must be "true" or "false".');
  }
  return { key: key as AttributeKey, value };
}

function parseMaxResults(raw: unknown): number {
  if (raw === undefined || raw === null) return MAX_RESULTS_LIMIT;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_RESULTS_LIMIT) {
    throw new ServiceError(
      'InvalidMaxResultsException',
      `MaxResults must be an integer from 1 to ${MAX_RESULTS_LIMIT}; got ${JSON.stringify(raw)}.`,
    );
  }
  return raw;
}

function parseCategory(raw: unknown): Visibility {
  if (raw === undefined || raw === null) return 'management';
  if (raw === 'insight') return 'insight';
  throw new ServiceError(
    'InvalidEventCategoryException',
    `Invalid EventCategory ${JSON.stringify(raw)}. The only valid value is "insight".`,
  );
}

/** Binds a token to the exact query and position; any change to either fails verification. */
function tokenMac(secret: string, query: Omit<LookupQuery, 'cursor'>, cursor: Cursor): string {
  const canonical = JSON.stringify([
    query.attribute?.key ?? null,
    query.attribute?.value ?? null,
    query.startMs ?? null,
    query.endMs ?? null,
    query.maxResults,
    query.visibility,
    cursor.timeMs,
    cursor.eventId,
  ]);
  return createHmac('sha256', secret).update(canonical).digest('base64url').slice(0, 22);
}

export function encodeToken(secret: string, query: Omit<LookupQuery, 'cursor'>, cursor: Cursor): string {
  const payload = { t: cursor.timeMs, i: cursor.eventId, m: tokenMac(secret, query, cursor) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decodeToken(secret: string, token: string, query: Omit<LookupQuery, 'cursor'>): Cursor {
  const invalid = new ServiceError(
    'InvalidNextTokenException',
    'Invalid NextToken. The token is malformed, expired, or was issued for different request parameters.',
  );
  let payload: { t?: unknown; i?: unknown; m?: unknown };
  try {
    payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    throw invalid;
  }
  if (!payload || typeof payload.t !== 'number' || typeof payload.i !== 'string' || typeof payload.m !== 'string') {
    throw invalid;
  }
  const cursor = { timeMs: payload.t, eventId: payload.i };
  if (tokenMac(secret, query, cursor) !== payload.m) throw invalid;
  return cursor;
}

/** Validates a LookupEvents request body into a query (throws the modelled CloudTrail errors). */
export function parseLookupRequest(params: Record<string, unknown>, secret: string): LookupQuery {
  const maxResults = parseMaxResults(params.MaxResults);
  const attribute = parseAttribute(params.LookupAttributes);
  const startMs = epochMillis(params.StartTime, 'StartTime');
  const endMs = epochMillis(params.EndTime, 'EndTime');
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw new ServiceError('InvalidTimeRangeException', 'Start time must be earlier than or equal to end time.');
  }
  const visibility = parseCategory(params.EventCategory);
  const query: LookupQuery = { attribute, startMs, endMs, maxResults, visibility };
  const token = params.NextToken;
  if (token !== undefined && token !== null && token !== '') {
    if (typeof token !== 'string') throw new ServiceError('InvalidNextTokenException', 'NextToken must be a string.');
    query.cursor = decodeToken(secret, token, query);
  }
  return query;
}

/**
 * Answers one page. Only events from the last 90 days (by the server's clock) are visible;
 * bounds are inclusive. Events later than "now" are still returned (clock skew between a
 * record generator and the server should not hide data).
 */
export function runLookup(store: EventStore, query: LookupQuery, nowMs: number, secret: string): LookupEventsResponse {
  const list = query.attribute ? store.matching(query.visibility, query.attribute.key, query.attribute.value) : store.all(query.visibility);
  const oldest = Math.max(query.startMs ?? -Infinity, nowMs - LOOKUP_WINDOW_MS);
  const newest = query.endMs ?? Infinity;
  let begin = lowerBound(list, (e) => e.timeMs <= newest);
  const { cursor } = query;
  if (cursor)
    begin = Math.max(
      begin,
      lowerBound(list, (e) => compareEvents(e, cursor) > 0),
    );
  const stop = lowerBound(list, (e) => e.timeMs < oldest);
  const end = Math.min(begin + query.maxResults, stop);
  const page = begin < end ? list.slice(begin, end) : [];
  const response: LookupEventsResponse = { Events: page.map(wireEvent) };
  const last = page[page.length - 1];
  if (last && end < stop) {
    response.NextToken = encodeToken(secret, query, { timeMs: last.timeMs, eventId: last.eventId });
  }
  return response;
}
