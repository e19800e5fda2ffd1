/**
 * The dashboard's aggregates from the Events view's records, with no `vscode` (unit-tested in
 * plain Node): the view's noise rules as a classifier, the summary built in slices that yield to
 * the event loop between them (a large window never blocks the extension host), and what each
 * click filters the Events view to.
 */
import { bucketFor, DIMENSIONS, ErrorSummaryBuilder, noiseClassifier, type Dimension } from '../../core/errorSummary/aggregate';
import type { CloudTrailRecord, LookupAttribute } from '../../core/record';
import type { FilterPattern } from '../../core/filter/pattern';
import type { NoiseRule } from '../../core/noise';
import type { DashboardData } from '../../protocol/dashboardProtocol';

/** Rows per top list the page shows. */
export const TOP_N = 10;
/** Records summarised between two yields to the event loop. */
const SLICE = 4000;

export interface DashboardInput {
  records: readonly CloudTrailRecord[];
  /** The Events view's filter pattern: only what it keeps is summarised. */
  pattern?: FilterPattern;
  rules: readonly NoiseRule[];
  includeHidden: boolean;
  includeServiceCallers: boolean;
  scope: string;
  hasOlder: boolean;
  /** Called between slices with the share done (0–1); a newer summary makes `cancelled` true. */
  onProgress?: (done: number) => void;
  cancelled?: () => boolean;
}

/** The summary of the records, or undefined when cancelled part-way. */
export async function buildDashboardData(input: DashboardInput): Promise<DashboardData | undefined> {
  const builder = new ErrorSummaryBuilder({
    noise: noiseClassifier(input.rules),
    includeHidden: input.includeHidden,
    includeServiceCallers: input.includeServiceCallers,
  });
  const { records } = input;
  for (let i = 0; i < records.length; i += SLICE) {
    const slice = records.slice(i, i + SLICE);
    builder.add(input.pattern ? slice.filter((r) => input.pattern!.matches(r)) : slice);
    if (i + SLICE < records.length) {
      input.onProgress?.((i + SLICE) / records.length);
      await new Promise((resolve) => setImmediate(resolve));
      if (input.cancelled?.()) return undefined;
    }
  }
  const s = builder.summary();
  const bucket = bucketFor(s.first, s.last);
  return {
    scope: input.scope,
    noiseRules: input.rules.map((r) => r.label),
    includeHidden: s.includeHidden,
    includeServiceCallers: s.includeServiceCallers,
    loaded: records.length,
    ...(input.pattern ? { matched: s.scanned } : {}),
    failed: s.failed,
    total: s.total,
    hidden: s.hidden,
    serviceCalls: s.serviceCalls,
    first: s.first,
    last: s.last,
    approximate: s.approximate,
    hasOlder: input.hasOlder,
    bucket,
    timeline: builder.timeline(bucket),
    top: Object.fromEntries(DIMENSIONS.map((d) => [d, builder.top(d, TOP_N)])) as DashboardData['top'],
  };
}

/** A filter-pattern string literal: quotes and backslashes escaped. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * What a click on a key filters the Events view to: the exact LookupEvents attribute where one
 * exists (EventSource, EventName, Username for users and role sessions), else a filter pattern.
 */
export function filterFor(dimension: Dimension, key: string): { attribute: LookupAttribute } | { pattern: string } {
  switch (dimension) {
    case 'eventSource':
      return { attribute: { key: 'EventSource', value: key } };
    case 'eventName':
      return { attribute: { key: 'EventName', value: key } };
    case 'caller': {
      // actorLabel: "role/session" for assumed roles, the user name, or the invoking service.
      if (/\.amazonaws\.com$/.test(key)) return { pattern: `{ $.userIdentity.invokedBy = ${quoted(key)} }` };
      const slash = key.indexOf('/');
      return { attribute: { key: 'Username', value: slash >= 0 ? key.slice(slash + 1) : key } };
    }
    case 'errorCode':
      return { pattern: `{ $.errorCode = ${quoted(key)} }` };
    case 'sourceIPAddress':
      return { pattern: `{ $.sourceIPAddress = ${quoted(key)} }` };
  }
}
