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
 */
import type { WebviewToHost } from '../src/shared/protocol.js';
import { h, highlighted, replaceChildren, setAttr } from './dom.js';
import type { ViewState } from './state.js';
import { tag } from './toolkit.js';
import type { ShapeFlags } from './shapeFlags.js';
import { childPath, copyText, countLabel, entries, followable, isContainer, kindOf, leafText, sizeOf } from './values.js';

export interface TreeHost {
  state: ViewState;
  post(msg: WebviewToHost): void;
  /** Saves state after a person changed something. */
  persist(): void;
}

/** Rows holding a followed value that are revealed at once. */
const FOLLOWED_REVEAL = 20;

/** Rows of one list rendered at a time; the rest are behind a "more" row. */
export const CHUNK = 100;

/**
 * Levels the tree shows. CloudTrail data is rarely 15 deep; a record nested thousands of levels deep
 * would otherwise build DOM thousands of elements deep. A container at this depth stays collapsed.
 */
export const MAX_TREE_DEPTH = 40;

/**
 * Expanded unless deep or large, so the first view shows structure without a wall of text.
 * Items of a long list start collapsed: 1,500 EC2 instances expanded would be 10,000 rows.
 */
function defaultExpanded(depth: number, size: number, siblings: number): boolean {
  if (siblings > 20) return false;
  if (depth <= 1) return size <= 50;
  return depth <= 3 && size <= 10;
}

/** Every key and leaf under `value`, lower-cased, one per line: what search sees of a part too deep to show. */
function foldedTextUnder(value: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (isContainer(v)) {
      for (const [k, child] of entries(v)) {
        if (typeof k === 'string') out.push(k.toLowerCase());
        stack.push(child);
      }
    } else {
      out.push(leafText(v).toLowerCase());
    }
  }
  return out.join('\n');
}

const count = (n: number) => n.toLocaleString('en-US');

/** One entry of the record: a key and its value. The section's value itself is the hidden root. */
export class TreeNode {
  li: HTMLLIElement | undefined;
  /** The <ul> of rendered children (the tree's own <ul> for the root). */
  group: HTMLUListElement | undefined;
  readonly depth: number;
  /** Entries of an object or array (0 for anything else). */
  readonly size: number;
  private row: HTMLElement | undefined;
  private keyEl: HTMLElement | undefined;
  private valueEl: HTMLElement | undefined;
  private kidsCache: TreeNode[] | undefined;
  private expandedState: boolean | undefined;
  private pathCache: string | undefined;
  private folded: { key: string; value: string } | undefined;
  /** Stretches of children not rendered yet, in order. */
  private gaps: MoreRow[] = [];
  private keyMarked = false;
  private valueMarked = false;

  constructor(
    readonly tree: JsonTree,
    readonly key: string | number,
    readonly value: unknown,
    readonly parent: TreeNode | undefined,
    /** Position among the parent's children. */
    readonly index: number,
  ) {
    this.depth = parent ? parent.depth + 1 : -1;
    this.size = sizeOf(value);
  }

  get path(): string {
    // Recurses at most MAX_TREE_DEPTH levels: no node is built below that.
    this.pathCache ??= this.parent ? childPath(this.parent.path, this.key) : this.tree.basePath;
    return this.pathCache;
  }

  /** A non-empty container past MAX_TREE_DEPTH: shown collapsed, never expanded. */
  get tooDeep(): boolean {
    return this.size > 0 && this.depth >= MAX_TREE_DEPTH;
  }

  get expandable(): boolean {
    return this.size > 0 && this.depth < MAX_TREE_DEPTH;
  }

  get expanded(): boolean {
    if (!this.parent) return true;
    this.expandedState ??= this.expandable && (this.tree.host.state.expanded.get(this.path) ?? this.defaultExpanded());
    return this.expandedState;
  }

  private defaultExpanded(): boolean {
    // The section's own entries are never collapsed for being many.
    const siblings = this.parent?.parent ? this.parent.size : 0;
    return defaultExpanded(this.depth, this.size, siblings);
  }

  get kids(): TreeNode[] {
    this.kidsCache ??=
      this.expandable || !this.parent ? entries(this.value).map(([k, v], i) => new TreeNode(this.tree, k, v, this, i)) : [];
    return this.kidsCache;
  }

  /** Builds this node's <li> (and its expanded descendants, a chunk of each list). */
  render(): HTMLLIElement {
    const li = h('li', {
      class: 'node',
      attrs: {
        role: 'treeitem',
        tabindex: '-1',
        'aria-level': String(this.depth + 1),
        'aria-posinset': String(this.index + 1),
        'aria-setsize': String(this.parent?.size ?? 1),
        'data-path': this.path,
        'aria-label': this.label(),
      },
    });
    this.li = li;
    this.tree.nodeOf.set(li, this);
    this.tree.rendered.push(this);
    this.keyEl = h('span', { class: typeof this.key === 'number' ? 'key index' : 'key' }, String(this.key));
    this.valueEl = this.valueElement();
    const flag = this.tree.flags?.element(this.path);
    // A value the row offers to the panel's context menu (Find Events / Where Did It Come From?).
    const menuValue = this.followText();
    this.row = h(
      'div',
      {
        class: 'row',
        attrs: menuValue !== undefined ? { 'data-vscode-context': JSON.stringify({ webviewSection: 'value', value: menuValue }) } : {},
        on: { click: (e) => this.onRowClick(e) },
      },
      h('span', { class: 'twisty', attrs: { 'aria-hidden': 'true' } }),
      this.keyEl,
      h('span', { class: 'punct', attrs: { 'aria-hidden': 'true' } }, ':'),
      this.valueEl,
      this.actions(),
    );
    li.appendChild(this.row);
    if (flag) {
      li.appendChild(flag);
      this.row.classList.add('flagged');
    }
    if (this.expandable) {
      setAttr(li, 'aria-expanded', String(this.expanded));
      if (this.expanded) this.renderGroup();
    }
    if (this.tree.query) this.paint(this.tree.query);
    this.tree.classify(this);
    if (this.tree.isFollowed(this)) this.row.classList.add('followed');
    return li;
  }

  private get showsText(): boolean {
    const kind = kindOf(this.value);
    return kind !== 'object' && kind !== 'array' && kind !== 'redacted';
  }

  private label(): string {
    if (this.tooDeep) return `${String(this.key)}: ${countLabel(this.value, this.size)}, nested too deep to show`;
    const v = this.expandable ? countLabel(this.value, this.size) : kindOf(this.value) === 'redacted' ? 'redacted' : leafText(this.value);
    const flagged = this.tree.flags?.label(this.path);
    return `${String(this.key)}: ${v.length > 120 ? `${v.slice(0, 120)}…` : v}${flagged ? `, ${flagged}` : ''}`;
  }

  private valueElement(): HTMLElement {
    const kind = kindOf(this.value);
    if (this.expandable) return h('span', { class: 'summary' }, countLabel(this.value, this.size));
    if (this.tooDeep) {
      return h(
        'span',
        {
          class: 'value deep',
          attrs: { title: `Deeper than ${MAX_TREE_DEPTH} levels: Copy gives the value, Open as JSON the whole record` },
        },
        countLabel(this.value, this.size),
        h('span', { class: 'deep-note' }, 'too deep to show here: Copy or Open as JSON'),
      );
    }
    if (kind === 'object' || kind === 'array') return h('span', { class: 'value empty' }, Array.isArray(this.value) ? '[]' : '{}');
    if (kind === 'redacted') {
      return h(
        'span',
        { class: 'value redacted' },
        tag('redacted', `CloudTrail recorded ${String(this.value)} in place of the real value`),
      );
    }
    return h('span', { class: `value ${kind}` }, leafText(this.value));
  }

  private actions(): HTMLElement {
    return h(
      'span',
      { class: 'actions' },
      actButton('Copy', 'Copy value (c)', () => this.copyValue()),
      actButton('Path', `Copy path ${this.path} (p)`, () => this.copyPath()),
      followable(this.value) && actButton('Find events', 'Find events with this value (f)', () => this.findValue()),
    );
  }

  copyValue(): void {
    this.tree.host.post({ type: 'copy', text: copyText(this.value), what: 'value' });
  }

  copyPath(): void {
    this.tree.host.post({ type: 'copy', text: this.path, what: 'path' });
  }

  /** The value as the host searches for it, when it is one worth following (any scalar but a redaction marker). */
  private followText(): string | undefined {
    return followable(this.value) ? String(this.value) : undefined;
  }

  findValue(): boolean {
    const value = this.followText();
    if (value === undefined) return false;
    this.tree.host.post({ type: 'findValue', value });
    return true;
  }

  /** "Where did this value come from?": the host opens the event that produced it. */
  traceValue(): boolean {
    if (this.tree.flags?.trace(this.path)) return true;
    const value = this.followText();
    if (value === undefined) return false;
    this.tree.host.post({ type: 'traceValue', value });
    return true;
  }

  /** Key and value lower-cased once, for search. A part too deep to show is searched as all its text. */
  private foldedText(): { key: string; value: string } {
    this.folded ??= {
      key: typeof this.key === 'string' ? this.key.toLowerCase() : '',
      value: this.tooDeep ? foldedTextUnder(this.value) : isContainer(this.value) ? '' : leafText(this.value).toLowerCase(),
    };
    return this.folded;
  }

  /** `folded` is the query lower-cased. */
  matchesFolded(folded: string): boolean {
    if (!folded) return false;
    const t = this.foldedText();
    return t.key.includes(folded) || t.value.includes(folded);
  }

  /** Matches on data, not DOM: also finds redaction markers and nodes not rendered yet. */
  matches(query: string): boolean {
    return this.matchesFolded(query.toLowerCase());
  }

  /**
   * Redraws key and value text with search highlights; returns whether this node matches.
   * Text is only rebuilt where marks appear or disappear, so a query repaints the rows it hits.
   */
  paint(query: string): boolean {
    const folded = query.toLowerCase();
    const t = this.foldedText();
    const keyHit = folded !== '' && t.key.includes(folded);
    const valueHit = folded !== '' && t.value.includes(folded);
    let marks = 0;
    if (this.keyEl && (keyHit || this.keyMarked)) {
      const k = highlighted(String(this.key), keyHit ? query : '');
      replaceChildren(this.keyEl, ...k.nodes);
      this.keyMarked = k.count > 0;
      marks += k.count;
    }
    if (this.valueEl && this.showsText && (valueHit || this.valueMarked)) {
      const v = highlighted(leafText(this.value), valueHit ? query : '');
      replaceChildren(this.valueEl, ...v.nodes);
      this.valueMarked = v.count > 0;
      marks += v.count;
    }
    const matched = keyHit || valueHit;
    this.row?.classList.toggle('match', matched);
    this.row?.classList.toggle('match-unmarked', matched && marks === 0);
    return matched;
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

  /** Starts rendering children into `group`: the first chunk, and a "more" row for the rest. */
  attachGroup(group: HTMLUListElement): void {
    this.group = group;
    const chunks = Math.ceil(this.size / CHUNK);
    if (chunks === 0) return;
    const all = new MoreRow(this, 0, chunks);
    group.appendChild(all.li);
    this.gaps = [all];
    this.showChunks(all, 0, 1);
  }

  private renderGroup(): void {
    if (this.group || !this.li) return;
    const group = h('ul', { class: 'group', attrs: { role: 'group' } });
    this.li.appendChild(group);
    this.attachGroup(group);
  }

  /** Renders chunks [from, to) of the children, which lie inside `gap`; what is left of it stays a gap. */
  showChunks(gap: MoreRow, from: number, to: number): void {
    const kids = this.kids;
    const rows = document.createDocumentFragment();
    const replacement: MoreRow[] = [];
    if (from > gap.from) replacement.push(new MoreRow(this, gap.from, from));
    if (replacement[0]) rows.appendChild(replacement[0].li);
    const end = Math.min(to * CHUNK, kids.length);
    for (let i = from * CHUNK; i < end; i++) rows.appendChild((kids[i] as TreeNode).render());
    if (to < gap.to) {
      const after = new MoreRow(this, to, gap.to);
      replacement.push(after);
      rows.appendChild(after.li);
    }
    gap.li.replaceWith(rows);
    this.gaps.splice(this.gaps.indexOf(gap), 1, ...replacement);
    // The tab stop was on the row that just went away: hand it to the first row that replaced it.
    const first = kids[from * CHUNK];
    if (this.tree.active === gap && first) this.tree.setActive(first);
  }

  /** Renders child `i` (and its chunk) if it is not yet; the group must exist. */
  showChild(i: number): void {
    const chunk = Math.floor(i / CHUNK);
    const gap = this.gaps.find((g) => g.from <= chunk && chunk < g.to);
    if (gap) this.showChunks(gap, chunk, chunk + 1);
  }

  /** `persist` false for expansions made by search, which are not the person's choice. */
  setExpanded(open: boolean, persist: boolean): void {
    if (!this.expandable || this.expanded === open) return;
    this.expandedState = open;
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

function actButton(text: string, title: string, fn: () => void, cls = 'act'): HTMLButtonElement {
  return h(
    'button',
    {
      class: cls,
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
}

/**
 * Stands for the children of `owner` in chunks [from, to) that are not rendered yet: a tree item of
 * its own, so the keyboard reaches it. Enter shows the next chunk, `a` all of them.
 */
export class MoreRow {
  readonly li: HTMLLIElement;
  private readonly first: number;

  constructor(
    readonly owner: TreeNode,
    readonly from: number,
    readonly to: number,
  ) {
    this.first = from * CHUNK;
    const end = Math.min(to * CHUNK, owner.size);
    const hidden = end - this.first;
    const next = Math.min(CHUNK, hidden);
    const range = Array.isArray(owner.value) ? `[${this.first}]–[${end - 1}]` : `entries ${count(this.first + 1)}–${count(end)}`;
    const what = `${count(hidden)} more ${hidden === 1 ? 'item' : 'items'} not shown (${range} of ${count(owner.size)})`;
    this.li = h(
      'li',
      {
        class: 'node more',
        attrs: {
          role: 'treeitem',
          tabindex: '-1',
          'aria-level': String(owner.depth + 2),
          'aria-label': `${what}. Enter shows ${count(next)} more${hidden > next ? ', A shows all' : ''}`,
        },
      },
      h(
        'div',
        { class: 'row more-row', on: { click: () => owner.tree.focus(this) } },
        h('span', { class: 'twisty', attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'more-text' }, `… ${what}`),
        actButton(`Show ${count(next)} more`, `Show the next ${count(next)} (Enter)`, () => this.show(false), 'act more-act'),
        hidden > next && actButton(`Show all ${count(hidden)}`, `Show all ${count(hidden)} (a)`, () => this.show(true), 'act more-act'),
      ),
    );
    owner.tree.nodeOf.set(this.li, this);
  }

  /** Renders the next chunk, or all; moves focus to the first row that appeared. */
  show(all: boolean): void {
    this.owner.showChunks(this, this.from, all ? this.to : this.from + 1);
    const first = this.owner.kids[this.first];
    if (first) this.owner.tree.focus(first);
  }
}

type Item = TreeNode | MoreRow;

/** Whether a row is laid out (a filter hides rows with CSS). */
function shown(el: Element): boolean {
  return el.getClientRects().length > 0;
}

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
    this.el.addEventListener('keydown', (e) => this.onKey(e));
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

  /** The <li> holding `li` (undefined at the top level). */
  private parentLi(li: Element): Element | undefined {
    const ul = li.parentElement;
    return ul && ul !== this.el ? (ul.parentElement ?? undefined) : undefined;
  }

  private openGroup(li: Element): HTMLUListElement | undefined {
    const item = this.nodeOf.get(li);
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
    const to = this.firstShown(this.el);
    const item = to ? this.nodeOf.get(to) : undefined;
    if (item) this.focus(item);
    return item !== undefined;
  }

  /** Focuses the last row shown (entering the tree from below). */
  focusLast(): boolean {
    const last = this.lastShownChild(this.el);
    const item = last ? this.nodeOf.get(this.lastVisible(last)) : undefined;
    if (item) this.focus(item);
    return item !== undefined;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const item = e.target instanceof Element ? this.nodeOf.get(e.target) : undefined;
    if (!item?.li) return;
    const li = item.li;
    const go = (el: Element | null | undefined) => {
      const to = el ? this.nodeOf.get(el) : undefined;
      if (to) this.focus(to);
    };
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': {
        const next = this.below(li);
        if (next) go(next);
        else this.onExit?.('down');
        break;
      }
      case 'ArrowUp': {
        const prev = this.above(li);
        if (prev) go(prev);
        else this.onExit?.('up');
        break;
      }
      case 'Home':
        go(this.firstShown(this.el));
        break;
      case 'End':
        go(this.el.lastElementChild && this.lastVisible(this.el.lastElementChild));
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
          const to = first ? this.nodeOf.get(first) : undefined;
          if (to) this.focus(to);
        }
        return true;
      case 'ArrowLeft':
        if (node.expanded && node.expandable) node.setExpanded(false, true);
        else if (node.parent?.parent) this.focus(node.parent);
        else this.onExit?.('parent');
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
        if (more.owner.parent) this.focus(more.owner);
        else this.onExit?.('parent');
        return true;
      default:
        return false;
    }
  }
}
