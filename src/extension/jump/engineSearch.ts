/**
 * The request-ID search on an engine over the trail: Athena (the generated SQL, with its partition
 * predicate) or CloudWatch Logs (FilterLogEvents with `{ $.requestID = "…" }`). The query is shown
 * for review first (Run / Copy Query / Cancel) when the person chose the step; it then runs under a
 * cancellable progress notification with its state, the time so far, the data scanned and Athena's
 * estimated cost — Cancel stops the query on the service (core does it on abort). A hit opens in the
 * event panel saying where it came from; several ask which; none says exactly what was searched.
 * The SDK is reached through loadEngine() only.
 */
import * as vscode from 'vscode';
import { TrailLensError, isAbortError } from '../../core/errors';
import type { FilterPattern } from '../../core/filter/pattern';
import type { CloudTrailRecord } from '../../core/record';
import { sameRequestId } from '../../core/requestId';
import { formatDuration, formatUtc, formatWindow, type TimeWindow } from '../../core/time';
import type { EventContext } from '../../protocol/protocol';
import { Commands } from '../commandIds';
import type { TrailLensContext } from '../context';
import { oneLine } from '../eventLabels';
import { loadEngine, type Engine } from '../loadEngine';
import type { Session } from '../session';
import {
  ENGINES,
  engineSteps,
  engineWhere,
  engineWindow,
  trailSourceOf,
  type EngineConfig,
  type EngineId,
  type EngineSteps,
} from './engines';
import type { JumpOutcome, JumpRequest } from './requestSearch';
import { withCancellableProgress } from './requestSearch';
import { showFromSource } from './show';
import { searchTrailFiles } from './trailFiles';

/** The engines this build can run (each offered as a search when set up, else as a set-up step). */
export function runnableEngines(): ReadonlySet<EngineId> {
  return new Set<EngineId>(['athena', 'logs', 'lake', 'trail']);
}

const RUN = 'Run';
const COPY = 'Copy Query';
/** A trail's log group is looked up at most this often per connection (DescribeTrails). */
const TRAIL_LOOKUP_TTL_MS = 5 * 60_000;
const TRAIL_LOOKUP_TIMEOUT_MS = 5000;
const trailLogGroups = new Map<string, { at: number; group: Promise<string | undefined> }>();

/** The log group of a trail in the session's Region that delivers to CloudWatch Logs, else undefined (errors logged, not thrown). */
function trailLogGroup(ctx: TrailLensContext, session: Session): Promise<string | undefined> {
  const key = session.connection.key;
  const known = trailLogGroups.get(key);
  if (known && Date.now() - known.at < TRAIL_LOOKUP_TTL_MS) return known.group;
  const group = session.connection
    .describeTrails(AbortSignal.timeout(TRAIL_LOOKUP_TIMEOUT_MS))
    .then((trails) => trails.find((t) => t.CloudWatchLogsLogGroupArn)?.CloudWatchLogsLogGroupArn)
    .catch((err: unknown) => {
      ctx.log.info(`DescribeTrails for a CloudWatch Logs group: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
  trailLogGroups.set(key, { at: Date.now(), group });
  return group;
}

/** The engine settings; the trail's own log group (one DescribeTrails) only with `lookUpTrail` and no log group set. */
export async function engineConfig(ctx: TrailLensContext, session: Session, lookUpTrail: boolean): Promise<EngineConfig> {
  const { config } = ctx;
  const logGroup = config.logGroup ?? (lookUpTrail && runnableEngines().has('logs') ? await trailLogGroup(ctx, session) : undefined);
  return {
    athena: config.athena,
    logGroup,
    lakeEventDataStore: config.lakeEventDataStore,
    trailSource: trailSourceOf(config.eventsSource, config.trailFileSources),
  };
}

/** The steps to offer, with what each ready one searches. */
export async function stepsFor(
  ctx: TrailLensContext,
  session: Session,
  lookUpTrail: boolean,
): Promise<EngineSteps & { where: Partial<Record<EngineId, string>>; config: EngineConfig }> {
  const config = await engineConfig(ctx, session, lookUpTrail);
  const steps = engineSteps(config, runnableEngines());
  const where = Object.fromEntries(steps.ready.map((e) => [e, describeWhere(e, config)]));
  return { ...steps, where, config };
}

function describeWhere(engine: EngineId, config: EngineConfig): string {
  const at = engineWhere(engine, config) ?? '';
  return engine === 'logs' ? `log group ${logGroupShort(at)}` : engine === 'athena' ? `table ${at}` : at;
}

/** `arn:aws:logs:R:A:log-group:NAME:*` → NAME (core's logGroupName, without loading the engine). */
function logGroupShort(arnOrName: string): string {
  return /:log-group:([^:]+)/.exec(arnOrName)?.[1] ?? arnOrName;
}

export interface Run {
  records: CloudTrailRecord[];
  /** What was searched, for the not-found message and the log: "<window>: query q1 SUCCEEDED in 1.2 s, 3.1 MB scanned, about $0.00005". */
  searched: string;
}

/** One engine search, ready to review and run. */
export interface Plan {
  engine: EngineId;
  /** "default.cloudtrail_logs", the log group's name: the panel's "from Athena default.cloudtrail_logs". */
  where: string;
  /** The text the engine runs: the SQL or the filter pattern. */
  query: string;
  /** For the review: where, the window, the query, what it costs. */
  detail: string;
  run(signal: AbortSignal, report: (status: string) => void): Promise<Run>;
}

/** What an engine is asked: the events with a request ID, or those a filter pattern matches. */
export type EngineQuery = { kind: 'request'; requestId: string } | { kind: 'pattern'; pattern: FilterPattern };

export function plan(
  engine: Engine,
  which: EngineId,
  config: EngineConfig,
  session: Session,
  what: EngineQuery,
  window: TimeWindow,
  note: string,
): Plan {
  const span = `${formatWindow(window)} (${note})`;
  if (which === 'athena' && config.athena) {
    const a = config.athena;
    const where = a.database ? `${a.database}.${a.table}` : a.table;
    const target = { table: a.table, database: a.database, window };
    // A pattern the table cannot express exactly throws UntranslatableError, naming the condition.
    const sql = what.kind === 'request' ? engine.requestIdQuery(target, what.requestId).sql : engine.patternQuery(target, what.pattern).sql;
    return {
      engine: which,
      where,
      query: sql,
      detail: [
        `Athena table ${where} in ${session.region}${a.workgroup ? `, workgroup ${a.workgroup}` : ''}, ${span}.`,
        'Athena bills about $5 per TB scanned (10 MB minimum); the day-partition predicate bounds the scan to the window.',
        '',
        sql,
      ].join('\n'),
      run: async (signal, report) => {
        const out = await engine.runAthenaQuery(
          session.connection.athena,
          sql,
          { database: a.database, workgroup: a.workgroup, outputLocation: a.outputLocation },
          { signal, onProgress: (p) => report(`${p.state} · ${engine.describeCost(p.dataScannedBytes)}`) },
        );
        return {
          records: out.records,
          searched: `${span}: query ${out.queryExecutionId} ${out.state} in ${formatDuration(out.runMs)}, ${engine.describeCost(out.dataScannedBytes)}`,
        };
      },
    };
  }
  if (which === 'logs' && config.logGroup) {
    const group = config.logGroup;
    const name = engine.logGroupName(group);
    // CloudWatch Logs speaks filter patterns itself: the person's pattern goes as it is.
    const pattern = what.kind === 'request' ? engine.requestIdFilter(what.requestId) : what.pattern.text;
    return {
      engine: which,
      where: name,
      query: pattern,
      detail: [
        `CloudWatch Logs group ${name} in ${session.region}, ${span}.`,
        'FilterLogEvents reads every page until the token runs out; CloudWatch Logs bills per GB scanned.',
        '',
        `Filter pattern: ${pattern}`,
      ].join('\n'),
      run: async (signal, report) => {
        const out = await engine.searchLogGroup(session.connection.logs, {
          logGroup: group,
          window,
          filterPattern: pattern,
          signal,
          onProgress: (p) => report(`${p.pages} page${p.pages === 1 ? '' : 's'} · ${p.events} events`),
        });
        const read = `${out.pages} page${out.pages === 1 ? '' : 's'} of FilterLogEvents, ${out.events} matching events`;
        return { records: out.records, searched: `${span} with ${pattern}: ${read}${out.truncated ? ' (stopped at the limit)' : ''}` };
      },
    };
  }
  if (which === 'lake' && config.lakeEventDataStore) {
    const given = config.lakeEventDataStore;
    const lakeSql = (store: string) =>
      what.kind === 'request'
        ? engine.lakeRequestIdQuery(store, what.requestId, window).sql
        : engine.lakePatternQuery(store, what.pattern, window).sql;
    const shown = lakeSql(given);
    return {
      engine: which,
      where: given,
      query: shown,
      detail: [
        `CloudTrail Lake event data store ${given} in ${session.region}, ${span}.`,
        'CloudTrail Lake bills about $0.005 per GB scanned; the eventTime bounds limit the scan.',
        '',
        shown,
      ].join('\n'),
      run: async (signal, report) => {
        // An ARN or a name becomes the ID the query's FROM needs (ListEventDataStores).
        const store = await engine.resolveEventDataStore(session.connection.lake, given, signal);
        const sql = lakeSql(store.id);
        const out = await engine.runLakeQuery(session.connection.lake, sql, {
          signal,
          onProgress: (p) => report(`${p.state} · ${engine.describeLakeCost(p.bytesScanned)}`),
        });
        return {
          records: out.records,
          searched: `${span}: query ${out.queryId} ${out.state} in ${formatDuration(out.runMs)}, ${engine.describeLakeCost(out.bytesScanned)}`,
        };
      },
    };
  }
  throw new TrailLensError('Config', `${ENGINES[which].name} is not set up: set ${ENGINES[which].setting}`);
}

/** Review: the query and where it runs, in a modal; true to run it (Copy Query copies it and stops). */
export async function review(p: Plan, subject: string): Promise<boolean> {
  const choice = await vscode.window.showInformationMessage(
    `Search ${ENGINES[p.engine].name} for ${subject}?`,
    { modal: true, detail: p.detail },
    RUN,
    COPY,
  );
  if (choice === COPY) {
    await vscode.env.clipboard.writeText(p.query);
    vscode.window.setStatusBarMessage(`Copied the ${ENGINES[p.engine].name} query`, 6000);
  }
  return choice === RUN;
}

/** Which of several events with the request ID to open (a request can appear twice: a retried call, a duplicate delivery). */
async function choose<T extends { record: CloudTrailRecord }>(hits: T[], requestId: string, searchedIn: string): Promise<T | undefined> {
  if (hits.length < 2) return hits[0];
  const picked = await vscode.window.showQuickPick(
    hits.map((hit) => ({
      label: oneLine(hit.record.eventName ?? hit.record.eventType ?? 'event', 60),
      description: `${formatUtc(new Date(hit.record.eventTime))} · ${hit.record.eventSource ?? ''}`,
      detail: hit.record.errorCode ? `${hit.record.errorCode}: ${oneLine(hit.record.errorMessage ?? '', 120)}` : undefined,
      hit,
    })),
    { title: `${hits.length} events have request ID ${requestId} in ${searchedIn}`, placeHolder: 'Which to open' },
  );
  return picked?.hit;
}

export interface EngineJump {
  engine: EngineId;
  /** Show the query and ask before running it (the person chose the step); false when routed or called by a test. */
  review: boolean;
  /** Why the jump came here rather than to event history, for the progress title. */
  why?: string;
}

/** Runs a plan under a cancellable progress notification: the engine's status and the time so far, every second. */
export function runPlan(p: Plan, title: string, request: { token?: vscode.CancellationToken }): Thenable<Run> {
  const started = Date.now();
  return withCancellableProgress(title, request, async (progress, signal) => {
    let status = 'starting…';
    const show = () => progress.report({ message: `${status} · ${formatDuration(Date.now() - started)}` });
    show();
    const timer = setInterval(show, 1000);
    try {
      return await p.run(signal, (s) => {
        status = s;
        show();
      });
    } finally {
      clearInterval(timer);
    }
  });
}

/** Runs the request-ID search on one engine and shows what it found, or says what it searched. */
export async function searchEngine(ctx: TrailLensContext, session: Session, request: JumpRequest, how: EngineJump): Promise<JumpOutcome> {
  const { requestId } = request;
  const name = ENGINES[how.engine].name;
  const config = await engineConfig(ctx, session, how.engine === 'logs');
  if (how.engine === 'trail') return searchTrail(ctx, session, request, config, how);
  const engine = await loadEngine();
  const { window, note } = engineWindow(request, ctx.config.requestIdAroundMinutes, new Date());
  const p = plan(engine, how.engine, config, session, { kind: 'request', requestId }, window, note);
  if (how.review && !(await review(p, `request ${requestId}`))) return { outcome: 'cancelled', requestId };
  ctx.log.info(`Request ID ${requestId}: searching ${name} ${p.where}${how.why ? ` (${how.why})` : ''}:\n${p.query}`);
  const started = Date.now();
  let run: Run;
  try {
    run = await runPlan(p, `Finding request ${requestId} in ${name} ${p.where}${how.why ? `: ${how.why}` : ''}`, request);
  } catch (err) {
    if (isAbortError(err) || (err instanceof TrailLensError && err.code === 'Cancelled')) {
      const said = err instanceof Error ? err.message : 'cancelled';
      ctx.log.info(`Request ID ${requestId}: ${name} search cancelled (${said})`);
      vscode.window.setStatusBarMessage(`${name} search cancelled${err instanceof TrailLensError ? `: ${said}` : ''}`, 10_000);
      return { outcome: 'cancelled', requestId };
    }
    throw err;
  }
  const records = run.records.filter((r) => sameRequestId(r.requestID ?? '', requestId));
  const hits = records.map((record) => ({ record, where: p.where }));
  return settle(ctx, session, request, how.engine, hits, `${name} ${p.where}`, run.searched, started);
}

/** The trail source's search (its own progress and cancel); no review: it reads files, free and read-only. */
async function searchTrail(
  ctx: TrailLensContext,
  session: Session,
  request: JumpRequest,
  config: EngineConfig,
  how: EngineJump,
): Promise<JumpOutcome> {
  const source = config.trailSource;
  if (!source) throw new TrailLensError('Config', `Trail files are not set up: set ${ENGINES.trail.setting}`);
  const { requestId } = request;
  // The window the text gives, however old; none: every file (a trail keeps everything).
  const given = engineWindow(request, ctx.config.requestIdAroundMinutes, new Date());
  const window = given.fromText ? given.window : undefined;
  ctx.log.info(`Request ID ${requestId}: searching trail files ${source}${how.why ? ` (${how.why})` : ''}`);
  const started = Date.now();
  // The trail source's progress notification has its own title: the reason goes beside it, in the status bar.
  const why = how.why ? vscode.window.setStatusBarMessage(`$(search) Searching trail files, not event history: ${how.why}`) : undefined;
  let found;
  try {
    found = await searchTrailFiles(ctx, source, requestId, window, request.token);
  } catch (err) {
    if (isAbortError(err) || (err instanceof TrailLensError && err.code === 'Cancelled')) {
      vscode.window.setStatusBarMessage(`Stopped searching ${source} for request ID ${requestId}`, 10_000);
      return { outcome: 'cancelled', requestId };
    }
    throw err;
  } finally {
    why?.dispose();
  }
  const hits = found.hits.filter((h) => sameRequestId(h.record.requestID ?? '', requestId));
  return settle(ctx, session, request, 'trail', hits, `trail files ${source}`, found.searched, started);
}

/** Shows the hit (asking which of several), or says what was searched with the other steps. */
async function settle(
  ctx: TrailLensContext,
  session: Session,
  request: JumpRequest,
  engine: EngineId,
  hits: { record: CloudTrailRecord; where: string }[],
  searchedIn: string,
  searched: string,
  started: number,
): Promise<JumpOutcome> {
  const { requestId } = request;
  const name = ENGINES[engine].name;
  const count = hits.length;
  const summary = `${count ? `Found ${count} event${count === 1 ? '' : 's'}` : 'No event'} with request ID ${requestId} in ${searchedIn}. Searched ${searched}.`;
  ctx.log.info(`Request ID jump: ${summary}`);
  const hit = await choose(hits, requestId, searchedIn);
  if (hit) {
    const context: EventContext = {
      source: engine,
      where: hit.where,
      region: hit.record.awsRegion ?? session.region,
      profile: session.profile,
    };
    showFromSource(ctx, request, hit.record, context, `${name}, ${formatDuration(Date.now() - started)}`);
    return { outcome: 'found', requestId, record: hit.record, region: session.region, summary, fromCache: false, engine };
  }
  if (count) return { outcome: 'cancelled', requestId };
  const others = (await stepsFor(ctx, session, false)).ready.filter((e) => e !== engine).map((e) => ENGINES[e].search);
  const actions = [...others.slice(0, 2), HISTORY];
  void vscode.window.showWarningMessage(summary, ...actions).then((choice) => {
    if (!choice) return;
    const other = ENGINE_BY_SEARCH.get(choice);
    const extra: Partial<JumpRequest> = other ? { engine: other, review: true } : { engine: undefined, eventHistory: true };
    return vscode.commands.executeCommand(Commands.goToRequestId, { ...request, token: undefined, source: undefined, ...extra });
  });
  return { outcome: 'notFound', requestId, region: session.region, summary, message: summary, actions, more: [], engine };
}

/** The step that searches event history even when the jump would route elsewhere. */
export const HISTORY = 'Search Event History';

const ENGINE_BY_SEARCH = new Map(Object.entries(ENGINES).map(([id, e]) => [e.search, id as EngineId]));
