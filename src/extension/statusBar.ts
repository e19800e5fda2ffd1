/**
 * The connection in the status bar: `$(cloud) profile @ region`, click to change. A warning look
 * when the last load failed for a reason the connection explains (credentials, SSO, permissions).
 */
import * as vscode from 'vscode';
import { Commands } from './commandIds';
import type { ConnectionManager } from './connection';
import type { EventsTree } from './views/eventsTree';

const CONNECTION_PROBLEMS = new Set(['SsoExpired', 'ExpiredCredentials', 'InvalidCredentials', 'AccessDenied', 'UnknownProfile', 'UnknownRegion']);

export function createStatusBar(connection: ConnectionManager, tree: EventsTree): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('trailLens.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Trail Lens Connection';
  item.command = Commands.selectConnection;
  const update = () => {
    const d = connection.describe();
    const error = tree.lastError;
    const problem = tree.currentPhase === 'noCredentials' || (error !== undefined && CONNECTION_PROBLEMS.has(error.code));
    const noCredentials = tree.currentPhase === 'noCredentials';
    item.text = noCredentials ? '$(warning) No AWS credentials' : `${problem ? '$(warning)' : d.sample ? '$(beaker)' : '$(cloud)'} ${d.label}`;
    item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const state = noCredentials ? 'No AWS credentials found.' : problem && error ? `${error.message}.` : '';
    item.tooltip = `Trail Lens: CloudTrail events from ${d.sample ? 'the built-in sample account' : `"${d.label}"`}. ${state} Click to change.`.replace(/\s+/g, ' ');
    item.accessibilityInformation = { label: `Trail Lens connection ${d.label}${problem ? ', needs attention' : ''}` };
    item.show();
  };
  update();
  return vscode.Disposable.from(item, connection.onDidChange(update), tree.onDidChangePhase(update));
}
