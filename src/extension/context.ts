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
import type { EventContext } from '../protocol/protocol';
import { Config } from './config';
import { ConnectionManager } from './connection';
import { createLog, type Log } from './log';
import { InvestigationView } from './investigate/resultsView';
import { EventPanels } from './panels/eventPanel';
import type { Session } from './session';
import { StackData } from './stacks/stackData';
import { StacksTree } from './stacks/stacksTree';
import { TemplateFeatures } from './templates/templateFeatures';
import { TrailsView } from './trails/trailsView';
import { TrailSourceTree } from './trailFiles/sourceTree';
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
  /** The Investigation view: related events and resource histories. */
  readonly investigation: InvestigationView;
  /** CloudFormation stacks, operations and failures of the connection (Stacks view and templates share it). */
  readonly stacks: StackData;
  readonly stacksView: StacksTree;
  /** CodeLens, diagnostics and quick fix in CloudFormation templates. */
  readonly templates: TemplateFeatures;
  readonly trails: TrailsView;
  /** The Events view's trail source (trailLens.events.source): local trail log files or an S3 bucket. */
  readonly trailSource: TrailSourceTree;
}

/** Builds the context; its disposables are pushed onto the extension's subscriptions, last built first disposed. */
export function createContext(extension: vscode.ExtensionContext): TrailLensContext {
  const log = createLog();
  const config = new Config();
  const connection = new ConnectionManager(extension, config, log);
  const state = new ViewState(config, extension.workspaceState, log);
  const events = new EventsTree(connection, config, state, log);
  const trailSource = new TrailSourceTree({ config, connection, state, events, log });
  const panel = new EventPanels(extension, { log, events, connection });
  const investigation = new InvestigationView();
  const trails = new TrailsView(connection, log);
  const stacks = new StackData(connection);
  const stacksView = new StacksTree(stacks, log);
  const templates = new TemplateFeatures({ config, stacks, log, workspaceState: extension.workspaceState });
  extension.subscriptions.push(
    log,
    config,
    connection,
    state,
    events,
    trailSource,
    panel,
    investigation,
    stacks,
    stacksView,
    templates,
    trails,
  );
  return { extension, log, config, connection, state, events, panel, investigation, stacks, stacksView, templates, trails, trailSource };
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
  /** Fires when what the tree holds changes (more events loaded, a refresh). */
  readonly onDidChangeTreeData: vscode.Event<unknown>;
}

export interface EventPanelService {
  /**
   * Shows the record without taking focus, beside `beside` (the editor the request ID came from)
   * or else the active editor; replaces the shown event unless pinned.
   */
  show(record: CloudTrailRecord, context: EventContext, opts?: { beside?: vscode.ViewColumn }): void;
}
