/**
 * A keyboard-navigable JSON tree (WAI-ARIA tree pattern) for one section of the record.
 * Children are built on first expand: a 256 KB record can hold thousands of nodes and most stay
 * collapsed. The model (TreeNode) exists for every node so search can run without the DOM.
 */
import type { WebviewToHost } from '../src/shared/protocol.js';
import { h, highlighted, replaceChildren, setAttr } from './dom.js';
import type { ViewState } from './state.js';
import { tag } from './toolkit.js';
import { childPath, copyText, countLabel, entries, isContainer, kindOf, leafText, looksLikeId } from './values.js';

export interface TreeHost {
  state: ViewState;
  post(msg: WebviewToHost): void;
  /** Saves state after a person changed something. */
  persist(): void;
}

/**
 * Expanded unless deep or large, so the first view shows structure without a wall of text.
 * Items of a long list start collapsed: 1,500 EC2 instances expanded would be 10,000 rows.
 */
function defaultExpanded(depth: number, size: number, siblings: number): boolean {
  if (siblings > 20) return false;
  if (depth <= 1) return size <= 50;
  return depth <= 3 && size <= 10;
}

export class TreeNode {
  li: HTMLLIElement | undefined;
  private row: HTMLElement | undefined;
  private keyEl: HTMLElement | undefined;
  private valueEl: HTMLElement | undefined;
  private group: HTMLUListElement | undefined;
  private kidsCache: TreeNode[] | undefined;
  expanded: boolean;

  constructor(
    readonly tree: JsonTree,
    readonly key: string | number,
    readonly value: unknown,
    readonly path: string,
    readonly depth: number,
    readonly parent: TreeNode | undefined,
  ) {
    const saved = tree.host.state.expanded.get(path);
    this.expanded = this.expandable && (saved ?? this.defaultExpanded());
  }

  private defaultExpanded(): boolean {
    const siblings = this.parent ? entries(this.parent.value).length : 0;
    return defaultExpanded(this.depth, entries(this.value).length, siblings);
  }

  get expandable(): boolean {
    return isContainer(this.value) && entries(this.value).length > 0;
  }

  get kids(): TreeNode[] {
    this.kidsCache ??= entries(this.value).map(
      ([k, v]) => new TreeNode(this.tree, k, v, childPath(this.path, k), this.depth + 1, this),
    );
    return this.kidsCache;
  }

  /** Builds this node's <li> (and its expanded descendants). */
  render(posinset: number, setsize: number): HTMLLIElement {
    const li = h('li', {
      class: 'node',
      attrs: {
        role: 'treeitem',
        tabindex: '-1',
        'aria-level': String(this.depth + 1),
        'aria-posinset': String(posinset),
        'aria-setsize': String(setsize),
        'data-path': this.path,
        'aria-label': this.label(),
      },
    });
    this.li = li;
    this.tree.nodeOf.set(li, this);
    this.keyEl = h('span', { class: typeof this.key === 'number' ? 'key index' : 'key' });
    this.valueEl = this.valueElement();
    this.row = h(
      'div',
      { class: 'row', on: { click: (e) => this.onRowClick(e) } },
      h('span', { class: 'twisty', attrs: { 'aria-hidden': 'true' } }),
      this.keyEl,
      h('span', { class: 'punct', attrs: { 'aria-hidden': 'true' } }, ':'),
      this.valueEl,
      this.actions(),
    );
    li.appendChild(this.row);
    if (this.expandable) {
      setAttr(li, 'aria-expanded', String(this.expanded));
      if (this.expanded) this.renderGroup();
    }
    this.paint(this.tree.query);
    return li;
  }

  private label(): string {
    const v = this.expandable ? countLabel(this.value) : kindOf(this.value) === 'redacted' ? 'redacted' : leafText(this.value);
    return `${String(this.key)}: ${v.length > 120 ? `${v.slice(0, 120)}…` : v}`;
  }

  private valueElement(): HTMLElement {
    const kind = kindOf(this.value);
    if (this.expandable) return h('span', { class: 'summary' }, countLabel(this.value));
    if (kind === 'object' || kind === 'array') return h('span', { class: 'value empty' }, Array.isArray(this.value) ? '[]' : '{}');
    if (kind === 'redacted') {
      return h(
        'span',
        { class: 'value redacted' },
        tag('redacted', `CloudTrail recorded ${String(this.value)} in place of the real value`),
      );
    }
    return h('span', { class: `value ${kind}` });
  }

  private actions(): HTMLElement {
    const act = (text: string, title: string, fn: () => void) =>
      h(
        'button',
        {
          class: 'act',
          attrs: { type: 'button', tabindex: '-1', title },
          on: {
            click: (e) => {
              e.stopPropagation();
              fn();
            },
          },
        },
        text,
      );
    return h(
      'span',
      { class: 'actions' },
      act('Copy', 'Copy value (c)', () => this.copyValue()),
      act('Path', `Copy path ${this.path} (p)`, () => this.copyPath()),
      looksLikeId(this.value) && act('Find events', 'Find events with this value (f)', () => this.findValue()),
    );
  }

  copyValue(): void {
    this.tree.host.post({ type: 'copy', text: copyText(this.value), what: 'value' });
  }

  copyPath(): void {
    this.tree.host.post({ type: 'copy', text: this.path, what: 'path' });
  }

  findValue(): boolean {
    if (!looksLikeId(this.value)) return false;
    this.tree.host.post({ type: 'findValue', value: this.value });
    return true;
  }

  /** Redraws key and value text with search highlights; returns whether this node matches. */
  paint(query: string): boolean {
    let hits = 0;
    if (this.keyEl) {
      const k = highlighted(String(this.key), typeof this.key === 'number' ? '' : query);
      replaceChildren(this.keyEl, ...k.nodes);
      hits += k.count;
    }
    const kind = kindOf(this.value);
    if (this.valueEl && !this.expandable && kind !== 'object' && kind !== 'array' && kind !== 'redacted') {
      const v = highlighted(leafText(this.value), query);
      replaceChildren(this.valueEl, ...v.nodes);
      hits += v.count;
    }
    const matched = hits > 0 || this.matches(query);
    this.row?.classList.toggle('match', matched);
    this.row?.classList.toggle('match-unmarked', matched && hits === 0);
    return matched;
  }

  /** Matches on data, not DOM: also finds redaction markers and nodes not rendered yet. */
  matches(query: string): boolean {
    if (!query) return false;
    const q = query.toLowerCase();
    if (typeof this.key === 'string' && this.key.toLowerCase().includes(q)) return true;
    return !isContainer(this.value) && leafText(this.value).toLowerCase().includes(q);
  }

  setCurrent(on: boolean): void {
    this.row?.classList.toggle('current', on);
  }

  target(): HTMLElement | undefined {
    return this.row;
  }

  /** Opens the section and expands the ancestors so this node can be seen (not persisted). */
  reveal(): void {
    const details = this.tree.el.closest('details');
    if (details && !details.open) details.open = true;
    this.tree.reveal(this);
  }

  private renderGroup(): void {
    if (this.group || !this.li) return;
    const kids = this.kids;
    this.group = h('ul', { class: 'group', attrs: { role: 'group' } });
    kids.forEach((k, i) => this.group?.appendChild(k.render(i + 1, kids.length)));
    this.li.appendChild(this.group);
  }

  /** `persist` false for expansions made by search, which are not the person's choice. */
  setExpanded(open: boolean, persist: boolean): void {
    if (!this.expandable || this.expanded === open) return;
    this.expanded = open;
    if (this.li) {
      setAttr(this.li, 'aria-expanded', String(open));
      if (open) this.renderGroup();
      this.group?.toggleAttribute('hidden', !open);
    }
    if (persist) {
      const map = this.tree.host.state.expanded;
      if (open === this.defaultExpanded()) map.delete(this.path);
      else map.set(this.path, open);
      this.tree.host.persist();
    }
  }

  private onRowClick(e: MouseEvent): void {
    this.tree.focus(this);
    // Clicking a leaf's text should allow selecting it; only containers toggle.
    if (this.expandable && !(e.target instanceof HTMLElement && e.target.closest('.value'))) {
      this.setExpanded(!this.expanded, true);
    }
  }
}

export class JsonTree {
  readonly el: HTMLUListElement;
  readonly roots: TreeNode[];
  readonly nodeOf = new WeakMap<Element, TreeNode>();
  query = '';
  private active: TreeNode | undefined;

  constructor(
    readonly host: TreeHost,
    label: string,
    rootEntries: [string | number, unknown][],
    basePath: string,
  ) {
    this.el = h('ul', { class: 'tree', attrs: { role: 'tree', 'aria-label': label } });
    this.roots = rootEntries.map(([k, v]) => new TreeNode(this, k, v, childPath(basePath, k), 0, undefined));
    this.roots.forEach((n, i) => this.el.appendChild(n.render(i + 1, this.roots.length)));
    const first = this.roots[0];
    if (first?.li) setAttr(first.li, 'tabindex', '0');
    this.active = first;
    this.el.addEventListener('keydown', (e) => this.onKey(e));
    this.el.addEventListener('focusin', (e) => {
      const node = e.target instanceof Element ? this.nodeOf.get(e.target) : undefined;
      if (node) this.setActive(node);
    });
  }

  /** Nodes a person can currently see, in order. */
  visible(): TreeNode[] {
    const out: TreeNode[] = [];
    const walk = (nodes: TreeNode[]) => {
      for (const n of nodes) {
        out.push(n);
        if (n.expanded) walk(n.kids);
      }
    };
    walk(this.roots);
    return out;
  }

  /** Every node, expanding nothing (models only). */
  all(): TreeNode[] {
    const out: TreeNode[] = [];
    const walk = (nodes: TreeNode[]) => {
      for (const n of nodes) {
        out.push(n);
        if (n.expandable) walk(n.kids);
      }
    };
    walk(this.roots);
    return out;
  }

  find(path: string): TreeNode | undefined {
    return this.all().find((n) => n.path === path);
  }

  /** Makes a node visible (expanding its ancestors) and rendered. */
  reveal(node: TreeNode, persist = false): void {
    const chain: TreeNode[] = [];
    for (let p = node.parent; p; p = p.parent) chain.unshift(p);
    for (const p of chain) p.setExpanded(true, persist);
  }

  private setActive(node: TreeNode): void {
    if (this.active?.li && this.active !== node) setAttr(this.active.li, 'tabindex', '-1');
    this.active = node;
    if (node.li) setAttr(node.li, 'tabindex', '0');
    this.host.state.activePath = node.path;
    this.host.persist();
  }

  focus(node: TreeNode): void {
    this.reveal(node);
    this.setActive(node);
    node.li?.focus({ preventScroll: false });
  }

  /** Highlights `query` in rendered nodes and returns every matching node; reveals none of them. */
  search(query: string): TreeNode[] {
    this.query = query;
    // Paint every rendered node, collapsed ones too, so re-expanding never shows stale marks.
    // Nodes rendered later paint themselves with this.query.
    const all = this.all();
    for (const n of all) if (n.li) n.paint(query);
    return query ? all.filter((n) => n.matches(query)) : [];
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const node = e.target instanceof Element ? this.nodeOf.get(e.target) : undefined;
    if (!node) return;
    const list = this.visible();
    const i = list.indexOf(node);
    const go = (n: TreeNode | undefined) => n && this.focus(n);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        go(list[i + 1]);
        break;
      case 'ArrowUp':
        go(list[i - 1]);
        break;
      case 'Home':
        go(list[0]);
        break;
      case 'End':
        go(list[list.length - 1]);
        break;
      case 'ArrowRight':
        if (node.expandable && !node.expanded) node.setExpanded(true, true);
        else if (node.expanded) go(node.kids[0]);
        break;
      case 'ArrowLeft':
        if (node.expanded) node.setExpanded(false, true);
        else go(node.parent);
        break;
      case 'Enter':
      case ' ':
        if (node.expandable) node.setExpanded(!node.expanded, true);
        break;
      case 'c':
        node.copyValue();
        break;
      case 'p':
        node.copyPath();
        break;
      case 'f':
        handled = node.findValue();
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }
}
