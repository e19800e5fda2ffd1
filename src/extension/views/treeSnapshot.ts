/** A plain-data view of the Events tree, for the read-only API activate() returns (tests use it). */
import * as vscode from 'vscode';
import type { ViewPhase } from './eventsModel';
import type { Node } from './treeNodes';

export type { ViewPhase } from './eventsModel';

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
  /** The Events view is on screen (its container is open and it is expanded). */
  visible: boolean;
  nodes: TreeSnapshotNode[];
}

/** Walks the provider exactly as VS Code would: getChildren from the root, getTreeItem for each. */
export function snapshotOf(
  provider: Pick<vscode.TreeDataProvider<Node>, 'getTreeItem' | 'getChildren'> & { rootNodes(): Node[] },
  view: Pick<vscode.TreeView<Node>, 'message' | 'visible'>,
  phase: TreeSnapshot['phase'],
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
  return { phase, message: view.message, visible: view.visible, nodes: walk(provider.rootNodes()) };
}
