/**
 * "Trail Lens: Go to Event for Request ID" (palette, editor context menu, view title, hover links).
 * Takes the selection, else the request ID at the cursor, else asks; a text with several request IDs
 * asks which (unless the preferred one is clearly the failing call's); an event ID is opened by
 * EventId; refuses IDs that are not request IDs (a CloudFormation RequestToken) and offers the real
 * one from the same text.
 */
import * as vscode from 'vscode';
import { classifyRequestId, normalizeRequestId } from '../../core/requestId';
import { TrailLensError } from '../../core/errors';
import { Commands } from '../commandIds';
import { askForRequestId, chooseRequestId, readEditor, rejectionShort } from '../requestTarget';
import type { ReadResult, RequestTarget } from '../requestTarget';
import { jumpToEvent, jumpToRequest } from '../jump/requestSearch';
import type { JumpOutcome, JumpRequest } from '../jump/requestSearch';
import type { TrailLensContext } from '../context';
import { ENGINE_ORDER, type EngineId } from '../jump/engines';

/** What to open: a request ID's search, or an event by its event ID. */
type Target = JumpRequest | { eventId: string; region?: string };

/**
 * The explicit argument forms: `{ requestId, hintsText? }` plus JumpRequest's options, or `{ eventId }`.
 * Anything else (the editor menu passes a Uri) is ignored.
 */
function explicitRequest(arg: unknown): Target | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  if (typeof a.eventId === 'string' && !('requestId' in a)) {
    const eventId = a.eventId.trim();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) {
      throw new TrailLensError('InvalidInput', `"${eventId.slice(0, 80)}" is not a CloudTrail event ID`);
    }
    return { eventId: eventId.toLowerCase(), region: typeof a.region === 'string' && a.region ? a.region : undefined };
  }
  if (!('requestId' in a)) return undefined;
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
    keepLooking: a.keepLooking === true,
    retryEveryMs: num(a.retryEveryMs),
    regions: strings(a.regions),
    profiles: strings(a.profiles),
    token: isToken(a.token) ? a.token : undefined,
    engine: typeof a.engine === 'string' && (ENGINE_ORDER as readonly string[]).includes(a.engine) ? (a.engine as EngineId) : undefined,
    review: a.review === true,
    eventHistory: a.eventHistory === true,
  };
}

/** A list of non-empty strings, else undefined. */
function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' && x) ? (v as string[]) : undefined;
}

function isToken(v: unknown): v is vscode.CancellationToken {
  return typeof v === 'object' && v !== null && typeof (v as vscode.CancellationToken).onCancellationRequested === 'function';
}

function toRequest(target: RequestTarget, source?: JumpRequest['source']): JumpRequest {
  return { requestId: target.requestId, hintsText: target.hintsText, around: target.around, notes: target.notes, source };
}

/** A read text's target: several request IDs → the person chooses; an event ID → opened by EventId. */
async function fromRead(read: ReadResult & { kind: 'found' | 'event' }, editor?: vscode.TextEditor): Promise<Target | JumpOutcome> {
  if (read.kind === 'event') return { eventId: read.eventId };
  const chosen = await chooseRequestId(read.target);
  // Read from an editor: its selection (or cursor) is kept in view when the panel opens beside it.
  const source = editor ? { editor, range: editor.selection } : undefined;
  return chosen ? toRequest(chosen, source) : { outcome: 'noInput' };
}

/** What to search for, or the outcome when there is nothing to search (refused ID, dismissed input box). */
async function gather(arg: unknown): Promise<Target | JumpOutcome> {
  const explicit = explicitRequest(arg);
  if (explicit) return explicit;
  const editor = vscode.window.activeTextEditor;
  // `{ ask: true }`: straight to the input box (the rejected-ID message's button).
  const askNow = typeof arg === 'object' && arg !== null && (arg as { ask?: unknown }).ask === true;
  const read = editor && !askNow ? readEditor(editor) : { kind: 'none' as const };
  if (read.kind === 'found' || read.kind === 'event') return fromRead(read, editor);
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
  return asked.kind === 'found' || asked.kind === 'event' ? fromRead(asked) : { outcome: 'noInput' };
}

export async function goToRequestId(ctx: TrailLensContext, arg?: unknown): Promise<JumpOutcome> {
  const gathered = await gather(arg);
  if ('outcome' in gathered) return gathered;
  if ('eventId' in gathered) return jumpToEvent(ctx, gathered.eventId, gathered.region);
  return jumpToRequest(ctx, gathered);
}
