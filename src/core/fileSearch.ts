/**
 * Request-ID search over trail log files at the speed of decompression: each file is inflated as a
 * stream and its bytes searched for the ID (one indexOf per chunk); only a file that holds the
 * bytes is read again, split into records (RecordSplitter), and only the records that hold them
 * are parsed and checked. No file is ever held whole, inflated or not.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createGunzip } from 'node:zlib';
import { TrailLensError, isAbortError, throwIfAborted } from './errors';
import { fsError } from './files';
import { isRecord, type CloudTrailRecord } from './record';
import { NeedleScanner, RecordSplitter } from './recordStream';

const MB = 1024 * 1024;
/** Read and inflate in large chunks: the per-chunk cost in JavaScript then vanishes beside zlib's. */
const CHUNK = MB;
/** A file inflating past this is a gzip bomb, not a trail file (CloudTrail's are ≤ 50 MB compressed). */
export const MAX_INFLATED_BYTES = 4096 * MB;

export interface FileSearchOptions {
  signal?: AbortSignal;
  /** Files inflated at once (zlib runs on libuv's thread pool). Default: the CPUs, at most 4. */
  concurrency?: number;
  /** After each file: how far the search is. */
  onFile?: (path: string, done: number, total: number) => void;
  /** A file that cannot be read or inflated: reported, and the search goes on. */
  onError?: (path: string, error: TrailLensError) => void;
}

export interface FileSearchResult {
  /** The records whose requestID is the one searched, with the file each came from. */
  hits: { path: string; record: CloudTrailRecord }[];
  filesSearched: number;
  /** Files whose bytes held the ID somewhere (and were parsed); a hit or a mention. */
  filesParsed: number;
  bytesInflated: number;
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** The inflated bytes of a file (gzip recognised by its magic bytes), chunk by chunk, bounded. */
export async function* inflatedChunks(path: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let gzip: boolean;
  try {
    gzip = await isGzip(path);
  } catch (err) {
    throw fsError(err, path);
  }
  const raw = createReadStream(path, { highWaterMark: CHUNK, signal });
  const source = gzip ? raw.pipe(createGunzip({ chunkSize: CHUNK })) : raw;
  if (gzip) raw.on('error', (err) => source.destroy(err));
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_INFLATED_BYTES) {
        throw new TrailLensError(
          'ParseError',
          `${path} inflates past ${MAX_INFLATED_BYTES / MB} MB: a gzip bomb, not a CloudTrail log file.`,
        );
      }
      yield chunk;
    }
  } catch (err) {
    if (err instanceof TrailLensError || isAbortError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new TrailLensError('ParseError', `${path} is not a readable gzip file: it is truncated or corrupt.`, { cause: err });
    }
    throw fsError(err, path);
  } finally {
    source.destroy();
    raw.destroy();
  }
}

/** Whether the file's inflated bytes contain `needle`; stops reading at the first occurrence. */
async function holds(path: string, needle: Buffer, signal?: AbortSignal): Promise<{ found: boolean; bytes: number }> {
  const scanner = new NeedleScanner(needle);
  let bytes = 0;
  for await (const chunk of inflatedChunks(path, signal)) {
    bytes += chunk.length;
    if (scanner.write(chunk)) return { found: true, bytes };
  }
  return { found: false, bytes };
}

/** The records of one file whose bytes contain `needle`, parsed one at a time. */
async function recordsHolding(path: string, needle: Buffer, signal?: AbortSignal): Promise<CloudTrailRecord[]> {
  const splitter = new RecordSplitter(path);
  const out: CloudTrailRecord[] = [];
  for await (const chunk of inflatedChunks(path, signal)) {
    for (const bytes of splitter.write(chunk)) {
      if (bytes.indexOf(needle) < 0) continue;
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        throw new TrailLensError(
          'ParseError',
          `${path}: record ${splitter.records} is not valid JSON (${err instanceof Error ? err.message : String(err)}).`,
        );
      }
      if (isRecord(value)) out.push(value);
    }
  }
  splitter.end();
  return out;
}

/** Searches the files for the records with this request ID (see the module comment). */
export async function searchFilesForRequestId(
  paths: readonly string[],
  requestId: string,
  opts: FileSearchOptions = {},
): Promise<FileSearchResult> {
  const needle = Buffer.from(requestId, 'utf8');
  const result: FileSearchResult = { hits: [], filesSearched: 0, filesParsed: 0, bytesInflated: 0 };
  const width = Math.max(1, opts.concurrency ?? Math.min(4, availableParallelism()));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      throwIfAborted(opts.signal);
      const path = paths[next++];
      try {
        const scan = await holds(path, needle, opts.signal);
        result.bytesInflated += scan.bytes;
        if (scan.found) {
          result.filesParsed++;
          for (const record of await recordsHolding(path, needle, opts.signal)) {
            if (record.requestID === requestId) result.hits.push({ path, record });
          }
        }
      } catch (err) {
        if (isAbortError(err) || opts.signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled', { cause: err });
        const error = err instanceof TrailLensError ? err : new TrailLensError('ParseError', `${path}: ${String(err)}`, { cause: err });
        if (!opts.onError) throw error;
        opts.onError(path, error);
      }
      result.filesSearched++;
      opts.onFile?.(path, result.filesSearched, paths.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, paths.length) }, worker));
  result.hits.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}
