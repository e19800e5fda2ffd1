/**
 * The event panel's context menu on a value (package.json `menus.webview/context`, the row's
 * data-vscode-context): Find Events with This Value and Where Did This Value Come From? do what the
 * row's button and the `f` / `w` keys do, through the same message handler.
 */
import { TrailLensError } from '../../core/errors';
import { parseValueContext, type WebviewToHost } from '../../protocol/protocol';
import type { TrailLensContext } from '../context';
import { handleWebviewMessage } from '../panels/panelMessages';

async function onValue(ctx: TrailLensContext, arg: unknown, type: 'findValue' | 'traceValue'): Promise<void> {
  const parsed = parseValueContext(arg);
  if (!parsed) {
    throw new TrailLensError('InvalidInput', 'No value to follow', { hint: 'right-click a value in the event panel' });
  }
  const panel = ctx.panel.activePanel();
  if (!panel) throw new TrailLensError('InvalidInput', 'No event panel is open', { hint: 'open an event, then right-click a value in it' });
  const message: WebviewToHost = { type, value: parsed.value };
  await handleWebviewMessage(message, panel, ctx);
}

export function findEventsWithValue(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  return onValue(ctx, arg, 'findValue');
}

export function traceValueOrigin(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  return onValue(ctx, arg, 'traceValue');
}
