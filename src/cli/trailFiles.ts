/** The CLI's trail-file sources: local paths and s3:// URLs for `read`, and `find-request --files`. */
import type { Connection } from '../core/aws';
import { TrailLensError } from '../core/errors';
import { searchFilesForRequestId, type FileSearchResult } from '../core/fileSearch';
import { listTrailFiles, readRecordPaths, type FileRecords, type ReadPathsOptions } from '../core/files';
import { jsonForTerminal } from '../core/json';
import { listTrailObjects, parseS3Url, readS3Objects, searchS3ForRequestId, type S3Listing } from '../core/s3Trail';
import { formatWindow, type TimeWindow } from '../core/time';
import { say } from './format';
import type { CommonArgs } from './commands';

/** Opens a connection for S3 only when an s3:// source is named (local files need no AWS). */
type Connect = () => Promise<Connection>;

function split(sources: string[]): { local: string[]; s3: string[] } {
  const local: string[] = [];
  const s3: string[] = [];
  for (const s of sources) {
    if (!s.startsWith('s3://')) local.push(s);
    else if (!parseS3Url(s)) throw new TrailLensError('InvalidInput', `'${s}' is not an S3 URL: expected s3://bucket[/prefix]`);
    else s3.push(s);
  }
  return { local, s3 };
}

async function listing(connection: Connection, url: string, window: TimeWindow | undefined, signal: AbortSignal): Promise<S3Listing> {
  const loc = parseS3Url(url) as NonNullable<ReturnType<typeof parseS3Url>>;
  const out = await listTrailObjects(connection.s3, loc, { window }, signal);
  say(
    `Listing ${out.searched}: ${out.objects.length} object${out.objects.length === 1 ? '' : 's'} to read${out.ruledOut ? ` (${out.ruledOut} ruled out by delivery time)` : ''}`,
  );
  return out;
}

/**
 * The records of every source in order: local paths through readRecordPaths, s3:// URLs listed for
 * the window and read 8 objects at a time. Unreadable inputs go to onSkip as for local files.
 */
export async function* readSources(
  sources: string[],
  window: TimeWindow | undefined,
  connect: Connect,
  opts: ReadPathsOptions & { signal: AbortSignal },
): AsyncGenerator<FileRecords> {
  const { local, s3 } = split(sources);
  if (local.length) yield* readRecordPaths(local, opts);
  if (!s3.length) return;
  const connection = await connect();
  try {
    for (const url of s3) {
      const found = await listing(connection, url, window, opts.signal);
      yield* readS3Objects(connection.s3, found, {
        signal: opts.signal,
        onError: opts.onSkip ? (name, error) => opts.onSkip?.(name, error.message, error) : undefined,
      });
    }
  } finally {
    connection.dispose();
  }
}

/**
 * find-request --files: the request-ID fast path over the files and objects named, instead of
 * LookupEvents. Prints the record (0) or what was searched (1), as find-request does.
 */
export async function findInFiles(
  id: string,
  sources: string[],
  window: TimeWindow | undefined,
  connect: Connect,
  args: CommonArgs,
): Promise<number> {
  const { local, s3 } = split(sources);
  const searched: string[] = [];
  const hits: FileSearchResult['hits'] = [];
  let errors = 0;
  const onError = (_name: string, error: TrailLensError) => {
    errors++;
    say(`skipped: ${error.message}`);
  };
  if (local.length) {
    const { logs } = await listTrailFiles(local, { signal: args.signal });
    const r = await searchFilesForRequestId(logs, id, { signal: args.signal, onError });
    hits.push(...r.hits);
    searched.push(`${r.filesSearched} local file${r.filesSearched === 1 ? '' : 's'} (${local.join(', ')})`);
  }
  if (s3.length) {
    const connection = await connect();
    try {
      for (const url of s3) {
        const found = await listing(connection, url, window, args.signal);
        const r = await searchS3ForRequestId(connection.s3, found, id, { signal: args.signal, onError });
        hits.push(...r.hits);
        searched.push(`${r.filesSearched} object${r.filesSearched === 1 ? '' : 's'} in ${found.searched}`);
      }
    } finally {
      connection.dispose();
    }
  }
  const where = searched.join('; ');
  const unread = errors ? `; ${errors} could not be read` : '';
  if (!hits.length) {
    say(
      `Request ID ${id} is in none of ${where}${window && !s3.length ? ` (window ${formatWindow(window)} not applied to local files)` : ''}${unread}.`,
    );
    return 1;
  }
  // Duplicate deliveries of the event: one record.
  const record = hits[0].record;
  say(
    `Found request ID ${id}: ${record.eventName ?? record.eventType} at ${record.eventTime} in ${hits[0].path} (searched ${where}${unread})`,
  );
  process.stdout.write(jsonForTerminal(record, 2) + '\n');
  return 0;
}
