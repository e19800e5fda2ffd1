/**
 * The Investigation view: the latest related-events timeline or resource history, as rows built by
 * the Events tree's own node code (treeNodes.ts), under a header that says what was searched. The
 * event the timeline is about is marked; each row says how long before or after it the call was
 * (or, in a history, whether it changed the resource and under which name it was found).
 */
import * as vscode from 'vscode';
import type { HistoryResult } from '../../core/investigate/history';
import { timelineMarkdown, type TimelineEntry } from '../../core/investigate/markdown';
import type { RelatedResult } from '../../core/investigate/related';
import { describeSearched, formatOffset, type SearchedQuery } from '../../core/investigate/searched';
import type { CloudTrailRecord } from '../../core/record';
import type { EventContext } from '../../protocol/protocol';
import { oneLine } from '../../core/text';
import { INVESTIGATION_VIEW_ID } from '../commandIds';
import { eventTitle } from '../eventLabels';
import { icon, messageNode, treeItem, type EventNode, type GroupNode, type MessageNode, type Node } from '../views/treeNodes';

interface Shown {
  title: string;
  /** The Markdown heading (our words) and its subject (from a record). */
  heading: string;
  subject: string;
  roots: Node[];
  entries: TimelineEntry[];
  searched: string[];
  focus?: CloudTrailRecord;
  /** Row text added in front of each event's description, by eventID. */
  notes: Map<string, { note: string; self: boolean }>;
}

export class InvestigationView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  private shown: Shown | undefined;

  constructor() {
    this.view = vscode.window.createTreeView(INVESTIGATION_VIEW_ID, { treeDataProvider: this, canSelectMany: true });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const item = treeItem(node, Date.now());
    if (node.kind !== 'event') return item;
    const extra = this.shown?.notes.get(node.record.eventID);
    if (extra) {
      item.description = `${extra.note} · ${String(item.description ?? '')}`;
      if (extra.self) item.iconPath = icon('target', 'charts.orange');
      item.accessibilityInformation = { label: `${extra.note}, ${item.accessibilityInformation?.label ?? ''}` };
    }
    return item;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.shown?.roots ?? [];
    if (node.kind === 'group') return node.events;
    if (node.kind === 'message') return node.children ?? [];
    return [];
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'event') return node.parent;
    if (node.kind === 'message') return node.parent;
    return undefined;
  }

  /** The events selected in this view. */
  selection(): CloudTrailRecord[] {
    return this.view.selection.flatMap((n) => (n.kind === 'event' ? [n.record] : []));
  }

  /** What is shown, as Markdown for a ticket; undefined when nothing is. */
  markdown(): string | undefined {
    const s = this.shown;
    return s && timelineMarkdown(s.heading, s.subject, s.entries, s.searched, s.focus);
  }

  /** A plain description of what is shown (for tests and the accessible summary). */
  describe(): { title: string; rows: string[] } | undefined {
    const s = this.shown;
    if (!s) return undefined;
    const rows = s.entries.map((e) => `${s.notes.get(e.record.eventID)?.note ?? ''} ${e.record.eventName}`.trim());
    return { title: s.title, rows };
  }

  showRelated(result: RelatedResult): Promise<void> {
    const title = `Related to ${eventTitle(result.event)}`;
    const notes = new Map<string, { note: string; self: boolean }>();
    const by = result.criteria.map((c) => c.label).join(', ');
    const group = groupOf('related', by ? `Same caller: ${oneLine(by, 160)}` : 'The event alone');
    for (const e of result.events) {
      group.events.push({ kind: 'event', record: e.record, parent: group });
      notes.set(e.record.eventID, { note: e.self ? '◆ this event' : formatOffset(e.offsetMs), self: e.self });
    }
    const searched = result.searched.map(describeSearched);
    const roots: Node[] = [searchedNode(result.searched, searched), group];
    if (result.criteria.length === 0) {
      roots.splice(1, 0, messageNode({ id: 'related:none', label: 'This event names no caller to relate it by', icon: icon('info') }));
    }
    const entries = result.events.map((e) => ({ record: e.record, self: e.self, why: e.why }));
    const heading = 'Events by the same caller around';
    return this.show({ title, heading, subject: eventTitle(result.event), roots, entries, searched, focus: result.event, notes });
  }

  showHistory(result: HistoryResult): Promise<void> {
    const title = `History of ${oneLine(result.resource, 120)}`;
    const notes = new Map<string, { note: string; self: boolean }>();
    const changes = groupOf('history:changes', 'Changes');
    const reads = groupOf('history:reads', 'Reads');
    for (const e of result.events) {
      const group = e.change ? changes : reads;
      group.events.push({ kind: 'event', record: e.record, parent: group });
      const via =
        e.forms.length === result.forms.length && e.forms.length > 1 ? 'every form' : e.forms.map((f) => oneLine(f, 60)).join(', ');
      notes.set(e.record.eventID, { note: `${e.change ? 'changed' : 'read'} · as ${via}`, self: false });
    }
    changes.label = `Changes (${changes.events.length})`;
    reads.label = `Reads (${reads.events.length})`;
    const searched = result.searched.map((q) => `${describeSearched(q)}${q.events === 0 ? ' — nothing under this form' : ''}`);
    const roots: Node[] = [searchedNode(result.searched, searched)];
    if (result.events.length === 0) {
      roots.push(
        messageNode({
          id: 'history:none',
          label: `No events under ${result.forms.length} form${result.forms.length === 1 ? '' : 's'} of this name`,
          description: 'LookupEvents matches the name exactly as each service records it',
          icon: icon('info'),
        }),
      );
    } else roots.push(changes, reads);
    const entries = result.events.map((e) => ({
      record: e.record,
      why: [e.change ? 'changed it' : 'read it', ...e.forms.map((f) => `as ${f}`)],
    }));
    return this.show({ title, heading: 'History of', subject: result.resource, roots, entries, searched, notes });
  }

  /**
   * Events an engine returned for a filter pattern (jump/patternSearch.ts), newest first, each
   * opening in the panel with where it came from; the query and what it scanned as the header.
   */
  showEngineResults(result: {
    title: string;
    pattern: string;
    records: readonly CloudTrailRecord[];
    searched: string[];
    context: EventContext;
  }): Promise<void> {
    const group = groupOf(
      'engine',
      `${result.records.length} event${result.records.length === 1 ? '' : 's'} match ${oneLine(result.pattern, 120)}`,
    );
    for (const record of result.records) group.events.push({ kind: 'event', record, parent: group, context: result.context });
    const searched = messageNode({
      id: 'investigation:searched',
      label: result.title,
      description: result.searched[0],
      icon: icon('search'),
      children: result.searched.map((line, i) =>
        messageNode({ id: `investigation:searched:${i}`, label: line, tooltip: line, icon: icon('circle-small') }),
      ),
    });
    const roots: Node[] = [searched];
    if (result.records.length) roots.push(group);
    else roots.push(messageNode({ id: 'engine:none', label: `No event matches ${oneLine(result.pattern, 120)}`, icon: icon('info') }));
    const entries = result.records.map((record) => ({ record, why: [] }));
    return this.show({
      title: result.title,
      heading: 'Events matching',
      subject: result.pattern,
      roots,
      entries,
      searched: result.searched,
      notes: new Map(),
    });
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }

  private async show(shown: Shown): Promise<void> {
    this.shown = shown;
    this.view.title = 'Investigation';
    this.view.description = oneLine(shown.title, 80);
    this.changed.fire(undefined);
    await vscode.commands.executeCommand(`${INVESTIGATION_VIEW_ID}.focus`);
    const self = shown.roots.flatMap((n) => (n.kind === 'group' ? n.events : [])).find((n) => shown.notes.get(n.record.eventID)?.self);
    if (self) await this.view.reveal(self, { select: false, focus: false });
  }
}

function groupOf(id: string, label: string): GroupNode {
  return { kind: 'group', id: `investigation:${id}`, key: id, label, events: [] as EventNode[] };
}

/** "Searched: 2 queries" with one row per query; a query that stopped early says so and is marked. */
function searchedNode(queries: readonly SearchedQuery[], lines: readonly string[]): MessageNode {
  const partial = queries.some((q) => !q.complete);
  return messageNode({
    id: 'investigation:searched',
    label: queries.length ? `Searched ${queries.length} quer${queries.length === 1 ? 'y' : 'ies'}` : 'Nothing to search',
    description: partial ? 'stopped at the page budget: older events of the window were not read' : 'every page of each window was read',
    icon: partial ? icon('warning', 'problemsWarningIcon.foreground') : icon('search'),
    children: lines.map((line, i) =>
      messageNode({ id: `investigation:searched:${i}`, label: line, tooltip: line, icon: icon('circle-small') }),
    ),
  });
}
