/** A plain-data view of the Events tree, for the read-only API activate() returns (tests use it). */
import * as vscode from 'vscode';
import type { Node } from './treeNodes';

export type ViewPhase = 'idle' | 'loading' | 'ready' | 'error' | 'noCredentials';

/** Plain view of the tree for tests (read-only, returned from activate()). */
export interface TreeSnapshotNode {
  id: string;
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  /** Event rows only. */
  eventTime?: string;
  eventSource?: string;
  children?: TreeSnapshotNode[];
}
export interface TreeSnapshot {
  phase: ViewPhase;
  message: string | undefined;
  nodes: TreeSnapshotNode[];
}

/** Walks the provider exactly as VS Code would: getChildren from the root, getTreeItem for each. */
export function snapshotOf(
  provider: Pick<vscode.TreeDataProvider<Node>, 'getTreeItem' | 'getChildren'> & { rootNodes(): Node[] },
  phase: TreeSnapshot['phase'],
  message: string | undefined,
): TreeSnapshot {
  const walk = (nodes: Node[]): TreeSnapshotNode[] =>
    nodes.map((n) => {
      const item = provider.getTreeItem(n) as vscode.TreeItem;
      const children = (provider.getChildren(n) as Node[] | undefined) ?? [];
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      return {
        id: item.id ?? '',
        label,
        ...(typeof item.description === 'string' ? { description: item.description } : {}),
        ...(item.contextValue ? { contextValue: item.contextValue } : {}),
        ...(item.iconPath instanceof vscode.ThemeIcon ? { icon: item.iconPath.id } : {}),
        ...(n.kind === 'event' ? { eventTime: n.record.eventTime, eventSource: n.record.eventSource } : {}),
        ...(children.length ? { children: walk(children) } : {}),
      };
    });
  return { phase, message, nodes: walk(provider.rootNodes()) };
}
