/**
 * Local CloudTrail input: trail log files (.json.gz as delivered to S3, or .json), saved
 * `aws cloudtrail lookup-events` output, and folders of them such as a synced AWSLogs/ prefix.
 */
import { createReadStream, type Dirent, type Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { TrailLensError, isAbortError, throwIfAborted } from './errors';
import { fsError, inflateFile, inflateStream } from './inflate';
import type { CloudTrailRecord, InputKind, ParsedInput } from './record';
import { MAX_TEXT_BYTES, readRecordBatches, type RecordBatch } from './recordReader';
import { trailFileKind, type TrailFileKind } from './trailLayout';

const MB = 1024 * 1024;
/** CloudTrail writes files of at most 50 MB compressed; anything far larger is not a trail file. */
export const MAX_FILE_BYTES = 200 * MB;
export { MAX_TEXT_BYTES };
export { fsError };
/** Files read ahead of the consumer, and the inflated bytes they may hold between them. */
const READ_AHEAD = 4;
const READ_AHEAD_BYTES = 32 * MB;
/** The name '-' reads standard input by (with `stdin` given), and the name its errors use. */
export const STDIN = '-';
const STDIN_NAME = 'stdin';

/**
 * Records of one file. A large trail log file comes as several of these in a row with the same
 * path (`part` 0, 1, …): its records are parsed and handed out a batch at a time (BATCH_RECORDS).
 */
export interface FileRecords {
  path: string;
  kind: InputKind;
  records: CloudTrailRecord[];
  /** 0 for a file's first batch; a caller counting files counts those. */
  part: number;
}

export interface ReadLimits {
  /**
   * The most bytes of text a file that is not a trail log (lookup-events output, one record) may
   * hold once inflated (default and cap MAX_TEXT_BYTES). Trail log files are streamed record by
   * record up to MAX_INFLATED_BYTES whatever this says.
   */
  maxTextBytes?: number;
  /** Read devices, FIFOs and sockets named explicitly; never inside folders. Default: refused. */
  allowSpecialFiles?: boolean;
}

export interface ReadPathsOptions extends ReadLimits {
  signal?: AbortSignal;
  /**
   * Called for each file left out: digests and Insights files (no error), and each path that cannot
   * be read (with its error). With onSkip every readable file is still yielded; without it the first
   * error is thrown. A file that fails part-way (a truncated .gz) has yielded its records up to there.
   */
  onSkip?: (path: string, reason: string, error?: TrailLensError) => void;
  /** What the path '-' reads; without it '-' is a file of that name. */
  stdin?: Readable;
}

function specialKind(info: Stats): string | undefined {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return info.isFile() ? undefined : 'not a regular file';
}

/**
 * Inflated bytes that files read ahead may hold between them. The file the consumer waits for
 * (`urgent`) is never held back, so reading always progresses; the others wait for room.
 */
class ByteBudget {
  private used = 0;
  private closed = false;
  private waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async take(bytes: number, urgent: () => boolean): Promise<void> {
    while (!this.closed && !urgent() && this.used > 0 && this.used + bytes > this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    if (this.closed) throw new TrailLensError('Cancelled', 'Cancelled');
    this.used += bytes;
  }

  give(bytes: number): void {
    this.used -= bytes;
    this.wake();
  }

  /** Lets waiters re-check: the urgent file has changed. */
  wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }
}

/**
 * The inflated chunks of one file, read ahead while it is not yet the consumer's (within the
 * shared budget), then handed over: first what was read ahead, then straight from the source.
 */
class ReadAhead {
  private readonly queue: Buffer[] = [];
  private error: unknown;
  private done = false;
  private readonly pumping: Promise<void>;

  constructor(
    private readonly source: AsyncGenerator<Buffer>,
    private readonly budget: ByteBudget,
    private readonly current: () => boolean,
  ) {
    this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (!this.current()) {
        const next = await this.source.next();
        if (next.done) {
          this.done = true;
          return;
        }
        await this.budget.take(next.value.length, this.current);
        this.queue.push(next.value);
      }
    } catch (err) {
      this.error = err;
    }
  }

  async *chunks(): AsyncGenerator<Buffer> {
    try {
      await this.pumping;
      while (this.queue.length) {
        const chunk = this.queue.shift() as Buffer;
        this.budget.give(chunk.length);
        yield chunk;
      }
      if (this.error !== undefined) throw this.error;
      if (!this.done) yield* this.source;
    } finally {
      for (const chunk of this.queue.splice(0)) this.budget.give(chunk.length);
      await this.source.return(undefined);
    }
  }

  /** Stops a read-ahead that will never be consumed. */
  async cancel(): Promise<void> {
    await this.pumping;
    for (const chunk of this.queue.splice(0)) this.budget.give(chunk.length);
    await this.source.return(undefined);
  }
}

/** Opens one path (or stdin) within the limits: its inflated chunks, and whether it was gzip. */
async function* openPath(path: string, limits: ReadLimits, format: (gzip: boolean) => void, stdin?: Readable): AsyncGenerator<Buffer> {
  if (stdin && path === STDIN) {
    yield* inflateStream(stdin, STDIN_NAME, { maxRawBytes: MAX_FILE_BYTES, onFormat: format });
    return;
  }
  let info: Stats;
  try {
    info = await stat(path);
  } catch (err) {
    throw fsError(err, path);
  }
  if (info.isDirectory()) throw new TrailLensError('InvalidInput', `${path} is a folder; expected a file.`);
  const special = specialKind(info);
  if (special && !limits.allowSpecialFiles) {
    throw new TrailLensError('InvalidInput', `${path} is ${special}, not a regular file; it was not read.`, {
      hint: 'To read it anyway (its size is then only known while reading), pass --allow-special-files.',
    });
  }
  if (!special && info.size > MAX_FILE_BYTES) {
    const mb = Math.ceil(info.size / MB);
    throw new TrailLensError('InvalidInput', `${path} is ${mb} MB; Trail Lens reads files up to ${MAX_FILE_BYTES / MB} MB.`, {
      hint: 'CloudTrail log files are at most 50 MB compressed. Split the file, or point Trail Lens at the folder of original .json.gz files.',
    });
  }
  // A device or FIFO has no size to check first, and cannot be opened twice to peek at its head.
  if (special)
    yield* inflateStream(createReadStream(path, { highWaterMark: 256 * 1024 }), path, { maxRawBytes: MAX_FILE_BYTES, onFormat: format });
  else yield* inflateFile(path, { onFormat: format });
}

/** The batches of one path's records (see recordReader.ts). */
function pathBatches(path: string, chunks: AsyncIterable<Buffer>, limits: ReadLimits, gzip: () => boolean): AsyncGenerator<RecordBatch> {
  return readRecordBatches(chunks, path === STDIN ? STDIN_NAME : path, { maxTextBytes: limits.maxTextBytes, gzip });
}

/** Reads one file of any accepted shape, within the limits (see ReadLimits), into one list. */
export async function readRecordFile(path: string, limits: ReadLimits = {}): Promise<ParsedInput> {
  let gzip = false;
  const chunks = openPath(path, limits, (g) => (gzip = g));
  const out: ParsedInput = { kind: 'trail-log', records: [] };
  for await (const batch of pathBatches(path, chunks, limits, () => gzip)) {
    out.kind = batch.kind;
    for (const r of batch.records) out.records.push(r);
  }
  return out;
}

function isRecordFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.json') || lower.endsWith('.json.gz');
}

/**
 * Depth-first, names sorted, following symlinks but never the same folder twice. A folder that
 * cannot be listed is reported, not thrown.
 */
async function listFolder(
  dir: string,
  seen: Set<string>,
  signal: AbortSignal | undefined,
  onError: (path: string, err: TrailLensError) => void,
): Promise<string[]> {
  throwIfAborted(signal);
  let entries: Dirent[];
  try {
    const real = await realpath(dir);
    if (seen.has(real)) return [];
    seen.add(real);
    entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    onError(dir, fsError(err, dir));
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    const child = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const info = await stat(child);
        isDir = info.isDirectory();
        isFile = info.isFile();
      } catch {
        continue; // a dangling symlink is not input
      }
    }
    if (isDir) out.push(...(await listFolder(child, seen, signal, onError)));
    else if (isFile && isRecordFileName(entry.name)) out.push(child);
  }
  return out;
}

function asFileError(err: unknown, path: string): TrailLensError {
  const name = path === STDIN ? STDIN_NAME : path;
  if (err instanceof TrailLensError) return err.message.includes(name) ? err : TrailLensError.chain(err, name);
  return new TrailLensError('ParseError', `${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

const DIGEST_REASON = 'CloudTrail digest file (log file validation), not events';
const INSIGHT_REASON = "CloudTrail Insights file (CloudTrail-Insight/), not the trail's events";

/** A file a listing found, and what it is (trailLayout.trailFileKind; 'log' for any other file of records). */
interface ListedFile {
  path: string;
  kind: TrailFileKind;
}

export interface ListOptions {
  signal?: AbortSignal;
  /** The path '-' is standard input: listed as it is (a log), never looked up. */
  stdin?: boolean;
  /** Each path that does not exist or cannot be listed; without it the first such error is thrown. */
  onError?: (path: string, error: TrailLensError) => void;
}

/**
 * The one walk behind every listing of local files: each path is checked first (so a typo is
 * reported before any file is read), then the files under each, in order, each with its kind by the
 * one rule, trailLayout.trailFileKind. Folders are walked by listFolder (sorted, .json/.json.gz
 * only, never the same folder twice); a file named explicitly is listed whatever its name.
 */
async function walkPaths(paths: readonly string[], opts: ListOptions): Promise<ListedFile[]> {
  const fail =
    opts.onError ??
    ((_path: string, err: TrailLensError): void => {
      throw err;
    });
  const entries: { path: string; dir: boolean }[] = [];
  for (const path of paths) {
    if (opts.stdin && path === STDIN) {
      entries.push({ path, dir: false });
      continue;
    }
    try {
      entries.push({ path, dir: (await stat(path)).isDirectory() });
    } catch (err) {
      fail(path, fsError(err, path));
    }
  }
  const out: ListedFile[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const files = entry.dir ? await listFolder(entry.path, seen, opts.signal, fail) : [entry.path];
    for (const path of files) out.push({ path, kind: (!(opts.stdin && path === STDIN) && trailFileKind(path)) || 'log' });
  }
  return out;
}

/** The files under some paths by kind, as readRecordPaths walks them. */
export interface TrailFileList {
  /** The files read for events: trail log files and any other file of records. */
  logs: string[];
  /** Digest files (log file validation): trail checks list them first (core/trails/digest.ts). */
  digests: string[];
  /** Insights files: never the trail's events. */
  insights: string[];
}

/**
 * The files under the paths, by kind, without reading any: folders walked and files classified
 * exactly as readRecordPaths does (walkPaths). A search that reads the bytes itself (fileSearch.ts)
 * takes `logs`. A path that does not exist or cannot be listed goes to onError, else is thrown.
 */
export async function listTrailFiles(paths: readonly string[], opts: ListOptions = {}): Promise<TrailFileList> {
  const out: TrailFileList = { logs: [], digests: [], insights: [] };
  const lists: Record<TrailFileKind, string[]> = { log: out.logs, digest: out.digests, insight: out.insights };
  for (const file of await walkPaths(paths, opts)) if (!(opts.stdin && file.path === STDIN)) lists[file.kind].push(file.path);
  return out;
}

/**
 * Yields the records of each file under the given paths, in order, a batch at a time (FileRecords).
 * Every path is checked before the first file is read, so a typo is reported at once. Files named
 * explicitly are read whatever their extension; inside folders only regular .json/.json.gz files are
 * read (walkPaths). Each path that cannot be read (missing, unlistable folder, refused, too large,
 * corrupt) goes to onSkip with its error and the rest are still read; without onSkip the first such
 * error is thrown. Digest and Insights files (by trailFileKind, or a digest by its content) are never
 * yielded: they go to onSkip without an error.
 *
 * Trail log files are streamed (recordReader.ts): whatever their size, a file holds only its
 * current batch and a record's bytes. A few files are read ahead of the consumer, within
 * READ_AHEAD_BYTES of inflated chunks between them.
 */
export async function* readRecordPaths(paths: string[], opts: ReadPathsOptions = {}): AsyncGenerator<FileRecords> {
  const { signal, onSkip } = opts;
  const fail = (path: string, err: unknown): void => {
    const error = asFileError(err, path);
    if (!onSkip) throw error;
    onSkip(path === STDIN ? STDIN_NAME : path, error.message, error);
  };
  const files = await walkPaths(paths, { signal, stdin: Boolean(opts.stdin), onError: fail });
  const budget = new ByteBudget(READ_AHEAD_BYTES);
  const ahead = new Map<number, { reader: ReadAhead; gzip: boolean }>();
  // Read a few files ahead (in order) so disk and gunzip overlap with the consumer's work.
  let current = 0;
  const start = (i: number) => {
    if (i >= files.length || files[i].kind !== 'log' || ahead.has(i)) return;
    const slot = { reader: undefined as unknown as ReadAhead, gzip: false };
    const source = openPath(files[i].path, opts, (g) => (slot.gzip = g), opts.stdin);
    slot.reader = new ReadAhead(source, budget, () => current === i);
    ahead.set(i, slot);
  };
  try {
    for (let i = 0; i < files.length; i++) {
      const { path: file, kind } = files[i];
      throwIfAborted(signal);
      if (kind !== 'log') {
        onSkip?.(file, kind === 'digest' ? DIGEST_REASON : INSIGHT_REASON);
        continue;
      }
      current = i;
      budget.wake();
      for (let k = i; k < i + READ_AHEAD; k++) start(k);
      const slot = ahead.get(i) as { reader: ReadAhead; gzip: boolean };
      const name = file === STDIN && opts.stdin ? STDIN_NAME : file;
      let part = 0;
      try {
        for await (const batch of pathBatches(file, slot.reader.chunks(), opts, () => slot.gzip)) {
          throwIfAborted(signal);
          if (batch.kind === 'digest') onSkip?.(file, DIGEST_REASON);
          else yield { path: name, kind: batch.kind, records: batch.records, part: part++ };
        }
      } catch (err) {
        if (isAbortError(err) || signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled', { cause: err });
        fail(file, err);
      } finally {
        ahead.delete(i);
      }
    }
  } finally {
    budget.close();
    for (const slot of ahead.values()) await slot.reader.cancel();
  }
}
