/**
 * The request-ID jump's trail-files step: the trail source's own search (trailFiles/searchTrailSource.ts,
 * which shows files read of total and can be cancelled) over the window the text gives, or every
 * file when it gives no time (a trail keeps everything), as the engines' Run answer.
 */
import type * as vscode from 'vscode';
import type { CloudTrailRecord } from '../../core/record';
import type { TimeWindow } from '../../core/time';
import type { TrailLensContext } from '../context';
import { findInTrailSource } from '../trailFiles/searchTrailSource';

export interface TrailHit {
  record: CloudTrailRecord;
  /** The file (local path or s3:// URL) that holds it: the panel's "from trail log files …". */
  where: string;
}

export async function searchTrailFiles(
  ctx: TrailLensContext,
  source: string,
  requestId: string,
  window: TimeWindow | undefined,
  token?: vscode.CancellationToken,
): Promise<{ hits: TrailHit[]; searched: string }> {
  const found = await findInTrailSource(ctx, source, requestId, window, token);
  return { hits: found.records.map((record, i) => ({ record, where: found.where[i] ?? source })), searched: found.searched };
}
