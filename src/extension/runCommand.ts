/**
 * The one place that catches: every command goes through registerCommand, which logs one line and
 * shows one notification a person can act on (never a stack trace). Cancellation is not an error.
 */
import * as vscode from 'vscode';
import { TrailLensError, isAbortError } from '../core/errors';
import type { Log } from './log';
import { offerSignIn } from './signIn';
import { oneLine } from '../core/text';

const SHOW_LOG = 'Show Log';

export function registerCommand(
  log: Log,
  id: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments are whatever VS Code passes
  handler: (...args: any[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      reportError(log, id, err);
      return undefined;
    }
  });
}

/** Logs and shows an error once. Exported for the few callbacks that are not commands (tree loads report through their nodes instead). */
export function reportError(log: Log, context: string, err: unknown): void {
  if (isAbortError(err)) {
    log.debug(`${context}: cancelled`);
    return;
  }
  const e = err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Unexpected error');
  log.error(`${context} failed [${e.code}]: ${oneLine(e.message, 2000)}`);
  showError(log, e);
}

/** The notification for an error already logged: SSO errors offer to sign in, others the log. */
export function showError(log: Log, e: TrailLensError): void {
  const message = e.hint ? `${oneLine(e.message, 2000)} — ${oneLine(e.hint, 2000)}` : oneLine(e.message, 2000);
  if (e.code === 'SsoExpired') {
    offerSignIn(log, message, e);
    return;
  }
  void vscode.window.showErrorMessage(message, SHOW_LOG).then((choice) => {
    if (choice === SHOW_LOG) log.show();
  });
}
