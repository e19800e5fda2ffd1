/**
 * A request-ID search over one trail source with core's fast path (core/fileSearch.ts: inflate,
 * look for the ID's bytes, parse only the records that hold them): local files, or the objects of
 * an S3 bucket and prefix. With a time window only the files whose delivery time can hold it are
 * read (trailLayout.ts keyMayHold, 15 minutes of delivery lag); without one, every file. Says
 * what was searched in one line. No `vscode` (searchTrailSource.ts adds the progress notification).
 */
import { TrailLensError } from '../../core/errors';
import type { CloudTrailRecord } from '../../core/record';
import type { S3Api } from '../../core/s3Client';
import { formatWindow, type TimeWindow } from '../../core/time';
import { keyMayHold, parseTrailKey } from '../../core/trailLayout';
import type { Engine } from '../loadEngine';
import { isS3Source } from './sourceIo';

export interface SourceSearchOptions {
  signal?: AbortSignal;
  /** The connection's S3 client, for s3:// sources. */
  s3?: () => Promise<S3Api>;
  /** After each file or object. */
  onFile?: (done: number, total: number) => void;
}

export interface SourceSearchResult {
  /** The records with that request ID (each eventID once). */
  records: CloudTrailRecord[];
  /** The file or s3:// object each record came from, in the same order. */
  where: string[];
  /** What was searched, in one line: files, bytes, delivery days, window, time taken, unreadable files. */
  searched: string;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function bytesText(n: number): string {
  if (n < 1024 * 1024) return `${Math.ceil(n / 1024).toLocaleString('en-US')} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** "delivery days 2026-11-25 to 2026-12-01 (7)" for the names in the trail layout. */
function daysText(names: readonly string[]): string {
  const days = [...new Set(names.flatMap((n) => parseTrailKey(n)?.day ?? []))].sort();
  if (!days.length) return '';
  return days.length === 1 ? `, delivery day ${days[0]}` : `, delivery days ${days[0]} to ${days[days.length - 1]} (${days.length})`;
}

export async function searchSource(
  engine: Engine,
  source: string,
  requestId: string,
  window: TimeWindow | undefined,
  opts: SourceSearchOptions = {},
): Promise<SourceSearchResult> {
  const started = Date.now();
  const errors: TrailLensError[] = [];
  const onError = (_name: string, error: TrailLensError) => void errors.push(error);
  const onFile = (_name: string, done: number, total: number) => opts.onFile?.(done, total);
  let names: string[];
  let ruledOut = 0;
  let result;
  if (isS3Source(source)) {
    const loc = engine.parseS3Url(source);
    if (!loc) throw new TrailLensError('InvalidInput', `'${source}' is not an S3 URL: expected s3://bucket[/prefix]`);
    if (!opts.s3) throw new TrailLensError('Config', `Searching ${source} needs an AWS connection for S3.`);
    const s3 = await opts.s3();
    const listing = window
      ? await engine.listTrailObjects(s3, loc, { window }, opts.signal)
      : {
          bucket: loc.bucket,
          objects: (await s3.listObjects(loc.bucket, loc.prefix, opts.signal)).filter(
            (o) => /\.json(\.gz)?$/i.test(o.key) && (parseTrailKey(o.key)?.kind ?? 'log') === 'log',
          ),
          searched: source,
          ruledOut: 0,
        };
    ruledOut = listing.ruledOut;
    names = listing.objects.map((o) => o.key);
    opts.onFile?.(0, names.length);
    result = await engine.searchS3ForRequestId(s3, listing, requestId, { signal: opts.signal, onError, onFile });
  } else {
    const files = (await engine.listTrailFiles([source], { signal: opts.signal })).logs;
    names = window ? files.filter((f) => keyMayHold(f, window)) : files;
    ruledOut = files.length - names.length;
    opts.onFile?.(0, names.length);
    result = await engine.searchFilesForRequestId(names, requestId, { signal: opts.signal, onError, onFile });
  }
  const seen = new Set<string>();
  const records: CloudTrailRecord[] = [];
  const where: string[] = [];
  for (const hit of result.hits) {
    if (seen.has(hit.record.eventID)) continue;
    seen.add(hit.record.eventID);
    records.push(hit.record);
    where.push(hit.path);
  }
  const what = isS3Source(source) ? 'object' : 'file';
  const parts = [
    `${plural(result.filesSearched, what)} (${bytesText(result.bytesInflated)} inflated) of ${source}${daysText(names)}`,
    window ? ` for ${formatWindow(window)} (+15 min delivery lag)` : '',
    ruledOut ? `, ${plural(ruledOut, what)} ruled out by delivery time` : '',
    `, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    errors.length ? `; ${plural(errors.length, what)} could not be read (${errors[0].message})` : '',
  ];
  return { records, where, searched: parts.join('') };
}
