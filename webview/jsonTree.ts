/**
 * A keyboard-navigable JSON tree (WAI-ARIA tree pattern) for one section of the record.
 *
 * It stays near-linear on the largest records CloudTrail writes (about 1 MB, tens of thousands of
 * nodes in one array):
 * - children are built on first expand, and a list renders CHUNK rows at a time: the rest wait behind
 *   a "more" row, so expanding a 30,000-item array creates 100 rows, not 30,000;
 * - a node knows its size, index and depth without listing its parent again;
 * - search runs over a flat index of the model, built once per record, and repaints rendered rows only;
 *   it filters: rows that neither match nor lead to a match are hidden until the query is cleared;
 * - keyboard navigation steps through DOM siblings instead of listing every visible node;
 * - nothing recurses on the data's depth: past MAX_TREE_DEPTH levels a value is shown collapsed with a
 *   note, and Copy or Open as JSON gives all of it.
 *
 * This module is the tree: the flat index of its nodes, search and its filter, the followed value,
 * and the roving tab stop. The rows are jsonTreeNode.ts's, the keyboard jsonTreeKeys.ts's.
 */
import type { WebviewToHost } from '../src/protocol/protocol.js';
import { h, setAttr } from './dom.js';
import type { ViewState } from './state.js';
import type { ShapeFlags } from './shapeFlags.js';
import { TreeKeyboard } from './jsonTreeKeys.js';
import { TreeNode, type Item } from './jsonTreeNode.js';
import { isContainer, leafText } from './values.js';

export interface TreeHost {
  state: ViewState;
  post(msg: WebviewToHost): void;
  /** Saves state after a person changed something. */
  persist(): void;
}

/** Rows holding a followed value that are revealed at once. */
const FOLLOWED_REVEAL = 20;

export class JsonTree {
  readonly el: HTMLUListElement;
  readonly root: TreeNode;
  readonly nodeOf = new WeakMap<Element, Item>();
  /** Nodes with DOM, so search repaints only those. */
  readonly rendered: TreeNode[] = [];
  query = '';
  /** The item holding the roving tab stop. */
  active: Item | undefined;
  private index: TreeNode[] | undefined;
  private byPath: Map<string, TreeNode> | undefined;
  private filter: { matched: Set<TreeNode>; keep: Set<TreeNode> } | undefined;
  private followed: string | undefined;
  private readonly keyboard: TreeKeyboard;
  /** Called when the keyboard leaves the tree: past its first or last row, or left from the top level. */
  onExit: ((dir: 'up' | 'down' | 'parent') => void) | undefined;

  /** `value` is the section's object or array; its entries are the tree's top level. */
  constructor(
    readonly host: TreeHost,
    label: string,
    value: unknown,
    readonly basePath: string,
    /** The shape check's flags, for the section holding requestParameters. */
    readonly flags?: ShapeFlags,
  ) {
    this.el = h('ul', { class: 'tree', attrs: { role: 'tree', 'aria-label': label } });
    this.root = new TreeNode(this, '', value, undefined, 0);
    this.root.attachGroup(this.el);
    const first = this.root.kids[0];
    if (first?.li) setAttr(first.li, 'tabindex', '0');
    this.active = first;
    this.keyboard = new TreeKeyboard(this);
    this.el.addEventListener('focusin', (e) => {
      const item = e.target instanceof Element ? this.nodeOf.get(e.target) : undefined;
      if (item) this.setActive(item);
    });
  }

  get roots(): TreeNode[] {
    return this.root.kids;
  }

  /** Every node in reading order, expanding nothing (models only). Built once, without recursion. */
  all(): TreeNode[] {
    if (this.index) return this.index;
    const out: TreeNode[] = [];
    const stack = [...this.roots].reverse();
    for (let n = stack.pop(); n; n = stack.pop()) {
      out.push(n);
      if (!n.expandable) continue;
      const kids = n.kids;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as TreeNode);
    }
    this.index = out;
    return out;
  }

  find(path: string): TreeNode | undefined {
    this.byPath ??= new Map(this.all().map((n) => [n.path, n]));
    return this.byPath.get(path);
  }

  /** Makes a node visible (expanding its ancestors) and rendered. */
  reveal(node: TreeNode, persist = false): void {
    const chain: TreeNode[] = [];
    for (let n: TreeNode = node; n.parent; n = n.parent) chain.push(n);
    for (let i = chain.length - 1; i >= 0; i--) {
      const n = chain[i] as TreeNode;
      const p = n.parent as TreeNode;
      if (p.parent) p.setExpanded(true, persist);
      p.showChild(n.index);
    }
  }

  setActive(item: Item): void {
    if (this.active?.li && this.active !== item) setAttr(this.active.li, 'tabindex', '-1');
    this.active = item;
    if (item.li) setAttr(item.li, 'tabindex', '0');
    if (item instanceof TreeNode) {
      this.host.state.activePath = item.path;
      this.host.persist();
    }
  }

  focus(item: Item): void {
    if (item instanceof TreeNode) this.reveal(item);
    this.setActive(item);
    item.li?.focus({ preventScroll: false });
  }

  /**
   * Highlights `query` in rendered nodes, hides the rows that neither match nor hold a match, and
   * returns every matching node; reveals none of them. An empty query shows every row again.
   */
  search(query: string): TreeNode[] {
    this.query = query;
    const folded = query.toLowerCase();
    const found = folded ? this.all().filter((n) => n.matchesFolded(folded)) : [];
    // The filter is classes on the rows it keeps (matches and the rows leading to them) and one on
    // the tree, so a query touches its matches' rows, not every rendered row.
    for (const n of this.filter?.keep ?? []) n.li?.classList.remove('keep', 'hit');
    if (folded) {
      const matched = new Set(found);
      const keep = new Set<TreeNode>();
      for (const m of found) for (let n: TreeNode | undefined = m; n?.parent && !keep.has(n); n = n.parent) keep.add(n);
      this.filter = { matched, keep };
      for (const n of keep) this.classify(n);
    } else {
      this.filter = undefined;
    }
    this.el.classList.toggle('filtering', folded !== '');
    // Paint every rendered node, collapsed ones too, so re-expanding never shows stale marks.
    // Nodes rendered later paint and classify themselves with this.query.
    for (const n of this.rendered) n.paint(query);
    return found;
  }

  /** Marks a row the filter keeps: `keep` (a match or on the way to one), `hit` (a match: its rows below stay too). */
  classify(node: TreeNode): void {
    const f = this.filter;
    if (!f || !node.li || !f.keep.has(node)) return;
    node.li.classList.add('keep');
    if (f.matched.has(node)) node.li.classList.add('hit');
  }

  /**
   * Marks the rows holding `value` (the value followed into this event) and reveals them; returns
   * them in reading order. Equal values, and values containing one of 8 characters or more (an ARN
   * holding a key ID), count, as they do in the host's search.
   */
  markFollowed(value: string): TreeNode[] {
    this.followed = value;
    const hits = this.all().filter((n) => this.isFollowed(n));
    for (const n of hits.slice(0, FOLLOWED_REVEAL)) this.reveal(n);
    for (const n of hits) n.target()?.classList.add('followed');
    return hits;
  }

  isFollowed(node: TreeNode): boolean {
    const v = this.followed;
    if (v === undefined || isContainer(node.value)) return false;
    const text = leafText(node.value);
    return text === v || (v.length >= 8 && text.includes(v));
  }

  /** Focuses the first row shown (entering the tree from its section header). */
  focusFirst(): boolean {
    return this.keyboard.focusFirst();
  }

  /** Focuses the last row shown (entering the tree from below). */
  focusLast(): boolean {
    return this.keyboard.focusLast();
  }
}
