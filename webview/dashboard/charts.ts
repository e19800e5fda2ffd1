/**
 * Plain-SVG charts for the error summary, built with DOM APIs only: elements by createElementNS,
 * text by textContent (keys come from events: never parsed as markup). Colours are VS Code theme
 * variables set in dashboard.css through classes, so light, dark and high-contrast themes apply.
 * Every bar is a focusable button with an aria label; Enter or Space activates it like a click.
 */
import type { SummaryRow, TimePoint } from '../../src/core/errorSummary/aggregate.js';
import { setAttr } from '../dom.js';

const SVG = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) setAttr(el, k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Makes an SVG group act as a button: focusable, labelled, Enter/Space/click run `activate`. */
function asButton(el: SVGElement, label: string, activate: () => void): void {
  setAttr(el, 'role', 'button');
  setAttr(el, 'tabindex', '0');
  setAttr(el, 'aria-label', label);
  el.appendChild(svg('title', {}, label));
  el.addEventListener('click', activate);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      activate();
    }
  });
}

/** Text cut to about `max` characters with "…" (the full key is in the bar's title and the table). */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/** A "nice" axis maximum ≥ n: 1, 2, 5 × 10^k. */
export function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export interface HBarOptions {
  width: number;
  /** The bar's class: its colour (dashboard.css). */
  tone: string;
  /** The label a bar's button announces, e.g. "AccessDenied: 22 failed calls (11.3%)". */
  describe(row: SummaryRow): string;
  onActivate(row: SummaryRow): void;
}

/** Horizontal bars: the key on the left, the bar, then the count and share. */
export function horizontalBars(rows: SummaryRow[], opts: HBarOptions): SVGSVGElement {
  const rowH = 24;
  const labelW = Math.min(260, Math.max(120, Math.floor(opts.width * 0.42)));
  const valueW = 96;
  const barW = Math.max(40, opts.width - labelW - valueW - 16);
  const height = rows.length * rowH + 4;
  const chart = svg('svg', { class: 'chart hbars', width: opts.width, height, viewBox: `0 0 ${opts.width} ${height}`, role: 'group' });
  const max = Math.max(1, ...rows.map((r) => r.count));
  const chars = Math.floor(labelW / 7.2);
  rows.forEach((row, i) => {
    const y = i * rowH + 2;
    const g = svg('g', { class: 'bar-row' });
    g.appendChild(svg('rect', { class: 'hit', x: 0, y, width: opts.width, height: rowH - 2, rx: 2 }));
    g.appendChild(
      svg(
        'text',
        { class: 'label', x: labelW - 8, y: y + rowH / 2 + 1, 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        cut(row.key, chars),
      ),
    );
    const w = Math.max(2, Math.round((row.count / max) * barW));
    g.appendChild(svg('rect', { class: `bar ${opts.tone}`, x: labelW, y: y + 4, width: w, height: rowH - 10, rx: 2 }));
    g.appendChild(
      svg(
        'text',
        { class: 'value', x: labelW + w + 6, y: y + rowH / 2 + 1, 'dominant-baseline': 'middle' },
        `${row.count} · ${percent(row.share)}`,
      ),
    );
    asButton(g, opts.describe(row), () => opts.onActivate(row));
    chart.appendChild(g);
  });
  return chart;
}

export interface ColumnOptions {
  width: number;
  bucket: 'hour' | 'day';
  onActivate(point: TimePoint): void;
}

/** "11-25" for days, "11-25 13:00" for hours (UTC). */
export function bucketLabel(start: string, bucket: 'hour' | 'day'): string {
  return bucket === 'day' ? start.slice(5, 10) : `${start.slice(5, 10)} ${start.slice(11, 16)}`;
}

/** Vertical bars over time with a y axis (0 and the nice maximum) and a few x labels. */
export function columns(points: TimePoint[], opts: ColumnOptions): SVGSVGElement {
  const height = 180;
  const left = 40;
  const bottom = 24;
  const top = 10;
  const plotW = Math.max(60, opts.width - left - 8);
  const plotH = height - bottom - top;
  const chart = svg('svg', { class: 'chart columns', width: opts.width, height, viewBox: `0 0 ${opts.width} ${height}`, role: 'group' });
  const max = niceMax(Math.max(1, ...points.map((p) => p.count)));
  for (const v of [0, max / 2, max]) {
    const y = top + plotH - (v / max) * plotH;
    chart.appendChild(svg('line', { class: 'grid', x1: left, x2: left + plotW, y1: y, y2: y }));
    chart.appendChild(svg('text', { class: 'axis', x: left - 6, y, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, String(v)));
  }
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.max(1, Math.min(28, slot * 0.8));
  // x labels where there is room: one per 56 px for days, 96 px for hours
  const every = Math.max(1, Math.ceil((opts.bucket === 'day' ? 56 : 96) / slot));
  points.forEach((p, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const h = (p.count / max) * plotH;
    const g = svg('g', { class: 'column' });
    g.appendChild(svg('rect', { class: 'hit', x: left + i * slot, y: top, width: slot, height: plotH }));
    g.appendChild(svg('rect', { class: 'bar tone-error', x, y: top + plotH - h, width: barW, height: Math.max(p.count ? 1 : 0, h) }));
    const when = opts.bucket === 'day' ? `${p.start.slice(0, 10)} UTC` : `${p.start.slice(0, 10)} ${p.start.slice(11, 16)} UTC`;
    asButton(g, `${when}: ${p.count} failed call${p.count === 1 ? '' : 's'}. Show this ${opts.bucket} in the Events view`, () =>
      opts.onActivate(p),
    );
    chart.appendChild(g);
    if (i % every === 0) {
      chart.appendChild(
        svg(
          'text',
          { class: 'axis', x: left + i * slot + slot / 2, y: height - 8, 'text-anchor': 'middle' },
          bucketLabel(p.start, opts.bucket),
        ),
      );
    }
  });
  return chart;
}
