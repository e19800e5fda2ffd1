/**
 * The Events view: the events model (eventsModel.ts) as rows — the connection first, then
 * error/empty/throttled rows, events newest first under day/hour headers, and "Load older events…".
 * Fetches nothing until the view is first shown.
 */
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../core/record';
import { ContextKeys, EVENTS_VIEW_ID } from '../commandIds';
import type { Config } from '../config';
import type { ConnectionManager } from '../connection';
import type { EventsViewService } from '../context';
import type { Log } from '../log';
import { cachePage, fetchPage } from './eventsLoader';
import { EventsModel, type ViewPhase } from './eventsModel';
import { emptyNode, errorNode, gapNode, hiddenNode, loadingNode, scanningNode, throttledNode } from './statusNodes';
import { buildTimeline } from './timeline';
import { eventTooltip, treeItem, type EventNode, type GroupNode, type Node } from './treeNodes';
import { snapshotOf, type TreeSnapshot } from './treeSnapshot';
import type { FolderNode } from '../trailFiles/sourceModel';
import { ViewSwitch, type AlternateProvider } from '../trailFiles/viewSwitch';
import type { ViewState } from './viewState';

export type { TreeSnapshot, TreeSnapshotNode } from './treeSnapshot';

export class EventsTree implements vscode.TreeDataProvider<Node>, EventsViewService, vscode.Disposable {
  private readonly treeChanged = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  /** The view's provider: these rows, or a trail source's (trailFiles/) while one is chosen. */
  private readonly switcher = new ViewSwitch<Node | FolderNode>(this);
  readonly view: vscode.TreeView<Node | FolderNode>;
  readonly model: EventsModel;

  private root: Node[] | undefined;
  private eventNodes = new Map<string, EventNode>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ConnectionManager,
    private readonly config: Config,
    private readonly state: ViewState,
    log: Log,
  ) {
    this.model = new EventsModel({
      log,
      session: () => connection.session(),
      answers: () => ({ identity: connection.describe().identity, view: state.key() }),
      query: () => state.query(),
      describe: () => state.describe(),
      fetchPage,
      cachePage,
      reportOutcome: (error) => connection.reportOutcome(error),
      progress: (task) => vscode.window.withProgress({ location: { viewId: EVENTS_VIEW_ID } }, task),
      display: () => state.display(),
    });
    this.view = vscode.window.createTreeView(EVENTS_VIEW_ID, {
      treeDataProvider: this.switcher,
      showCollapseAll: true,
      canSelectMany: true,
    });
    this.disposables.push(
      this.view,
      this.switcher,
      this.model.onDidChange((change) => (change === 'phase' ? this.updateContext() : this.render())),
      connection.onDidChange(() => this.reloadIfStarted()),
      state.onDidChange((change) => {
        if (change === 'query') return this.reloadIfStarted();
        this.render();
        // A pattern that shows less than a page reads on; the loaded events stay.
        if (change === 'pattern' && this.model.started) void this.model.patternChanged();
      }),
      config.onDidChange((c) => {
        if (c.affects('pageSize')) this.reloadIfStarted();
        else if (c.affects('groupBy')) this.render();
      }),
      // Relative times ("3 min ago") age; refresh the labels while someone is looking.
      timer(60_000, () => {
        if (this.view.visible && this.model.size) this.render();
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
      if (!this.model.started) void this.refresh();
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

  /** Adds the event (its neighbourhood then loads as a stretch of its own) and selects it, again once the neighbours are in. */
  async reveal(record: CloudTrailRecord): Promise<void> {
    const neighbours =
      !this.model.has(record.eventID) || !this.model.isPinned(record.eventID) ? this.model.addRecords([record]) : undefined;
    await this.select(record);
    // The rows around it are rebuilt when its neighbourhood arrives: bring it back into view then.
    if (neighbours) void neighbours.then(() => this.select(record)).catch(() => undefined);
  }

  private async select(record: CloudTrailRecord): Promise<void> {
    this.rootNodes();
    const node = this.eventNodes.get(record.eventID);
    if (node) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }

  records(): readonly CloudTrailRecord[] {
    return this.model.records();
  }

  /** The events selected in the tree (commands run from a keybinding act on these). */
  selection(): readonly CloudTrailRecord[] {
    return this.view.selection.flatMap((n) => (n.kind === 'event' ? [n.record] : []));
  }

  // ---- Loading ----------------------------------------------------------------------------

  /** Loads the first page for the current connection, filter and range. Never rejects. */
  refresh(): Promise<void> {
    return this.model.refresh();
  }

  /** Loads the next page of the gap ending at `gapEnd` (ms), else the oldest. Double clicks while loading are ignored. */
  loadOlder(gapEnd?: unknown): Promise<void> {
    return this.model.loadOlder(typeof gapEnd === 'number' ? gapEnd : undefined);
  }

  whenIdle(): Promise<void> {
    return this.model.whenIdle();
  }

  snapshot(): TreeSnapshot {
    return snapshotOf(this, this.view, this.model.phase);
  }

  dispose(): void {
    this.model.dispose();
    for (const d of this.disposables) d.dispose();
    this.treeChanged.dispose();
  }

  /** Shows a trail source's rows in the view instead of these (undefined: these again). */
  showSource(provider: AlternateProvider<Node | FolderNode> | undefined): void {
    this.switcher.use(provider);
    if (!provider) this.render();
  }

  private reloadIfStarted(): void {
    if (this.model.started) void this.refresh();
  }

  private updateContext(): void {
    const { phase, error } = this.model;
    const contextState: ViewPhase | 'ssoExpired' = phase === 'error' && error?.code === 'SsoExpired' ? 'ssoExpired' : phase;
    void vscode.commands.executeCommand('setContext', ContextKeys.state, contextState);
  }

  private render(): void {
    this.root = undefined;
    this.treeChanged.fire(undefined);
    // While a trail source is shown, its tree owns the message and description.
    if (this.switcher.switched) return;
    this.view.message = this.model.shown().message;
    this.view.description = this.state.describePattern(60);
  }

  /** Ends a scan for pattern matches after the page in flight. */
  stopScan(): void {
    this.model.stopScan();
  }

  /** The root rows, built once per change. */
  rootNodes(): Node[] {
    if (this.root) return this.root;
    const m = this.model;
    // The welcome view shows only while the tree has no rows at all.
    if (m.phase === 'noCredentials') return (this.root = []);
    const d = this.connection.describe();
    const nodes: Node[] = [{ kind: 'connection', label: d.label, sample: d.sample, problem: m.phase === 'error' && m.size === 0 }];
    if (m.phase === 'loading' || m.phase === 'idle') nodes.push(loadingNode(m.size > 0));
    if (m.waiting) nodes.push(throttledNode());
    if (m.phase === 'error' && m.error) nodes.push(errorNode(m.error, 'load', this.connection.profile));

    const { shown, hidden, hiddenBy, scanned } = m.shown();
    if (m.scanning) nodes.push(scanningNode(shown.length, scanned, m.loaded));
    if (hiddenBy.length) nodes.push(hiddenNode(hiddenBy));
    this.eventNodes = new Map();
    const loading = m.loadingGap;
    for (const row of buildTimeline(shown, m.loaded, m.span, this.config.groupBy, Date.now())) {
      if (row.kind === 'gap') {
        // While the first page loads, no gap is offered: it may be about to close.
        if (m.phase === 'loading') continue;
        const busy = !!loading && loading.start <= row.gap.end && loading.end >= row.gap.start;
        nodes.push(gapNode(row.gap, row.oldest, busy));
        continue;
      }
      const group: GroupNode = { kind: 'group', id: row.id, key: row.key, label: row.label, loaded: row.loaded, events: [] };
      for (const record of row.records) {
        const node: EventNode = { kind: 'event', record, parent: group };
        group.events.push(node);
        this.eventNodes.set(record.eventID, node);
      }
      nodes.push(group);
    }
    if (m.phase === 'ready' && shown.length === 0 && !m.scanning) {
      const filters = [...this.state.describeFilters(), this.state.describePattern(60)].filter(Boolean).join(' · ');
      // Time not read yet is not "no events": then the row speaks of what was read only.
      const read = m.gaps().length ? m.loaded : undefined;
      const empty = emptyNode(this.state.describeRange(), filters || undefined, read);
      if (hidden) empty.description = `${hidden.toLocaleString('en-US')} hidden by noise rules`;
      // The empty row sits above the rows that offer the rest of the range.
      const firstGap = nodes.findIndex((n) => n.kind === 'message' && (n.id === 'loadOlder' || n.id.startsWith('gap:')));
      nodes.splice(firstGap < 0 ? nodes.length : firstGap, 0, empty);
    }
    if (m.olderError) nodes.push(errorNode(m.olderError, 'older', this.connection.profile, m.failedGap?.end));
    return (this.root = nodes);
  }
}

function timer(ms: number, fn: () => void): vscode.Disposable {
  const handle = setInterval(fn, ms);
  return { dispose: () => clearInterval(handle) };
}
