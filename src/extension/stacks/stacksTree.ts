/**
 * The Stacks view: the connection's stacks (failed and rolled-back first) → each stack's last
 * operations → each failed resource (logical ID, type, status, status reason). Clicking a failed
 * resource opens its CloudTrail event (openFailure.ts). Nothing is read until the view is shown;
 * an error is a row that says what failed and how to fix it, never an empty tree.
 */
import * as vscode from 'vscode';
import type { StackFailure, StackInfo, StackOperationInfo } from '../../core/cloudformation/types';
import { describeError, isAbortError, TrailLensError } from '../../core/errors';
import { oneLine } from '../../core/text';
import { formatUtc } from '../../core/time';
import { Commands, STACKS_VIEW_ID } from '../commandIds';
import type { Log } from '../log';
import { failureProgress } from './failureProgress';
import type { StackData } from './stackData';

export type StackNode =
  | { kind: 'stack'; stack: StackInfo }
  | { kind: 'operation'; stack: StackInfo; operation: StackOperationInfo; index: number }
  | { kind: 'failure'; stack: StackInfo; operation: StackOperationInfo; failure: StackFailure }
  | { kind: 'message'; id: string; label: string; tooltip?: string; icon: string; color?: string; command?: vscode.Command };

/** Plain words for the errors a person meets here; the core message follows. */
const TITLES: Partial<Record<TrailLensError['code'], string>> = {
  AccessDenied: 'Access denied by CloudFormation',
  Throttled: 'CloudFormation kept throttling the requests',
  Network: 'Cannot reach CloudFormation',
  SsoExpired: 'AWS SSO session expired: sign in again',
  ExpiredCredentials: 'The AWS credentials have expired',
  NoCredentials: 'No AWS credentials: choose a profile or explore the sample account',
};

export function errorRows(scope: string, err: unknown): StackNode[] {
  const e = err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Unexpected error');
  const title = TITLES[e.code] ?? 'Could not read CloudFormation';
  const rows: StackNode[] = [
    { kind: 'message', id: `${scope}:error`, label: title, tooltip: describeError(e), icon: 'error', color: 'errorForeground' },
    { kind: 'message', id: `${scope}:error:message`, label: oneLine(e.message, 300), tooltip: e.message, icon: 'info' },
  ];
  if (e.hint) rows.push({ kind: 'message', id: `${scope}:error:hint`, label: oneLine(e.hint, 300), tooltip: e.hint, icon: 'lightbulb' });
  rows.push({
    kind: 'message',
    id: `${scope}:retry`,
    label: 'Retry',
    icon: 'refresh',
    command: { command: Commands.refreshStacks, title: 'Retry' },
  });
  return rows;
}

function nodeId(node: StackNode): string {
  switch (node.kind) {
    case 'stack':
      return `stack:${node.stack.stackId}`;
    case 'operation':
      return `op:${node.stack.stackId}:${node.operation.operationId ?? `#${node.index}`}`;
    case 'failure':
      return `failure:${node.stack.stackId}:${node.operation.operationId ?? ''}:${node.failure.logicalResourceId}:${node.failure.timestamp.getTime()}`;
    case 'message':
      return `message:${node.id}`;
  }
}

export function failureTooltip(f: StackFailure): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**').appendText(f.logicalResourceId).appendMarkdown('** ').appendText(`${f.resourceType} · ${f.status}`);
  md.appendMarkdown('\n\n').appendText(f.statusReason);
  md.appendMarkdown('\n\n').appendText(`At ${formatUtc(f.timestamp)}`);
  if (f.logStream) md.appendMarkdown('\n\n').appendText(`Log stream: ${f.logStream}`);
  md.appendMarkdown('\n\n').appendText(
    f.event ? `CloudTrail: ${f.event.eventName} (${eventMatch(f)}) — click to open` : `No CloudTrail event found. ${f.searched}`,
  );
  return md;
}

function eventMatch(f: StackFailure): string {
  return f.matchedBy === 'requestID' ? `by its request ID ${f.requestId ?? ''}`.trim() : 'by correlation';
}

export class StacksTree implements vscode.TreeDataProvider<StackNode>, vscode.Disposable {
  private readonly treeChanged = new vscode.EventEmitter<StackNode | undefined>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  readonly view: vscode.TreeView<StackNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly data: StackData,
    private readonly log: Log,
  ) {
    this.view = vscode.window.createTreeView(STACKS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      data.onDidChange(() => this.treeChanged.fire(undefined)),
    );
  }

  refresh(): void {
    this.data.forget();
  }

  getTreeItem(node: StackNode): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label(node), this.collapsible(node));
    item.id = nodeId(node);
    switch (node.kind) {
      case 'stack': {
        const s = node.stack;
        item.description = s.status;
        item.iconPath = new vscode.ThemeIcon(
          s.failed ? 'error' : 'layers',
          s.failed ? new vscode.ThemeColor('errorForeground') : undefined,
        );
        item.tooltip = [s.stackName, s.status, s.statusReason, s.lastUpdated ? `Updated ${formatUtc(s.lastUpdated)}` : undefined]
          .filter(Boolean)
          .join('\n');
        item.contextValue = 'trailLens.stack';
        break;
      }
      case 'operation': {
        const o = node.operation;
        item.description = [o.status, o.time ? formatUtc(o.time) : undefined].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(o.status === 'FAILED' ? 'error' : 'history');
        item.tooltip = `${o.operationType ?? 'Operation'} ${o.operationId ?? ''}`.trim();
        break;
      }
      case 'failure': {
        const f = node.failure;
        item.description = `${f.status} · ${f.resourceType} · ${oneLine(f.statusReason, 160)}`;
        item.iconPath = new vscode.ThemeIcon(f.event ? 'error' : 'question', new vscode.ThemeColor('errorForeground'));
        item.tooltip = failureTooltip(f);
        item.contextValue = 'trailLens.stackFailure';
        item.command = { command: Commands.openStackFailure, title: 'Open CloudTrail Event', arguments: [node] };
        item.accessibilityInformation = { label: `${f.logicalResourceId} ${f.resourceType} ${f.status}: ${oneLine(f.statusReason, 300)}` };
        break;
      }
      case 'message':
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
        item.command = node.command;
        break;
    }
    return item;
  }

  private label(node: StackNode): string {
    switch (node.kind) {
      case 'stack':
        return node.stack.stackName;
      case 'operation':
        return node.operation.operationType ?? (node.index === 0 ? 'Last operation' : 'Operation');
      case 'failure':
        return node.failure.logicalResourceId;
      case 'message':
        return node.label;
    }
  }

  private collapsible(node: StackNode): vscode.TreeItemCollapsibleState {
    if (node.kind === 'stack') return vscode.TreeItemCollapsibleState.Collapsed;
    if (node.kind === 'operation')
      return node.index === 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    return vscode.TreeItemCollapsibleState.None;
  }

  async getChildren(node?: StackNode): Promise<StackNode[]> {
    try {
      if (!node) return await this.stackRows();
      if (node.kind === 'stack') return await this.operationRows(node.stack);
      if (node.kind === 'operation') return await this.failureRows(node.stack, node.operation);
      return [];
    } catch (err) {
      const scope = node ? nodeId(node) : 'root';
      if (isAbortError(err)) {
        const refresh = { command: Commands.refreshStacks, title: 'Refresh' };
        return [
          { kind: 'message', id: `${scope}:cancelled`, label: 'Cancelled — Refresh to read again', icon: 'circle-slash', command: refresh },
        ];
      }
      this.log.warn(`Stacks view: ${describeError(err)}`);
      return errorRows(scope, err);
    }
  }

  private async stackRows(): Promise<StackNode[]> {
    const stacks = await vscode.window.withProgress({ location: { viewId: STACKS_VIEW_ID } }, () => this.data.stacks());
    if (stacks.length === 0) {
      return [
        {
          kind: 'message',
          id: 'empty',
          label: `No stacks in ${this.data.label()}`,
          tooltip: 'ListStacks returned no stack (deleted stacks are not listed).',
          icon: 'info',
        },
      ];
    }
    return stacks.map((stack) => ({ kind: 'stack', stack }));
  }

  private async operationRows(stack: StackInfo): Promise<StackNode[]> {
    const operations = await this.data.operations(stack.stackName);
    // An endpoint without LastOperations: the stack's last operation, read from its events.
    const list = operations.length > 0 ? operations : [{}];
    return list.map((operation, index) => ({ kind: 'operation', stack, operation, index }));
  }

  private async failureRows(stack: StackInfo, operation: StackOperationInfo): Promise<StackNode[]> {
    const failures = await failureProgress(`Reading ${stack.stackName}'s failed resources and their CloudTrail events`, (run) =>
      this.data.failures(stack.stackName, operation.operationId, run),
    );
    if (failures.length === 0) {
      return [
        {
          kind: 'message',
          id: `${stack.stackId}:${operation.operationId ?? ''}:none`,
          label: 'No failed resources in this operation',
          icon: 'pass',
        },
      ];
    }
    return failures.map((failure) => ({ kind: 'failure', stack, operation, failure }));
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.treeChanged.dispose();
  }
}
