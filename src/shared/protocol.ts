/**
 * The typed message protocol between the event webview and the extension host.
 * Imported by both sides; no `vscode` here. Everything arriving from the webview is untrusted:
 * the host runs `parseWebviewMessage` on it and ignores whatever does not validate.
 */
import type { CloudTrailRecord } from '../core/record';
import { toJson } from '../core/json';

/** Where the record shown came from, for the header. */
export interface EventContext {
  profile?: string;
  region?: string;
  /** 'sample' when the built-in sample account is the connection. */
  source: 'lookup' | 'cache' | 'file' | 'sample';
}

/**
 * `show` carries the record as JSON text, not as an object: postMessage structured-clones objects
 * recursively, and a record nested ~2,500 levels deep arrived in the webview as null (the panel then
 * stayed on "Loading event…"). A string crosses at any depth, and JSON.parse is iterative.
 */
export type HostToWebview =
  | { type: 'show'; recordJson: string; context: EventContext; pinned: boolean; nav?: PanelNav; followed?: FollowedValue }
  | { type: 'setPinned'; pinned: boolean };

/** A host message as the webview has it once validated: `show` with its record parsed. */
export type HostMessage =
  | { type: 'show'; record: CloudTrailRecord; context: EventContext; pinned: boolean; nav?: PanelNav; followed?: FollowedValue }
  | { type: 'setPinned'; pinned: boolean };

/** The panel's Back/Forward history: the label of the event each would show; absent = nothing there. */
export interface PanelNav {
  back?: string;
  forward?: string;
}

/** What a value in an event did: returned in responseElements (produced), passed in requestParameters (consumed). */
export type ValueRole = 'produced' | 'consumed' | 'mentioned';

/** The value followed into the shown event ("Find events with this value"), to highlight it there. */
export interface FollowedValue {
  value: string;
  /** The label of the event it was followed from. */
  from: string;
  role: ValueRole;
  /** Where this event holds it, e.g. "responseElements.keyMetadata.keyId". */
  paths: string[];
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
  }
  return msg;
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
      if (!only('type', 'value') || !text(msg.value) || (msg.value as string).length === 0) return undefined;
      return { type: 'findValue', value: msg.value as string };
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
