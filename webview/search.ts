/**
 * The filter box: keeps only the rows whose key or value matches (and the rows leading to them) in
 * every section, hides sections without a match, highlights matches in the header too, opens and
 * expands what hides them, counts them, and steps through them with Enter / Shift+Enter.
 * Next to it, "Keys" lists the keyboard shortcuts, so they are not only in tooltips.
 */
import { h, setAttr } from './dom.js';
import type { Findable } from './header.js';
import type { Section } from './sections.js';
import { button, focusTextField, labelTextField, setTextFieldValue, textField, textFieldValue } from './toolkit.js';

export class SearchBar {
  readonly el: HTMLElement;
  private readonly field: HTMLElement;
  private readonly count: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    initial: string,
    private readonly onQuery: (query: string) => void,
    private readonly onStep: (dir: 1 | -1) => void,
  ) {
    this.field = textField('Filter keys and values');
    this.field.classList.add('search-field');
    setTextFieldValue(this.field, initial);
    this.field.addEventListener('input', () => {
      // Typing fast in a large record should not re-run the search on every key.
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.onQuery(this.value()), 120);
    });
    this.field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        clearTimeout(this.timer);
        this.onQuery(this.value());
        this.onStep(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape' && this.value() !== '') {
        e.preventDefault();
        setTextFieldValue(this.field, '');
        this.onQuery('');
      }
    });
    this.count = h('span', { class: 'match-count', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.el = h(
      'div',
      { class: 'search-bar', attrs: { role: 'search' } },
      this.field,
      this.count,
      button('↑', { appearance: 'icon', title: 'Previous match (Shift+Enter)', onClick: () => this.onStep(-1) }),
      button('↓', { appearance: 'icon', title: 'Next match (Enter)', onClick: () => this.onStep(1) }),
      keysHelp(),
    );
  }

  /** Call once the bar is in the document (the toolkit field relabels itself on connect). */
  connected(): void {
    labelTextField(this.field, 'Filter keys and values (Ctrl+F)');
  }

  value(): string {
    return textFieldValue(this.field);
  }

  focus(): void {
    focusTextField(this.field);
  }

  show(query: string, current: number, total: number): void {
    // Which query the count belongs to (the box may already hold newer text, debounced).
    setAttr(this.count, 'data-query', query);
    if (!query) this.count.textContent = '';
    else if (total === 0) this.count.textContent = 'No matches';
    else this.count.textContent = `${current + 1} of ${total} ${total === 1 ? 'match' : 'matches'}`;
  }
}

/** The keyboard shortcuts, one line each. */
export const SHORTCUTS: [string, string][] = [
  ['↑ ↓', 'move through rows and section headers'],
  ['← →', 'collapse / expand; ← on a row goes to its parent'],
  ['Enter', 'expand or collapse'],
  ['c', 'copy the value'],
  ['p', 'copy its JSON path'],
  ['f', 'find events with this value'],
  ['w', 'where did this value come from? (opens the event that produced it)'],
  ['Ctrl+F', 'filter keys and values; Enter / Shift+Enter step'],
  ['Alt+← Alt+→', 'back / forward between events'],
];

function keysHelp(): HTMLElement {
  return h(
    'details',
    { class: 'keys-help' },
    h('summary', { attrs: { title: 'Keyboard shortcuts' } }, 'Keys'),
    h('dl', { class: 'keys-list' }, ...SHORTCUTS.map(([k, what]) => h('div', {}, h('dt', {}, h('kbd', {}, k)), h('dd', {}, what)))),
  );
}

/**
 * How many matches are revealed at once. A query that hits every one of 1,500 list items would
 * otherwise expand 10,000 rows; the rest are revealed one by one as Enter steps onto them.
 */
export const REVEAL_AT_ONCE = 100;

/** Runs a query over the header and the sections; returns the matches in reading order. */
export function findAll(query: string, header: Findable[], sections: Section[]): Findable[] {
  const found: Findable[] = [];
  for (const f of header) if (f.paint(query) || f.matches(query)) found.push(f);
  // A loop, not push(...matches): spreading 90,000 matches as arguments overflows the stack.
  for (const s of sections) {
    const hits = s.tree?.search(query) ?? [];
    // Filtering: a section with nothing matching is hidden until the query is cleared (Raw JSON,
    // which has no rows to filter, stays).
    s.el.hidden = query !== '' && s.tree !== undefined && hits.length === 0;
    for (const n of hits) found.push(n);
  }
  // Revealing opens sections and expands ancestors; none of it is persisted as the person's choice.
  for (const f of found.slice(0, REVEAL_AT_ONCE)) f.reveal();
  return found;
}
