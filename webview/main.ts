/**
 * Entry point of the event panel's webview: receives `show` from the host, renders one CloudTrail
 * record, and posts back copy / pin / open / reveal / find requests (src/protocol/protocol.ts).
 */
import type { CloudTrailRecord } from '../src/core/record.js';
import type { EventContext, FollowedValue, PanelNav, WebviewToHost } from '../src/protocol/protocol.js';
import { h, replaceChildren } from './dom.js';
import type { Findable, Header } from './header.js';
import { renderHeader } from './header.js';
import { parseHostMessage } from './hostMessage.js';
import type { Section } from './sections.js';
import { renderSections } from './sections.js';
import { ShapeFlags } from './shapeFlags.js';
import { findAll, SearchBar } from './search.js';
import type { ViewState } from './state.js';
import { restoreState, stateForEvent, storeState } from './state.js';
import { divider, registerToolkit } from './toolkit.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

registerToolkit();
const api = acquireVsCodeApi();
const root = document.getElementById('root') ?? document.body;
const status = document.getElementById('status');

let state: ViewState = restoreState(api.getState());
let view:
  { header: Header; sections: Section[]; search: SearchBar; nav: PanelNav | undefined; eventId?: string; flags: ShapeFlags } | undefined;
let matches: Findable[] = [];
let currentMatch = -1;
let lastQuery = '';
let statusTimer: ReturnType<typeof setTimeout> | undefined;

function persist(): void {
  api.setState(storeState(state));
}

function announce(text: string): void {
  if (!status) return;
  status.textContent = text;
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => (status.textContent = ''), 2500);
}

function post(msg: WebviewToHost): void {
  api.postMessage(msg);
  if (msg.type === 'copy') announce(msg.what === 'path' ? `Copied path ${msg.text}` : 'Copied');
}

const host = {
  get state() {
    return state;
  },
  post,
  persist,
};

function setCurrent(i: number, scroll: boolean): void {
  matches[currentMatch]?.setCurrent(false);
  currentMatch = i;
  const m = matches[i];
  if (m) {
    m.reveal();
    m.setCurrent(true);
    if (scroll) m.target()?.scrollIntoView({ block: 'center' });
  }
  view?.search.show(lastQuery, currentMatch, matches.length);
}

function runQuery(query: string, scroll: boolean): void {
  if (!view) return;
  lastQuery = query;
  state.search = query;
  persist();
  matches[currentMatch]?.setCurrent(false);
  matches = findAll(query, view.header.findables, view.sections);
  currentMatch = -1;
  setCurrent(matches.length ? 0 : -1, scroll);
}

function step(dir: 1 | -1): void {
  if (!matches.length) return;
  setCurrent((currentMatch + dir + matches.length) % matches.length, true);
}

function show(record: CloudTrailRecord, context: EventContext, pinned: boolean, nav?: PanelNav, followed?: FollowedValue): void {
  const eventId = typeof record.eventID === 'string' ? record.eventID : undefined;
  const sameEvent = eventId !== undefined && state.eventId === eventId;
  state = stateForEvent(state, eventId);
  const header = renderHeader(record, context, { pinned, nav, followed }, post);
  const search = new SearchBar(
    state.search,
    (q) => q !== lastQuery && runQuery(q, true),
    (dir) => step(dir),
  );
  const flags = new ShapeFlags(record, post);
  const sections = renderSections(record, host, flags);
  view = { header, sections, search, nav, eventId, flags };
  replaceChildren(root, search.el, header.el, divider(), h('div', { class: 'sections' }, ...sections.map((s) => s.el)));
  root.removeAttribute('aria-busy');
  search.connected();
  document.title = `${typeof record.eventName === 'string' ? record.eventName : 'Event'} · Trail Lens`;

  lastQuery = '';
  matches = [];
  currentMatch = -1;
  if (state.search) runQuery(state.search, false);
  restoreFocusTarget(sections);
  revealFlags(sections, flags);
  const followedAt = followed ? markFollowed(sections, followed.value) : undefined;
  window.scrollTo(0, sameEvent ? state.scrollY : 0);
  // The followed value on screen, with the header (where it came from, Back) too when both fit.
  const at = !sameEvent ? followedAt?.getBoundingClientRect() : undefined;
  if (at && at.bottom > window.innerHeight) followedAt?.scrollIntoView({ block: 'center' });
  persist();
}

/** Highlights the followed value wherever this event holds it; returns the first row holding it. */
function markFollowed(sections: Section[], value: string): HTMLElement | undefined {
  let first: HTMLElement | undefined;
  // Raw JSON and Other fields repeat what the sections above show.
  for (const s of sections) {
    if (s.id === 'raw' || !s.tree) continue;
    const hits = s.tree.markFollowed(value);
    if (hits.length && !s.el.open) s.el.open = true;
    first ??= hits[0]?.target();
  }
  return first;
}

/** Flagged parameters are never hidden in a collapsed parent. */
function revealFlags(sections: Section[], flags: ShapeFlags): void {
  const tree = sections.find((s) => s.id === 'requestParameters')?.tree;
  for (const path of flags.paths) {
    const node = tree?.find(path);
    if (node) tree?.reveal(node);
  }
}

/** Puts the roving tab stop back on the tree item last used, without stealing focus. */
function restoreFocusTarget(sections: Section[]): void {
  const path = state.activePath;
  if (!path) return;
  for (const s of sections) {
    const node = s.tree?.find(path);
    if (node?.li) {
      for (const other of s.tree?.el.querySelectorAll('[role="treeitem"][tabindex="0"]') ?? []) other.setAttribute('tabindex', '-1');
      node.li.setAttribute('tabindex', '0');
      return;
    }
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = parseHostMessage(event.data);
  if (!msg) return;
  switch (msg.type) {
    case 'show':
      show(msg.record, msg.context, msg.pinned, msg.nav, msg.followed);
      break;
    case 'setPinned':
      view?.header.setPinned(msg.pinned);
      break;
    case 'shapeHints':
      if (view && view.eventId === msg.eventId) view.flags.applyHints(msg.hints);
      break;
    default: {
      const _exhaustive: never = msg;
      return _exhaustive;
    }
  }
});

window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f' && view) {
    e.preventDefault();
    view.search.focus();
  } else if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight') && view?.nav) {
    const to = e.key === 'ArrowLeft' ? 'back' : 'forward';
    if (view.nav[to] === undefined) return;
    e.preventDefault();
    post({ type: 'navigate', to });
  }
});

let scrollQueued = false;
window.addEventListener('scroll', () => {
  if (scrollQueued) return;
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    state.scrollY = Math.round(window.scrollY);
    persist();
  });
});

post({ type: 'ready' });
