/**
 * Loading the event cache file and checking it: the file's format (a header line, then
 * `{"event":…}` and `{"covered":…}` lines), reading what it holds beyond what was read before
 * (all of it, or only what other processes appended), and the checks that make damage cost API
 * calls rather than hide events: the header's format, version and key, each record's shape, and
 * each coverage claim against the count and digest of the records above it.
 */
import { existsSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { readLines } from './cacheFile';
import { mib, type CacheState } from './cacheState';
import { within, type Interval } from './coverage';
import type { CloudTrailRecord } from './record';

const FORMAT = 'trail-lens-event-cache';
const VERSION = 2;
/** No CloudTrail record comes near this; a longer line is damage, skipped without being held in memory. */
const MAX_LINE = 64 * 1024 * 1024;

interface CoverLine extends Interval {
  attr: string;
  events: number;
  digest: string;
  seq: number;
}

/** The file's first line: what it is, its version, and whose cache it is (a hash of the key). */
export function headerLine(keyHash: string): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, key: keyHash }) + '\n';
}

/** A record the cache can hold: an event ID and a readable event time. */
export function validRecord(r: unknown): r is CloudTrailRecord {
  const x = r as CloudTrailRecord | undefined;
  return (
    !!x &&
    typeof x === 'object' &&
    typeof x.eventID === 'string' &&
    x.eventID !== '' &&
    typeof x.eventTime === 'string' &&
    !Number.isNaN(Date.parse(x.eventTime))
  );
}

/** The layout before version 2 kept coverage apart from the records, so it cannot be checked: removed. */
export async function removeOldFormat(s: CacheState): Promise<void> {
  let removed = false;
  for (const name of ['records.jsonl', 'meta.json']) {
    await unlink(join(s.dir, name)).then(
      () => (removed = true),
      () => undefined,
    );
  }
  if (removed) s.logger?.info(`Event cache ${s.dir}: removed the cache in the old format (its coverage cannot be checked)`);
}

/**
 * Reads what the file holds beyond what this instance has read: all of it the first time, after
 * another process replaced it, or when it shrank; otherwise only what was appended since.
 * `locked`: this instance holds the lock, so an unterminated last line is a torn write, not one in progress.
 */
export async function readCache(s: CacheState, locked: boolean): Promise<void> {
  let fh;
  try {
    fh = await open(s.path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (s.file) s.forget('its file was removed');
    s.file = undefined;
    return;
  }
  try {
    const st = await fh.stat();
    let from = s.file?.size ?? 0;
    if (!s.file || st.ino !== s.file.ino || st.size < s.file.size) {
      if (s.file) s.forget('another process rewrote its file');
      from = 0;
    }
    if (st.size === 0) {
      s.file = undefined;
      return;
    }
    await ingest(s, fh, from, st.size, st.ino, locked);
  } finally {
    await fh.close();
  }
}

async function ingest(s: CacheState, fh: FileHandle, from: number, size: number, ino: number, locked: boolean): Promise<void> {
  let lines = from === 0 ? 0 : s.file!.lines;
  let coverLines = from === 0 ? 0 : s.file!.coverLines;
  let end = from;
  let tornTail = false;
  let bad = 0;
  let duplicates = 0;
  let floor = -Infinity;
  const claims: CoverLine[] = [];
  for await (const line of readLines(fh, from, size, Math.min(MAX_LINE, s.maxBytes))) {
    // An unterminated last line is still being written if the file grows or a writer holds the lock.
    if (!line.terminated && !locked && ((await fh.stat()).size > size || existsSync(s.lockPath))) break;
    end = line.end;
    if (!line.terminated) tornTail = true;
    const seq = line.terminated ? lines++ : Infinity;
    let value: { format?: unknown; version?: unknown; key?: unknown; event?: unknown; covered?: CoverLine } | undefined;
    try {
      value = line.text === undefined ? undefined : JSON.parse(line.text);
    } catch {
      value = undefined;
    }
    if (line.start === 0) {
      const reason =
        !value || value.format !== FORMAT || !line.terminated
          ? 'it does not start with a Trail Lens event cache header'
          : value.version !== VERSION
            ? `it is format version ${String(value.version)}, not ${VERSION}`
            : value.key !== s.keyHash && value.key !== s.adoptedHash
              ? 'it belongs to another account or Region'
              : undefined;
      // Taken over from the connection's own key: the header names the account's from now on.
      if (!reason && value?.key === s.adoptedHash) s.rewriteNeeded = true;
      if (reason) {
        if (s.discarded !== ino) s.logger?.warn(`Event cache ${s.path}: discarded, ${reason}; it will be rebuilt from CloudTrail`);
        s.discarded = ino;
        s.file = undefined;
        s.rewriteNeeded = true;
        return;
      }
      continue;
    }
    if (value && validRecord(value.event)) {
      const r = value.event;
      const t = Date.parse(r.eventTime);
      const held = s.byEvent.get(r.eventID);
      if (held) {
        if (held.seq === Infinity) {
          // Another process wrote a record this one holds unwritten: the file has it now.
          held.seq = seq;
          s.unwritten.delete(held);
        } else duplicates++;
      } else if (t > floor) {
        s.index(r, seq, line.end - line.start);
        if (s.bytes > s.maxBytes) {
          const why =
            from === 0 && !locked ? `holds over ${mib(s.maxBytes)}, its bound` : `reached ${mib(s.bytes)} (bound ${mib(s.maxBytes)})`;
          floor = Math.max(floor, s.evict(why, from === 0 && !locked ? 'warn' : 'info'));
        }
      }
    } else if (value?.covered && validCover(value.covered)) {
      // A claim reaching into evicted time cannot be checked any more: it is not kept (nor damage).
      if (value.covered.start > floor) claims.push({ ...value.covered, seq });
      coverLines++;
    } else if (line.text !== '' || !line.terminated) bad++;
  }
  s.file = { ino, size: end, lines, coverLines, tornTail };
  const rejected = verify(s, claims);
  if (bad || duplicates || rejected) {
    const what = [
      bad && `${bad} unreadable line(s) skipped`,
      duplicates && `${duplicates} duplicate record(s) ignored`,
      rejected && `${rejected} coverage claim(s) its records do not bear out discarded`,
    ].filter(Boolean);
    s.logger?.warn(`Event cache ${s.path} was damaged: ${what.join(', ')}; the affected time will be read from CloudTrail again`);
    s.rewriteNeeded = true;
  }
}

function validCover(c: CoverLine): boolean {
  return (
    typeof c.attr === 'string' &&
    (c.attr === '*' || c.attr.indexOf('=') > 0) &&
    Number.isFinite(c.start) &&
    Number.isFinite(c.end) &&
    c.start <= c.end &&
    Number.isInteger(c.events) &&
    typeof c.digest === 'string'
  );
}

/**
 * Keeps the claims the records above them bear out (count and digest of the window's records),
 * newest line first; a claim inside windows already kept needs no check. Returns how many failed.
 */
function verify(s: CacheState, claims: CoverLine[]): number {
  let rejected = 0;
  for (let n = claims.length - 1; n >= 0; n--) {
    const c = claims[n];
    if (within(c, s.coverage[c.attr])) continue;
    const found = s.tally(c.attr, c, c.seq);
    if (found.events !== c.events || found.digest !== c.digest) {
      rejected++;
      continue;
    }
    s.cover(c.attr, c);
  }
  return rejected;
}
