/**
 * The event webview panel host. One panel opens beside the active editor without taking focus, so a
 * CloudFormation template or log stays in view; the next event replaces it unless it is pinned (a
 * pinned panel stays and the next event gets a new one, in the same editor group) — the way preview
 * editors behave. Each panel keeps a Back/Forward history of the events it showed.
 */
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../core/record';
import { parseWebviewMessage, showMessage } from '../../protocol/protocol';
import type { EventContext, FollowedValue, HostToWebview, PanelNav } from '../../protocol/protocol';
import { eventTitle } from '../eventLabels';
import type { EventPanelService } from '../context';
import { handleWebviewMessage, postShapeHints } from './panelMessages';
import type { MessageServices, PanelTarget } from './panelMessages';
import { makeNonce, webviewHtml } from './webviewHtml';

export const EVENT_PANEL_VIEW_TYPE = 'trailLens.event';

type IconKind = 'event' | 'event-error' | 'event-pinned';

/** An open panel as tests and the message handler see it. */
export interface OpenEventPanel extends PanelTarget {
  readonly title: string;
  readonly visible: boolean;
  readonly viewColumn: vscode.ViewColumn | undefined;
}

/** One event as a panel showed it, for its history. */
interface Shown {
  record: CloudTrailRecord;
  context: EventContext;
  followed?: FollowedValue;
}

/** Events kept for Back (and for Forward) per panel. */
export const MAX_HISTORY = 50;

class EventPanelEntry implements OpenEventPanel {
  pinned = false;
  followed: FollowedValue | undefined;
  private readonly back: Shown[] = [];
  private readonly forward: Shown[] = [];
  /** The page announced itself (ready); until then a `show` would be lost. */
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    public record: CloudTrailRecord,
    public context: EventContext,
    private readonly owner: EventPanels,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        if (parseWebviewMessage(raw)?.type === 'ready') this.ready = true;
        void handleWebviewMessage(raw, this, owner.services);
      }),
      // Without retainContextWhenHidden a hidden webview is torn down; it sends `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    this.decorate();
  }

  get title(): string {
    return this.panel.title;
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  get nav(): PanelNav {
    const label = (s: Shown | undefined) => (s ? eventTitle(s.record) : undefined);
    const nav: PanelNav = {};
    const back = label(this.back.at(-1));
    const forward = label(this.forward.at(-1));
    if (back) nav.back = back;
    if (forward) nav.forward = forward;
    return nav;
  }

  /** Shows another event; the one shown before goes onto the Back history. */
  update(record: CloudTrailRecord, context: EventContext, followed?: FollowedValue): void {
    if (record.eventID !== this.record.eventID) {
      this.back.push(this.shown());
      if (this.back.length > MAX_HISTORY) this.back.shift();
      this.forward.length = 0;
    }
    this.display({ record, context, followed });
  }

  /** Seeds Back with the event this panel was opened from (a value followed out of a pinned panel). */
  startFrom(from: Shown): void {
    this.back.push(from);
  }

  navigate(to: 'back' | 'forward'): boolean {
    const [from, onto] = to === 'back' ? [this.back, this.forward] : [this.forward, this.back];
    const next = from.pop();
    if (!next) return false;
    onto.push(this.shown());
    this.display(next);
    return true;
  }

  shown(): Shown {
    return { record: this.record, context: this.context, followed: this.followed };
  }

  private display(s: Shown): void {
    this.record = s.record;
    this.context = s.context;
    this.followed = s.followed;
    this.decorate();
    this.post(this.showNow());
    postShapeHints(this, this.owner.services);
  }

  private showNow(): HostToWebview {
    return showMessage(this.record, this.context, this.pinned, { nav: this.nav, followed: this.followed });
  }

  post(message: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  togglePin(): void {
    this.owner.setPinned(this, !this.pinned);
  }

  showEvent(record: CloudTrailRecord, context: EventContext, followed?: FollowedValue): void {
    if (!this.pinned) this.update(record, context, followed);
    else this.owner.show(record, context, { followed, from: this.shown() });
  }

  decorate(): void {
    this.panel.title = eventTitle(this.record);
    const kind: IconKind = this.pinned ? 'event-pinned' : this.record.errorCode ? 'event-error' : 'event';
    this.panel.iconPath = this.owner.icon(kind);
  }

  disposeListeners(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export class EventPanels implements EventPanelService, vscode.Disposable {
  /** The panel the next event replaces; undefined when every open panel is pinned. */
  private current: EventPanelEntry | undefined;
  private readonly open = new Set<EventPanelEntry>();

  private readonly subscriptions: vscode.Disposable[] = [];
  private hintsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly extensionContext: vscode.ExtensionContext,
    /** What the page's messages act on (the panel is built after these, so it needs no forward reference). */
    readonly services: MessageServices,
  ) {
    // The shape check's hints name the value's producer from the loaded events; a jump loads the
    // event's neighbourhood after the panel opens, so the hints are worked out again when it arrives.
    this.subscriptions.push(
      services.events.onDidChangeTreeData(() => {
        if (this.hintsTimer) clearTimeout(this.hintsTimer);
        this.hintsTimer = setTimeout(() => {
          this.hintsTimer = undefined;
          for (const entry of this.open) postShapeHints(entry, services);
        }, 250);
      }),
    );
  }

  show(
    record: CloudTrailRecord,
    context: EventContext,
    opts: { followed?: FollowedValue; from?: Shown; beside?: vscode.ViewColumn } = {},
  ): void {
    if (this.current) {
      this.current.update(record, context, opts.followed);
      // Bring it to the front in its own column, still without taking focus from the editor.
      if (!this.current.panel.visible) this.current.panel.reveal(undefined, true);
      return;
    }
    // Next to the other event panels (pinned ones), not beside whichever group has focus: a click on
    // Pin focuses the panel's group, and "beside" it would add one more column for every event.
    // The first one goes beside the editor the request ID came from, even when the focus has moved
    // on (a walkthrough's button, the Events view): not beside whatever group has focus now.
    // Never over that editor, though: a pinned panel sharing the editor's group does not pull the
    // next event on top of the log.
    const source = opts.beside !== undefined && opts.beside > 0 ? opts.beside : undefined;
    const column =
      [...this.open].map((e) => e.panel.viewColumn).find((c) => c !== undefined && c !== source) ??
      (source !== undefined ? source + 1 : vscode.ViewColumn.Beside);
    const webviewRoot = vscode.Uri.joinPath(this.extensionContext.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      EVENT_PANEL_VIEW_TYPE,
      eventTitle(record),
      { viewColumn: column, preserveFocus: true },
      // Collapse state lives in the page (getState/setState), so no retainContextWhenHidden.
      { enableScripts: true, localResourceRoots: [webviewRoot] },
    );
    try {
      const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'main.js'));
      panel.webview.html = webviewHtml({
        cspSource: panel.webview.cspSource,
        nonce: makeNonce(),
        scriptUri,
        styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'style.css')),
      });
    } catch (err) {
      // No half-built panel left behind: the next event would open yet another one.
      panel.dispose();
      throw err;
    }
    const entry = new EventPanelEntry(panel, record, context, this);
    entry.followed = opts.followed;
    if (opts.from) entry.startFrom(opts.from);
    this.open.add(entry);
    this.current = entry;
    panel.onDidDispose(() => {
      entry.disposeListeners();
      this.open.delete(entry);
      if (this.current === entry) this.current = undefined;
    });
  }

  /** The panel with the focus (the one a context-menu command was run in), else the one the next event replaces. */
  activePanel(): OpenEventPanel | undefined {
    return [...this.open].find((e) => e.panel.active) ?? this.current;
  }

  /** Open panels, the one the next event replaces first. */
  openPanels(): readonly OpenEventPanel[] {
    const rest = [...this.open].filter((e) => e !== this.current);
    return this.current ? [this.current, ...rest] : rest;
  }

  setPinned(entry: EventPanelEntry, pinned: boolean): void {
    entry.pinned = pinned;
    if (pinned) {
      if (this.current === entry) this.current = undefined;
    } else if (this.current !== entry) {
      // At most one unpinned panel, like the one preview editor: the unpinned one takes its place.
      const previous = this.current;
      this.current = entry;
      previous?.panel.dispose();
    }
    entry.decorate();
    entry.post({ type: 'setPinned', pinned });
  }

  icon(kind: IconKind): { light: vscode.Uri; dark: vscode.Uri } {
    const media = vscode.Uri.joinPath(this.extensionContext.extensionUri, 'media');
    return { light: vscode.Uri.joinPath(media, `${kind}-light.svg`), dark: vscode.Uri.joinPath(media, `${kind}-dark.svg`) };
  }

  dispose(): void {
    if (this.hintsTimer) clearTimeout(this.hintsTimer);
    for (const d of this.subscriptions) d.dispose();
    for (const entry of [...this.open]) entry.panel.dispose();
    this.open.clear();
    this.current = undefined;
  }
}
