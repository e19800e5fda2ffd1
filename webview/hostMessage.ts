/**
 * Validation of messages arriving from the extension host. The host is trusted, but anything else
 * able to post into this window is not, and a malformed message must not break the page:
 * whatever does not validate is ignored.
 */
import type { CloudTrailRecord } from '../src/core/record.js';
import type { EventContext, FollowedValue, HostMessage, PanelNav, ShapeHint, ValueRole } from '../src/protocol/protocol.js';
import { EVENT_SOURCE_KINDS, MAX_FOLLOWED_PATHS, MAX_LABEL, MAX_RECORD_JSON, MAX_SHAPE_HINTS } from '../src/protocol/protocol.js';

const SOURCES: readonly string[] = EVENT_SOURCE_KINDS;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function only(obj: Record<string, unknown>, ...allowed: string[]): boolean {
  return Object.keys(obj).every((k) => allowed.includes(k));
}

function optionalString(v: unknown): boolean {
  return v === undefined || typeof v === 'string';
}

function parseContext(raw: unknown): EventContext | undefined {
  if (!isPlainObject(raw) || !only(raw, 'profile', 'region', 'source', 'where')) return undefined;
  if (!optionalString(raw.profile) || !optionalString(raw.region)) return undefined;
  if (raw.where !== undefined && !label(raw.where)) return undefined;
  if (typeof raw.source !== 'string' || !SOURCES.includes(raw.source)) return undefined;
  const ctx: EventContext = { source: raw.source as EventContext['source'] };
  if (typeof raw.profile === 'string') ctx.profile = raw.profile;
  if (typeof raw.region === 'string') ctx.region = raw.region;
  if (typeof raw.where === 'string') ctx.where = raw.where;
  return ctx;
}

function label(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_LABEL;
}

function parseNav(raw: unknown): PanelNav | undefined | false {
  if (raw === undefined) return undefined;
  if (!isPlainObject(raw) || !only(raw, 'back', 'forward')) return false;
  if ((raw.back !== undefined && !label(raw.back)) || (raw.forward !== undefined && !label(raw.forward))) return false;
  const nav: PanelNav = {};
  if (typeof raw.back === 'string') nav.back = raw.back;
  if (typeof raw.forward === 'string') nav.forward = raw.forward;
  return nav;
}

const ROLES: readonly ValueRole[] = ['produced', 'consumed', 'mentioned'];

function parseFollowed(raw: unknown): FollowedValue | undefined | false {
  if (raw === undefined) return undefined;
  if (!isPlainObject(raw) || !only(raw, 'value', 'from', 'role', 'paths', 'arn')) return false;
  if (raw.arn !== undefined && !label(raw.arn)) return false;
  if (typeof raw.value !== 'string' || raw.value === '' || raw.value.length > MAX_RECORD_JSON || !label(raw.from)) return false;
  if (!ROLES.includes(raw.role as ValueRole)) return false;
  if (!Array.isArray(raw.paths) || raw.paths.length > MAX_FOLLOWED_PATHS || !raw.paths.every(label)) return false;
  const followed: FollowedValue = { value: raw.value, from: raw.from, role: raw.role as ValueRole, paths: [...(raw.paths as string[])] };
  if (typeof raw.arn === 'string') followed.arn = raw.arn;
  return followed;
}

function parseShapeHints(raw: unknown): ShapeHint[] | undefined {
  if (!Array.isArray(raw) || raw.length > MAX_SHAPE_HINTS) return undefined;
  const out: ShapeHint[] = [];
  for (const h of raw) {
    if (!isPlainObject(h) || !only(h, 'path', 'arn', 'source') || !label(h.path) || !label(h.arn) || !label(h.source)) return undefined;
    out.push({ path: h.path, arn: h.arn, source: h.source });
  }
  return out;
}

/**
 * A record only needs to be a JSON object: Insights records lack eventName and eventSource, and the
 * renderer reads every field defensively. Known string fields must be strings when present.
 */
function parseRecord(json: unknown): CloudTrailRecord | undefined {
  if (typeof json !== 'string' || json.length > MAX_RECORD_JSON) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isPlainObject(raw)) return undefined;
  for (const k of ['eventName', 'eventSource', 'eventTime', 'eventID', 'errorCode', 'errorMessage']) {
    if (!optionalString(raw[k])) return undefined;
  }
  return raw as CloudTrailRecord;
}

export function parseHostMessage(raw: unknown): HostMessage | undefined {
  if (!isPlainObject(raw)) return undefined;
  switch (raw.type) {
    case 'show': {
      if (!only(raw, 'type', 'recordJson', 'context', 'pinned', 'nav', 'followed') || typeof raw.pinned !== 'boolean') return undefined;
      const record = parseRecord(raw.recordJson);
      const context = parseContext(raw.context);
      const nav = parseNav(raw.nav);
      const followed = parseFollowed(raw.followed);
      if (!record || !context || nav === false || followed === false) return undefined;
      const msg: HostMessage = { type: 'show', record, context, pinned: raw.pinned };
      if (nav) msg.nav = nav;
      if (followed) msg.followed = followed;
      return msg;
    }
    case 'setPinned':
      if (!only(raw, 'type', 'pinned') || typeof raw.pinned !== 'boolean') return undefined;
      return { type: 'setPinned', pinned: raw.pinned };
    case 'shapeHints': {
      if (!only(raw, 'type', 'eventId', 'hints') || !label(raw.eventId)) return undefined;
      const hints = parseShapeHints(raw.hints);
      return hints ? { type: 'shapeHints', eventId: raw.eventId, hints } : undefined;
    }
    default:
      return undefined;
  }
}
