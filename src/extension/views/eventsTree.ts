/**
 * The Events view: newest-first CloudTrail events under day/hour headers, with the connection as
 * the first row, error/empty/throttled rows, and "Load older events…" paging along one NextToken
 * chain (the token is only ever reused with the query that produced it). Fetches nothing until the
 * view is first shown.
 */
import * as vscode from 'vscode';
import { TrailLensError, isAbortError } from '../../core/errors';
import type { LookupQuery } from '../../core/lookup';
import type { CloudTrailRecord } from '../../core/record';
import { ContextKeys, EVENTS_VIEW_ID } from '../commandIds';
import type { Config } from '../config';
import type { ConnectionManager } from '../connection';
import type { Log } from '../log';
import type { EventsViewService } from '../services';
import { cachePage, fetchPage } from './eventsLoader';
import { compareNewestFirst } from '../../core/record';
import { describeAttribute, groupRecords, isNoise, viewMessage } from './eventFormat';
import { emptyNode, errorNode, loadOlderNode, loadingNode, throttledNode, THROTTLED_TEXT } from './statusNodes';
import { eventTooltip, treeItem, type EventNode, type GroupNode, type MessageNode, type Node } from './treeNodes';
import { snapshotOf, type TreeSnapshot, type ViewPhase } from './treeSnapshot';
import type { ViewState } from './viewState';

export type { TreeSnapshot, TreeSnapshotNode, ViewPhase } from './treeSnapshot';

export class EventsTree implements vscode.TreeDataProvider<Node>, EventsViewService, vscode.Disposable {
  private readonly treeChanged = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly phaseChanged = new vscode.EventEmitter<void>();
  /** Fires when loading starts or ends (the status bar shows problems). */
  readonly onDidChangePhase = this.phaseChanged.event;
  readonly view: vscode.TreeView<Node>;

  private phase: ViewPhase = 'idle';
  private started = false;
  private error: TrailLensError | undefined;
  private olderError: TrailLensError | undefined;
  private waiting = false;
  private loadingOlder = false;
  private generation = 0;
  private controller: AbortController | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  private readonly store = new Map<string, CloudTrailRecord>();
  /** Events added from elsewhere (a request-ID jump): kept across refreshes of the same query, never hidden as noise. */
  private readonly pinned = new Set<string>();
  private query: LookupQuery | undefined;
  private nextToken: string | undefined;
  /** Which connection and question the loaded events answer. */
  private loadedFor: { identity: string; view: string } | undefined;
  private hiddenCount = 0;

  private root: Node[] | undefined;
  private eventNodes = new Map<string, EventNode>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ConnectionManager,
    private readonly config: Config,
    private readonly state: ViewState,
    private readonly log: Log,
  ) {
    this.view = vscode.window.createTreeView(EVENTS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      connection.onDidChange(() => this.reloadIfStarted()),
      state.onDidChange(() => this.reloadIfStarted()),
      config.onDidChange((c) => {
        if (c.affects('pageSize')) this.reloadIfStarted();
        else if (c.affects('groupBy') || c.affects('noise')) this.render();
      }),
      // Relative times ("3 min ago") age; refresh the labels while someone is looking.
      timer(60_000, () => {
        if (this.view.visible && this.store.size) this.render();
      }),
    );
  }

  // ---- TreeDataProvider -------------------------------------------------------------------

  getTreeItem(node: Node): vscode.TreeItem {
    return treeItem(node, Date.now());
  }

  resolveTreeItem(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    if (node.kind === 'event') item.tooltip = eventTooltip(node.record);
    return item;
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      if (!this.started) void this.refresh();
      return this.rootNodes();
    }
    if (node.kind === 'group') return node.events;
    if (node.kind === 'message') return node.children ?? [];
    return [];
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'event') return node.parent;
    if (node.kind === 'message') return node.parent;
    return undefined;
  }

  // ---- EventsViewService ------------------------------------------------------------------

  addRecords(records: readonly CloudTrailRecord[]): void {
    for (const r of records) {
      this.store.set(r.eventID, r);
      this.pinned.add(r.eventID);
    }
    this.render();
  }

  async reveal(record: CloudTrailRecord): Promise<void> {
    if (!this.store.has(record.eventID) || !this.pinned.has(record.eventID)) this.addRecords([record]);
    this.rootNodes();
    const node = this.eventNodes.get(record.eventID);
    if (node) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }

  records(): readonly CloudTrailRecord[] {
    return [...this.store.values()].sort(compareNewestFirst);
  }

  selection(): readonly CloudTrailRecord[] {
    return this.view.selection.flatMap((n) => (n.kind === 'event' ? [n.record] : []));
  }

  // ---- Loading ----------------------------------------------------------------------------

  /** Loads the first page for the current connection, filter and range. Never rejects. */
  refresh(): Promise<void> {
    this.started = true;
    const gen = ++this.generation;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const loadingFor = { identity: this.connection.describe().identity, view: this.state.key() };
    // Another account or another question: old rows (jumped-to ones too) would mislead, even if the new load fails.
    if (this.loadedFor && (loadingFor.identity !== this.loadedFor.identity || loadingFor.view !== this.loadedFor.view)) {
      this.clear();
    }
    this.setPhase('loading');
    this.error = undefined;
    this.olderError = undefined;
    this.waiting = false;
    // A page of the old query that is still loading is dropped (its generation no longer matches).
    this.loadingOlder = false;
    this.render();
    const run = async () => {
      try {
        const session = await this.connection.session();
        if (gen !== this.generation) return;
        const query = this.state.query();
        const page = await vscode.window.withProgress({ location: { viewId: EVENTS_VIEW_ID } }, () =>
          fetchPage(session, query, undefined, this.fetchOptions(controller.signal)),
        );
        if (gen !== this.generation) return;
        for (const id of [...this.store.keys()]) if (!this.pinned.has(id)) this.store.delete(id);
        for (const r of page.records) this.store.set(r.eventID, r);
        this.query = query;
        this.nextToken = page.nextToken;
        this.loadedFor = loadingFor;
        this.log.info(`Loaded ${page.records.length} events (${session.label}; ${describeAttribute(query.attribute) ?? 'no filter'})`);
        this.setPhase('ready');
        void cachePage(session, page, this.log);
      } catch (err) {
        if (gen !== this.generation) return;
        this.failed(err);
      } finally {
        if (gen === this.generation) {
          this.waiting = false;
          this.render();
        }
      }
    };
    this.inFlight = run();
    return this.inFlight;
  }

  /** Appends the next page of the stored query. Double clicks while loading are ignored. */
  loadOlder(): Promise<void> {
    if (this.loadingOlder || this.phase === 'loading' || !this.query || !this.nextToken) return this.inFlight;
    const gen = this.generation;
    const query = this.query;
    const token = this.nextToken;
    this.loadingOlder = true;
    this.olderError = undefined;
    this.render();
    const signal = this.controller?.signal;
    const run = async () => {
      try {
        const session = await this.connection.session();
        const page = await fetchPage(session, query, token, this.fetchOptions(signal));
        if (gen !== this.generation) return;
        let added = 0;
        for (const r of page.records) {
          if (!this.store.has(r.eventID)) added++;
          this.store.set(r.eventID, r);
        }
        this.nextToken = page.nextToken;
        this.log.info(`Loaded ${added} older events${page.nextToken ? '' : ' (end of the time range)'}`);
        void cachePage(session, page, this.log);
      } catch (err) {
        if (gen !== this.generation || isAbortError(err)) return;
        this.olderError = toError(err);
        this.log.warn(`Loading older events failed [${this.olderError.code}]: ${this.olderError.message}`);
      } finally {
        if (gen === this.generation) {
          this.loadingOlder = false;
          this.waiting = false;
          this.render();
        }
      }
    };
    this.inFlight = run();
    return this.inFlight;
  }

  /** Resolves once no load is running (tests, and commands that want the result). */
  async whenIdle(): Promise<void> {
    let last: Promise<void> | undefined;
    while (last !== this.inFlight) {
      last = this.inFlight;
      await last;
    }
  }

  get currentPhase(): ViewPhase {
    return this.phase;
  }

  get lastError(): TrailLensError | undefined {
    return this.error;
  }

  snapshot(): TreeSnapshot {
    return snapshotOf(this, this.phase, this.view.message);
  }

  dispose(): void {
    this.controller?.abort();
    for (const d of this.disposables) d.dispose();
    this.treeChanged.dispose();
    this.phaseChanged.dispose();
  }

  private reloadIfStarted(): void {
    if (this.started) void this.refresh();
  }

  private fetchOptions(signal: AbortSignal | undefined) {
    return {
      signal,
      log: this.log,
      onWaiting: (waiting: boolean) => {
        if (waiting !== this.waiting) {
          this.waiting = waiting;
          this.render();
        }
      },
    };
  }

  private failed(err: unknown): void {
    const e = toError(err);
    if (e.code === 'Cancelled') {
      this.setPhase(this.store.size ? 'ready' : 'idle');
      return;
    }
    if (e.code === 'NoCredentials') {
      this.log.info(`No AWS credentials: ${e.message}`);
      this.error = undefined;
      this.setPhase('noCredentials');
      return;
    }
    this.error = e;
    this.log.warn(`Loading events failed [${e.code}]: ${e.message}`);
    this.setPhase('error');
    if (e.code === 'SsoExpired') void this.offerSignIn(e);
  }

  private async offerSignIn(e: TrailLensError): Promise<void> {
    const profile = this.connection.profile ?? this.connection.describe().profile;
    const choice = await vscode.window.showWarningMessage(
      `${e.message}${profile ? ` Run "aws sso login --profile ${profile}" to sign in.` : ''}`,
      'Sign In',
      'Retry',
    );
    if (choice === 'Sign In') await vscode.commands.executeCommand('trailLens.ssoLogin', profile);
    else if (choice === 'Retry') await this.refresh();
  }

  private clear(): void {
    this.pinned.clear();
    this.store.clear();
    this.query = undefined;
    this.nextToken = undefined;
    this.loadedFor = undefined;
  }

  private setPhase(phase: ViewPhase): void {
    if (phase === this.phase) return;
    this.phase = phase;
    const contextState = phase === 'error' && this.error?.code === 'SsoExpired' ? 'ssoExpired' : phase;
    void vscode.commands.executeCommand('setContext', ContextKeys.state, contextState);
    this.phaseChanged.fire();
  }

  private render(): void {
    this.root = undefined;
    this.treeChanged.fire(undefined);
    this.updateMessage();
  }

  /** The root rows, built once per change. */
  rootNodes(): Node[] {
    if (this.root) return this.root;
    // The welcome view shows only while the tree has no rows at all.
    if (this.phase === 'noCredentials') return (this.root = []);
    const d = this.connection.describe();
    const nodes: Node[] = [
      { kind: 'connection', label: d.label, sample: d.sample, problem: this.phase === 'error' && this.store.size === 0 },
    ];
    if (this.phase === 'loading' || this.phase === 'idle') nodes.push(loadingNode(this.store.size > 0));
    if (this.waiting) nodes.push(throttledNode());
    if (this.phase === 'error' && this.error) nodes.push(errorNode(this.error, 'load', this.connection.profile));

    const rules = { hideServiceLinkedRoles: this.config.hideServiceLinkedRoles, hideReadOnly: this.config.hideReadOnly };
    const all = this.records();
    const shown = all.filter((r) => this.pinned.has(r.eventID) || !isNoise(r, rules));
    this.hiddenCount = all.length - shown.length;
    const groups = groupRecords(shown, this.config.groupBy, Date.now());
    this.eventNodes = new Map();
    for (const g of groups) {
      const group: GroupNode = { kind: 'group', key: g.key, label: g.label, events: [] };
      for (const record of g.records) {
        const node: EventNode = { kind: 'event', record, parent: group };
        group.events.push(node);
        this.eventNodes.set(record.eventID, node);
      }
      nodes.push(group);
    }
    if (this.phase === 'ready' && shown.length === 0) {
      const range = this.state.describeRange();
      const empty = emptyNode(range, describeAttribute(this.state.attribute));
      if (this.hiddenCount) empty.description = `${this.hiddenCount} hidden by noise rules`;
      nodes.push(empty);
    }
    if (this.nextToken && this.phase !== 'loading') nodes.push(loadOlderNode(this.loadingOlder));
    if (this.olderError) nodes.push(errorNode(this.olderError, 'older', this.connection.profile) as MessageNode);
    return (this.root = nodes);
  }

  private updateMessage(): void {
    const nodes = this.rootNodes();
    if (this.phase === 'noCredentials') {
      this.view.message = undefined;
      return;
    }
    if (this.waiting) {
      this.view.message = THROTTLED_TEXT;
      return;
    }
    const shown = nodes.flatMap((n) => (n.kind === 'group' ? n.events.map((e) => e.record) : []));
    this.view.message = shown.length || this.hiddenCount ? viewMessage(shown, this.hiddenCount, this.query?.attribute ?? this.state.attribute) : undefined;
  }
}

function toError(err: unknown): TrailLensError {
  return err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Unexpected error');
}

function timer(ms: number, fn: () => void): vscode.Disposable {
  const handle = setInterval(fn, ms);
  return { dispose: () => clearInterval(handle) };
}
