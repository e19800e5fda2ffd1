/**
 * What the host does for each message from the event webview. Messages are untrusted: anything
 * that does not pass `parseWebviewMessage` is logged at debug and dropped.
 */
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../core/record';
import { parseWebviewMessage, shapeHintsMessage, showMessage } from '../../protocol/protocol';
import type { EventContext, FollowedValue, HostToWebview, InvestigateAction, PanelNav, WebviewToHost } from '../../protocol/protocol';
import { Commands } from '../commandIds';
import { openEventJson } from '../eventDocument';
import { eventTitle } from '../eventLabels';
import { reportError } from '../runCommand';
import type { ConnectionService, EventsViewService } from '../context';
import type { Log } from '../log';
import { pickEventHolding, shapeHintsFor, traceOrigin, type ValueMatch } from './findValue';

/** One open panel, as the message handler sees it. */
export interface PanelTarget {
  readonly record: CloudTrailRecord;
  readonly context: EventContext;
  readonly pinned: boolean;
  /** Back/Forward labels of this panel's history. */
  readonly nav: PanelNav;
  /** The value followed into the shown event, if it was reached that way. */
  readonly followed: FollowedValue | undefined;
  post(message: HostToWebview): void;
  togglePin(): void;
  /**
   * Opens an event reached from this one: in this panel (its history keeps the way back), or, when
   * this panel is pinned, in the panel the next event replaces.
   */
  showEvent(record: CloudTrailRecord, context: EventContext, followed?: FollowedValue): void;
  /** Back or Forward in this panel's history; false when there is nothing there. */
  navigate(to: 'back' | 'forward'): boolean;
}

/** What the message handler and value-following use; the context supplies the real ones. */
export interface MessageServices {
  log: Log;
  events: EventsViewService;
  connection: ConnectionService;
}

const STATUS_MS = 3000;

const INVESTIGATE_COMMANDS: Record<InvestigateAction, string> = {
  related: Commands.relatedEvents,
  history: Commands.resourceHistory,
  copyMarkdown: Commands.copyEventMarkdown,
};

function copiedLabel(message: Extract<WebviewToHost, { type: 'copy' }>, record: CloudTrailRecord): string {
  if (message.what === 'record') return 'Copied record JSON';
  if (message.what === 'path') return 'Copied JSON path';
  if (record.requestID && message.text === record.requestID) return 'Copied request ID';
  if (message.text === record.eventID) return 'Copied event ID';
  return 'Copied value';
}

/**
 * Validates and handles one raw message. Resolves to the parsed message, or undefined when it was
 * rejected. Failures go through reportError: this is an event boundary like a command.
 */
export async function handleWebviewMessage(
  raw: unknown,
  panel: PanelTarget,
  services: MessageServices,
): Promise<WebviewToHost | undefined> {
  const message = parseWebviewMessage(raw);
  if (!message) {
    // Never echo the payload: it may be large, and it is whatever the page chose to send.
    const kind =
      typeof raw === 'object' && raw !== null
        ? `type ${JSON.stringify(String((raw as { type?: unknown }).type).slice(0, 40))}`
        : typeof raw;
    services.log.debug(`Event panel: ignored an invalid message from the webview (${kind})`);
    return undefined;
  }
  try {
    await dispatch(message, panel, services);
  } catch (err) {
    reportError(services.log, `Event panel ${message.type}`, err);
  }
  return message;
}

/** Sends the shown event's shape hints (the ARN a flagged parameter should have been), when the loaded events know one. */
export function postShapeHints(panel: PanelTarget, services: MessageServices): void {
  try {
    const hints = shapeHintsFor(services, panel.record, panel.context.region);
    if (hints.length) panel.post(shapeHintsMessage(panel.record.eventID, hints));
  } catch (err) {
    services.log.warn(`Event panel: no shape hints for ${panel.record.eventID} (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Opens the event a value was followed to, in this panel, with the value highlighted and where it came from. */
function openMatch(panel: PanelTarget, value: string, match: ValueMatch, from = eventTitle(panel.record)): void {
  const followed: FollowedValue = { value, from, role: match.role, paths: match.paths };
  if (match.arn) followed.arn = match.arn;
  panel.showEvent(match.record, match.fromCache ? { ...panel.context, source: 'cache' } : panel.context, followed);
}

async function dispatch(message: WebviewToHost, panel: PanelTarget, services: MessageServices): Promise<void> {
  switch (message.type) {
    case 'ready':
      panel.post(showMessage(panel.record, panel.context, panel.pinned, { nav: panel.nav, followed: panel.followed }));
      postShapeHints(panel, services);
      return;
    case 'copy':
      await vscode.env.clipboard.writeText(message.text);
      vscode.window.setStatusBarMessage(copiedLabel(message, panel.record), STATUS_MS);
      return;
    case 'togglePin':
      panel.togglePin();
      return;
    case 'openJson':
      await openEventJson(panel.record, panel.context.region);
      return;
    case 'revealInTree':
      await services.events.reveal(panel.record);
      return;
    case 'findValue': {
      const match = await pickEventHolding(services, message.value, panel.record, panel.context.region);
      if (match) openMatch(panel, message.value, match);
      return;
    }
    case 'traceValue': {
      const from = eventTitle(panel.record);
      const open = (match: ValueMatch) => openMatch(panel, message.value, match, from);
      const match = await traceOrigin(services, message.value, panel.record, panel.context.region, open);
      if (match) open(match);
      return;
    }
    case 'navigate':
      panel.navigate(message.to);
      return;
    case 'investigate':
      // The commands (investigate/commands.ts) take the record, as from the Events tree's context menu.
      await vscode.commands.executeCommand(INVESTIGATE_COMMANDS[message.action], panel.record);
      return;
    default: {
      const unreachable: never = message;
      throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
    }
  }
}
