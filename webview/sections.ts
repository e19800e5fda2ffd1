/**
 * The record split into collapsible sections under the header. Every top-level field appears
 * exactly once: in the header, in its own section, or under "Other fields"; Raw JSON has it all.
 */
import type { CloudTrailRecord } from '../src/core/record.js';
import type { WebviewToHost } from '../src/protocol/protocol.js';
import { h } from './dom.js';
import type { Findable } from './header.js';
import type { TreeHost } from './jsonTree.js';
import { JsonTree } from './jsonTree.js';
import type { ShapeFlags } from './shapeFlags.js';
import type { SectionId } from './state.js';
import { sectionOpen, setSectionOpen } from './state.js';
import { copyText, countLabel, isContainer, sizeOf } from './values.js';

/** Top-level fields the header shows; they are not repeated under "Other fields". */
export const HEADER_FIELDS = new Set([
  'eventName',
  'eventSource',
  'eventTime',
  'awsRegion',
  'recipientAccountId',
  'sourceIPAddress',
  'userAgent',
  'requestID',
  'eventID',
  'readOnly',
  'eventType',
  'errorCode',
  'errorMessage',
]);

interface SectionSpec {
  id: SectionId;
  title: string;
  open: boolean;
  /** null/absent are meaningful for these two (CloudTrail records null for read-only calls). */
  always?: boolean;
}

const SPECS: SectionSpec[] = [
  { id: 'requestParameters', title: 'requestParameters', open: true, always: true },
  { id: 'responseElements', title: 'responseElements', open: true, always: true },
  { id: 'userIdentity', title: 'userIdentity', open: false },
  { id: 'resources', title: 'resources', open: true },
  { id: 'additionalEventData', title: 'additionalEventData', open: true },
  { id: 'other', title: 'Other fields', open: false },
  { id: 'raw', title: 'Raw JSON', open: false },
];

const OWN_SECTION = new Set<string>(SPECS.map((s) => s.id));

/** Fields for "Other fields": everything neither in the header nor in a section of its own. */
export function otherFields(record: CloudTrailRecord): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(record)) {
    if (!HEADER_FIELDS.has(k) && !OWN_SECTION.has(k) && k !== 'userIdentity') out[k] = v;
  }
  return out;
}

export interface Section {
  id: SectionId;
  el: HTMLDetailsElement;
  tree: JsonTree | undefined;
  findables(): Findable[];
}

export interface SectionHost extends TreeHost {
  post(msg: WebviewToHost): void;
}

function note(text: string): HTMLElement {
  return h('p', { class: 'note' }, text);
}

export function renderSections(record: CloudTrailRecord, host: SectionHost, flags?: ShapeFlags): Section[] {
  const sections: Section[] = [];
  for (const spec of SPECS) {
    const present = spec.id === 'raw' || spec.id === 'other' || Object.prototype.hasOwnProperty.call(record, spec.id);
    const value: unknown = spec.id === 'raw' ? record : spec.id === 'other' ? otherFields(record) : record[spec.id];
    if (!present && !spec.always) continue;
    if (spec.id === 'other' && sizeOf(value) === 0) continue;

    const body = h('div', { class: 'section-body' });
    let tree: JsonTree | undefined;
    if (spec.id === 'raw') {
      const pre = h('pre', { class: 'raw-json', attrs: { tabindex: '0', 'aria-label': 'Raw JSON of the record' } });
      body.appendChild(pre);
    } else if (!present) {
      body.appendChild(note('Not in this record (CloudTrail omits fields larger than 100 KB).'));
    } else if (value === null) {
      body.appendChild(note('null (nothing recorded)'));
    } else if (isContainer(value) && sizeOf(value) === 0) {
      body.appendChild(note(`${Array.isArray(value) ? '[]' : '{}'} (empty)`));
    } else {
      const top = isContainer(value) ? value : { [spec.id]: value };
      const base = spec.id === 'other' || !isContainer(value) ? '' : spec.id;
      tree = new JsonTree(host, spec.title, top, base, spec.id === 'requestParameters' ? flags : undefined);
      body.appendChild(tree.el);
    }

    const copyWhat = spec.id === 'raw' ? 'record' : 'value';
    const copy =
      present &&
      value !== null &&
      h(
        'button',
        {
          class: 'act section-copy',
          attrs: { type: 'button', title: spec.id === 'raw' ? 'Copy the whole record as JSON' : `Copy ${spec.title} as JSON` },
          on: {
            click: (e) => {
              // A button inside <summary> would otherwise also toggle the section.
              e.preventDefault();
              e.stopPropagation();
              host.post({ type: 'copy', text: copyText(value), what: copyWhat });
            },
          },
        },
        'Copy',
      );
    const summary = h(
      'summary',
      {},
      h('span', { class: 'section-title' }, spec.title),
      isContainer(value) && spec.id !== 'raw' && h('span', { class: 'section-count' }, countLabel(value)),
      copy,
    );
    const details = h('details', { class: 'section', attrs: { 'data-section': spec.id } }, summary, body);
    details.open = sectionOpen(host.state, spec.id, spec.open);
    summary.addEventListener('click', () => {
      // The click fires before the toggle: the new state is the opposite of the current one.
      setSectionOpen(host.state, spec.id, !details.open);
      host.persist();
    });
    if (spec.id === 'raw') {
      // Pretty-printing a large record is deferred until someone opens it.
      const fill = () => {
        const pre = body.querySelector('pre');
        if (details.open && pre && !pre.firstChild) pre.textContent = copyText(record);
      };
      details.addEventListener('toggle', fill);
      fill();
    }
    sections.push({ id: spec.id, el: details, tree, findables: () => (tree ? tree.all() : []) });
  }
  linkKeyboard(sections, host);
  return sections;
}

/**
 * One keyboard path through the whole panel body: ↓ from a tree's last row reaches the next section's
 * header, ↑ from its first row (and ← from its top level) its own header; on a header ↓/↑ move to the
 * next/previous section, → opens it or enters its tree, ← closes it.
 */
function linkKeyboard(sections: Section[], host: SectionHost): void {
  const shown = () => sections.filter((s) => !s.el.hidden);
  const summaryOf = (s: Section) => s.el.querySelector('summary');
  const focusSummary = (s: Section | undefined) => {
    if (s) summaryOf(s)?.focus();
    return s !== undefined;
  };
  const setOpen = (s: Section, open: boolean) => {
    s.el.open = open;
    setSectionOpen(host.state, s.id, open);
    host.persist();
  };
  /** Into `s` from below: its last row shown when open, else its header. */
  const enterFromBelow = (s: Section | undefined): boolean => {
    if (!s) return false;
    if (s.el.open && s.tree?.focusLast()) return true;
    return focusSummary(s);
  };
  for (const s of sections) {
    const neighbour = (dir: 1 | -1) => {
      const list = shown();
      return list[list.indexOf(s) + dir];
    };
    if (s.tree) {
      s.tree.onExit = (dir) => {
        if (dir === 'down') focusSummary(neighbour(1));
        else focusSummary(s);
      };
    }
    summaryOf(s)?.addEventListener('keydown', (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.target !== summaryOf(s)) return;
      let handled = true;
      switch (e.key) {
        case 'ArrowDown':
          if (!(s.el.open && s.tree?.focusFirst())) focusSummary(neighbour(1));
          break;
        case 'ArrowUp':
          enterFromBelow(neighbour(-1));
          break;
        case 'ArrowRight':
          if (!s.el.open) setOpen(s, true);
          else s.tree?.focusFirst();
          break;
        case 'ArrowLeft':
          if (s.el.open) setOpen(s, false);
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    });
  }
}
