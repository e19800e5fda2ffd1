/**
 * What survives the panel being hidden and shown again (VS Code reloads a hidden webview's page;
 * getState/setState is cheaper than keeping the hidden page alive with retainContextWhenHidden).
 * Node expansion, the search text and which sections are open belong to one event and reset when
 * another event is shown. What carries over is only a section kind the person chose to hide (say
 * userIdentity, or Other fields), never requestParameters or responseElements: collapsing those
 * hides one event's parameters, not every later event's.
 */

export const SECTION_IDS = [
  'requestParameters',
  'responseElements',
  'userIdentity',
  'resources',
  'additionalEventData',
  'other',
  'raw',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** Sections whose collapse is never carried to the next event: they are what a person opens an event for. */
export const ALWAYS_OPEN_KINDS: ReadonlySet<SectionId> = new Set(['requestParameters', 'responseElements']);

export interface ViewState {
  eventId: string | undefined;
  /** JSON path -> expanded, only where the person changed the default. A Map: paths are untrusted keys. */
  expanded: Map<string, boolean>;
  search: string;
  sections: Partial<Record<SectionId, boolean>>;
  /** Section kinds the person collapsed, kept closed in later events (never ALWAYS_OPEN_KINDS). */
  hiddenKinds: Set<SectionId>;
  /** The tree item that had focus, to restore keyboard position. */
  activePath: string | undefined;
  scrollY: number;
}

/** The JSON shape handed to setState. */
interface Stored {
  v: 1;
  eventId?: string;
  expanded?: [string, boolean][];
  search?: string;
  sections?: Record<string, boolean>;
  hidden?: string[];
  activePath?: string;
  scrollY?: number;
}

export function emptyState(): ViewState {
  return { eventId: undefined, expanded: new Map(), search: '', sections: {}, hiddenKinds: new Set(), activePath: undefined, scrollY: 0 };
}

const MAX_PATHS = 5000;
const MAX_TEXT = 4096;

/** Reads whatever getState returned; anything unexpected is dropped rather than trusted. */
export function restoreState(raw: unknown): ViewState {
  const state = emptyState();
  if (typeof raw !== 'object' || raw === null) return state;
  const s = raw as Partial<Stored>;
  if (s.v !== 1) return state;
  if (typeof s.eventId === 'string') state.eventId = s.eventId;
  if (typeof s.search === 'string' && s.search.length <= MAX_TEXT) state.search = s.search;
  if (typeof s.activePath === 'string' && s.activePath.length <= MAX_TEXT) state.activePath = s.activePath;
  if (typeof s.scrollY === 'number' && Number.isFinite(s.scrollY) && s.scrollY >= 0) state.scrollY = s.scrollY;
  if (Array.isArray(s.expanded)) {
    for (const pair of s.expanded.slice(0, MAX_PATHS)) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'boolean') state.expanded.set(pair[0], pair[1]);
    }
  }
  if (typeof s.sections === 'object' && s.sections !== null) {
    for (const id of SECTION_IDS) {
      const open = (s.sections as Record<string, unknown>)[id];
      if (typeof open === 'boolean') state.sections[id] = open;
    }
  }
  if (Array.isArray(s.hidden)) {
    for (const id of SECTION_IDS) if (s.hidden.includes(id) && !ALWAYS_OPEN_KINDS.has(id)) state.hiddenKinds.add(id);
  }
  return state;
}

export function storeState(state: ViewState): Stored {
  const out: Stored = {
    v: 1,
    expanded: [...state.expanded].slice(-MAX_PATHS),
    search: state.search,
    sections: { ...state.sections },
    hidden: [...state.hiddenKinds],
    scrollY: state.scrollY,
  };
  if (state.eventId !== undefined) out.eventId = state.eventId;
  if (state.activePath !== undefined) out.activePath = state.activePath;
  return out;
}

/** The state to use for `eventId`: the same event keeps everything, another only the hidden section kinds. */
export function stateForEvent(state: ViewState, eventId: string | undefined): ViewState {
  if (state.eventId === eventId && eventId !== undefined) return state;
  return { ...emptyState(), eventId, hiddenKinds: state.hiddenKinds };
}

/** Whether a section starts open: this event's choice, else hidden by kind, else its default. */
export function sectionOpen(state: ViewState, id: SectionId, byDefault: boolean): boolean {
  return state.sections[id] ?? (state.hiddenKinds.has(id) ? false : byDefault);
}

/** Records a person opening or closing a section. */
export function setSectionOpen(state: ViewState, id: SectionId, open: boolean): void {
  state.sections[id] = open;
  if (ALWAYS_OPEN_KINDS.has(id)) return;
  if (open) state.hiddenKinds.delete(id);
  else state.hiddenKinds.add(id);
}
