import type * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { registerCommand } from '../runCommand';
import type { CommandContext } from './commandContext';

export function register(ctx: CommandContext): vscode.Disposable {
  return registerCommand(ctx.services, Commands.showLog, () => ctx.services.log.show());
}
