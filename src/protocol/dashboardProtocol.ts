/**
 * The message protocol between the error-summary dashboard webview and the extension host. The
 * host aggregates (core/errorSummary) and sends only the aggregates; the page draws them. Keys in
 * the rows come from events and are attacker-controlled: the page renders them as text only.
 * Everything from the page is untrusted: the host runs `parseDashboardMessage` and ignores the rest.
 */
import { DIMENSIONS, type Dimension, type SummaryRow, type TimeBucket, type TimePoint } from '../core/errorSummary/aggregate';

export interface DashboardData {
  /** What the summary covers, in words: the Events view's range, filters and what is loaded. */
  scope: string;
  /** The noise rules in effect, in words (empty: none is on). */
  noiseRules: string[];
  includeHidden: boolean;
  includeServiceCallers: boolean;
  /** Events loaded in the Events view. */
  loaded: number;
  /** With a filter pattern in the view: how many of them it keeps (only those are summarised). */
  matched?: number;
  failed: number;
  total: number;
  hidden: number;
  serviceCalls: number;
  first?: string;
  last?: string;
  approximate: boolean;
  /** The Events view has older time in its range still to load. */
  hasOlder: boolean;
  bucket: TimeBucket;
  timeline: TimePoint[];
  top: Record<Dimension, SummaryRow[]>;
}

export type HostToDashboard = { type: 'summary'; data: DashboardData } | { type: 'busy'; text: string };

export type DashboardToHost =
  | { type: 'ready' }
  | { type: 'options'; includeHidden: boolean; includeServiceCallers: boolean }
  /** Filter the Events view to the events with this key (a bar, a code, a caller). */
  | { type: 'filter'; dimension: Dimension; key: string }
  /** Show this hour or day in the Events view. */
  | { type: 'timeRange'; start: string; bucket: TimeBucket }
  /** Load the rest of the Events view's range, then summarise again. */
  | { type: 'loadAll' }
  | { type: 'noiseRules' };

/** Keys longer than this are not event values (CloudTrail fields are far shorter). */
export const MAX_KEY = 4096;

export function parseDashboardMessage(raw: unknown): DashboardToHost | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const msg = raw as Record<string, unknown>;
  const keys = Object.keys(msg);
  const only = (...allowed: string[]) => keys.every((k) => allowed.includes(k));
  switch (msg.type) {
    case 'ready':
    case 'loadAll':
    case 'noiseRules':
      return only('type') ? { type: msg.type } : undefined;
    case 'options':
      if (!only('type', 'includeHidden', 'includeServiceCallers')) return undefined;
      if (typeof msg.includeHidden !== 'boolean' || typeof msg.includeServiceCallers !== 'boolean') return undefined;
      return { type: 'options', includeHidden: msg.includeHidden, includeServiceCallers: msg.includeServiceCallers };
    case 'filter':
      if (!only('type', 'dimension', 'key') || !(DIMENSIONS as readonly unknown[]).includes(msg.dimension)) return undefined;
      if (typeof msg.key !== 'string' || msg.key === '' || msg.key.length > MAX_KEY) return undefined;
      return { type: 'filter', dimension: msg.dimension as Dimension, key: msg.key };
    case 'timeRange':
      if (!only('type', 'start', 'bucket') || (msg.bucket !== 'hour' && msg.bucket !== 'day')) return undefined;
      if (typeof msg.start !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/.test(msg.start)) return undefined;
      return { type: 'timeRange', start: msg.start, bucket: msg.bucket };
    default:
      return undefined;
  }
}
