/**
 * "Trail Lens: Show Error Summary": one dashboard panel over the events loaded in the Events view.
 * The host aggregates (dashboardData.ts, in slices, with progress in the window's status bar) and
 * posts only the aggregates; it summarises again when the view's events or noise rules change, and
 * turns the page's clicks into Events-view filters. Every message from the page is validated.
 */
import * as vscode from 'vscode';
import { Commands, EVENTS_VIEW_ID } from '../commandIds';
import type { TrailLensContext } from '../context';
import { makeNonce, webviewHtml } from '../panels/webviewHtml';
import { parseDashboardMessage, type DashboardToHost, type HostToDashboard } from '../../protocol/dashboardProtocol';
import { buildDashboardData, filterFor } from './dashboardData';

export const DASHBOARD_VIEW_TYPE = 'trailLens.errorSummary';

let current: DashboardPanel | undefined;

/** Opens the dashboard, or brings the open one forward and summarises again. */
export function showErrorSummary(ctx: TrailLensContext): void {
  if (current) {
    current.panel.reveal(undefined, false);
    current.schedule(0);
    return;
  }
  current = new DashboardPanel(ctx);
}

/** The open dashboard, for extension-host tests. */
export function openDashboard(): { panel: vscode.WebviewPanel; lastPosted(): HostToDashboard | undefined } | undefined {
  return current && { panel: current.panel, lastPosted: () => current?.posted };
}

class DashboardPanel {
  readonly panel: vscode.WebviewPanel;
  posted: HostToDashboard | undefined;
  private includeHidden = false;
  private includeServiceCallers = false;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: TrailLensContext) {
    const root = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      'Error Summary',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { enableScripts: true, localResourceRoots: [root], retainContextWhenHidden: false },
    );
    this.panel.webview.html = webviewHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboard.js')),
      styleUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboard.css')),
      title: 'Error Summary',
      loading: 'Summarising the loaded events…',
    });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseDashboardMessage(raw);
        if (!msg) return ctx.log.warn('Error summary: ignored a message from the page that is not valid');
        void this.handle(msg).catch((err: unknown) => {
          ctx.log.error(`Error summary: ${err instanceof Error ? err.message : String(err)}`);
          void vscode.window.showErrorMessage(`Trail Lens: ${err instanceof Error ? err.message : String(err)}`);
        });
      }),
      ctx.events.onDidChangeTreeData(() => this.schedule(300)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Summarises again after `ms` (changes arriving meanwhile make one summary). */
  schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.summarise(), ms);
  }

  private async handle(msg: DashboardToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return this.summarise();
      case 'options':
        this.includeHidden = msg.includeHidden;
        this.includeServiceCallers = msg.includeServiceCallers;
        return this.summarise();
      case 'filter': {
        const target = filterFor(msg.dimension, msg.key);
        if ('attribute' in target) await vscode.commands.executeCommand(Commands.setFilter, target.attribute);
        else await vscode.commands.executeCommand(Commands.setFilterPattern, target.pattern);
        return this.revealEvents();
      }
      case 'timeRange': {
        const start = Date.parse(msg.start);
        const end = start + (msg.bucket === 'hour' ? 3600_000 : 86_400_000);
        await vscode.commands.executeCommand(Commands.setTimeRange, `${msg.start}/${new Date(end).toISOString()}`);
        return this.revealEvents();
      }
      case 'loadAll':
        return this.loadAll();
      case 'noiseRules':
        return void (await vscode.commands.executeCommand(Commands.toggleNoiseRules));
    }
  }

  private async revealEvents(): Promise<void> {
    await vscode.commands.executeCommand(`${EVENTS_VIEW_ID}.focus`);
  }

  /** Loads the rest of the Events view's range, page after page, cancellable. */
  private async loadAll(): Promise<void> {
    const model = this.ctx.events.model;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Trail Lens: loading the rest of the range', cancellable: true },
      async (progress, token) => {
        while (model.hasOlder && !token.isCancellationRequested) {
          const before = model.size;
          await this.ctx.events.loadOlder();
          await this.ctx.events.whenIdle();
          progress.report({ message: `${model.size} events loaded` });
          if (model.size === before || model.olderError) break;
        }
      },
    );
    this.schedule(0);
  }

  private async summarise(): Promise<void> {
    const gen = ++this.generation;
    const records = this.ctx.events.records();
    const display = this.ctx.state.display();
    const model = this.ctx.events.model;
    this.post({ type: 'busy', text: `Summarising ${records.length} loaded events…` });
    const data = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Error summary' }, (progress) =>
      buildDashboardData({
        records,
        pattern: display.pattern,
        rules: display.rules,
        includeHidden: this.includeHidden,
        includeServiceCallers: this.includeServiceCallers,
        scope: model.shown().message ?? 'No events loaded yet',
        hasOlder: model.hasOlder,
        onProgress: (done) => progress.report({ message: `${Math.round(done * 100)}%` }),
        cancelled: () => gen !== this.generation,
      }),
    );
    if (data && gen === this.generation) this.post({ type: 'summary', data });
  }

  private post(msg: HostToDashboard): void {
    this.posted = msg;
    void this.panel.webview.postMessage(msg);
  }

  private dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
    for (const d of this.disposables) d.dispose();
    if (current === this) current = undefined;
  }
}
