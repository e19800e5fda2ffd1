/**
 * The command table: every command ID in commandIds.ts mapped to its handler, in one place.
 * `satisfies Record<CommandId, …>` makes a missing or unknown ID a compile error, and
 * test/unit/manifest.test.ts checks this table against package.json `contributes.commands`.
 * registerCommands wraps each handler in runCommand's error boundary.
 */
import type * as vscode from 'vscode';
import { Commands, type CommandId } from '../commandIds';
import type { TrailLensContext } from '../context';
import { registerCommand } from '../runCommand';
import { ssoLogin } from '../signIn';
import { exploreSample, openAwsConfig } from './awsSetup';
import { copyEventId, copyRecordJson, copyRequestId, openEvent, openEventAsJson } from './eventCommands';
import { goToRequestId } from './goToRequestId';
import { selectConnection, selectProfile, selectRegion } from './selectConnection';
import { clearFilter, setFilter } from './setFilter';
import { setTimeRange } from './setTimeRange';
import { setFilterPattern } from './filterPattern';
import { showHiddenEvents, toggleNoiseRules } from './toggleNoiseRules';
import { followDemoKey, openDemoLog, showDemoFailure } from '../walkthrough/demo';
import {
  compareEvents,
  copyComparisonMarkdown,
  copyEventMarkdown,
  copyInvestigationMarkdown,
  exportShownEvents,
  showRelatedEvents,
  showResourceHistory,
} from '../investigate/commands';
import { showErrorSummary } from '../dashboard/dashboardPanel';
import { openStackFailure } from '../stacks/openFailure';
import { pickTemplateStack } from '../templates/pickStack';
import { findEventsWithValue, traceValueOrigin } from './followValue';
import { createAthenaTable } from '../trails/athenaTable';
import { searchPatternOnEngine } from '../jump/patternSearch';
import { chooseEventSource, openTrailBucket, openTrailFiles } from '../trailFiles/sourceCommands';
import { findRequestInTrailFiles } from '../trailFiles/searchTrailSource';

/**
 * A command's handler: the context, then whatever arguments VS Code or the caller passes (a tree's
 * context menu passes the clicked node, then every selected node when several are).
 */
export type CommandHandler = (ctx: TrailLensContext, arg?: unknown, more?: unknown) => unknown;

export const COMMAND_TABLE = {
  [Commands.goToRequestId]: goToRequestId,
  // A manual refresh also re-resolves credentials (after `aws sso login`, a new key in the files).
  [Commands.refresh]: (ctx) => {
    ctx.connection.forgetSession();
    if (ctx.trailSource.active) return ctx.trailSource.refresh();
    return ctx.events.refresh();
  },
  [Commands.loadOlder]: (ctx, gapEnd) => ctx.events.loadOlder(gapEnd),
  [Commands.selectConnection]: selectConnection,
  [Commands.selectProfile]: selectProfile,
  [Commands.selectRegion]: selectRegion,
  [Commands.setTimeRange]: setTimeRange,
  [Commands.setFilter]: setFilter,
  [Commands.clearFilter]: clearFilter,
  [Commands.toggleNoiseRules]: toggleNoiseRules,
  [Commands.setFilterPattern]: setFilterPattern,
  [Commands.stopScan]: (ctx) => ctx.events.stopScan(),
  [Commands.showHidden]: showHiddenEvents,
  [Commands.openEvent]: openEvent,
  [Commands.openEventJson]: openEventAsJson,
  [Commands.copyRequestId]: copyRequestId,
  [Commands.copyEventId]: copyEventId,
  [Commands.copyRecordJson]: copyRecordJson,
  [Commands.exploreSample]: exploreSample,
  [Commands.openAwsConfig]: openAwsConfig,
  [Commands.ssoLogin]: ssoLogin,
  [Commands.showLog]: (ctx) => ctx.log.show(),
  [Commands.openDemoLog]: () => openDemoLog(),
  [Commands.showDemoFailure]: showDemoFailure,
  [Commands.followDemoKey]: followDemoKey,
  [Commands.relatedEvents]: showRelatedEvents,
  [Commands.resourceHistory]: showResourceHistory,
  [Commands.compareEvents]: compareEvents,
  [Commands.exportEvents]: exportShownEvents,
  [Commands.copyEventMarkdown]: copyEventMarkdown,
  [Commands.copyComparisonMarkdown]: copyComparisonMarkdown,
  [Commands.copyInvestigationMarkdown]: copyInvestigationMarkdown,
  [Commands.showErrorSummary]: showErrorSummary,
  [Commands.refreshStacks]: (ctx) => {
    ctx.connection.forgetSession();
    ctx.stacks.forget();
  },
  [Commands.openStackFailure]: openStackFailure,
  [Commands.pickTemplateStack]: pickTemplateStack,
  [Commands.findEventsWithValue]: findEventsWithValue,
  [Commands.traceValueOrigin]: traceValueOrigin,
  // A manual refresh re-resolves credentials, as the Events view's does.
  [Commands.refreshTrails]: (ctx) => {
    ctx.connection.forgetSession();
    return ctx.trails.refresh();
  },
  [Commands.explainTrail]: (ctx, name) => ctx.trails.explain(name),
  [Commands.createAthenaTable]: (ctx, target) => createAthenaTable(ctx, target),
  [Commands.searchPatternOnEngine]: (ctx, pattern) => searchPatternOnEngine(ctx, pattern),
  [Commands.openTrailFiles]: openTrailFiles,
  [Commands.openTrailBucket]: openTrailBucket,
  [Commands.chooseEventSource]: chooseEventSource,
  [Commands.findInTrailFiles]: findRequestInTrailFiles,
  [Commands.stopReadingTrailFiles]: (ctx, id) => ctx.trailSource.stop(id),
  [Commands.readTrailFilesAgain]: (ctx, id) => ctx.trailSource.readAgain(id),
} satisfies Record<CommandId, CommandHandler>;

/** Registers every command in the table. */
export function registerCommands(ctx: TrailLensContext): vscode.Disposable[] {
  return (Object.entries(COMMAND_TABLE) as [CommandId, CommandHandler][]).map(([id, handler]) =>
    registerCommand(ctx.log, id, (arg?: unknown, more?: unknown) => handler(ctx, arg, more)),
  );
}
