/**
 * Search Filter Pattern on an Engine…: the Events view's filter pattern (or one typed in), over the
 * view's time range, on Athena, CloudWatch Logs or CloudTrail Lake — whatever event history cannot
 * hold, whatever its age. The same plan, review and progress as the request-ID jump's engine steps
 * (engineSearch.ts); the events found are listed in the Investigation view, each opening in the
 * panel with where it came from. A pattern an engine cannot express exactly is refused by name
 * (UntranslatableError), never widened; a result cut at the query's limit says so.
 */
import * as vscode from 'vscode';
import { parseFilterPattern, type FilterPattern } from '../../core/filter/pattern';
import { oneLine } from '../../core/text';
import type { EventContext } from '../../protocol/protocol';
import type { TrailLensContext } from '../context';
import { loadEngine } from '../loadEngine';
import { plan, review, runPlan, stepsFor } from './engineSearch';
import { ENGINES, type EngineId } from './engines';

/** The most rows a generated query returns (sql.ts, lake.ts, logs.ts defaults). */
const RESULT_LIMIT = 1000;
const PATTERN_ENGINES: readonly EngineId[] = ['athena', 'logs', 'lake'];

async function patternToSearch(ctx: TrailLensContext, arg: unknown): Promise<FilterPattern | undefined> {
  if (typeof arg === 'string') return parseFilterPattern(arg);
  if (ctx.state.pattern) return ctx.state.pattern;
  const text = await vscode.window.showInputBox({
    title: 'Search Filter Pattern on an Engine',
    prompt: 'A CloudWatch Logs filter pattern, e.g. { $.errorCode = "AccessDenied" }',
    validateInput: (v) => {
      try {
        parseFilterPattern(v);
        return undefined;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    },
  });
  return text ? parseFilterPattern(text) : undefined;
}

export async function searchPatternOnEngine(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const pattern = await patternToSearch(ctx, arg);
  if (!pattern) return;
  const session = await ctx.connection.session();
  const steps = await stepsFor(ctx, session, true);
  const ready = steps.ready.filter((e) => PATTERN_ENGINES.includes(e));
  if (!ready.length) {
    const setups = PATTERN_ENGINES.map((e) => ENGINES[e].setup);
    const choice = await vscode.window.showWarningMessage(
      `No engine is set up to search ${oneLine(pattern.text, 80)} beyond event history: set up Athena, CloudWatch Logs or CloudTrail Lake.`,
      ...setups,
    );
    const engine = PATTERN_ENGINES.find((e) => ENGINES[e].setup === choice);
    if (engine) await vscode.commands.executeCommand('workbench.action.openSettings', ENGINES[engine].setting);
    return;
  }
  const which =
    ready.length === 1
      ? ready[0]
      : (
          await vscode.window.showQuickPick(
            ready.map((e) => ({ label: ENGINES[e].name, description: steps.where[e], engine: e })),
            { title: `Search ${oneLine(pattern.text, 60)} on`, placeHolder: ctx.state.describeRange() },
          )
        )?.engine;
  if (!which) return;
  const engine = await loadEngine();
  const { start, end } = ctx.state.query();
  const p = plan(engine, which, steps.config, session, { kind: 'pattern', pattern }, { start, end }, ctx.state.describeRange());
  if (!(await review(p, `filter pattern ${oneLine(pattern.text, 80)}`))) return;
  const name = ENGINES[which].name;
  ctx.log.info(`Filter pattern ${pattern.text}: searching ${name} ${p.where}:\n${p.query}`);
  const run = await runPlan(p, `Searching ${name} ${p.where} for ${oneLine(pattern.text, 60)}`, {});
  const matching = run.records.filter((r) => pattern.matches(r));
  const searched = [run.searched];
  if (run.records.length >= RESULT_LIMIT)
    searched.push(`Showing the newest ${RESULT_LIMIT.toLocaleString('en-US')}: there may be more; narrow the range or the pattern.`);
  if (matching.length < run.records.length)
    searched.push(`${run.records.length - matching.length} returned by ${name} that the pattern does not match here were left out.`);
  ctx.log.info(`Filter pattern ${pattern.text} on ${name} ${p.where}: ${matching.length} events. ${searched.join(' ')}`);
  const context: EventContext = { source: which, where: p.where, region: session.region, profile: session.profile };
  await ctx.investigation.showEngineResults({
    title: `${name} ${p.where}: ${oneLine(pattern.text, 80)}`,
    pattern: pattern.text,
    records: matching,
    searched,
    context,
  });
}
