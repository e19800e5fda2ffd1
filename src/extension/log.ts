/**
 * The extension's one logger: a LogOutputChannel behind core's Logger interface.
 * One call per event with its context in the message; never credentials; record bodies only at trace.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';

export interface Log extends Logger {
  show(): void;
}

export function createLog(): Log & vscode.Disposable {
  const channel = vscode.window.createOutputChannel('Trail Lens', { log: true });
  return {
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
