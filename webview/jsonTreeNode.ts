/**
 * The rows of a JsonTree: a TreeNode is one entry of the record (its <li>, key, value, flag and
 * action buttons; its children built on first expand and rendered CHUNK rows at a time; its search
 * highlights; its expanded state), and a MoreRow stands for the children not rendered yet. The
 * tree (jsonTree.ts) holds the index, search and focus; jsonTreeKeys.ts the keyboard.
 */
import { h, highlighted, replaceChildren, setAttr } from './dom.js';
import type { JsonTree } from './jsonTree.js';
import { tag } from './toolkit.js';
import { childPath, copyText, countLabel, entries, followable, isContainer, kindOf, leafText, sizeOf } from './values.js';

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

export type Item = TreeNode | MoreRow;
