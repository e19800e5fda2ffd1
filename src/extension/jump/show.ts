/**
 * Showing a found event: the panel beside the editor the ID was read from (kept in view), the Events
 * tree when it came from the session's event history, a short status.
 */
import * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../core/record';
import type { EventContext } from '../../protocol/protocol';
import type { TrailLensContext } from '../context';
import { oneLine } from '../eventLabels';
import type { Session } from '../session';
import type { JumpRequest } from './requestSearch';

/**
 * After the panel opens beside the editor the ID was read from, the narrower editor re-wraps its
 * lines and the clicked line scrolls away: reveal it again once the editor's layout has changed.
 */
export function keepInView(source: JumpRequest['source']): void {
  if (!source) return;
  const { editor, range } = source;
  const visible = (ranges: readonly vscode.Range[]) => ranges.some((r) => r.contains(range.start));
  const sub = vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
    if (e.textEditor !== editor || visible(e.visibleRanges)) return;
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    sub.dispose();
  });
  setTimeout(() => sub.dispose(), 3000);
}

/** The status bar's short "Found …" (the full summary is in the log). */
function foundStatus(record: CloudTrailRecord, result: { fromCache: boolean; calls: number; elapsedMs: number }): string {
  const how = result.fromCache
    ? 'from the cache'
    : `${result.calls} call${result.calls === 1 ? '' : 's'}, ${(result.elapsedMs / 1000).toFixed(1)} s`;
  return `$(check) Found ${oneLine(record.eventName, 40)} (${how})`;
}

/** Shows a found event: the panel beside the editor, the tree (same Region only), a short status. */
export async function showFound(
  ctx: TrailLensContext,
  session: Session,
  request: { region?: string; source?: JumpRequest['source'] },
  record: CloudTrailRecord,
  result: { fromCache: boolean; calls: number; elapsedMs: number },
): Promise<void> {
  const context: EventContext = {
    profile: session.profile,
    region: session.region,
    source: result.fromCache ? 'cache' : session.sample ? 'sample' : 'lookup',
  };
  ctx.panel.show(record, context, { beside: request.source?.editor.viewColumn });
  keepInView(request.source);
  vscode.window.setStatusBarMessage(foundStatus(record, result), 20_000);
  // The tree shows one Region: an event found in another stays in the panel only.
  if (!request.region || session === (await ctx.connection.session())) {
    await ctx.events.reveal(record).catch((err: unknown) => {
      ctx.log.warn(`Could not reveal ${record.eventID} in the Events view: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}

/** Shows an event an engine or trail source found: the panel only (the tree lists event history), with where it came from. */
export function showFromSource(
  ctx: TrailLensContext,
  request: { source?: JumpRequest['source'] },
  record: CloudTrailRecord,
  context: EventContext,
  status: string,
): void {
  ctx.panel.show(record, context, { beside: request.source?.editor.viewColumn });
  keepInView(request.source);
  vscode.window.setStatusBarMessage(`$(check) Found ${oneLine(record.eventName, 40)} (${status})`, 20_000);
}
