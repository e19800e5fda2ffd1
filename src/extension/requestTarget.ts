/**
 * Which request ID a person means, and the text around it for hints: the selection, else the ID at
 * the cursor, else what they type or paste into an input box. Pure reading of text and editors; no search.
 */
import * as vscode from 'vscode';
import { describeInvisibleRemoved, describeSetAside, extractRequestId } from '../core/requestId';
import type { Extraction, RejectedId } from '../core/requestId';
import { choicesIn, eventIdIn, type Choice } from '../core/requestChoice';

/** Lines read on each side of the cursor for hints (a log line's timestamp, `Service: Backup`). */
export const HINT_LINES = 20;
/** Hint text is untrusted and travels in command links: keep it bounded. */
export const MAX_HINT_TEXT = 16_000;

export interface RequestTarget {
  requestId: string;
  /** Text to read hints from, and where the ID is in it. */
  hintsText: string;
  around?: number;
  /** What else the text held and why it was not taken, invisible characters removed: for the log and a not-found message. */
  notes?: string[];
  /**
   * Several request IDs, and the preferred one not clearly the failing call's: the person chooses.
   * The preferred first; offsets in hintsText.
   */
  choices?: Choice[];
}

/** The notes an extraction leaves for a person (core's wording). */
export function extractionNotes(ext: Extraction): string[] {
  const removed = describeInvisibleRemoved(ext);
  return [...(removed ? [removed] : []), ...describeSetAside(ext)];
}

export type ReadResult =
  | { kind: 'found'; target: RequestTarget }
  /** A CloudTrail event ID (`"eventID": …`): opened by EventId. */
  | { kind: 'event'; eventId: string }
  /** The cursor or selection is on an ID that is not a request ID (a RequestToken, an eventID …). */
  | { kind: 'rejected'; rejected: RejectedId; candidates: string[]; hintsText: string }
  | { kind: 'none' };

const FRIENDLY_LABELS: [RegExp, string][] = [
  [/^client[ _-]?request[ _-]?token$/i, 'a CloudFormation ClientRequestToken'],
  [/^request[ _-]?token$/i, 'a CloudFormation RequestToken'],
  [/event[ _-]?id$/i, 'a CloudTrail event ID'],
];

/** "That is a CloudFormation RequestToken, not a request ID" — short enough for an input box. */
export function rejectionShort(rejected: RejectedId): string {
  const named = FRIENDLY_LABELS.find(([re]) => re.test(rejected.label))?.[1];
  if (named) return `That is ${named}, not a request ID`;
  return `That is not a request ID: ${rejected.reason}`;
}

function clip(text: string, around: number): { text: string; around: number } {
  if (text.length <= MAX_HINT_TEXT) return { text, around };
  const start = Math.max(0, Math.min(around - MAX_HINT_TEXT / 2, text.length - MAX_HINT_TEXT));
  return { text: text.slice(start, start + MAX_HINT_TEXT), around: around - start };
}

/** The lines around [from, to] of a document, and the offset of `at` in that text. */
export function surroundingText(
  doc: vscode.TextDocument,
  from: vscode.Position,
  to: vscode.Position,
  at: vscode.Position,
): { text: string; around: number } {
  const first = Math.max(0, from.line - HINT_LINES);
  const last = Math.min(doc.lineCount - 1, to.line + HINT_LINES);
  const range = new vscode.Range(first, 0, last, doc.lineAt(last).text.length);
  const text = doc.getText(range);
  const around = doc.offsetAt(at) - doc.offsetAt(range.start);
  return clip(text, around);
}

/**
 * `read` is the text the ID was read from (the selection, the pasted text), `offset` where it starts in
 * hintsText. A cursor points at one ID, so only a text read without one can ask the person to choose.
 */
function fromExtraction(ext: Extraction, read: string, hintsText: string, offset: number, cursor: number | undefined): ReadResult {
  if (ext.match) {
    const choices =
      cursor === undefined ? choicesIn(read, ext)?.map((c) => ({ ...c, start: c.start + offset, end: c.end + offset })) : undefined;
    return {
      kind: 'found',
      target: { requestId: ext.match.id, hintsText, around: offset + ext.match.start, notes: extractionNotes(ext), choices },
    };
  }
  const onCursor = ext.rejected[0];
  if (onCursor && (cursor === undefined || (cursor >= onCursor.start && cursor <= onCursor.end))) {
    const event = eventIdIn(ext);
    if (event === onCursor) return { kind: 'event', eventId: event.id };
    return { kind: 'rejected', rejected: onCursor, candidates: ext.candidates.map((c) => c.id), hintsText };
  }
  return { kind: 'none' };
}

/** The request ID in the editor: the selection's, else the one at (or nearest) the cursor. */
export function readEditor(editor: vscode.TextEditor): ReadResult {
  const doc = editor.document;
  const sel = editor.selection;
  if (!sel.isEmpty) {
    const selected = doc.getText(sel);
    const around = surroundingText(doc, sel.start, sel.end, sel.start);
    // The selection decides the ID; the lines around it only add hints.
    const ext = extractRequestId(selected);
    return fromExtraction(ext, selected, around.text, around.around, undefined);
  }
  const around = surroundingText(doc, sel.active, sel.active, sel.active);
  // A rejected ID elsewhere in the window is not what the person pointed at: fromExtraction asks instead.
  return fromExtraction(extractRequestId(around.text, around.around), around.text, around.text, 0, around.around);
}

/** Asks for a request ID (or an event ID); pasted text of any size works (the ID is extracted), validated as they type. */
export async function askForRequestId(initial?: string): Promise<ReadResult> {
  const validate = (text: string): vscode.InputBoxValidationMessage | string | undefined => {
    if (!text.trim()) return undefined;
    const ext = extractRequestId(text);
    const info = (message: string) => ({ message, severity: vscode.InputBoxValidationSeverity.Info });
    if (ext.match) {
      const choices = choicesIn(text, ext);
      if (choices) return info(`${choices.length} request IDs in this text: you will choose which to search for (${ext.match.id} first)`);
      const notes = extractionNotes(ext);
      return info([`Will search for ${ext.match.id}`, ...notes.slice(0, 2)].join('. '));
    }
    const event = eventIdIn(ext);
    if (event) return info(`Will open the event with event ID ${event.id} (looked up by EventId)`);
    if (ext.rejected[0]) return rejectionShort(ext.rejected[0]);
    return 'No request ID found in that text';
  };
  const text = await vscode.window.showInputBox({
    title: 'Go to Event for Request ID',
    prompt: 'Paste a request ID or an event ID, or the whole error message, log line or record that holds one',
    placeHolder: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e, or "… (Service: Backup, Status Code: 400, Request ID: …)"',
    value: initial,
    ignoreFocusOut: true,
    validateInput: validate,
  });
  if (!text?.trim()) return { kind: 'none' };
  const ext = extractRequestId(text);
  if (!ext.match) {
    const event = eventIdIn(ext);
    return event ? { kind: 'event', eventId: event.id } : { kind: 'none' };
  }
  const clipped = clip(text, ext.match.start);
  const shift = clipped.around - ext.match.start;
  // Offsets into the clipped text; a choice clipped away keeps its ID (the hints come from the text kept).
  const choices = choicesIn(text, ext)?.map((c) => ({ ...c, start: Math.max(0, c.start + shift), end: Math.max(0, c.end + shift) }));
  return {
    kind: 'found',
    target: { requestId: ext.match.id, hintsText: clipped.text, around: clipped.around, notes: extractionNotes(ext), choices },
  };
}

/**
 * The quick pick for a text with several request IDs: each with its label, the preferred first and,
 * under each other, why the first was preferred to it. Undefined when dismissed.
 */
export async function chooseRequestId(target: RequestTarget): Promise<RequestTarget | undefined> {
  const choices = target.choices;
  if (!choices?.length) return target;
  type Item = vscode.QuickPickItem & { choice: Choice };
  const items: Item[] = choices.map((c, i) => ({
    label: c.id,
    description: c.label ? `"${c.label}"` : 'no label',
    detail:
      i === 0 ? `$(star-full) Preferred${c.label ? `: labelled "${c.label}"` : ''}` : `$(arrow-small-right) Not preferred: ${c.reason}`,
    choice: c,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${choices.length} request IDs in the text: which one?`,
    placeHolder: 'Choose the request ID to search for',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  const c = picked.choice;
  const notes = (target.notes ?? []).filter((n) => !n.startsWith('Set aside'));
  return { requestId: c.id, hintsText: target.hintsText, around: c.start, notes };
}
