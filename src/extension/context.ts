/**
 * The extension's one context: every long-lived object its features share, built once in
 * activate() in dependency order (log → config → connection → state → events → panel). Command
 * handlers (commands/table.ts) and providers receive it; nothing reaches for globals.
 *
 * The interfaces below are the read-only faces of those objects that the panel's message handler
 * and value-following use, so extension-host tests can hand them small fakes.
 */
import type * as vscode from 'vscode';
import type { CloudTrailRecord } from '../core/record';
import type { EventContext } from '../shared/protocol';
import { Config } from './config';
import { ConnectionManager } from './connection';
import { createLog, type Log } from './log';
import { EventPanels } from './panels/eventPanel';
import type { Session } from './session';
import { EventsTree } from './views/eventsTree';
import { ViewState } from './views/viewState';

export interface TrailLensContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: Log;
  readonly config: Config;
  readonly connection: ConnectionManager;
  readonly state: ViewState;
  readonly events: EventsTree;
  readonly panel: EventPanels;
}

/** Builds the context; its disposables are pushed onto the extension's subscriptions, last built first disposed. */
export function createContext(extension: vscode.ExtensionContext): TrailLensContext {
  const log = createLog();
  const config = new Config();
  const connection = new ConnectionManager(extension, config, log);
  const state = new ViewState(config, extension.workspaceState);
  const events = new EventsTree(connection, config, state, log);
  const panel = new EventPanels(extension, { log, events, connection });
  extension.subscriptions.push(log, config, connection, state, events, panel);
  return { extension, log, config, connection, state, events, panel };
}

export interface ConnectionService {
  /** The current session; throws TrailLensError (NoCredentials, SsoExpired, …) when none can be made. */
  session(): Promise<Session>;
  /** The session made last, without making one (hovers, labels); undefined before the first. */
  current(): Session | undefined;
  /** A session on another Region with the same profile (or the sample account), or with another profile. */
  sessionFor(region: string, profile?: string): Promise<Session>;
}

export interface EventsViewService {
  /** Reveals and selects the event in the tree, adding it first if needed. */
  reveal(record: CloudTrailRecord): Promise<void>;
  /** Every record the tree currently holds (for hovers, value-following, completion). */
  records(): readonly CloudTrailRecord[];
}

export interface EventPanelService {
  /**
   * Shows the record without taking focus, beside `beside` (the editor the request ID came from)
   * or else the active editor; replaces the shown event unless pinned.
   */
  show(record: CloudTrailRecord, context: EventContext, opts?: { beside?: vscode.ViewColumn }): void;
}
