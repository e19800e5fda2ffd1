/**
 * The handful of long-lived services the extension's features share, built once in activate().
 * Features receive this object; nothing reaches for globals.
 */
import type * as vscode from 'vscode';
import type { Connection } from '../core/aws';
import type { EventCache } from '../core/cache';
import type { RateLimiter } from '../core/limiter';
import type { CloudTrailRecord } from '../core/record';
import type { EventContext } from '../shared/protocol';
import type { Config } from './config';
import type { Log } from './log';

/** What a feature needs to talk to CloudTrail for the chosen profile and region. */
export interface Session {
  connection: Connection;
  limiter: RateLimiter;
  cache: EventCache | undefined;
  profile: string | undefined;
  region: string;
  /** True for the built-in sample account (a local fake CloudTrail endpoint). */
  sample: boolean;
  /** "dev @ eu-west-1" or "Sample account @ ap-northeast-1". */
  label: string;
}

export interface ConnectionService {
  /** The current session; throws TrailLensError (NoCredentials, SsoExpired, …) when none can be made. */
  session(): Promise<Session>;
  /** The session made last, without making one (hovers, labels); undefined before the first. */
  current(): Session | undefined;
  /** A session on another Region with the same profile (or the sample account). */
  sessionFor(region: string): Promise<Session>;
  readonly onDidChange: vscode.Event<void>;
}

export interface EventsViewService {
  /** Adds records found elsewhere (a request-ID jump) to the tree's store. */
  addRecords(records: readonly CloudTrailRecord[]): void;
  /** Reveals and selects the event in the tree, adding it first if needed. */
  reveal(record: CloudTrailRecord): Promise<void>;
  /** Every record the tree currently holds (for hovers, value-following, completion). */
  records(): readonly CloudTrailRecord[];
  /** The events selected in the tree (commands run from a keybinding act on these). */
  selection(): readonly CloudTrailRecord[];
}

export interface EventPanelService {
  /** Shows the record beside the active editor without taking focus; replaces the shown event unless pinned. */
  show(record: CloudTrailRecord, context: EventContext): void;
}

export interface Services {
  context: vscode.ExtensionContext;
  log: Log;
  config: Config;
  connection: ConnectionService;
  events: EventsViewService;
  panel: EventPanelService;
}
