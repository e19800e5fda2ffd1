/**
 * The one place that catches: every command goes through registerCommand, which logs one line and
 * shows one notification a person can act on (never a stack trace). Cancellation is not an error.
 */
import * as vscode from 'vscode';
import { TrailLensError, isAbortError } from '../core/errors';
import type { Services } from './services';
import { Commands } from './commandIds';

const SIGN_IN = 'Sign In';
const SHOW_LOG = 'Show Log';

export function registerCommand(
  services: Pick<Services, 'log'>,
  id: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments are whatever VS Code passes
  handler: (...args: any[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      reportError(services, id, err);
      return undefined;
    }
  });
}

/** Logs and shows an error once. Exported for the few callbacks that are not commands (tree loads report through their nodes instead). */
export function reportError(services: Pick<Services, 'log'>, context: string, err: unknown): void {
  if (isAbortError(err)) {
    services.log.debug(`${context}: cancelled`);
    return;
  }
  const e = err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Unexpected error');
  services.log.error(`${context} failed [${e.code}]: ${oneLine(e.message)}`);
  const message = e.hint ? `${oneLine(e.message)} — ${oneLine(e.hint)}` : oneLine(e.message);
  if (e.code === 'SsoExpired') {
    const profile = profileFromHint(e.hint);
    void vscode.window.showErrorMessage(message, SIGN_IN, SHOW_LOG).then((choice) => {
      if (choice === SIGN_IN) void vscode.commands.executeCommand(Commands.ssoLogin, profile);
      else if (choice === SHOW_LOG) services.log.show();
    });
    return;
  }
  void vscode.window.showErrorMessage(message, SHOW_LOG).then((choice) => {
    if (choice === SHOW_LOG) services.log.show();
  });
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Core's SsoExpired hint reads "Run: aws sso login --profile X"; undefined lets ssoLogin use the current profile. */
function profileFromHint(hint: string | undefined): string | undefined {
  return hint?.match(/--profile\s+(['"]?)([^\s'"]+)\1/)?.[2];
}
