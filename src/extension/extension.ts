/**
 * Activation only wires things together: no network, no SDK (it loads on the first fetch, which
 * happens when the Events view is first shown or a command runs).
 */
import type * as vscode from 'vscode';
import * as awsSetup from './commands/awsSetup';
import type { CommandContext } from './commands/commandContext';
import * as refresh from './commands/refresh';
import * as selectConnection from './commands/selectConnection';
import * as setFilter from './commands/setFilter';
import * as setTimeRange from './commands/setTimeRange';
import * as showLog from './commands/showLog';
import * as toggleNoiseRules from './commands/toggleNoiseRules';
import { Config } from './config';
import { ConnectionManager } from './connection';
import { registerInvestigation } from './investigate';
import { createLog } from './log';
import { createEventPanel } from './panels/eventPanel';
import type { Services } from './services';
import { createStatusBar } from './statusBar';
import { EventsTree, type TreeSnapshot } from './views/eventsTree';
import { ViewState } from './views/viewState';

/** The small read-only API activate() returns (used by the extension-host tests). */
export interface TrailLensApi {
  /** Describes the Events tree as plain data; by default after running loads finish. */
  getTreeSnapshot(options?: { wait?: boolean }): Promise<TreeSnapshot>;
}

let connectionToStop: ConnectionManager | undefined;

export function activate(context: vscode.ExtensionContext): TrailLensApi {
  const log = createLog();
  const config = new Config();
  const connection = new ConnectionManager(context, config, log);
  const state = new ViewState(config);
  const tree = new EventsTree(connection, config, state, log);
  connectionToStop = connection;

  const services: Services = {
    context,
    log,
    config,
    connection,
    events: tree,
    // The panel needs the services and the services name the panel: forward to it once it exists.
    panel: { show: (record, eventContext) => panel.show(record, eventContext) },
  };
  const panel = createEventPanel(context, () => services);

  const ctx: CommandContext = { services, connection, tree, state };
  context.subscriptions.push(
    log,
    config,
    connection,
    state,
    tree,
    panel,
    createStatusBar(connection, tree),
    registerInvestigation(services),
    ...refresh.register(ctx),
    ...selectConnection.register(ctx),
    setTimeRange.register(ctx),
    ...setFilter.register(ctx),
    toggleNoiseRules.register(ctx),
    ...awsSetup.register(ctx),
    showLog.register(ctx),
  );
  log.info(`Trail Lens ${String(context.extension.packageJSON.version)} activated`);

  return {
    getTreeSnapshot: async (options) => {
      if (options?.wait !== false) await tree.whenIdle();
      return tree.snapshot();
    },
  };
}

/** Stops the sample account's local endpoint, if it runs. */
export async function deactivate(): Promise<void> {
  const connection = connectionToStop;
  connectionToStop = undefined;
  await connection?.dispose();
}
