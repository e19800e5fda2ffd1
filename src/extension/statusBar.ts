/**
 * The connection in the status bar: `$(cloud) profile @ region`, click to change. A warning look
 * while the connection's health says it needs attention (credentials, SSO, permissions).
 */
import * as vscode from 'vscode';
import { Commands } from './commandIds';
import type { ConnectionManager } from './connection';

export function createStatusBar(connection: ConnectionManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('trailLens.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Trail Lens Connection';
  item.command = Commands.selectConnection;
  const update = () => {
    const d = connection.describe();
    const health = connection.health;
    const noCredentials = health.state === 'noCredentials';
    const problem = health.state !== 'ok';
    item.text = noCredentials
      ? '$(warning) No AWS credentials'
      : `${problem ? '$(warning)' : d.sample ? '$(beaker)' : '$(cloud)'} ${d.label}`;
    item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const state = noCredentials ? 'No AWS credentials found.' : health.state === 'problem' ? `${health.error.message}.` : '';
    item.tooltip =
      `Trail Lens: CloudTrail events from ${d.sample ? 'the built-in sample account' : `"${d.label}"`}. ${state} Click to change.`.replace(
        /\s+/g,
        ' ',
      );
    item.accessibilityInformation = { label: `Trail Lens connection ${d.label}${problem ? ', needs attention' : ''}` };
    item.show();
  };
  update();
  return vscode.Disposable.from(item, connection.onDidChange(update), connection.onDidChangeHealth(update));
}
