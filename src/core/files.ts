/**
 * Local CloudTrail input: trail log files (.json.gz as delivered to S3, or .json), saved
 * `aws cloudtrail lookup-events` output, and folders of them such as a synced AWSLogs/ prefix.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { TrailLensError, throwIfAborted } from './errors';
import { parseRecordsText } from './record';
import type { CloudTrailRecord, InputKind, ParsedInput } from './record';

const gunzipAsync = promisify(gunzip);

/** CloudTrail writes files of at most 50 MB compressed; anything far larger is not a trail file. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;
/** Stays under V8's largest string (~512 MiB) so a gzip bomb fails clearly instead of crashing. */
const MAX_TEXT_BYTES = 500 * 1024 * 1024;
/** Files read ahead of the consumer; small, since each may hold up to 50 MB compressed. */
const READ_AHEAD = 4;

export interface FileRecords {
  path: string;
  kind: InputKind;
  records: CloudTrailRecord[];
}

export interface ReadPathsOptions {
  signal?: AbortSignal;
  /** Called for each file left out: digests, and unreadable files found inside a folder. */
  onSkip?: (path: string, reason: string) => void;
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function fsError(err: unknown, path: string): TrailLensError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new TrailLensError('InvalidInput', `${path} does not exist.`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') {
    return new TrailLensError('InvalidInput', `${path} cannot be read (permission denied).`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TrailLensError('InvalidInput', `${path} cannot be read: ${message}`, { cause: err });
}

/**
 * Reads one file of any accepted shape. Gzip is recognised by its magic bytes, not the name, because
 * browsers often save S3's .json.gz objects already decompressed under the same name.
 */
export async function readRecordFile(path: string): Promise<ParsedInput> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new TrailLensError('InvalidInput', `${path} is a folder; expected a file.`);
    size = info.size;
  } catch (err) {
    throw err instanceof TrailLensError ? err : fsError(err, path);
  }
  if (size > MAX_FILE_BYTES) {
    const mb = Math.ceil(size / (1024 * 1024));
    throw new TrailLensError('InvalidInput', `${path} is ${mb} MB; Trail Lens reads files up to ${MAX_FILE_BYTES / (1024 * 1024)} MB.`, {
      hint: 'CloudTrail log files are at most 50 MB compressed. Split the file, or point Trail Lens at the folder of original .json.gz files.',
    });
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw fsError(err, path);
  }
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: MAX_TEXT_BYTES });
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'it decompresses to more than 500 MB' : 'it is truncated or corrupt';
      throw new TrailLensError('ParseError', `${path} is not a readable gzip file: ${reason}.`, {
        cause: err,
        hint: 'Download the file again; an interrupted download leaves a truncated .gz.',
      });
    }
  }
  return parseRecordsText(bytes.toString('utf8'), path);
}

function isRecordFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.json') || lower.endsWith('.json.gz');
}

/** Digest files sit under CloudTrail-Digest/ and carry `_CloudTrail-Digest_` in their names (CLOUDTRAIL.md §5.1). */
function isDigestPath(path: string): boolean {
  return /(^|[\\/])CloudTrail-Digest([\\/]|$)/.test(path) || basename(path).includes('_CloudTrail-Digest_');
}

/** Depth-first, names sorted, following symlinks but never the same folder twice. */
async function listFolder(dir: string, seen: Set<string>, signal: AbortSignal | undefined): Promise<string[]> {
  throwIfAborted(signal);
  let real: string;
  try {
    real = await realpath(dir);
  } catch (err) {
    throw fsError(err, dir);
  }
  if (seen.has(real)) return [];
  seen.add(real);
  let entries: Dirent[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    throw fsError(err, dir);
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
    if (isDir) out.push(...(await listFolder(child, seen, signal)));
    else if (isFile && isRecordFileName(entry.name)) out.push(child);
  }
  return out;
}

/**
 * Yields the records of each file under the given paths, in order. Every path is checked before the
 * first file is read, so a typo fails at once with InvalidInput. Files named on the command line are
 * read whatever their extension and their errors are thrown; inside folders only .json/.json.gz are
 * read, and a file that fails to parse is reported through onSkip (thrown when there is no onSkip).
 * Digest files are never yielded: they are reported through onSkip.
 */
export async function* readRecordPaths(paths: string[], opts: ReadPathsOptions = {}): AsyncGenerator<FileRecords> {
  const { signal, onSkip } = opts;
  const entries: { path: string; dir: boolean }[] = [];
  for (const path of paths) {
    try {
      entries.push({ path, dir: (await stat(path)).isDirectory() });
    } catch (err) {
      throw fsError(err, path);
    }
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const files = entry.dir ? await listFolder(entry.path, seen, signal) : [entry.path];
    // Read a few files ahead (in order) so disk and gunzip overlap with the consumer's work.
    const ahead = new Map<number, Promise<ParsedInput>>();
    const start = (i: number) => {
      if (i >= files.length || ahead.has(i) || (entry.dir && isDigestPath(files[i]))) return;
      const pending = readRecordFile(files[i]);
      pending.catch(() => {}); // observed when its turn comes; never an unhandled rejection
      ahead.set(i, pending);
    };
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      throwIfAborted(signal);
      if (entry.dir && isDigestPath(file)) {
        onSkip?.(file, 'CloudTrail digest file (log file validation), not events');
        continue;
      }
      for (let k = i; k < i + READ_AHEAD; k++) start(k);
      let parsed: ParsedInput;
      try {
        parsed = await (ahead.get(i) as Promise<ParsedInput>);
        ahead.delete(i);
      } catch (err) {
        ahead.delete(i);
        if (!entry.dir || !onSkip || !(err instanceof TrailLensError)) throw err;
        onSkip(file, err.message);
        continue;
      }
      if (parsed.kind === 'digest') {
        onSkip?.(file, 'CloudTrail digest file (log file validation), not events');
        continue;
      }
      yield { path: file, kind: parsed.kind, records: parsed.records };
    }
  }
}
