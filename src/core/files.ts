/**
 * Local CloudTrail input: trail log files (.json.gz as delivered to S3, or .json), saved
 * `aws cloudtrail lookup-events` output, and folders of them such as a synced AWSLogs/ prefix.
 */
import { createReadStream, type Dirent, type Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TrailLensError, isAbortError, throwIfAborted } from './errors';
import { parseRecordsText } from './record';
import type { CloudTrailRecord, InputKind, ParsedInput } from './record';

const MB = 1024 * 1024;
/** CloudTrail writes files of at most 50 MB compressed; anything far larger is not a trail file. */
export const MAX_FILE_BYTES = 200 * MB;
/**
 * The most text one file may inflate to, by default and at most: V8's largest string is just over
 * 512 MiB. A 50 MB CloudTrail file inflates to a few hundred MB; a gzip bomb stops here.
 */
export const MAX_TEXT_BYTES = 500 * MB;
/** Files read ahead of the consumer, and the inflated bytes they may hold between them. */
const READ_AHEAD = 4;
const READ_AHEAD_BYTES = 32 * MB;
/** The name '-' reads standard input by (with `stdin` given), and the name its errors use. */
export const STDIN = '-';
const STDIN_NAME = 'stdin';

export interface FileRecords {
  path: string;
  kind: InputKind;
  records: CloudTrailRecord[];
}

export interface ReadLimits {
  /** The most bytes of text one file may hold once inflated (default and cap MAX_TEXT_BYTES). */
  maxTextBytes?: number;
  /** Read devices, FIFOs and sockets named explicitly; never inside folders. Default: refused. */
  allowSpecialFiles?: boolean;
}

export interface ReadPathsOptions extends ReadLimits {
  signal?: AbortSignal;
  /**
   * Called for each file left out: digests (no error), and each path that cannot be read (with its
   * error). With onSkip every readable file is still yielded; without it the first error is thrown.
   */
  onSkip?: (path: string, reason: string, error?: TrailLensError) => void;
  /** What the path '-' reads; without it '-' is a file of that name. */
  stdin?: Readable;
}

/** A file-system error as a person reads it: the path, and what is wrong with it. */
export function fsError(err: unknown, path: string): TrailLensError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new TrailLensError('InvalidInput', `${path} does not exist.`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') {
    return new TrailLensError('InvalidInput', `${path} cannot be read (permission denied).`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TrailLensError('InvalidInput', `${path} cannot be read: ${message}`, { cause: err });
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

interface ReadContext {
  budget: ByteBudget;
  urgent: () => boolean;
}

/** Text of a file that is read once and released: `bytes` stay counted in the budget until then. */
interface ReadText {
  text: Buffer;
  bytes: number;
}

function tooLarge(name: string, bytes: number): TrailLensError {
  return new TrailLensError('InvalidInput', `${name} is larger than ${bytes / MB} MB; Trail Lens reads files up to ${bytes / MB} MB.`, {
    hint: 'CloudTrail log files are at most 50 MB compressed. Split the file, or point Trail Lens at the folder of original .json.gz files.',
  });
}

/** Chunks of a stream, refusing more than `max` bytes. */
async function* capped(source: AsyncIterable<Buffer>, max: number, name: string): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw tooLarge(name, max);
    yield chunk;
  }
}

/**
 * Reads a stream's text, inflating gzip (recognised by its magic bytes, not the name, because
 * browsers often save S3's .json.gz objects already decompressed under the same name). Stops as soon
 * as the raw bytes pass MAX_FILE_BYTES or the text passes maxText, holding no more than that.
 */
async function readStream(source: Readable, name: string, maxText: number, ctx: ReadContext): Promise<ReadText> {
  const raw = capped(source, MAX_FILE_BYTES, name);
  const chunks: Buffer[] = [];
  let bytes = 0;
  let gzip = false;
  let text: Readable | undefined;
  try {
    const head: Buffer[] = [];
    for (let next = await raw.next(); !next.done; next = await raw.next()) {
      head.push(next.value);
      if (Buffer.concat(head).length >= 2) break;
    }
    const first = Buffer.concat(head);
    gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    const rest = Readable.from(
      (async function* () {
        yield first;
        yield* raw;
      })(),
    );
    text = rest;
    if (gzip) {
      const gunzip = createGunzip({ chunkSize: 64 * 1024 });
      rest.on('error', (err) => gunzip.destroy(err));
      text = rest.pipe(gunzip);
    }
    for await (const chunk of text as AsyncIterable<Buffer>) {
      if (bytes + chunk.length > maxText) {
        if (!gzip) throw tooLarge(name, maxText);
        throw new TrailLensError('ParseError', `${name} inflates past ${maxText / MB} MB: a gzip bomb or not a CloudTrail log file.`, {
          hint: `CloudTrail log files are at most 50 MB compressed. If this file is genuine, raise the limit (--max-file-mb, at most ${MAX_TEXT_BYTES / MB}).`,
        });
      }
      await ctx.budget.take(chunk.length, ctx.urgent);
      bytes += chunk.length;
      chunks.push(chunk);
    }
  } catch (err) {
    ctx.budget.give(bytes);
    text?.destroy();
    source.destroy();
    if (err instanceof TrailLensError || isAbortError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (gzip && typeof code === 'string' && code.startsWith('Z_')) {
      throw new TrailLensError('ParseError', `${name} is not a readable gzip file: it is truncated or corrupt.`, {
        cause: err,
        hint: 'Download the file again; an interrupted download leaves a truncated .gz.',
      });
    }
    throw fsError(err, name);
  }
  return { text: Buffer.concat(chunks, bytes), bytes };
}

function textLimit(limits: ReadLimits): number {
  return Math.min(limits.maxTextBytes ?? MAX_TEXT_BYTES, MAX_TEXT_BYTES);
}

/** Opens and reads one path (or stdin) within the limits, without parsing it. */
async function readPathText(path: string, limits: ReadLimits, ctx: ReadContext, stdin?: Readable): Promise<ReadText> {
  if (stdin && path === STDIN) return readStream(stdin, STDIN_NAME, textLimit(limits), ctx);
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
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  return readStream(stream, path, textLimit(limits), ctx);
}

function parseText(read: ReadText, path: string): ParsedInput {
  return parseRecordsText(read.text.toString('utf8'), path === STDIN ? STDIN_NAME : path);
}

/** Reads one file of any accepted shape, within the limits (see ReadLimits). */
export async function readRecordFile(path: string, limits: ReadLimits = {}): Promise<ParsedInput> {
  const read = await readPathText(path, limits, { budget: new ByteBudget(Infinity), urgent: () => true });
  return parseText(read, path);
}

function isRecordFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.json') || lower.endsWith('.json.gz');
}

/** Digest files sit under CloudTrail-Digest/ and carry `_CloudTrail-Digest_` in their names (CloudTrail's log file validation). */
function isDigestPath(path: string): boolean {
  return /(^|[\\/])CloudTrail-Digest([\\/]|$)/.test(path) || basename(path).includes('_CloudTrail-Digest_');
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

/**
 * Yields the records of each file under the given paths, in order. Every path is checked before the
 * first file is read, so a typo is reported at once. Files named explicitly are read whatever their
 * extension; inside folders only regular .json/.json.gz files are read. Each path that cannot be
 * read (missing, unlistable folder, refused, too large, corrupt) goes to onSkip with its error and
 * the rest are still read; without onSkip the first such error is thrown. Digest files are never
 * yielded: they go to onSkip without an error.
 *
 * A few files are read ahead of the consumer, within READ_AHEAD_BYTES of inflated text between them;
 * the file the consumer waits for may use its whole limit (ReadLimits.maxTextBytes).
 */
export async function* readRecordPaths(paths: string[], opts: ReadPathsOptions = {}): AsyncGenerator<FileRecords> {
  const { signal, onSkip } = opts;
  const fail = (path: string, err: unknown): void => {
    const error = asFileError(err, path);
    if (!onSkip) throw error;
    onSkip(path === STDIN ? STDIN_NAME : path, error.message, error);
  };
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
  const seen = new Set<string>();
  const budget = new ByteBudget(READ_AHEAD_BYTES);
  try {
    for (const entry of entries) {
      const files = entry.dir ? await listFolder(entry.path, seen, signal, fail) : [entry.path];
      const wanted = (i: number) => i < files.length && !(entry.dir && isDigestPath(files[i]));
      // Read a few files ahead (in order) so disk and gunzip overlap with the consumer's work.
      let current = 0;
      const ahead = new Map<number, Promise<ReadText>>();
      const start = (i: number) => {
        if (!wanted(i) || ahead.has(i)) return;
        const pending = readPathText(files[i], opts, { budget, urgent: () => current === i }, opts.stdin);
        pending.catch(() => {}); // observed when its turn comes; never an unhandled rejection
        ahead.set(i, pending);
      };
      for (let i = 0; i < files.length; i++) {
        const file = files[i];
        throwIfAborted(signal);
        if (!wanted(i)) {
          onSkip?.(file, DIGEST_REASON);
          continue;
        }
        current = i;
        budget.wake();
        for (let k = i; k < i + READ_AHEAD; k++) start(k);
        let parsed: ParsedInput;
        let held = 0;
        try {
          const read = await (ahead.get(i) as Promise<ReadText>);
          held = read.bytes;
          parsed = parseText(read, file);
        } catch (err) {
          budget.give(held);
          if (isAbortError(err) || signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled', { cause: err });
          fail(file, err);
          continue;
        } finally {
          ahead.delete(i);
        }
        if (parsed.kind === 'digest') onSkip?.(file, DIGEST_REASON);
        else yield { path: file === STDIN && opts.stdin ? STDIN_NAME : file, kind: parsed.kind, records: parsed.records };
        budget.give(held);
      }
    }
  } finally {
    budget.close();
  }
}

/**
 * The files `readRecordPaths` would read under the paths, split into log files and digest files,
 * without reading any (trail checks list them first: core/trails/digest.ts). Paths that cannot be
 * listed are left out here; reading them reports them.
 */
export async function listTrailFiles(paths: string[], signal?: AbortSignal): Promise<{ logs: string[]; digests: string[] }> {
  const logs: string[] = [];
  const digests: string[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === STDIN) continue;
    let dir: boolean;
    try {
      dir = (await stat(path)).isDirectory();
    } catch {
      continue;
    }
    for (const file of dir ? await listFolder(path, seen, signal, () => {}) : [path]) (isDigestPath(file) ? digests : logs).push(file);
  }
  return { logs, digests };
}
