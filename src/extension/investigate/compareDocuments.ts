/**
 * The two sides of "Compare Events": read-only virtual documents (`trail-lens-compare:`) holding a
 * record with its keys sorted (core/investigate/compare.ts), opened in VS Code's diff editor.
 */
import * as vscode from 'vscode';
import { stableJson } from '../../core/investigate/compare';
import type { CloudTrailRecord } from '../../core/record';
import { eventTitle } from '../eventLabels';

export const COMPARE_SCHEME = 'trail-lens-compare';

const MAX_REMEMBERED = 200;
const shown = new Map<string, string>();

function key(record: CloudTrailRecord): string {
  return (
    String(record.eventID ?? '')
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .slice(0, 100) || 'event'
  );
}

function uriFor(record: CloudTrailRecord, side: 'a' | 'b'): vscode.Uri {
  const name =
    String(record.eventName ?? 'event')
      .replace(/[^A-Za-z0-9_.]+/g, '_')
      .slice(0, 80) || 'event';
  return vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${side}/${name}-${key(record)}.json` });
}

class CompareProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      shown.get(uri.path) ?? '// Trail Lens: this comparison is no longer loaded. Compare the two events again from the Events view.\n'
    );
  }
}

export function registerCompareDocuments(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, new CompareProvider());
}

/** Opens the diff editor: the older event on the left. */
export async function openComparison(first: CloudTrailRecord, second: CloudTrailRecord): Promise<void> {
  const [a, b] = Date.parse(first.eventTime) <= Date.parse(second.eventTime) ? [first, second] : [second, first];
  const left = uriFor(a, 'a');
  const right = uriFor(b, 'b');
  for (const [uri, record] of [
    [left, a],
    [right, b],
  ] as const) {
    shown.delete(uri.path);
    shown.set(uri.path, stableJson(record));
  }
  while (shown.size > MAX_REMEMBERED) shown.delete(shown.keys().next().value as string);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${eventTitle(a)} ↔ ${eventTitle(b)}`, { preview: true });
}
