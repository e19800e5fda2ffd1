/**
 * The Trails view (the Trail Lens container's second section): each trail of the connection with
 * its delivery health, a warning badge while any trail is failing, and each error explained in
 * the tooltip and in a read-only document (Explain). Loads when first shown or after the Events
 * view's first successful load (the section starts collapsed), on Refresh and when the connection
 * changes; DescribeTrails/GetTrailStatus go through the session's connection (the
 * SDK is in the engine bundle). Errors show as rows with Retry; nothing else is affected.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import { EVENT_HISTORY_NOTE, explanationLines } from '../../core/trails/explain';
import { deliveryWarning, describeHealth, isFailing, loadTrailHealth, type TrailHealth, type TrailsReport } from '../../core/trails/health';
import { TRAILS_VIEW_ID } from '../commandIds';
import type { ConnectionManager } from '../connection';
import type { Log } from '../log';
import { errorRows, factNodes, trailsTreeItem, type TrailNode } from './trailNodes';

export const TRAIL_SCHEME = 'trail-lens-trail';

/** What the extension-host tests read (TrailLensApi.getTrailsSnapshot). */
export interface TrailsSnapshot {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  badge?: { value: number; tooltip: string };
  message?: string;
  rows: {
    id: string;
    label: string;
    description?: string;
    tooltip?: string;
    children: { label: string; description?: string; tooltip?: string }[];
  }[];
}

export class TrailsView implements vscode.TreeDataProvider<TrailNode>, vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TrailNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly docChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.docChanged.event;
  readonly view: vscode.TreeView<TrailNode>;
  private phase: TrailsSnapshot['phase'] = 'idle';
  private report: TrailsReport | undefined;
  private error: TrailLensError | undefined;
  private loading: Promise<void> | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ConnectionManager,
    private readonly log: Log,
  ) {
    this.view = vscode.window.createTreeView(TRAILS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      vscode.workspace.registerTextDocumentContentProvider(TRAIL_SCHEME, this),
      connection.onDidChange(() => {
        if (this.phase !== 'idle') void this.refresh();
      }),
      // The section starts collapsed: once the Events view has reached CloudTrail with this
      // connection, read the trails too, so a failing one shows its badge without being opened.
      connection.onDidChangeHealth((health) => {
        if (health.state === 'ok' && this.phase === 'idle') void this.refresh();
      }),
    );
  }

  /** The trails read last (DescribeTrails), for pickers; empty before the first read. */
  get loadedTrails(): readonly TrailHealth[] {
    return this.report?.trails ?? [];
  }

  // ---- TreeDataProvider --------------------------------------------------------------------

  getTreeItem(node: TrailNode): vscode.TreeItem {
    return trailsTreeItem(node, { region: this.report?.region ?? '', note: EVENT_HISTORY_NOTE, now: new Date() });
  }

  getChildren(node?: TrailNode): TrailNode[] {
    if (!node) {
      if (this.phase === 'idle') void this.refresh();
      return this.rootNodes();
    }
    if (node.kind === 'trail') {
      const h = node.health;
      const rows = factNodes(h, this.report?.region ?? '', new Date());
      if (h.statusError) rows.push(errorRows(h.statusError, 'GetTrailStatus'));
      for (const problem of h.problems) rows.push({ kind: 'problem', health: h, problem });
      return rows;
    }
    return node.kind === 'status' ? (node.children ?? []) : [];
  }

  private rootNodes(): TrailNode[] {
    if (this.phase === 'idle' || (this.phase === 'loading' && !this.report && !this.error)) {
      return [{ kind: 'status', id: 'trailsLoading', label: 'Reading trails (DescribeTrails, GetTrailStatus)…', icon: 'loading~spin' }];
    }
    if (this.error) return [errorRows(this.error, 'DescribeTrails')];
    const report = this.report as TrailsReport;
    if (!report.trails.length) {
      return [
        {
          kind: 'status',
          id: 'trailsEmpty',
          label: `No trails in ${report.region}`,
          description: 'event history still works',
          tooltip: `DescribeTrails (shadow trails included) returned no trail for ${report.region}. ${EVENT_HISTORY_NOTE}`,
          icon: 'info',
        },
      ];
    }
    const nodes: TrailNode[] = report.trails.map((health) => ({ kind: 'trail', health }));
    if (report.failing.length) {
      nodes.push({
        kind: 'status',
        id: 'trailsNote',
        label: 'The Events view is not affected',
        description: EVENT_HISTORY_NOTE,
        tooltip: EVENT_HISTORY_NOTE,
        icon: 'info',
      });
    }
    return nodes;
  }

  // ---- Loading -----------------------------------------------------------------------------

  /** Reads the trails again. Never rejects: failures become rows. */
  refresh(): Promise<void> {
    const generation = ++this.generation;
    this.phase = 'loading';
    this.changed.fire(undefined);
    const run = (async () => {
      try {
        const session = await this.connection.session();
        const report = await vscode.window.withProgress({ location: { viewId: TRAILS_VIEW_ID } }, () =>
          loadTrailHealth(session.connection),
        );
        if (generation !== this.generation) return;
        this.report = report;
        this.error = undefined;
        this.phase = 'ready';
        for (const h of report.failing) this.log.warn(`Trail ${h.name}: ${deliveryWarning(h) ?? describeHealth(h)}`);
      } catch (err) {
        if (generation !== this.generation) return;
        this.error = err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Could not read the trails');
        this.report = undefined;
        this.phase = 'error';
        this.log.warn(`Trails: ${this.error.message}`);
      }
      this.render();
    })();
    this.loading = run;
    return run;
  }

  whenIdle(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  private render(): void {
    const failing = this.report?.failing ?? [];
    this.view.badge = failing.length
      ? { value: failing.length, tooltip: `${failing.length} trail${failing.length === 1 ? ' is' : 's are'} failing delivery` }
      : undefined;
    const first = failing[0];
    this.view.message = first
      ? `${(deliveryWarning(first) ?? `trail ${first.name}: ${describeHealth(first)}`).replace(/^trail /, 'Trail ')}. Event history is not affected.`
      : undefined;
    this.changed.fire(undefined);
    for (const h of this.report?.trails ?? []) this.docChanged.fire(trailUri(h.name));
  }

  // ---- Explain (read-only document) --------------------------------------------------------

  provideTextDocumentContent(uri: vscode.Uri): string {
    const name = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
    const h = this.report?.trails.find((t) => t.name === name);
    if (!h) return `# Trail ${name}\n\nThis trail is not loaded. Open the Trails view in Trail Lens and refresh it.\n`;
    return explainDocument(h, this.report?.region ?? '');
  }

  /** Opens the explanation of a trail: by name, a trail row (its inline action), else the first failing trail. */
  async explain(target: unknown): Promise<void> {
    const row = target && typeof target === 'object' && 'health' in target ? (target as { health: TrailHealth }).health.name : undefined;
    const name = typeof target === 'string' ? target : row;
    const h = name !== undefined ? this.report?.trails.find((t) => t.name === name) : this.report?.failing[0];
    if (!h) {
      void vscode.window.showInformationMessage('Trail Lens: no failing trail to explain. Refresh the Trails view first.');
      return;
    }
    const doc = await vscode.workspace.openTextDocument(trailUri(h.name));
    const md = doc.languageId === 'markdown' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(md, { preview: true });
  }

  snapshot(): TrailsSnapshot {
    // Markdown tooltips hold escaped text (appendText): the snapshot gives the words a person reads.
    const tooltipText = (t: vscode.TreeItem['tooltip']) =>
      typeof t === 'string' ? t : t?.value.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>~&$])/g, '$1');
    const rows = this.rootNodes().map((node) => {
      const item = this.getTreeItem(node);
      return {
        id: item.id ?? '',
        label: String(item.label),
        description: typeof item.description === 'string' ? item.description : undefined,
        tooltip: tooltipText(item.tooltip),
        children: this.getChildren(node).map((child) => {
          const c = this.getTreeItem(child);
          return {
            label: String(c.label),
            description: typeof c.description === 'string' ? c.description : undefined,
            tooltip: tooltipText(c.tooltip),
          };
        }),
      };
    });
    return { phase: this.phase, badge: this.view.badge as TrailsSnapshot['badge'], message: this.view.message, rows };
  }

  dispose(): void {
    this.generation++;
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.docChanged.dispose();
  }
}

export function trailUri(name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: TRAIL_SCHEME, path: `/${encodeURIComponent(name)}.md` });
}

/** The read-only document: the trail's health and every problem's full explanation, as text. */
export function explainDocument(h: TrailHealth, region: string): string {
  const lines = [`# Trail ${h.name}`, '', `${describeHealth(h)}`, ''];
  const warning = deliveryWarning(h);
  if (warning) lines.push(`**${warning}.**`, '');
  lines.push(
    `- ARN: ${h.arn ?? '(unknown)'}`,
    `- Home Region: ${h.homeRegion ?? '(unknown)'}${h.shadow ? ` (a shadow trail in ${region}: change it from ${h.homeRegion})` : ''}`,
    `- ${h.organization ? 'Organization trail' : 'Account trail'}, ${h.multiRegion ? 'multi-Region' : 'single-Region'}`,
  );
  if (h.target.bucket) lines.push(`- Bucket: s3://${h.target.bucket}/${h.target.prefix ?? ''}`);
  if (h.target.kmsKeyId) lines.push(`- KMS key: ${h.target.kmsKeyId}`);
  lines.push('');
  for (const p of h.problems) {
    const [title, ...rest] = explanationLines(p.explanation);
    lines.push(`## ${title}`, '');
    const commands = rest.filter((l) => l.startsWith('  $ ')).map((l) => l.slice(4));
    for (const l of rest.filter((x) => !x.startsWith('  $ ')))
      lines.push(l.trim().startsWith('Check:') ? `- ${l.trim().slice(7)}` : l.trim(), '');
    lines.push('```sh', ...commands, '```', '');
  }
  if (h.statusError) lines.push(`GetTrailStatus could not be read: ${h.statusError.message}`, '');
  if (isFailing(h)) lines.push(`> ${EVENT_HISTORY_NOTE}`, '');
  return lines.join('\n');
}
