/**
 * The panel header: what happened, when, where and by whom, each value copyable, plus the panel
 * actions and, when the call failed, the error front and centre. It is kept short so that, in a
 * panel beside a log, requestParameters and responseElements are on the first screen: one line of
 * facts (time, Region, account, request ID) and one line of identity that expands to every field.
 */
import type { CloudTrailRecord } from '../src/core/record.js';
import type { EventContext, FollowedValue, PanelNav, WebviewToHost } from '../src/protocol/protocol.js';
import { EVENT_SOURCE_LABELS } from '../src/protocol/protocol.js';
import { h, highlighted, replaceChildren, setAttr } from './dom.js';
import { button, tag } from './toolkit.js';
import { followable, formatEventTime } from './values.js';

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
      followable(value) &&
      h(
        'button',
        {
          class: 'act',
          attrs: { type: 'button', title: 'Find events with this value', 'aria-label': `Find events with this ${label}` },
          on: { click: () => post({ type: 'findValue', value }) },
        },
        'Find events',
      );
    // The buttons follow the text in the flow (shown on hover or focus): they never cover it.
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
    // Header values are visible, except those in the collapsed identity details.
    const details = this.el.closest('details');
    if (details && !details.open) details.open = true;
  }
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
  parts.push(ctx.where ? `${EVENT_SOURCE_LABELS[ctx.source]} ${ctx.where}` : EVENT_SOURCE_LABELS[ctx.source]);
  return parts.join(' · ');
}

/** The last part of an ARN ("assumed-role/cfn-exec-role/session" → "cfn-exec-role/session"). */
function arnName(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const resource = arn.split(':').slice(5).join(':');
  return resource.replace(/^(assumed-role|user|role|federated-user)\//, '') || undefined;
}

/** One line saying who made the call: "AssumedRole cfn-exec-role · via cloudformation.amazonaws.com · from 203.0.113.7". */
export function identityLine(record: CloudTrailRecord): string {
  const ui = obj(record.userIdentity);
  const issuer = obj(obj(ui.sessionContext).sessionIssuer);
  const who = str(ui.userName) ?? str(issuer.userName) ?? arnName(str(ui.arn)) ?? str(ui.principalId);
  const parts = [[str(ui.type), who].filter(Boolean).join(' ')];
  if (str(ui.invokedBy)) parts.push(`via ${str(ui.invokedBy)}`);
  if (str(record.sourceIPAddress) && str(record.sourceIPAddress) !== str(ui.invokedBy)) parts.push(`from ${str(record.sourceIPAddress)}`);
  return parts.filter(Boolean).join(' · ') || 'unknown';
}

function field(label: string, v: ValueText): HTMLElement {
  return h('div', { class: 'field' }, h('dt', {}, label), h('dd', {}, v.el));
}

const ROLE_TEXT: Record<FollowedValue['role'], string> = {
  produced: 'this event produced it',
  consumed: 'this event passed it in',
  mentioned: 'this event holds it',
};

/** "Followed <value> from <event>: this event produced it, at responseElements.keyMetadata.keyId". */
function followedNote(f: FollowedValue): HTMLElement {
  const where = f.paths.length ? f.paths.join(', ') : undefined;
  return h(
    'div',
    { class: `followed-note ${f.role}`, attrs: { role: 'note' } },
    'Followed ',
    h('code', { class: 'followed-value' }, f.value),
    ` from ${f.from}: `,
    h('strong', {}, ROLE_TEXT[f.role]),
    where && ' at ',
    where && h('code', {}, where),
    f.arn && ' · its ARN: ',
    f.arn && h('code', { class: 'followed-arn' }, f.arn),
  );
}

export interface HeaderOptions {
  pinned: boolean;
  nav?: PanelNav;
  followed?: FollowedValue;
}

export function renderHeader(record: CloudTrailRecord, ctx: EventContext, opts: HeaderOptions, post: (m: WebviewToHost) => void): Header {
  const findables: Findable[] = [];
  const ui = obj(record.userIdentity);
  const issuer = obj(obj(ui.sessionContext).sessionIssuer);
  const times = formatEventTime(record.eventTime);
  const make = (label: string, value: string | undefined): HTMLElement | undefined => {
    if (value === undefined) return undefined;
    const v = new ValueText(label, value, post);
    findables.push(v);
    return field(label, v);
  };
  // The first screen: when, where, and the ID the person came with.
  const facts = h(
    'dl',
    { class: 'facts' },
    make('Time (UTC)', times?.utc ?? str(record.eventTime)),
    make('Time (local)', times?.local),
    make('Region', str(record.awsRegion)),
    make('Account', str(record.recipientAccountId)),
    make('Request ID', str(record.requestID)),
  );
  const identityFields: [string, string | undefined][] = [
    ['Identity type', str(ui.type)],
    ['Principal ARN', str(ui.arn)],
    ['User name', str(ui.userName)],
    ['Session issuer', str(issuer.userName) && `${str(issuer.userName)}${str(issuer.type) ? ` (${str(issuer.type)})` : ''}`],
    ['Issuer ARN', str(issuer.arn)],
    ['Invoked by', str(ui.invokedBy)],
    ['Access key', str(ui.accessKeyId)],
    ['Source IP', str(record.sourceIPAddress)],
    ['User agent', str(record.userAgent)],
    ['Event ID', str(record.eventID)],
    ['Read-only', str(record.readOnly)],
    ['Event type', str(record.eventType)],
  ];
  const grid = h('dl', { class: 'fields' }, ...identityFields.map(([label, value]) => make(label, value)));
  const identity = h(
    'details',
    { class: 'identity' },
    h(
      'summary',
      { attrs: { title: 'Identity, source and IDs: click or press Enter for every field' } },
      h('span', { class: 'identity-label' }, 'Identity'),
      h('span', { class: 'identity-line' }, identityLine(record)),
    ),
    grid,
  );

  const pin = button(opts.pinned ? 'Pinned' : 'Pin', {
    title: 'Keep this event in the panel when another is opened',
    onClick: () => post({ type: 'togglePin' }),
  });
  const setPinned = (p: boolean) => {
    pin.textContent = p ? 'Pinned' : 'Pin';
    setAttr(pin, 'aria-pressed', String(p));
    pin.classList.toggle('pinned', p);
    setAttr(pin, 'appearance', p ? 'primary' : 'secondary');
  };
  setPinned(opts.pinned);

  const name = str(record.eventName) ?? str(record.eventType) ?? 'Event';
  const nameText = new ValueText('event name', name, post, 'event-name-value');
  const sourceText = str(record.eventSource)
    ? new ValueText('event source', str(record.eventSource) as string, post, 'event-source-value')
    : undefined;
  findables.unshift(...[nameText, sourceText].filter((x): x is ValueText => x !== undefined));

  const failed = str(record.errorCode) !== undefined || str(record.errorMessage) !== undefined;
  const badges = h(
    'div',
    { class: 'badges' },
    failed && tag('failed', 'The call returned an error', 'failed'),
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
    button('Related events', {
      onClick: () => post({ type: 'investigate', action: 'related' }),
      title: 'Events by the same caller (access key, session, invoking service, source IP) around this one',
    }),
    button('Resource history', {
      onClick: () => post({ type: 'investigate', action: 'history' }),
      title: 'The events of a resource this event names',
    }),
    button('Copy as Markdown', {
      onClick: () => post({ type: 'investigate', action: 'copyMarkdown' }),
      title: 'Key fields, error, parameters and a CloudTrail console link, for a ticket',
    }),
  );
  const nav = opts.nav;
  const history =
    nav &&
    h(
      'div',
      { class: 'history', attrs: { role: 'toolbar', 'aria-label': 'Event history' } },
      historyButton('back', nav.back, post),
      historyButton('forward', nav.forward, post),
    );

  const el = h('header', { class: 'event-header' }, history, h('div', { class: 'title-row' }, title, actions));
  if (opts.followed) el.appendChild(followedNote(opts.followed));
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
        h(
          'div',
          { class: 'error-title' },
          h('span', { class: 'error-icon', attrs: { 'aria-hidden': 'true' } }, '✖'),
          codeText?.el ?? 'Error',
        ),
        msgText && h('div', { class: 'error-message-row' }, msgText.el),
      ),
    );
  }
  el.append(facts, identity);
  return { el, findables, setPinned };
}

/** Back / Forward: names the event it goes to; disabled when there is none. */
function historyButton(to: 'back' | 'forward', label: string | undefined, post: (m: WebviewToHost) => void): HTMLElement {
  const text = to === 'back' ? '← Back' : 'Forward →';
  const key = to === 'back' ? 'Alt+←' : 'Alt+→';
  const b = button(text, {
    title: label ? `${to === 'back' ? 'Back to' : 'Forward to'} ${label} (${key})` : `Nothing to go ${to} to (${key})`,
    onClick: () => label !== undefined && post({ type: 'navigate', to }),
  });
  b.classList.add(`history-${to}`);
  if (label === undefined) setAttr(b, 'disabled', '');
  return b;
}
