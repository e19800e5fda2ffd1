/**
 * Request-ID search in a trail source for the extension: findInTrailSource (what a request-ID jump
 * calls for a trail source: sourceSearch.ts under a cancellable progress notification) and the
 * command Trail Lens: Find Request ID in Trail Files…, which opens the hit in the event panel.
 */
import * as vscode from 'vscode';
import { TrailLensError } from '../../core/errors';
import type { CloudTrailRecord } from '../../core/record';
import { classifyRequestId, normalizeRequestId } from '../../core/requestId';
import type { TimeWindow } from '../../core/time';
import type { TrailLensContext } from '../context';
import { loadEngine } from '../loadEngine';
import { searchSource } from './sourceSearch';
import { pickTrailSource } from './sourceCommands';

/**
 * Searches the source (a local path or s3://bucket/prefix) for the request ID: every file when
 * `window` is undefined, else only those whose delivery time can hold the window. Shows files
 * read of total in a notification that can be cancelled (then it throws Cancelled).
 */
export async function findInTrailSource(
  ctx: TrailLensContext,
  source: string,
  requestId: string,
  window: TimeWindow | undefined,
  token?: vscode.CancellationToken,
): Promise<{ records: CloudTrailRecord[]; where: string[]; searched: string }> {
  const engine = await loadEngine();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Searching ${source} for request ID ${requestId}`, cancellable: true },
    async (progress, own) => {
      const abort = new AbortController();
      const stop = () => abort.abort();
      const subs = [own.onCancellationRequested(stop), token?.onCancellationRequested(stop)];
      if (own.isCancellationRequested || token?.isCancellationRequested) stop();
      let reported = 0;
      try {
        return await searchSource(engine, source, requestId, window, {
          signal: abort.signal,
          s3: async () => (await ctx.connection.session()).connection.s3,
          onFile: (done, total) => {
            const increment = total ? ((done - reported) / total) * 100 : 0;
            reported = done;
            progress.report({ message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} files read`, increment });
          },
        });
      } finally {
        for (const s of subs) s?.dispose();
      }
    },
  );
}

/** Trail Lens: Find Request ID in Trail Files…: the shown trail source, or one picked from the settings. */
export async function findRequestInTrailFiles(ctx: TrailLensContext, arg?: unknown): Promise<void> {
  const source = ctx.trailSource.active ?? (await pickTrailSource(ctx, 'Search which trail source for the request ID?'));
  if (!source) return;
  const id =
    typeof arg === 'string' && arg.trim()
      ? arg.trim()
      : await vscode.window.showInputBox({
          title: `Find Request ID in ${source}`,
          prompt: 'The request ID (x-amzn-RequestId, or the ID in an error message)',
          validateInput: (v) =>
            v.trim() === '' ? 'Enter a request ID' : classifyRequestId(v) ? undefined : 'This does not look like a request ID',
          ignoreFocusOut: true,
        });
  if (!id?.trim()) return;
  const requestId = normalizeRequestId(id);
  let result;
  try {
    result = await findInTrailSource(ctx, source, requestId, undefined);
  } catch (err) {
    if (err instanceof TrailLensError && err.code === 'Cancelled') {
      void vscode.window.showInformationMessage(`Stopped searching ${source} for request ID ${requestId}.`);
      return;
    }
    throw err;
  }
  ctx.log.info(`Request ID ${requestId}: ${result.records.length} event(s) in ${result.searched}`);
  if (!result.records.length) {
    void vscode.window.showInformationMessage(`Request ID ${requestId} is in none of ${result.searched}.`);
    return;
  }
  const record = result.records[0];
  ctx.panel.show(record, { source: 'trail', where: result.where[0], region: record.awsRegion });
  if (ctx.trailSource.active === source) await ctx.trailSource.reveal(record);
  const more =
    result.records.length > 1 ? ` (and ${result.records.length - 1} more event${result.records.length > 2 ? 's' : ''} with that ID)` : '';
  vscode.window.setStatusBarMessage(`Found request ID ${requestId} in ${result.where[0]}${more}; searched ${result.searched}`, 10_000);
}
