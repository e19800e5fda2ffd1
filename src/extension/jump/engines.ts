/**
 * Which engines a request-ID jump can search besides event history, and when it should go to one
 * straight away. No `vscode` here (unit-tested in plain Node): the settings come in as values.
 *
 * - A step per engine: "Search Athena" when `trailLens.athena.table` is set, "Search CloudWatch Logs"
 *   when a log group is set or a trail in the Region delivers to one, "Search CloudTrail Lake" when
 *   an event data store is set, "Search Trail Files" when trail file sources are. An engine without
 *   its setting is a "Set Up …" step that opens the setting: never a button that cannot work.
 * - Routing: LookupEvents keeps 90 days of management events only. A request the text dates before
 *   that, or a data event the text names (an S3 object call, Lambda Invoke), goes to the trail
 *   source or the first engine configured, saying why; a trail source chosen as the event source is
 *   searched first whatever the request.
 */
import { dataEventNamed } from '../../core/dataEvents';
import { collectHints, type SearchHints } from '../../core/hints';
import { EVENT_HISTORY_DAYS, EVENT_HISTORY_MS } from '../../core/limits';
import { formatUtc, type TimeWindow } from '../../core/time';

export type EngineId = 'athena' | 'logs' | 'lake' | 'trail';

/** The order steps are offered in. */
export const ENGINE_ORDER: readonly EngineId[] = ['athena', 'logs', 'lake', 'trail'];

export const ENGINES: Readonly<Record<EngineId, { search: string; setup: string; setting: string; name: string; detail: string }>> = {
  athena: {
    search: 'Search Athena',
    setup: 'Set Up Athena…',
    setting: 'trailLens.athena.table',
    name: 'Athena',
    detail: 'SQL over the trail bucket: every event the trail logged, about $5 per TB scanned',
  },
  logs: {
    search: 'Search CloudWatch Logs',
    setup: 'Set Up CloudWatch Logs…',
    setting: 'trailLens.cloudWatchLogs.logGroup',
    name: 'CloudWatch Logs',
    detail: 'FilterLogEvents on the log group the trail delivers to',
  },
  lake: {
    search: 'Search CloudTrail Lake',
    setup: 'Set Up CloudTrail Lake…',
    setting: 'trailLens.lake.eventDataStore',
    name: 'CloudTrail Lake',
    detail: 'SQL on a CloudTrail Lake event data store',
  },
  trail: {
    search: 'Search Trail Files',
    setup: 'Set Up Trail Files…',
    setting: 'trailLens.trailFiles.sources',
    name: 'trail files',
    detail: "the trail's log files, in a local folder or its S3 bucket",
  },
};

export interface EngineConfig {
  athena?: { table: string; database?: string; workgroup?: string; outputLocation?: string };
  /** trailLens.cloudWatchLogs.logGroup, else the CloudWatchLogsLogGroupArn of a trail in the Region. */
  logGroup?: string;
  lakeEventDataStore?: string;
  /** The trail source to search (trailSourceOf). */
  trailSource?: string;
}

/** What a step searches, for its detail: the table, log group, event data store or files. */
export function engineWhere(engine: EngineId, config: EngineConfig): string | undefined {
  switch (engine) {
    case 'athena':
      return config.athena
        ? config.athena.database
          ? `${config.athena.database}.${config.athena.table}`
          : config.athena.table
        : undefined;
    case 'logs':
      return config.logGroup;
    case 'lake':
      return config.lakeEventDataStore;
    case 'trail':
      return config.trailSource;
  }
}

/** trailLens.events.source when it names a trail source (not event history), else the first of trailLens.trailFiles.sources. */
export function trailSourceOf(eventsSource: string | undefined, trailFileSources: readonly string[]): string | undefined {
  return eventsSource?.trim() || trailFileSources[0];
}

export interface EngineSteps {
  /** Engines with their settings, in ENGINE_ORDER: "Search Athena" … */
  ready: EngineId[];
  /** Engines without: "Set Up Athena…" … */
  setup: EngineId[];
}

/** The engines to offer; `runnable` is what this build can run (an engine it cannot run is offered neither way). */
export function engineSteps(config: EngineConfig, runnable: ReadonlySet<EngineId>): EngineSteps {
  const ready: EngineId[] = [];
  const setup: EngineId[] = [];
  for (const engine of ENGINE_ORDER) {
    if (!runnable.has(engine)) continue;
    (engineWhere(engine, config) ? ready : setup).push(engine);
  }
  return { ready, setup };
}

/** The engine a step label stands for ("Search Athena" → athena), with whether it is the set-up step. */
export function engineOfStep(label: string | undefined): { engine: EngineId; setup: boolean } | undefined {
  for (const engine of ENGINE_ORDER) {
    if (label === ENGINES[engine].search) return { engine, setup: false };
    if (label === ENGINES[engine].setup) return { engine, setup: true };
  }
  return undefined;
}

export interface JumpRoute {
  /** Why event history is skipped, for the progress title and the message: "GetObject is an S3 data event …". */
  reason: string;
  /** Where to search instead; undefined: nothing is configured (offer the set-up steps). */
  engine?: EngineId;
}

export interface RouteInput {
  text: string;
  hints: Pick<SearchHints, 'times' | 'eventName'>;
  now: number;
  /** True when trailLens.events.source names a trail source. */
  eventsSourceIsTrail: boolean;
}

/**
 * Where the jump goes first: undefined for event history (LookupEvents), else the reason and the
 * engine. The trail source wins (free, and chosen by the person); else the first engine ready.
 */
export function routeJump(input: RouteInput, steps: EngineSteps): JumpRoute | undefined {
  const preferred = steps.ready.includes('trail') ? 'trail' : steps.ready[0];
  if (input.eventsSourceIsTrail && steps.ready.includes('trail')) return { reason: 'the event source is trail files', engine: 'trail' };
  const at = input.hints.times[0];
  if (at && at.getTime() < input.now - EVENT_HISTORY_MS) {
    return {
      reason: `the request was made ${formatUtc(at).replace(/:\d\d UTC$/, ' UTC')}, before the ${EVENT_HISTORY_DAYS} days LookupEvents keeps`,
      engine: preferred,
    };
  }
  const data = dataEventNamed(input.text, input.hints);
  if (data) {
    const service = data.eventSource.replace('.amazonaws.com', '');
    const what = { s3: 'an S3', lambda: 'a Lambda', dynamodb: 'a DynamoDB' }[service] ?? 'a';
    return { reason: `${data.eventName} is ${what} data event, which LookupEvents never returns`, engine: preferred };
  }
  return undefined;
}

export interface EngineWindow {
  window: TimeWindow;
  /** How it was made, for the review and the not-found message. */
  note: string;
  /** True when the text's timestamp made it; false for the default last 90 days. */
  fromText: boolean;
}

/**
 * The window an engine searches: around the text's timestamp however old (a trail keeps everything),
 * else the last 90 days, as event history would have been searched.
 */
export function engineWindow(
  request: { hintsText?: string; around?: number; ignoreTime?: boolean },
  aroundMinutes: number,
  now: Date,
): EngineWindow {
  const hints = request.ignoreTime
    ? undefined
    : collectHints(request.hintsText ?? '', { around: request.around, aroundMinutes, now, retentionMs: Infinity });
  if (hints?.window) return { window: hints.window, note: hints.windowNote ?? 'around the time in the text', fromText: true };
  return {
    window: { start: new Date(now.getTime() - EVENT_HISTORY_MS), end: now },
    note: `the last ${EVENT_HISTORY_DAYS} days (${request.ignoreTime ? 'the time in the text ignored' : 'the text gives no time'})`,
    fromText: false,
  };
}
