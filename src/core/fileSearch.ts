/**
 * Request-ID search over trail log files at the speed of decompression: each file is inflated as a
 * stream and its bytes searched for the ID (one indexOf per chunk); only a file that holds the
 * bytes is read again, split into records (RecordSplitter), and only the records that hold them
 * are parsed and checked. No file is ever held whole, inflated or not.
 */
import { availableParallelism } from 'node:os';
import { TrailLensError, isAbortError, throwIfAborted } from './errors';
import { inflateFile } from './inflate';
import { isRecord, type CloudTrailRecord } from './record';
import { NeedleScanner, RecordSplitter } from './recordStream';

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

/** The inflated bytes of a file (gzip recognised by its magic bytes), chunk by chunk, bounded. */
export function inflatedChunks(path: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  return inflateFile(path, { signal });
}

/** One input of a search: its name in messages, and a way to read its inflated bytes (twice when it holds the ID). */
export interface SearchSource {
  name: string;
  open(signal?: AbortSignal): AsyncGenerator<Buffer>;
}

/** Whether the source's inflated bytes contain `needle`; stops reading at the first occurrence. */
async function holds(source: SearchSource, needle: Buffer, signal?: AbortSignal): Promise<{ found: boolean; bytes: number }> {
  const scanner = new NeedleScanner(needle);
  let bytes = 0;
  const chunks = source.open(signal);
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      if (scanner.write(chunk)) return { found: true, bytes };
    }
  } finally {
    await chunks.return(undefined);
  }
  return { found: false, bytes };
}

/** The records of one source whose bytes contain `needle`, parsed one at a time. */
async function recordsHolding(source: SearchSource, needle: Buffer, signal?: AbortSignal): Promise<CloudTrailRecord[]> {
  const splitter = new RecordSplitter(source.name);
  const out: CloudTrailRecord[] = [];
  for await (const chunk of source.open(signal)) {
    for (const bytes of splitter.write(chunk)) {
      if (bytes.indexOf(needle) < 0) continue;
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        throw new TrailLensError(
          'ParseError',
          `${source.name}: record ${splitter.records} is not valid JSON (${err instanceof Error ? err.message : String(err)}).`,
        );
      }
      if (isRecord(value)) out.push(value);
    }
  }
  splitter.end();
  return out;
}

/**
 * How a CloudTrail record begins. Inside a JSON string a quote is always escaped, so these bytes
 * can only be a real object opening with the key eventVersion: the record around a hit is found by
 * looking back for them, without splitting the file from its start.
 */
const RECORD_START = Buffer.from('{"eventVersion"');

/**
 * The records around each occurrence of `needle`, found by looking back from it for RECORD_START
 * and splitting just that record; a window of three chunks (3 MB) holds any CloudTrail record
 * (≤ 256 KB). Undefined when that cannot be vouched for (no start found, a record crossing the
 * window, a parse failure): the caller then splits the whole file instead.
 */
async function recordsAround(source: SearchSource, needle: Buffer, signal?: AbortSignal): Promise<CloudTrailRecord[] | undefined> {
  const out: CloudTrailRecord[] = [];
  const seen = new Set<number>();
  const chunks: Buffer[] = [];
  let base = 0; // offset in the file of chunks[0]
  /** Occurrences starting in chunks[1] (the middle one), in a window of chunks[0..2]. */
  const look = (): boolean => {
    const window = Buffer.concat(chunks);
    const from = chunks[0].length;
    const to = from + (chunks[1]?.length ?? 0);
    for (let at = window.indexOf(needle, from); at >= 0 && at < to; at = window.indexOf(needle, at + 1)) {
      const start = window.lastIndexOf(RECORD_START, at);
      if (start < 0) return false;
      if (seen.has(base + start)) continue;
      const splitter = new RecordSplitter(source.name);
      let parts: Buffer[];
      try {
        parts = splitter.write(Buffer.concat([Buffer.from('['), window.subarray(start)]));
      } catch {
        return false;
      }
      if (!parts.length || start + parts[0].length <= at) return false;
      let value: unknown;
      try {
        value = JSON.parse(parts[0].toString('utf8'));
      } catch {
        return false;
      }
      if (!isRecord(value)) return false;
      seen.add(base + start);
      out.push(value);
    }
    return true;
  };
  const pad = Buffer.alloc(0);
  chunks.push(pad);
  for await (const chunk of source.open(signal)) {
    chunks.push(chunk);
    if (chunks.length === 3) {
      if (!look()) return undefined;
      base += chunks[0].length;
      chunks.shift();
    }
  }
  chunks.push(pad);
  while (chunks.length >= 3) {
    if (!look()) return undefined;
    base += chunks[0].length;
    chunks.shift();
  }
  return out;
}

/** Searches the files for the records with this request ID (see the module comment). */
export function searchFilesForRequestId(
  paths: readonly string[],
  requestId: string,
  opts: FileSearchOptions = {},
): Promise<FileSearchResult> {
  return searchSourcesForRequestId(
    paths.map((path) => ({ name: path, open: (signal) => inflatedChunks(path, signal) })),
    requestId,
    opts,
  );
}

/** The same search over any inputs (local files, S3 objects): `hits[].path` is each source's name. */
export async function searchSourcesForRequestId(
  sources: readonly SearchSource[],
  requestId: string,
  opts: FileSearchOptions = {},
): Promise<FileSearchResult> {
  const needle = Buffer.from(requestId, 'utf8');
  const result: FileSearchResult = { hits: [], filesSearched: 0, filesParsed: 0, bytesInflated: 0 };
  const width = Math.max(1, opts.concurrency ?? Math.min(4, availableParallelism()));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      throwIfAborted(opts.signal);
      const source = sources[next++];
      try {
        const scan = await holds(source, needle, opts.signal);
        result.bytesInflated += scan.bytes;
        if (scan.found) {
          result.filesParsed++;
          const near = await recordsAround(source, needle, opts.signal);
          for (const record of near ?? (await recordsHolding(source, needle, opts.signal))) {
            if (record.requestID === requestId) result.hits.push({ path: source.name, record });
          }
        }
      } catch (err) {
        if (isAbortError(err) || opts.signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled', { cause: err });
        const error =
          err instanceof TrailLensError ? err : new TrailLensError('ParseError', `${source.name}: ${String(err)}`, { cause: err });
        if (!opts.onError) throw error;
        opts.onError(source.name, error);
      }
      result.filesSearched++;
      opts.onFile?.(source.name, result.filesSearched, sources.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, sources.length) }, worker));
  result.hits.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}
