/**
 * File primitives for the event cache: reading a file line by line in bounded memory, a lock file
 * that serialises writers across processes, and writes that land whole (temp file + rename).
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

const CHUNK = 1 << 20;

export interface Line {
  /** The line's text; undefined when it is longer than the limit (its bytes were never kept). */
  text: string | undefined;
  /** Byte offset of the line's first byte. */
  start: number;
  /** Byte offset just past the line (past its newline when it has one). */
  end: number;
  /** False for a last line with no newline: a torn write, or one still being written. */
  terminated: boolean;
}

/**
 * The lines of an open file from `start` up to `end`, read in 1 MiB chunks: memory stays within
 * one line (at most `maxLine` bytes), whatever the file's size. A longer line is reported without
 * its text and skipped.
 */
export async function* readLines(fh: FileHandle, start: number, end: number, maxLine: number): AsyncGenerator<Line> {
  const buf = Buffer.allocUnsafe(CHUNK);
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let lineStart = start;
  let pos = start;
  while (pos < end) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, end - pos), pos);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    let from = 0;
    while (from < bytesRead) {
      const nl = chunk.indexOf(10, from);
      const stop = nl === -1 ? bytesRead : nl;
      if (!tooLong) {
        if (length + stop - from > maxLine) {
          tooLong = true;
          parts = [];
          length = 0;
        } else if (stop > from) {
          parts.push(Buffer.from(chunk.subarray(from, stop)));
          length += stop - from;
        }
      }
      if (nl === -1) break;
      yield {
        text: tooLong ? undefined : Buffer.concat(parts, length).toString('utf8'),
        start: lineStart,
        end: pos + nl + 1,
        terminated: true,
      };
      parts = [];
      length = 0;
      tooLong = false;
      lineStart = pos + nl + 1;
      from = nl + 1;
    }
    pos += bytesRead;
  }
  if (pos > lineStart)
    yield { text: tooLong ? undefined : Buffer.concat(parts, length).toString('utf8'), start: lineStart, end: pos, terminated: false };
}

/** Writes `chunks` to `path` so that readers see the old file or the new one, never a part. */
export async function writeWhole(path: string, chunks: Iterable<string>): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    let batch: string[] = [];
    let size = 0;
    for (const c of chunks) {
      batch.push(c);
      size += c.length;
      if (size >= 4 * CHUNK) {
        await fh.write(batch.join(''));
        batch = [];
        size = 0;
      }
    }
    if (batch.length) await fh.write(batch.join(''));
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Removes temp files that writers which crashed mid-write left next to `path`. */
export async function removeStaleTemps(path: string, olderThanMs: number): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const p = join(dir, name);
    const st = await stat(p).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > olderThanMs) await unlink(p).catch(() => undefined);
  }
}

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** A lock file older than this is taken to be left by a crash (ms). Default 60 s. */
  staleMs?: number;
}

const HOST = hostname();

/** Whether a process with this ID runs on this host (EPERM: it runs, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file at `path` (created exclusively), waiting for another holder to let go.
 * Returns the release function, or undefined when the lock stayed held past the timeout. A lock
 * whose process on this host has ended, or older than staleMs, is broken.
 */
export async function acquireLock(path: string, opts: LockOptions): Promise<(() => Promise<void>) | undefined> {
  const token = `${process.pid} ${HOST} ${randomUUID()}`;
  const deadline = Date.now() + opts.timeoutMs;
  const staleMs = opts.staleMs ?? 60_000;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(token);
      await fh.close();
      return async () => {
        // Only our own lock: a holder that outlived staleMs may have lost it to another process.
        if ((await readFile(path, 'utf8').catch(() => '')) === token) await unlink(path).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = await readFile(path, 'utf8').catch(() => undefined);
    const st = await stat(path).catch(() => undefined);
    if (held !== undefined && st) {
      const [pid, host] = held.split(' ');
      const ended = host === HOST && Number(pid) > 0 && !isAlive(Number(pid));
      // An empty file is a holder between creating and writing it: stale only by age.
      if (ended || Date.now() - st.mtimeMs > staleMs) {
        if ((await readFile(path, 'utf8').catch(() => undefined)) === held) await unlink(path).catch(() => undefined);
        continue;
      }
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, wait));
  }
}
