/**
 * A record as a read-only virtual JSON document (`trail-lens:/CreateBackupVault-<eventId>.json?region=…`),
 * so the editor's folding, search, copy and diff work on it for free (AWS Toolkit's `aws-cwl` documents).
 */
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../core/record';
import { toJson } from '../core/json';
import type { EventsViewService } from './context';

export const EVENT_SCHEME = 'trail-lens';

/** Records opened as documents, by eventID; documents are re-read from here when VS Code asks again. */
const opened = new Map<string, CloudTrailRecord>();
const MAX_REMEMBERED = 500;

/** File-name-safe piece of an attacker-controlled field. */
function safeName(value: unknown, fallback: string, allowed = /[^A-Za-z0-9_.-]+/g): string {
  const s = String(value ?? '')
    .replace(allowed, '_')
    .slice(0, 100);
  return s.replace(/^\.+/, '') || fallback;
}

export function eventDocumentUri(record: CloudTrailRecord, region?: string): vscode.Uri {
  // No "-" in the event-name part: the first "-" separates it from the eventID.
  const name = `${safeName(record.eventName, 'event', /[^A-Za-z0-9_.]+/g)}-${safeName(record.eventID, 'unknown')}.json`;
  const r = region ?? record.awsRegion;
  return vscode.Uri.from({ scheme: EVENT_SCHEME, path: `/${name}`, query: r ? `region=${encodeURIComponent(r)}` : '' });
}

/** The eventID a document URI stands for (the part after the first "-" of the file name). */
export function eventIdFromUri(uri: vscode.Uri): string | undefined {
  const m = /^\/[^-/]*-(.+)\.json$/.exec(uri.path);
  return m?.[1];
}

export function eventJson(record: CloudTrailRecord): string {
  return `${toJson(record, 2) ?? 'null'}\n`;
}

function remember(record: CloudTrailRecord): void {
  opened.delete(record.eventID);
  opened.set(record.eventID, record);
  if (opened.size > MAX_REMEMBERED) {
    const oldest = opened.keys().next().value;
    if (oldest !== undefined) opened.delete(oldest);
  }
}

class EventDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly events: EventsViewService) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = eventIdFromUri(uri);
    const record = (id && opened.get(id)) ?? (id ? this.events.records().find((r) => safeName(r.eventID, '') === id) : undefined);
    if (record) return eventJson(record);
    // After a window reload VS Code reopens the tab before anything is loaded; say how to get it back.
    return `// Trail Lens: this event is no longer loaded.\n// Open it again from the Trail Lens Events view or with "Go to Event for Request ID".\n`;
  }
}

export function registerEventDocuments(events: EventsViewService): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(EVENT_SCHEME, new EventDocumentProvider(events));
}

/** Opens the record as pretty-printed JSON beside the active editor, as a preview tab. */
export async function openEventJson(record: CloudTrailRecord, region?: string): Promise<vscode.TextEditor> {
  remember(record);
  const doc = await vscode.workspace.openTextDocument(eventDocumentUri(record, region));
  const json = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
  return vscode.window.showTextDocument(json, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}
