/**
 * Everything that takes a person from a request ID or a tree node to an event: the request-ID jump,
 * hovers, the event commands and the JSON documents. The event panel is created in activate()
 * (services.panel); this registers what uses it.
 */
import * as vscode from 'vscode';
import { registerEventCommands } from './commands/eventCommands';
import { registerGoToRequestId } from './commands/goToRequestId';
import { registerEventDocuments } from './eventDocument';
import { registerHover } from './hover';
import type { Services } from './services';

export function registerInvestigation(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    registerEventDocuments(services),
    registerEventCommands(services),
    registerGoToRequestId(services),
    registerHover(services),
  );
}
