/**
 * The Events view while `trailLens.events.source` names a trail source: a line saying which source
 * and how to go back, then account → Region → delivery day (sourceModel.ts), each day's events read
 * when it is opened, with the LookupEvents tree's rows and icons (views/treeNodes.ts), its filter
 * pattern and noise rules (views/viewState.ts), progress on the view and a row to stop a long read.
 * Shown through the Events view's provider switch (viewSwitch.ts).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import type { CloudTrailRecord } from '../../core/record';
import type { EventContext } from '../../protocol/protocol';
import { Commands, ContextKeys, EVENTS_VIEW_ID } from '../commandIds';
import type { Config } from '../config';
import type { ConnectionManager } from '../connection';
import { loadEngine } from '../loadEngine';
import type { Log } from '../log';
import type { EventsTree } from '../views/eventsTree';
import { eventTooltip, icon, messageNode, treeItem, type EventNode, type GroupNode, type MessageNode, type Node } from '../views/treeNodes';
import type { ViewState } from '../views/viewState';
import { isS3Source, localSource, s3Source, shortSourceName } from './sourceIo';
import { TrailSourceModel, type BucketNode, type BucketRow, type FolderNode, type SourceIo } from './sourceModel';
import type { AlternateProvider } from './viewSwitch';

export type TrailTreeNode = Node | FolderNode;

/** An event row of a trail source: the panel's header says which file it came from. */
export interface TrailEventNode extends EventNode {
  context: EventContext;
}

const RENDER_MS = 250;

export interface TrailSourceDeps {
  config: Config;
  connection: ConnectionManager;
  state: ViewState;
  events: EventsTree;
  log: Log;
}

export class TrailSourceTree implements AlternateProvider<TrailTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TrailTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: TrailSourceModel | undefined;
  private sourceName: string | undefined;
  private readonly own = new WeakSet<object>();
  private readonly nodes = new Map<string, FolderNode>();
  private readonly parents = new Map<string, FolderNode | undefined>();
  private readonly listings = new Map<string, Promise<TrailTreeNode[]>>();
  private readonly eventRows = new Map<string, TrailEventNode>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: TrailSourceDeps) {
    this.disposables.push(
      deps.config.onDidChange((c) => {
        if (c.affects('events.source')) this.sourceChanged();
      }),
      deps.state.onDidChange((change) => {
        if (this.model && change !== 'query') this.rerenderBuckets();
      }),
      // An S3 source reads with the connection's profile and Region: a new connection reads again.
      deps.connection.onDidChange(() => {
        if (this.sourceName && isS3Source(this.sourceName)) this.reset();
      }),
    );
    this.sourceChanged();
  }

  /** The trail source shown, if one is. */
  get active(): string | undefined {
    return this.sourceName;
  }

  owns(node: TrailTreeNode): boolean {
    return this.own.has(node);
  }

  /** Reads the source again from the top (the view's Refresh). */
  refresh(): void {
    this.reset();
  }

  private sourceChanged(): void {
    const source = this.deps.config.eventsSource;
    if (source === this.sourceName) return;
    this.sourceName = source;
    void vscode.commands.executeCommand('setContext', ContextKeys.eventsSource, source ? 'trail' : 'lookup');
    this.reset();
    this.deps.events.showSource(source ? this : undefined);
  }

  private reset(): void {
    this.model?.dispose();
    this.model = undefined;
    this.nodes.clear();
    this.parents.clear();
    this.listings.clear();
    this.eventRows.clear();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    this.describe();
    this.changed.fire(undefined);
  }

  private describe(): void {
    if (!this.sourceName) return;
    const pattern = this.deps.state.describePattern(60);
    const view = this.deps.events.view;
    view.description = [shortSourceName(this.sourceName), pattern].filter(Boolean).join(' · ');
    view.message = undefined;
  }

  private async ensureModel(): Promise<TrailSourceModel> {
    if (this.model) return this.model;
    const source = this.sourceName as string;
    const engine = await loadEngine();
    const io: SourceIo = isS3Source(source)
      ? s3Source(engine, source, async () => (await this.deps.connection.session()).connection.s3)
      : await localSource(engine, source);
    if (this.sourceName !== source) throw new TrailLensError('Cancelled', 'Cancelled');
    this.model ??= new TrailSourceModel(io, (node) => this.bucketChanged(node));
    return this.model;
  }

  // ---- TreeDataProvider -------------------------------------------------------------------

  getTreeItem(node: TrailTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'trailAccount': {
        const item = new vscode.TreeItem(`Account ${node.account.account}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = node.account.org ? `organization ${node.account.org}` : undefined;
        return this.folderItem(item, node, 'account');
      }
      case 'trailRegion':
        return this.folderItem(new vscode.TreeItem(node.region.region, vscode.TreeItemCollapsibleState.Collapsed), node, 'globe');
      case 'trailDay':
      case 'trailFiles': {
        const label = node.kind === 'trailDay' ? node.day : 'Files outside the trail layout';
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
        const view = this.model?.read(node) ? this.model.view(node, this.deps.state.display()) : undefined;
        item.description =
          view?.description ?? (node.kind === 'trailFiles' ? `${node.files.length} file${node.files.length === 1 ? '' : 's'}` : undefined);
        item.tooltip =
          node.kind === 'trailDay'
            ? `Log files delivered on ${node.day} (UTC) for ${node.region.account} in ${node.region.region}: they hold events up to 15 minutes before the day too.`
            : 'Record files (lookup-events output, plain .json) outside AWSLogs/<account>/CloudTrail/<Region>/.';
        return this.folderItem(item, node, node.kind === 'trailDay' ? 'calendar' : 'files');
      }
      case 'event': {
        const item = treeItem(node, Date.now());
        item.id = `${node.parent.id}:${node.record.eventID}`;
        item.command = { command: Commands.openEvent, title: 'Open Event', arguments: [node] };
        return item;
      }
      default:
        return treeItem(node, Date.now());
    }
  }

  private folderItem(item: vscode.TreeItem, node: FolderNode, iconId: string): vscode.TreeItem {
    item.id = node.id;
    item.iconPath = icon(iconId);
    item.contextValue = `trailLens.${node.kind}`;
    item.accessibilityInformation = { label: [item.label, item.description].filter(Boolean).join(', ') as string };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TrailTreeNode): vscode.TreeItem {
    if (node.kind === 'event') item.tooltip = eventTooltip(node.record);
    return item;
  }

  async getChildren(node?: TrailTreeNode): Promise<TrailTreeNode[]> {
    if (!this.sourceName) return [];
    if (!node) return [this.sourceRow(), ...(await this.listed('root', undefined))];
    if (node.kind === 'trailAccount' || node.kind === 'trailRegion') return this.listed(node.id, node);
    if (node.kind === 'trailDay' || node.kind === 'trailFiles') return this.bucketRows(node);
    if (node.kind === 'message') return node.children ?? [];
    return [];
  }

  getParent(node: TrailTreeNode): TrailTreeNode | undefined {
    if (node.kind === 'event') return this.nodes.get(node.parent.id.replace(/:group$/, ''));
    if (node.kind === 'message') return node.parent;
    if ('id' in node && node.kind.startsWith('trail')) return this.parents.get(node.id);
    return undefined;
  }

  // ---- Rows -------------------------------------------------------------------------------

  private mark<T extends object>(node: T): T {
    this.own.add(node);
    return node;
  }

  private sourceRow(): MessageNode {
    const source = this.sourceName as string;
    const s3 = isS3Source(source);
    return this.mark(
      messageNode({
        id: 'trailSource',
        label: s3 ? `S3 trail: ${source}` : `Trail log files: ${source}`,
        description: 'click to choose another source or event history',
        tooltip: `The Events view shows ${s3 ? 'the trail bucket' : 'trail log files'} ${source} instead of event history (LookupEvents). Click (or run Trail Lens: Choose Event Source…) to go back.`,
        icon: icon(s3 ? 'cloud' : 'folder-opened'),
        command: { command: Commands.chooseEventSource, title: 'Choose Event Source' },
      }),
    );
  }

  /** The children of the root or of an account or Region, listed once (Refresh lists again). */
  private listed(key: string, parent: FolderNode | undefined): Promise<TrailTreeNode[]> {
    let listing = this.listings.get(key);
    if (!listing) {
      listing = this.list(key, parent);
      this.listings.set(key, listing);
    }
    return listing;
  }

  private async list(key: string, parent: FolderNode | undefined): Promise<TrailTreeNode[]> {
    try {
      const model = await this.ensureModel();
      const children = parent ? await model.children(parent) : await model.roots();
      return children.map((child) => {
        const node = this.nodes.get(child.id) ?? this.mark(child);
        this.nodes.set(child.id, node);
        this.parents.set(child.id, parent);
        return node;
      });
    } catch (err) {
      this.listings.delete(key);
      if (err instanceof TrailLensError && err.code === 'Cancelled') return [];
      const error = err instanceof TrailLensError ? err : TrailLensError.chain(err, `Listing ${this.sourceName}`);
      this.deps.log.warn(`Trail source ${this.sourceName}: ${error.message}`);
      return [this.errorRow(`${key}:error`, error)];
    }
  }

  private errorRow(id: string, error: TrailLensError): MessageNode {
    const children = error.hint ? [messageNode({ id: `${id}:hint`, label: error.hint, tooltip: error.hint, icon: icon('lightbulb') })] : [];
    children.push(
      messageNode({ id: `${id}:retry`, label: 'Retry', icon: icon('refresh'), command: { command: Commands.refresh, title: 'Retry' } }),
    );
    const node = messageNode({ id, label: error.message, tooltip: error.message, icon: icon('error', 'errorForeground'), children });
    for (const child of children) this.mark(child);
    return this.mark(node);
  }

  private bucketRows(node: BucketNode): TrailTreeNode[] {
    const model = this.model;
    if (!model) return [];
    if (!model.read(node)) {
      const read = model.start(node);
      void vscode.window.withProgress({ location: { viewId: EVENTS_VIEW_ID } }, () => read.finished);
    }
    const group: GroupNode = { kind: 'group', id: `${node.id}:group`, key: node.id, label: node.id, events: [] };
    return model.view(node, this.deps.state.display()).rows.map((row) => this.rowNode(node, group, row));
  }

  private rowNode(bucket: BucketNode, group: GroupNode, row: BucketRow): TrailTreeNode {
    if (row.kind === 'event') {
      const record: CloudTrailRecord = row.record;
      const context: EventContext = { source: 'trail', where: row.where, region: record.awsRegion };
      const event: TrailEventNode = this.mark({ kind: 'event', record, parent: group, context });
      this.eventRows.set(record.eventID, event);
      return event;
    }
    if (row.kind === 'warning') {
      return this.mark(
        messageNode({
          id: row.id,
          label: `Could not read ${basename(row.name)}`,
          description: row.message,
          tooltip: `${row.name}\n\n${row.message}\n\nThe other files of this ${bucket.kind === 'trailDay' ? 'day' : 'group'} are shown.`,
          icon: icon('warning', 'problemsWarningIcon.foreground'),
        }),
      );
    }
    const command =
      row.action === 'cancel'
        ? { command: Commands.stopReadingTrailFiles, title: 'Stop Reading', arguments: [bucket.id] }
        : row.action === 'retry'
          ? { command: Commands.readTrailFilesAgain, title: 'Read Again', arguments: [bucket.id] }
          : undefined;
    const color = row.icon === 'error' ? 'errorForeground' : undefined;
    return this.mark(
      messageNode({
        id: row.id,
        label: row.label,
        description: row.description,
        tooltip: row.tooltip,
        icon: icon(row.icon, color),
        command,
      }),
    );
  }

  // ---- Reads ------------------------------------------------------------------------------

  /** Stops the read of a day or the files group (its row's command). */
  stop(id: unknown): void {
    const node = typeof id === 'string' ? this.nodes.get(id) : undefined;
    if (this.model && node && (node.kind === 'trailDay' || node.kind === 'trailFiles')) this.model.cancel(node);
  }

  /** Reads a stopped or failed day again. */
  readAgain(id: unknown): void {
    const node = typeof id === 'string' ? this.nodes.get(id) : undefined;
    if (!this.model || !node || (node.kind !== 'trailDay' && node.kind !== 'trailFiles')) return;
    const read = this.model.start(node);
    void vscode.window.withProgress({ location: { viewId: EVENTS_VIEW_ID } }, () => read.finished);
    this.changed.fire(node);
  }

  /** Selects the event in the tree when its day has been read (a request-ID jump found it there). */
  async reveal(record: CloudTrailRecord): Promise<boolean> {
    const row = this.eventRows.get(record.eventID);
    if (!row) return false;
    await this.deps.events.view.reveal(row, { select: true, focus: false, expand: true });
    return true;
  }

  private bucketChanged(node: BucketNode): void {
    const shown = this.nodes.get(node.id);
    if (!shown || this.pending.has(node.id)) return;
    this.pending.set(
      node.id,
      setTimeout(() => {
        this.pending.delete(node.id);
        this.changed.fire(shown);
      }, RENDER_MS),
    );
  }

  private rerenderBuckets(): void {
    this.describe();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.model?.dispose();
    for (const t of this.pending.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
