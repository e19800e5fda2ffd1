/**
 * Keyboard navigation of a JsonTree (WAI-ARIA tree pattern): arrow keys, Home and End step through
 * the rows as laid out, DOM sibling by sibling (never listing every visible node), skipping rows a
 * search filter hides; Right and Left expand, collapse and move between levels; a row's letter keys
 * (c, p, f, w) run its actions, and a "more" row's Enter and `a` show its hidden children. Past the
 * first or last row, or left from the top level, the tree's `onExit` takes over.
 */
import type { JsonTree } from './jsonTree.js';
import { TreeNode, type MoreRow } from './jsonTreeNode.js';

/** Whether a row is laid out (a filter hides rows with CSS). */
function shown(el: Element): boolean {
  return el.getClientRects().length > 0;
}

export class TreeKeyboard {
  constructor(private readonly tree: JsonTree) {
    tree.el.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The <li> holding `li` (undefined at the top level). */
  private parentLi(li: Element): Element | undefined {
    const ul = li.parentElement;
    return ul && ul !== this.tree.el ? (ul.parentElement ?? undefined) : undefined;
  }

  private openGroup(li: Element): HTMLUListElement | undefined {
    const item = this.tree.nodeOf.get(li);
    return item instanceof TreeNode && item.expanded ? item.group : undefined;
  }

  /** The first row of `group` a filter leaves shown. */
  private firstShown(group: Element | undefined): Element | undefined {
    let c = group?.firstElementChild ?? undefined;
    while (c && !shown(c)) c = c.nextElementSibling ?? undefined;
    return c;
  }

  private lastShownChild(group: Element | undefined): Element | undefined {
    let c = group?.lastElementChild ?? undefined;
    while (c && !shown(c)) c = c.previousElementSibling ?? undefined;
    return c;
  }

  /** The last item visible inside `li` (itself when collapsed). */
  private lastVisible(li: Element): Element {
    let cur = li;
    for (let last = this.lastShownChild(this.openGroup(cur)); last; last = this.lastShownChild(this.openGroup(cur))) cur = last;
    return cur;
  }

  private below(li: Element): Element | undefined {
    const child = this.firstShown(this.openGroup(li));
    if (child) return child;
    for (let cur: Element | undefined = li; cur; cur = this.parentLi(cur)) {
      for (let next = cur.nextElementSibling; next; next = next.nextElementSibling) if (shown(next)) return next;
    }
    return undefined;
  }

  private above(li: Element): Element | undefined {
    let prev = li.previousElementSibling;
    while (prev && !shown(prev)) prev = prev.previousElementSibling;
    return prev ? this.lastVisible(prev) : this.parentLi(li);
  }

  /** Focuses the first row shown (entering the tree from its section header). */
  focusFirst(): boolean {
    const to = this.firstShown(this.tree.el);
    const item = to ? this.tree.nodeOf.get(to) : undefined;
    if (item) this.tree.focus(item);
    return item !== undefined;
  }

  /** Focuses the last row shown (entering the tree from below). */
  focusLast(): boolean {
    const last = this.lastShownChild(this.tree.el);
    const item = last ? this.tree.nodeOf.get(this.lastVisible(last)) : undefined;
    if (item) this.tree.focus(item);
    return item !== undefined;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const item = e.target instanceof Element ? this.tree.nodeOf.get(e.target) : undefined;
    if (!item?.li) return;
    const li = item.li;
    const go = (el: Element | null | undefined) => {
      const to = el ? this.tree.nodeOf.get(el) : undefined;
      if (to) this.tree.focus(to);
    };
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': {
        const next = this.below(li);
        if (next) go(next);
        else this.tree.onExit?.('down');
        break;
      }
      case 'ArrowUp': {
        const prev = this.above(li);
        if (prev) go(prev);
        else this.tree.onExit?.('up');
        break;
      }
      case 'Home':
        go(this.firstShown(this.tree.el));
        break;
      case 'End':
        go(this.tree.el.lastElementChild && this.lastVisible(this.tree.el.lastElementChild));
        break;
      default:
        handled = item instanceof TreeNode ? this.onNodeKey(item, e.key) : this.onMoreKey(item, e.key);
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  private onNodeKey(node: TreeNode, key: string): boolean {
    switch (key) {
      case 'ArrowRight':
        if (node.expandable && !node.expanded) node.setExpanded(true, true);
        else {
          const first = node.expanded ? node.group?.firstElementChild : undefined;
          const to = first ? this.tree.nodeOf.get(first) : undefined;
          if (to) this.tree.focus(to);
        }
        return true;
      case 'ArrowLeft':
        if (node.expanded && node.expandable) node.setExpanded(false, true);
        else if (node.parent?.parent) this.tree.focus(node.parent);
        else this.tree.onExit?.('parent');
        return true;
      case 'Enter':
      case ' ':
        if (node.expandable) node.setExpanded(!node.expanded, true);
        return true;
      case 'c':
        node.copyValue();
        return true;
      case 'p':
        node.copyPath();
        return true;
      case 'f':
        return node.findValue();
      case 'w':
        return node.traceValue();
      default:
        return false;
    }
  }

  private onMoreKey(more: MoreRow, key: string): boolean {
    switch (key) {
      case 'Enter':
      case ' ':
      case 'ArrowRight':
        more.show(false);
        return true;
      case 'a':
        more.show(true);
        return true;
      case 'ArrowLeft':
        if (more.owner.parent) this.tree.focus(more.owner);
        else this.tree.onExit?.('parent');
        return true;
      default:
        return false;
    }
  }
}
