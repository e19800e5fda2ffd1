/** Refresh and Load Older: the Events view's two fetches. Errors show in the tree, not as notifications. */
import type * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { registerCommand } from '../runCommand';
import type { CommandContext } from './commandContext';

export function register(ctx: CommandContext): vscode.Disposable[] {
  return [
    // A manual refresh also re-resolves credentials (after `aws sso login`, a new key in the files).
    registerCommand(ctx.services, Commands.refresh, () => {
      ctx.connection.forgetSession();
      return ctx.tree.refresh();
    }),
    registerCommand(ctx.services, Commands.loadOlder, () => ctx.tree.loadOlder()),
  ];
}
