/**
 * Request-ID search over trail log files at the speed of decompression: each file is inflated once,
 * as a stream of 1 MB chunks, and each chunk searched in place for the ID's bytes (NeedleScanner);
 * nothing is split or parsed until a hit. Only the record around each hit is split out and parsed
 * (the last two chunks are kept for that); a file where that cannot be vouched for is read again and
 * split whole (RecordSplitter). No file is ever held whole, inflated or not.
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

/** The records of one source whose bytes contain `needle`, parsed one at a time: the whole file split. */
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
const OPEN = Buffer.from('[');
const CLOSE_ARRAY = 0x5d;

/**
 * The records around the occurrences `hits` (offsets in the source) in `window`, the source's bytes
 * from `base`: each found by looking back from its hit for RECORD_START and splitting from there to
 * the next record's start (or, at the source's end, its closing bracket). Records already taken
 * (`seen`, by start) are skipped. False when that cannot be vouched for (no start found, a record
 * that does not close in the window, a parse failure): the caller then splits the whole source.
 */
function takeRecordsAround(
  window: Buffer,
  base: number,
  hits: readonly number[],
  atEnd: boolean,
  needle: Buffer,
  seen: Set<number>,
  out: CloudTrailRecord[],
): boolean {
  for (const hit of hits) {
    const at = hit - base;
    const start = window.lastIndexOf(RECORD_START, at);
    if (start < 0) return false;
    if (seen.has(base + start)) continue;
    const next = window.indexOf(RECORD_START, at + needle.length);
    const end = next >= 0 ? next : atEnd ? window.lastIndexOf(CLOSE_ARRAY) : window.length;
    if (end <= at) return false;
    let parts: Buffer[];
    try {
      parts = new RecordSplitter('').write(Buffer.concat([OPEN, window.subarray(start, end)]));
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
}

/**
 * One pass over a source: each chunk is searched for the needle in place (NeedleScanner) and
 * dropped, but for the last two kept by reference. A chunk with hits waits for the next one, and
 * the records around them are taken from the window of three (takeRecordsAround): at least 1 MB
 * behind a hit and 1 MB ahead hold any CloudTrail record (≤ 256 KB). `records` is undefined when that could not
 * be vouched for: the caller then splits the whole source.
 */
async function scanSource(
  source: SearchSource,
  needle: Buffer,
  signal?: AbortSignal,
): Promise<{ found: boolean; bytes: number; records: CloudTrailRecord[] | undefined }> {
  const scanner = new NeedleScanner(needle);
  let records: CloudTrailRecord[] | undefined = [];
  const seen = new Set<number>();
  let recent: Buffer[] = []; // the last chunks, at most three
  let base = 0; // the source's offset of recent[0]
  let pending: readonly number[] = []; // hits of the previous chunk, waiting for this one
  let bytes = 0;
  const settle = (atEnd: boolean): void => {
    if (records && !takeRecordsAround(Buffer.concat(recent), base, pending, atEnd, needle, seen, records)) records = undefined;
    pending = [];
  };
  for await (const chunk of source.open(signal)) {
    bytes += chunk.length;
    recent.push(chunk);
    if (pending.length) settle(false);
    if (scanner.write(chunk) && records) pending = scanner.hits;
    if (recent.length > 2) {
      base += recent[0].length;
      recent = recent.slice(1);
    }
  }
  if (pending.length) settle(true);
  return { found: scanner.found, bytes, records };
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
        const scan = await scanSource(source, needle, opts.signal);
        result.bytesInflated += scan.bytes;
        if (scan.found) {
          result.filesParsed++;
          for (const record of scan.records ?? (await recordsHolding(source, needle, opts.signal))) {
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
