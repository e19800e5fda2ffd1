/**
 * The typed message protocol between the event webview and the extension host.
 * Imported by both sides; no `vscode` here. Everything arriving from the webview is untrusted:
 * the host runs `parseWebviewMessage` on it and ignores whatever does not validate.
 */
import type { CloudTrailRecord } from '../core/record';
import type { ValueRole } from '../core/investigate/provenance';
import { toJson } from '../core/json';

/** Where the record shown came from, for the header. */
export interface EventContext {
  profile?: string;
  region?: string;
  /**
   * Which event source answered: event history ('lookup', or 'cache' for its local copy), a record
   * file opened in the editor ('file'), the built-in sample account ('sample'), trail log files
   * ('trail': a local folder or an S3 bucket), or an engine over the trail ('athena', 'logs', 'lake').
   */
  source: EventSourceKind;
  /** Where in that source, shown as text: the trail file or S3 object, the Athena table, the log group, the event data store. */
  where?: string;
}

export const EVENT_SOURCE_KINDS = ['lookup', 'cache', 'file', 'sample', 'trail', 'athena', 'logs', 'lake'] as const;
export type EventSourceKind = (typeof EVENT_SOURCE_KINDS)[number];

/** The header's words for each source ("from …"). */
export const EVENT_SOURCE_LABELS: Readonly<Record<EventSourceKind, string>> = {
  lookup: 'from LookupEvents',
  cache: 'from the local cache',
  file: 'from a file',
  sample: 'built-in data',
  trail: 'from trail log files',
  athena: 'from Athena',
  logs: 'from CloudWatch Logs',
  lake: 'from CloudTrail Lake',
};

/**
 * `show` carries the record as JSON text, not as an object: postMessage structured-clones objects
 * recursively, and a record nested ~2,500 levels deep arrived in the webview as null (the panel then
 * stayed on "Loading event…"). A string crosses at any depth, and JSON.parse is iterative.
 */
export type HostToWebview =
  | { type: 'show'; recordJson: string; context: EventContext; pinned: boolean; nav?: PanelNav; followed?: FollowedValue }
  | { type: 'setPinned'; pinned: boolean }
  | ShapeHintsMessage;

/** A host message as the webview has it once validated: `show` with its record parsed. */
export type HostMessage =
  | { type: 'show'; record: CloudTrailRecord; context: EventContext; pinned: boolean; nav?: PanelNav; followed?: FollowedValue }
  | { type: 'setPinned'; pinned: boolean }
  | ShapeHintsMessage;

/**
 * For a failed call's flagged parameters (core/investigate/shape.ts), the ARN each should have been,
 * found among the loaded events after the `show` (no API call). Sent for one event: the page drops
 * hints whose eventId is not the event it shows.
 */
export interface ShapeHintsMessage {
  type: 'shapeHints';
  eventId: string;
  hints: ShapeHint[];
}

export interface ShapeHint {
  /** The flagged parameter, as the panel writes paths: requestParameters.encryptionKeyArn. */
  path: string;
  /** The ARN it should have been: arn:aws:kms:…:key/… */
  arn: string;
  /** Where that ARN came from: "CreateKey 2024-08-08 05:48:55 UTC, responseElements.keyMetadata.arn". */
  source: string;
}

export const MAX_SHAPE_HINTS = 20;

/** The panel's Back/Forward history: the label of the event each would show; absent = nothing there. */
export interface PanelNav {
  back?: string;
  forward?: string;
}

/** What a value in an event did: returned in responseElements (produced), passed in requestParameters (consumed). */
export type { ValueRole };

/** The value followed into the shown event ("Find events with this value"), to highlight it there. */
export interface FollowedValue {
  value: string;
  /** The label of the event it was followed from. */
  from: string;
  role: ValueRole;
  /** Where this event holds it, e.g. "responseElements.keyMetadata.keyId". */
  paths: string[];
  /** The ARN this event returned beside the value (CreateKey's keyMetadata.arn beside keyMetadata.keyId). */
  arn?: string;
}

/** Bounds on the labels and paths a `show` carries besides the record. */
export const MAX_LABEL = 512;
export const MAX_FOLLOWED_PATHS = 16;

export interface ShowOptions {
  nav?: PanelNav;
  followed?: FollowedValue;
}

/** The `show` message for a record. */
export function showMessage(record: CloudTrailRecord, context: EventContext, pinned: boolean, opts: ShowOptions = {}): HostToWebview {
  const msg: HostToWebview = { type: 'show', recordJson: toJson(record) ?? 'null', context, pinned };
  if (opts.nav && (opts.nav.back !== undefined || opts.nav.forward !== undefined)) msg.nav = { ...opts.nav };
  if (opts.followed) {
    // Paths are built from the record's keys, which anyone can choose: bound them as the page will.
    const paths = opts.followed.paths.filter((p) => p.length <= MAX_LABEL).slice(0, MAX_FOLLOWED_PATHS);
    msg.followed = { ...opts.followed, from: opts.followed.from.slice(0, MAX_LABEL), paths };
    if (opts.followed.arn !== undefined && opts.followed.arn.length > MAX_LABEL) delete msg.followed.arn;
  }
  return msg;
}

/** The `shapeHints` message, bounded as the page will check it (paths and ARNs come from records). */
export function shapeHintsMessage(eventId: string, hints: readonly ShapeHint[]): ShapeHintsMessage {
  const fits = (h: ShapeHint) => h.path.length <= MAX_LABEL && h.arn.length <= MAX_LABEL && h.source.length <= MAX_LABEL;
  return { type: 'shapeHints', eventId, hints: hints.filter(fits).slice(0, MAX_SHAPE_HINTS) };
}

/**
 * Upper bound on the record JSON the webview accepts. CloudTrail records reach about 1 MB (it caps
 * requestParameters and responseElements); the bound only stops a stray window posting hundreds of MB.
 */
export const MAX_RECORD_JSON = 16 * 1024 * 1024;

export type WebviewToHost =
  | { type: 'ready' }
  /** Copy a value or a JSON path; the host writes the clipboard (webview clipboard access is unreliable). */
  | { type: 'copy'; text: string; what: 'value' | 'path' | 'record' }
  | { type: 'togglePin' }
  /** Open the record as a read-only JSON document. */
  | { type: 'openJson' }
  /** Reveal the shown event in the Events tree. */
  | { type: 'revealInTree' }
  /** Follow a value: search loaded events for others holding it (e.g. a KMS key ID). */
  | { type: 'findValue'; value: string }
  /** "Where did this value come from?": search outward for the event that produced it and open that one. */
  | { type: 'traceValue'; value: string }
  /** Back or Forward in the panel's history. */
  | { type: 'navigate'; to: 'back' | 'forward' }
  /** An investigation of the shown event: related events, a resource's history, Markdown for a ticket. */
  | { type: 'investigate'; action: InvestigateAction };

export const INVESTIGATE_ACTIONS = ['related', 'history', 'copyMarkdown'] as const;
export type InvestigateAction = (typeof INVESTIGATE_ACTIONS)[number];

/**
 * Upper bound on any string the webview may send: "Copy" on a whole record of about 1 MB, pretty-printed
 * and deeply nested, is several MB of text.
 */
export const MAX_MESSAGE_TEXT = 16 * 1024 * 1024;

/** Validates an untrusted message from the webview. Returns undefined when it is not a valid message. */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const msg = raw as Record<string, unknown>;
  const keys = Object.keys(msg);
  const only = (...allowed: string[]) => keys.every((k) => allowed.includes(k));
  const text = (v: unknown) => typeof v === 'string' && v.length <= MAX_MESSAGE_TEXT;
  switch (msg.type) {
    case 'ready':
    case 'togglePin':
    case 'openJson':
    case 'revealInTree':
      return only('type') ? { type: msg.type } : undefined;
    case 'copy':
      if (!only('type', 'text', 'what') || !text(msg.text)) return undefined;
      if (msg.what !== 'value' && msg.what !== 'path' && msg.what !== 'record') return undefined;
      return { type: 'copy', text: msg.text as string, what: msg.what };
    case 'findValue':
    case 'traceValue':
      if (!only('type', 'value') || !text(msg.value) || (msg.value as string).length === 0) return undefined;
      return { type: msg.type, value: msg.value as string };
    case 'navigate':
      if (!only('type', 'to') || (msg.to !== 'back' && msg.to !== 'forward')) return undefined;
      return { type: 'navigate', to: msg.to };
    case 'investigate':
      if (!only('type', 'action') || !(INVESTIGATE_ACTIONS as readonly unknown[]).includes(msg.action)) return undefined;
      return { type: 'investigate', action: msg.action as InvestigateAction };
    default:
      return undefined;
  }
}

/** Longest value a row offers to the webview context menu (data-vscode-context); longer ones use the row buttons. */
export const MAX_CONTEXT_VALUE = 4096;

/**
 * The argument VS Code passes to a webview context-menu command: the row's data-vscode-context
 * (`{ webviewSection: 'value', value }`) merged with VS Code's own keys (webview, …). Untrusted like
 * any message from the page: the value is returned only when it is a non-empty string within bounds.
 */
export function parseValueContext(raw: unknown): { value: string } | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const ctx = raw as Record<string, unknown>;
  if (ctx.webviewSection !== 'value' || typeof ctx.value !== 'string') return undefined;
  if (ctx.value.length === 0 || ctx.value.length > MAX_CONTEXT_VALUE) return undefined;
  return { value: ctx.value };
}
