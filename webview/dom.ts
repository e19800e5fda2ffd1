/**
 * The only way this webview builds DOM. Event fields are attacker-controlled, so text goes in
 * through text nodes and attributes through setAttribute, never through an HTML parser.
 * URL-bearing attributes and inline handlers are refused outright: nothing here needs them,
 * and refusing them makes a `javascript:` link or `onerror=` impossible to introduce by accident.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Plain attributes; URL attributes and on* handlers throw. */
  attrs?: Record<string, string>;
  /** Event listeners (added with addEventListener, never as attributes). */
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
}

const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'xlink:href',
  'poster',
  'data',
  'background',
  'ping',
  'style',
]);

/** Sets an attribute after checking it cannot carry script or a URL. */
export function setAttr(el: Element, name: string, value: string): void {
  const lower = name.toLowerCase();
  if (lower.startsWith('on') || URL_ATTRIBUTES.has(lower)) {
    throw new Error(`refusing to set attribute ${name}`);
  }
  el.setAttribute(name, value);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) setAttr(el, k, v);
  if (props.on) {
    for (const [type, fn] of Object.entries(props.on)) el.addEventListener(type, fn as EventListener);
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces all children of `el`. */
export function replaceChildren(el: Element, ...children: Child[]): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, ...children);
}

/**
 * Text with every case-insensitive occurrence of `query` wrapped in <mark>, as DOM nodes.
 * Returns the number of occurrences so callers can count matches.
 */
export function highlighted(text: string, query: string): { nodes: Node[]; count: number } {
  if (!query) return { nodes: [document.createTextNode(text)], count: 0 };
  // Lower-casing can change a string's length (e.g. 'İ'); fall back to exact case then, so the
  // slice offsets below stay valid.
  const folds = text.toLowerCase().length === text.length;
  const hay = folds ? text.toLowerCase() : text;
  const needle = folds ? query.toLowerCase() : query;
  const nodes: Node[] = [];
  let count = 0;
  let at = 0;
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + needle.length)) {
    if (i > at) nodes.push(document.createTextNode(text.slice(at, i)));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(i, i + needle.length);
    nodes.push(mark);
    at = i + needle.length;
    count++;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return { nodes, count };
}
