/**
 * What survives the panel being hidden and shown again (VS Code reloads a hidden webview's page;
 * getState/setState is cheaper than keeping the hidden page alive with retainContextWhenHidden).
 * Node expansion and the search text belong to one event and reset when another event is shown;
 * which sections are open is a preference and carries over to every event.
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

export interface ViewState {
  eventId: string | undefined;
  /** JSON path -> expanded, only where the person changed the default. A Map: paths are untrusted keys. */
  expanded: Map<string, boolean>;
  search: string;
  sections: Partial<Record<SectionId, boolean>>;
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
  activePath?: string;
  scrollY?: number;
}

export function emptyState(): ViewState {
  return { eventId: undefined, expanded: new Map(), search: '', sections: {}, activePath: undefined, scrollY: 0 };
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
  return state;
}

export function storeState(state: ViewState): Stored {
  const out: Stored = {
    v: 1,
    expanded: [...state.expanded].slice(-MAX_PATHS),
    search: state.search,
    sections: { ...state.sections },
    scrollY: state.scrollY,
  };
  if (state.eventId !== undefined) out.eventId = state.eventId;
  if (state.activePath !== undefined) out.activePath = state.activePath;
  return out;
}

/** The state to use for `eventId`: the same event keeps everything, another keeps only sections. */
export function stateForEvent(state: ViewState, eventId: string | undefined): ViewState {
  if (state.eventId === eventId && eventId !== undefined) return state;
  return { ...emptyState(), eventId, sections: state.sections };
}
