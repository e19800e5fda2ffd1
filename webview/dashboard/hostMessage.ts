/**
 * Checks what arrives by postMessage before the page draws it: only the host's two message shapes,
 * with every field of the expected type, pass. A malformed message is dropped, never half-drawn.
 */
import { DIMENSIONS, type SummaryRow, type TimePoint } from '../../src/core/errorSummary/aggregate.js';
import type { DashboardData, HostToDashboard } from '../../src/protocol/dashboardProtocol.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || isStr(v);

function isRow(v: unknown): v is SummaryRow {
  return isObj(v) && isStr(v.key) && isNum(v.count) && isNum(v.share) && isStr(v.first) && isStr(v.last) && isNum(v.error);
}

function isPoint(v: unknown): v is TimePoint {
  return isObj(v) && isStr(v.start) && isNum(v.count);
}

function isData(d: unknown): d is DashboardData {
  if (!isObj(d) || !isObj(d.top)) return false;
  const top = d.top;
  return (
    isStr(d.scope) &&
    Array.isArray(d.noiseRules) &&
    d.noiseRules.every(isStr) &&
    typeof d.includeHidden === 'boolean' &&
    typeof d.includeServiceCallers === 'boolean' &&
    typeof d.approximate === 'boolean' &&
    typeof d.hasOlder === 'boolean' &&
    [d.loaded, d.failed, d.total, d.hidden, d.serviceCalls].every(isNum) &&
    (d.matched === undefined || isNum(d.matched)) &&
    optStr(d.first) &&
    optStr(d.last) &&
    (d.bucket === 'hour' || d.bucket === 'day') &&
    Array.isArray(d.timeline) &&
    d.timeline.every(isPoint) &&
    DIMENSIONS.every((k) => Array.isArray(top[k]) && (top[k] as unknown[]).every(isRow))
  );
}

export function parseDashboardHostMessage(raw: unknown): HostToDashboard | undefined {
  if (!isObj(raw)) return undefined;
  if (raw.type === 'busy' && isStr(raw.text)) return { type: 'busy', text: raw.text };
  if (raw.type === 'summary' && isData(raw.data)) return { type: 'summary', data: raw.data };
  return undefined;
}
