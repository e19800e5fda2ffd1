/**
 * Activation only wires things together: no network, no SDK (it loads on the first fetch, which
 * happens when the Events view is first shown or a command runs).
 */
import { openDashboard } from './dashboard/dashboardPanel';
import type { HostToDashboard } from '../protocol/dashboardProtocol';
import type * as vscode from 'vscode';
import { registerCommands } from './commands/table';
import type { ConnectionManager } from './connection';
import { createContext } from './context';
import { registerEventDocuments } from './eventDocument';
import { registerCompareDocuments } from './investigate/compareDocuments';
import { registerHover } from './hover';
import { registerLinks } from './links/links';
import { showError } from './runCommand';
import { createStatusBar } from './statusBar';
import type { TrailsSnapshot } from './trails/trailsView';
import type { TreeSnapshot } from './views/eventsTree';
import { registerDemo } from './walkthrough/demo';

/** The small read-only API activate() returns (used by the extension-host tests). */
export interface TrailLensApi {
  /** Describes the Events tree as plain data; by default after running loads finish. */
  getTreeSnapshot(options?: { wait?: boolean }): Promise<TreeSnapshot>;
  /** What the Investigation view shows (its title and one line per event row), if anything. */
  getInvestigation(): { title: string; rows: string[] } | undefined;
  /** What the open error-summary dashboard was last sent (undefined: none is open). */
  getErrorSummary(): HostToDashboard | undefined;
  /** Describes the Trails view as plain data, after a running load finishes. */
  getTrailsSnapshot(): Promise<TrailsSnapshot>;
}

let connectionToStop: ConnectionManager | undefined;

export function activate(extension: vscode.ExtensionContext): TrailLensApi {
  const ctx = createContext(extension);
  connectionToStop = ctx.connection;
  extension.subscriptions.push(
    createStatusBar(ctx.connection),
    registerEventDocuments(ctx.events),
    registerCompareDocuments(),
    registerHover(ctx),
    registerLinks(),
    ...registerCommands(ctx),
    registerDemo(ctx),
    // A load that finds the SSO session expired offers to sign in, like a command that does.
    ctx.connection.onDidChangeHealth((health) => {
      if (health.state === 'problem' && health.error.code === 'SsoExpired') showError(ctx.log, health.error);
    }),
  );
  ctx.log.info(`Trail Lens ${String(extension.extension.packageJSON.version)} activated`);

  return {
    getTreeSnapshot: async (options) => {
      if (options?.wait !== false) await ctx.events.whenIdle();
      return ctx.events.snapshot();
    },
    getInvestigation: () => ctx.investigation.describe(),
    getErrorSummary: () => openDashboard()?.lastPosted(),
    getTrailsSnapshot: async () => {
      await ctx.trails.whenIdle();
      return ctx.trails.snapshot();
    },
  };
}

/** Stops the sample account's local endpoint, if it runs. */
export async function deactivate(): Promise<void> {
  const connection = connectionToStop;
  connectionToStop = undefined;
  await connection?.dispose();
}
