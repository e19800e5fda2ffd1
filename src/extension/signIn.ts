/**
 * SSO recovery, in one place: the one prompt that offers to sign in (offerSignIn, used when a
 * command or a load of the Events view fails with SsoExpired) and the sign-in itself, a terminal
 * whose process is the AWS CLI (no shell, so no quoting for PowerShell, cmd or sh to get wrong).
 * The view reloads when that terminal closes.
 */
import * as vscode from 'vscode';
import type { TrailLensError } from '../core/errors';
import { Commands } from './commandIds';
import type { TrailLensContext } from './context';
import type { Log } from './log';

const SIGN_IN = 'Sign In';
const SHOW_LOG = 'Show Log';

/** `aws sso login [--profile X]` as a terminal whose process is `aws`: each argument passed as is. */
export function ssoLoginTerminal(profile: string | undefined): vscode.TerminalOptions {
  return {
    name: `AWS SSO sign-in${profile ? ` (${profile})` : ''}`,
    shellPath: 'aws',
    shellArgs: profile ? ['sso', 'login', '--profile', profile] : ['sso', 'login'],
    message: 'Trail Lens: finish signing in in the browser window this opens; the Events view reloads when this terminal closes.',
  };
}

/** The one sign-in prompt: the error in words, Sign In (for the profile the error names) and Show Log. */
export function offerSignIn(log: Log, message: string, err: TrailLensError): void {
  void vscode.window.showErrorMessage(message, SIGN_IN, SHOW_LOG).then((choice) => {
    if (choice === SIGN_IN) void vscode.commands.executeCommand(Commands.ssoLogin, err.profile);
    else if (choice === SHOW_LOG) log.show();
  });
}

/** Runs `aws sso login` for the profile given, else the connection's; reloads once the terminal closes. */
export function ssoLogin(ctx: TrailLensContext, profileArg?: unknown): void {
  const { connection, log } = ctx;
  const profile = (typeof profileArg === 'string' && profileArg) || connection.profile || connection.describe().profile;
  const terminal = vscode.window.createTerminal(ssoLoginTerminal(profile));
  terminal.show();
  log.info(`Started "aws sso login" for profile ${profile ?? '(default)'} in a terminal`);
  const closed = vscode.window.onDidCloseTerminal((t) => {
    if (t !== terminal) return;
    closed.dispose();
    const code = t.exitStatus?.code;
    log.info(`"aws sso login" ended${code === undefined ? '' : ` with exit code ${code}`}; reloading`);
    connection.invalidate();
  });
  ctx.extension.subscriptions.push(closed);
}
