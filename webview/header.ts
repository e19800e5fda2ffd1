/**
 * The panel header: what happened, when, where and by whom, each value copyable, plus the
 * panel actions and, when the call failed, the error front and centre.
 */
import type { CloudTrailRecord } from '../src/core/record.js';
import type { EventContext, WebviewToHost } from '../src/shared/protocol.js';
import { h, highlighted, replaceChildren, setAttr } from './dom.js';
import { button, tag } from './toolkit.js';
import { formatEventTime, looksLikeId } from './values.js';

/** Something search can find and point at: header values and tree nodes alike. */
export interface Findable {
  matches(query: string): boolean;
  paint(query: string): boolean;
  setCurrent(on: boolean): void;
  target(): HTMLElement | undefined;
  /** Makes the match visible: opens its section and expands its ancestors. */
  reveal(): void;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A value shown as text with copy (and, for IDs, find) buttons. */
class ValueText implements Findable {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  constructor(
    readonly label: string,
    readonly value: string,
    post: (m: WebviewToHost) => void,
    cls = 'field-value',
  ) {
    this.text = h('span', { class: 'text' }, value);
    const copy = h(
      'button',
      {
        class: 'act',
        attrs: { type: 'button', title: `Copy ${label}`, 'aria-label': `Copy ${label}` },
        on: { click: () => post({ type: 'copy', text: value, what: 'value' }) },
      },
      'Copy',
    );
    const find =
      looksLikeId(value) &&
      h(
        'button',
        {
          class: 'act',
          attrs: { type: 'button', title: 'Find events with this value', 'aria-label': `Find events with this ${label}` },
          on: { click: () => post({ type: 'findValue', value }) },
        },
        'Find events',
      );
    this.el = h('span', { class: `copyable ${cls}` }, this.text, h('span', { class: 'actions inline' }, copy, find));
  }
  matches(q: string): boolean {
    return q !== '' && this.value.toLowerCase().includes(q.toLowerCase());
  }
  paint(q: string): boolean {
    const r = highlighted(this.value, q);
    replaceChildren(this.text, ...r.nodes);
    return r.count > 0;
  }
  setCurrent(on: boolean): void {
    this.el.classList.toggle('current', on);
  }
  target(): HTMLElement {
    return this.el;
  }
  reveal(): void {
    // Header values are always visible.
  }
}

export interface HeaderActions {
  post(msg: WebviewToHost): void;
}

export interface Header {
  el: HTMLElement;
  findables: Findable[];
  setPinned(pinned: boolean): void;
}

function contextLine(ctx: EventContext, record: CloudTrailRecord): string {
  const region = ctx.region ?? str(record.awsRegion);
  const parts: string[] = [];
  if (ctx.source === 'sample') parts.push('Sample account');
  else if (ctx.profile) parts.push(`Profile ${ctx.profile}`);
  if (region) parts.push(region);
  parts.push({ lookup: 'from LookupEvents', cache: 'from the local cache', file: 'from a file', sample: 'built-in data' }[ctx.source]);
  return parts.join(' · ');
}

export function renderHeader(record: CloudTrailRecord, ctx: EventContext, pinned: boolean, post: (m: WebviewToHost) => void): Header {
  const findables: Findable[] = [];
  const ui = obj(record.userIdentity);
  const issuer = obj(obj(ui.sessionContext).sessionIssuer);
  const times = formatEventTime(record.eventTime);
  const fields: [string, string | undefined][] = [
    ['Time (local)', times?.local ?? str(record.eventTime)],
    ['Time (UTC)', times?.utc],
    ['Region', str(record.awsRegion)],
    ['Account', str(record.recipientAccountId)],
    ['Identity type', str(ui.type)],
    ['Principal ARN', str(ui.arn)],
    ['User name', str(ui.userName)],
    ['Session issuer', str(issuer.userName) && `${str(issuer.userName)}${str(issuer.type) ? ` (${str(issuer.type)})` : ''}`],
    ['Issuer ARN', str(issuer.arn)],
    ['Invoked by', str(ui.invokedBy)],
    ['Access key', str(ui.accessKeyId)],
    ['Source IP', str(record.sourceIPAddress)],
    ['User agent', str(record.userAgent)],
    ['Request ID', str(record.requestID)],
    ['Event ID', str(record.eventID)],
    ['Read-only', str(record.readOnly)],
    ['Event type', str(record.eventType)],
  ];
  const grid = h('dl', { class: 'fields' });
  for (const [label, value] of fields) {
    if (value === undefined) continue;
    const v = new ValueText(label, value, post);
    findables.push(v);
    grid.appendChild(h('div', { class: 'field' }, h('dt', {}, label), h('dd', {}, v.el)));
  }

  const pin = button(pinned ? 'Pinned' : 'Pin', {
    title: 'Keep this event in the panel when another is opened',
    onClick: () => post({ type: 'togglePin' }),
  });
  const setPinned = (p: boolean) => {
    pin.textContent = p ? 'Pinned' : 'Pin';
    setAttr(pin, 'aria-pressed', String(p));
    pin.classList.toggle('pinned', p);
    setAttr(pin, 'appearance', p ? 'primary' : 'secondary');
  };
  setPinned(pinned);

  const name = str(record.eventName) ?? str(record.eventType) ?? 'Event';
  const nameText = new ValueText('event name', name, post, 'event-name-value');
  const sourceText = str(record.eventSource) ? new ValueText('event source', str(record.eventSource) as string, post, 'event-source-value') : undefined;
  findables.unshift(...[nameText, sourceText].filter((x): x is ValueText => x !== undefined));

  const failed = str(record.errorCode) !== undefined || str(record.errorMessage) !== undefined;
  const badges = h(
    'div',
    { class: 'badges' },
    failed && tag('failed', 'The call returned an error'),
    typeof record.readOnly === 'boolean' && tag(record.readOnly ? 'read-only' : 'write'),
  );
  const title = h(
    'div',
    { class: 'title' },
    h('h1', { class: 'event-name' }, nameText.el),
    h('div', { class: 'event-source' }, sourceText?.el, badges),
    h('div', { class: 'context' }, contextLine(ctx, record)),
  );
  const actions = h(
    'div',
    { class: 'header-actions', attrs: { role: 'toolbar', 'aria-label': 'Event actions' } },
    pin,
    button('Open as JSON', { onClick: () => post({ type: 'openJson' }), title: 'Open the record as a read-only JSON document' }),
    button('Reveal in tree', { onClick: () => post({ type: 'revealInTree' }), title: 'Select this event in the Events view' }),
  );

  const el = h('header', { class: 'event-header' }, h('div', { class: 'title-row' }, title, actions));
  if (failed) {
    const code = str(record.errorCode);
    const message = str(record.errorMessage);
    const codeText = code ? new ValueText('error code', code, post, 'error-code') : undefined;
    const msgText = message ? new ValueText('error message', message, post, 'error-message') : undefined;
    findables.push(...[codeText, msgText].filter((x): x is ValueText => x !== undefined));
    el.appendChild(
      h(
        'section',
        { class: 'error-callout', attrs: { role: 'group', 'aria-label': 'Error returned by the call' } },
        h('div', { class: 'error-title' }, h('span', { class: 'error-icon', attrs: { 'aria-hidden': 'true' } }, '✖'), codeText?.el ?? 'Error'),
        msgText && h('div', { class: 'error-message-row' }, msgText.el),
      ),
    );
  }
  el.appendChild(grid);
  return { el, findables, setPinned };
}
