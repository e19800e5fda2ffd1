/**
 * The error-summary dashboard's page: draws the aggregates the host sends (src/protocol/dashboardProtocol.ts)
 * as SVG charts, each with a data table beside or below it, and posts clicks back as filters.
 * Keys come from events: they reach the page only through textContent (dom.ts, charts.ts).
 */
import type { Dimension, SummaryRow, TimePoint } from '../../src/core/errorSummary/aggregate.js';
import type { DashboardData, DashboardToHost } from '../../src/protocol/dashboardProtocol.js';
import { h, replaceChildren } from '../dom.js';
import { columns, horizontalBars } from './charts.js';
import { parseDashboardHostMessage } from './hostMessage.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const root = document.getElementById('root') ?? document.body;
let data: DashboardData | undefined;
let busy: string | undefined;

function post(msg: DashboardToHost): void {
  api.postMessage(msg);
}

const SECTIONS: { dimension: Dimension; title: string; tone: string; noun: string }[] = [
  { dimension: 'errorCode', title: 'Top error codes', tone: 'tone-error', noun: 'error code' },
  { dimension: 'caller', title: 'Top callers', tone: 'tone-caller', noun: 'caller' },
  { dimension: 'eventSource', title: 'Top event sources', tone: 'tone-source', noun: 'event source' },
  { dimension: 'eventName', title: 'Top event names', tone: 'tone-name', noun: 'event name' },
  { dimension: 'sourceIPAddress', title: 'Top source IP addresses', tone: 'tone-ip', noun: 'source IP address' },
];

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const calls = (n: number) => `${n} failed call${n === 1 ? '' : 's'}`;
const utc = (iso: string | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '');

function filterTo(dimension: Dimension, key: string): void {
  post({ type: 'filter', dimension, key });
}

function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, id: string): HTMLElement {
  const input = h('input', { attrs: { type: 'checkbox', id } });
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  return h('label', { class: 'toggle', attrs: { for: id } }, input, label);
}

function setOptions(change: Partial<{ includeHidden: boolean; includeServiceCallers: boolean }>): void {
  if (!data) return;
  post({
    type: 'options',
    includeHidden: change.includeHidden ?? data.includeHidden,
    includeServiceCallers: change.includeServiceCallers ?? data.includeServiceCallers,
  });
}

function header(d: DashboardData): HTMLElement {
  const noise = d.noiseRules.length
    ? `Noise rules on: ${d.noiseRules.join(', ')} — ${d.hidden} failed call${d.hidden === 1 ? '' : 's'} ${d.includeHidden ? 'they hide are included' : 'hidden'}.`
    : 'No noise rules are on.';
  const span = d.first ? ` from ${utc(d.first)} to ${utc(d.last)} UTC` : '';
  return h(
    'header',
    { class: 'summary-header' },
    h('h1', {}, 'Error summary'),
    h('p', { class: 'scope' }, d.scope),
    h(
      'p',
      { class: 'totals', attrs: { id: 'totals' } },
      `${calls(d.total)} summarised of ${d.loaded} loaded event${d.loaded === 1 ? '' : 's'}${d.matched !== undefined ? ` (${d.matched} match the view's filter pattern)` : ''}${span}.`,
    ),
    h('p', { class: 'noise', attrs: { id: 'noise' } }, noise),
    h(
      'div',
      { class: 'controls' },
      checkbox('Include events hidden by noise rules', d.includeHidden, (v) => setOptions({ includeHidden: v }), 'include-hidden'),
      checkbox(
        'List AWS services as callers',
        d.includeServiceCallers,
        (v) => setOptions({ includeServiceCallers: v }),
        'include-services',
      ),
      h('button', { class: 'action', attrs: { type: 'button' }, on: { click: () => post({ type: 'noiseRules' }) } }, 'Noise Rules…'),
      d.hasOlder
        ? h(
            'button',
            { class: 'action', attrs: { type: 'button' }, on: { click: () => post({ type: 'loadAll' }) } },
            'Load the Rest of the Range',
          )
        : null,
    ),
    d.hasOlder ? h('p', { class: 'note' }, 'Older events in the range are not loaded yet: the summary covers what is loaded.') : null,
    d.approximate ? h('p', { class: 'note' }, 'More distinct values than kept: counts of rare values are upper bounds.') : null,
  );
}

function chartWidth(): number {
  return Math.max(280, Math.min(720, (root.clientWidth || 800) - 8));
}

function timelineSection(d: DashboardData): HTMLElement {
  const title = `Failed calls per ${d.bucket} (UTC)`;
  const table = h(
    'table',
    { class: 'data' },
    h('caption', {}, title),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { attrs: { scope: 'col' } }, d.bucket === 'day' ? 'Day' : 'Hour'),
        h('th', { attrs: { scope: 'col' } }, 'Failed calls'),
      ),
    ),
    h(
      'tbody',
      {},
      ...d.timeline.map((p: TimePoint) =>
        h(
          'tr',
          {},
          h('td', {}, d.bucket === 'day' ? p.start.slice(0, 10) : `${p.start.slice(0, 10)} ${p.start.slice(11, 16)}`),
          h('td', { class: 'num' }, p.count),
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'panel timeline', attrs: { 'aria-labelledby': 'h-timeline' } },
    h('h2', { attrs: { id: 'h-timeline' } }, title),
    d.timeline.length
      ? columns(d.timeline, {
          width: chartWidth(),
          bucket: d.bucket,
          onActivate: (p) => post({ type: 'timeRange', start: p.start, bucket: d.bucket }),
        })
      : h('p', { class: 'empty' }, 'No failed calls.'),
    d.timeline.length
      ? h('div', { class: 'table-scroll', attrs: { tabindex: '0', role: 'region', 'aria-label': `${title}, table` } }, table)
      : null,
  );
}

function topSection(d: DashboardData, s: (typeof SECTIONS)[number]): HTMLElement {
  const rows: SummaryRow[] = d.top[s.dimension];
  const id = `h-${s.dimension}`;
  const note =
    s.dimension === 'caller' && !d.includeServiceCallers && d.serviceCalls
      ? h('p', { class: 'note' }, `${calls(d.serviceCalls)} by AWS services and service-linked roles not listed.`)
      : null;
  if (!rows.length) {
    return h(
      'section',
      { class: 'panel', attrs: { 'aria-labelledby': id } },
      h('h2', { attrs: { id } }, s.title),
      note,
      h('p', { class: 'empty' }, 'None.'),
    );
  }
  const describe = (r: SummaryRow) => `${r.key}: ${calls(r.count)} (${percent(r.share)}). Filter the Events view to this ${s.noun}`;
  const table = h(
    'table',
    { class: 'data' },
    h('caption', {}, s.title),
    h(
      'thead',
      {},
      h('tr', {}, ...['Value', 'Count', 'Share', 'First (UTC)', 'Last (UTC)'].map((c) => h('th', { attrs: { scope: 'col' } }, c))),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          h(
            'td',
            { class: 'key' },
            h(
              'button',
              { class: 'link', attrs: { type: 'button', 'aria-label': describe(r) }, on: { click: () => filterTo(s.dimension, r.key) } },
              r.key,
            ),
          ),
          h('td', { class: 'num' }, r.count),
          h('td', { class: 'num' }, percent(r.share)),
          h('td', { class: 'time' }, utc(r.first)),
          h('td', { class: 'time' }, utc(r.last)),
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: `panel top top-${s.dimension}`, attrs: { 'aria-labelledby': id } },
    h('h2', { attrs: { id } }, s.title),
    note,
    h(
      'div',
      { class: 'chart-and-table' },
      horizontalBars(rows, { width: Math.min(chartWidth(), 470), tone: s.tone, describe, onActivate: (r) => filterTo(s.dimension, r.key) }),
      table,
    ),
  );
}

function render(): void {
  root.removeAttribute('aria-busy');
  // Drawing again replaces the controls: keep the focus on the one that had it.
  const focused = document.activeElement?.id;
  draw();
  if (focused) document.getElementById(focused)?.focus();
}

function draw(): void {
  if (!data) {
    replaceChildren(root, h('div', { class: 'loading' }, busy ?? 'Summarising the loaded events…'));
    return;
  }
  const d = data;
  const body = d.failed
    ? [timelineSection(d), ...SECTIONS.map((s) => topSection(d, s))]
    : [h('p', { class: 'empty' }, d.loaded ? 'No failed calls among the loaded events.' : 'No events are loaded in the Events view yet.')];
  replaceChildren(root, header(d), busy ? h('p', { class: 'busy', attrs: { role: 'status' } }, busy) : null, ...body);
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = parseDashboardHostMessage(event.data);
  if (!msg) return;
  if (msg.type === 'busy') busy = msg.text;
  else {
    busy = undefined;
    data = msg.data;
  }
  render();
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => data && render(), 150);
});

post({ type: 'ready' });
