/**
 * "Trail Lens: Go to Event for Request ID" (palette, editor context menu, view title, hover links).
 * Takes the selection, else the request ID at the cursor, else asks; refuses IDs that are not request
 * IDs (a CloudFormation RequestToken) and offers the real one from the same text.
 */
import * as vscode from 'vscode';
import { classifyRequestId, normalizeRequestId } from '../../core/requestId';
import { TrailLensError } from '../../core/errors';
import { Commands } from '../commandIds';
import { askForRequestId, readEditor, rejectionShort } from '../requestTarget';
import type { RequestTarget } from '../requestTarget';
import { jumpToRequest } from '../requestSearch';
import type { JumpOutcome, JumpRequest } from '../requestSearch';
import type { TrailLensContext } from '../context';

/** The explicit argument form: `{ requestId, hintsText? }` plus JumpRequest's options. Anything else (the editor menu passes a Uri) is ignored. */
function explicitRequest(arg: unknown): JumpRequest | undefined {
  if (typeof arg !== 'object' || arg === null || !('requestId' in arg)) return undefined;
  const a = arg as Record<string, unknown>;
  if (typeof a.requestId !== 'string') return undefined;
  const requestId = normalizeRequestId(a.requestId);
  if (!classifyRequestId(requestId)) {
    throw new TrailLensError('InvalidInput', `"${requestId.slice(0, 80)}" is not a request ID`);
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    requestId,
    hintsText: typeof a.hintsText === 'string' ? a.hintsText : undefined,
    around: num(a.around),
    region: typeof a.region === 'string' && a.region ? a.region : undefined,
    maxDays: num(a.maxDays),
    ignoreTime: a.ignoreTime === true,
    token: isToken(a.token) ? a.token : undefined,
  };
}

function isToken(v: unknown): v is vscode.CancellationToken {
  return typeof v === 'object' && v !== null && typeof (v as vscode.CancellationToken).onCancellationRequested === 'function';
}

function toRequest(target: RequestTarget): JumpRequest {
  return { requestId: target.requestId, hintsText: target.hintsText, around: target.around, notes: target.notes };
}

/** What to search for, or the outcome when there is nothing to search (refused ID, dismissed input box). */
async function gather(arg: unknown): Promise<JumpRequest | JumpOutcome> {
  const explicit = explicitRequest(arg);
  if (explicit) return explicit;
  const editor = vscode.window.activeTextEditor;
  // `{ ask: true }`: straight to the input box (the rejected-ID message's button).
  const askNow = typeof arg === 'object' && arg !== null && (arg as { ask?: unknown }).ask === true;
  const read = editor && !askNow ? readEditor(editor) : { kind: 'none' as const };
  if (read.kind === 'found') return toRequest(read.target);
  if (read.kind === 'rejected') {
    const [real] = read.candidates;
    const short = rejectionShort(read.rejected);
    const message = real
      ? `${short}: ${read.rejected.reason}. The request ID in this text is ${real}.`
      : `${short}: ${read.rejected.reason}. No request ID was found near it.`;
    const button = real ? `Find ${real}` : 'Enter a Request ID…';
    // Not awaited: the command returns what happened; the button starts the next step.
    void vscode.window.showWarningMessage(message, button).then((choice) => {
      if (!choice) return;
      const next = real ? ({ requestId: real, hintsText: read.hintsText } satisfies JumpRequest) : { ask: true };
      void vscode.commands.executeCommand(Commands.goToRequestId, next);
    });
    return { outcome: 'rejected', id: read.rejected.id, message, candidates: read.candidates };
  }
  const asked = await askForRequestId();
  return asked ? toRequest(asked) : { outcome: 'noInput' };
}

export async function goToRequestId(ctx: TrailLensContext, arg?: unknown): Promise<JumpOutcome> {
  const gathered = await gather(arg);
  if ('outcome' in gathered) return gathered;
  return jumpToRequest(ctx, gathered);
}
