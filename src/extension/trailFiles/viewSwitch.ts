/**
 * The Events view's data provider: the LookupEvents tree (views/eventsTree.ts), or while a trail
 * source is chosen, the trail source's tree (sourceTree.ts). Only the root switches; every other
 * call goes to the provider that made the node, so a reveal or a tooltip of either side still works.
 */
import * as vscode from 'vscode';

/** A provider that can stand in for the main one: it tells its own nodes apart. */
export interface AlternateProvider<T> extends vscode.TreeDataProvider<T> {
  owns(node: T): boolean;
}

export class ViewSwitch<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private alternate: AlternateProvider<T> | undefined;
  /** The last alternate, kept for routing its nodes after the view switched back. */
  private last: AlternateProvider<T> | undefined;
  private alternateListener: vscode.Disposable | undefined;
  private readonly mainListener: vscode.Disposable | undefined;

  constructor(private readonly main: vscode.TreeDataProvider<T>) {
    this.mainListener = main.onDidChangeTreeData?.((e) => {
      if (!this.alternate) this.changed.fire(e);
    });
  }

  /** Whether another provider's rows are shown. */
  get switched(): boolean {
    return this.alternate !== undefined;
  }

  /** Shows the alternate's rows, or the main provider's again (undefined). */
  use(provider: AlternateProvider<T> | undefined): void {
    if (provider === this.alternate) return;
    this.alternateListener?.dispose();
    this.alternate = provider;
    if (provider) this.last = provider;
    this.alternateListener = provider?.onDidChangeTreeData?.((e) => {
      if (this.alternate === provider) this.changed.fire(e);
    });
    this.changed.fire(undefined);
  }

  private owner(node: T): vscode.TreeDataProvider<T> {
    return this.last?.owns(node) ? this.last : this.main;
  }

  getTreeItem(node: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.owner(node).getTreeItem(node);
  }

  getChildren(node?: T): vscode.ProviderResult<T[]> {
    if (node === undefined) return (this.alternate ?? this.main).getChildren();
    return this.owner(node).getChildren(node);
  }

  getParent(node: T): vscode.ProviderResult<T> {
    return this.owner(node).getParent?.(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: T, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    const owner = this.owner(node);
    return owner.resolveTreeItem ? owner.resolveTreeItem(item, node, token) : item;
  }

  dispose(): void {
    this.mainListener?.dispose();
    this.alternateListener?.dispose();
    this.changed.dispose();
  }
}
