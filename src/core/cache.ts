/**
 * Events fetched, kept on disk per account+Region (connection key), so a repeated lookup answers
 * with zero API calls and works offline. Only records and window bounds are stored, never credentials.
 *
 * One file, <dir>/<sha256(key)[:16]>/events.jsonl, holds records and coverage together: a header
 * line (format, version, a hash of the key), then `{"event":…}` and `{"covered":…}` lines. A covered
 * line says that a window was read completely for one lookup attribute, and how many records (and a
 * digest of their event IDs) the file holds in that window *above that line*. On load each claim is
 * checked against the records actually read; a claim they do not bear out is dropped, so a
 * truncated, torn or corrupted file can cost API calls but never hides an event.
 *
 * Writers take a lock file, read what other processes appended since, and append only records the
 * file does not hold yet (no duplicates); rewrites (eviction, compaction) go to a temp file renamed
 * over the old one. The file is read line by line, never as one string, and is bounded in bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TrailLensError } from './errors';
import { acquireLock, readLines, removeStaleTemps, writeWhole } from './cacheFile';
import type { Logger } from './logger';
import type { LookupQuery } from './lookup';
import { matchesAttribute, sortNewestFirst, type AttributeKey, type CloudTrailRecord, type LookupAttribute } from './record';
import { DELIVERY_LAG_MS } from './limits';
import { holdsSecond, merge, subtract, within, type Interval } from './coverage';

export interface CacheOptions {
  /** Default: $XDG_CACHE_HOME/trail-lens, else ~/.cache/trail-lens. */
  dir?: string;
  /** Bound on the file per account+Region, in bytes. Default 100 MiB (DEFAULT_CACHE_MAX_BYTES). */
  maxBytes?: number;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** CloudTrail delivers events up to ~15 min late: coverage never extends past fetch time minus this. */
  lagMs?: number;
  now?: () => number;
  /** How long a write waits for another process's lock before leaving its records for the next write (ms). Default 5 s. */
  lockTimeoutMs?: number;
  /**
   * The key this cache was kept under before (a connection's own key, before its account was
   * known): when `key` has no cache yet, that one is taken over — moved, and its header rewritten.
   */
  adoptFrom?: string;
}

export const DEFAULT_CACHE_MAX_BYTES = 100 * 1024 * 1024;
const FORMAT = 'trail-lens-event-cache';
const VERSION = 2;
/** No CloudTrail record comes near this; a longer line is damage, skipped without being held in memory. */
const MAX_LINE = 64 * 1024 * 1024;
/** Past this many covered lines the file is rewritten with the merged windows. */
const MAX_COVER_LINES = 256;

interface Entry {
  record: CloudTrailRecord;
  time: number;
  bytes: number;
  hash: number;
  /** Line number in the file; Infinity while only in memory (not written yet). */
  seq: number;
}

interface CoverLine extends Interval {
  attr: string;
  events: number;
  digest: string;
  seq: number;
}

/** One stream of newest-first pages for one query; what it proves covered grows with each page. */
interface Feed {
  query: LookupQuery;
  attr: string;
  /** Every record the feed delivered: the claim stops short of any that is no longer held. */
  ids: Map<string, number>;
  oldest: number;
  /** The newest time of a record that could not be cached: the claim stays newer than it. */
  blocked: number;
  done: boolean;
  checkedAt: number;
}

/** Adds pages of one query as they arrive (newest first), so what was fetched is kept even if the rest fails. */
export interface CacheFeed {
  /** The next page. Coverage grows to everything newer than its oldest record. */
  add(records: readonly CloudTrailRecord[]): Promise<void>;
  /** The query's pages ran to their end: its whole window is covered. */
  complete(): Promise<void>;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'trail-lens');
}

function attrKey(a: LookupAttribute | undefined): string {
  return a ? `${a.key}=${a.value}` : '*';
}

function attrOf(key: string): LookupAttribute | undefined {
  if (key === '*') return undefined;
  const eq = key.indexOf('=');
  return { key: key.slice(0, eq) as AttributeKey, value: key.slice(eq + 1) };
}

/** FNV-1a of an event ID: summed over a window's records, a digest that ignores their order. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function validRecord(r: unknown): r is CloudTrailRecord {
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

const warnedDirs = new Set<string>();

/**
 * Opens the cache, or says once per directory why it cannot (a file where a folder should be, no
 * permission…) and returns undefined: the cache only saves API calls, so its loss never stops a command.
 */
export async function openEventCache(key: string, options: CacheOptions = {}): Promise<EventCache | undefined> {
  try {
    return await EventCache.open(key, options);
  } catch (err) {
    const root = options.dir || defaultCacheDir(options.env);
    if (!warnedDirs.has(root)) {
      warnedDirs.add(root);
      options.logger?.warn(`${message(err)}; continuing without the event cache`);
    }
    return undefined;
  }
}

export class EventCache {
  private readonly byEvent = new Map<string, Entry>();
  private readonly byRequest = new Map<string, Entry>();
  /** attribute key ("EventSource=backup.amazonaws.com", "*" for unfiltered) → windows read completely */
  private coverage: Record<string, Interval[]> = {};
  private readonly unwritten = new Set<Entry>();
  private readonly dirty = new Set<Feed>();
  private bytes = 0;
  /** What of the file this instance has read: identity, bytes, newline-terminated lines. */
  private file: { ino: number; size: number; lines: number; coverLines: number; tornTail: boolean } | undefined;
  private rewriteNeeded = false;
  /** Bumped whenever records leave memory: feeds then re-check that their records are still held. */
  private generation = 0;
  private writes: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private writeWarned = false;
  /** The file last discarded as not a cache (by inode): said once, not at every read. */
  private discarded: number | undefined;
  private readonly keyHash: string;
  /** The previous key's hash while an adopted file still carries it in its header. */
  private adoptedHash: string | undefined;

  private constructor(
    readonly dir: string,
    key: string,
    private readonly opts: Required<Pick<CacheOptions, 'maxBytes' | 'lagMs' | 'now' | 'lockTimeoutMs'>> & { logger?: Logger },
  ) {
    this.keyHash = createHash('sha256').update(key).digest('hex');
  }

  static async open(key: string, options: CacheOptions = {}): Promise<EventCache> {
    /** Moves `from` to `to` when only `from` exists; true when it did. */
    const adopt = async (from: string, to: string): Promise<boolean> => {
      try {
        await stat(to);
        return false;
      } catch {
        // no cache under the new key yet
      }
      try {
        await rename(from, to);
        return true;
      } catch {
        return false; // nothing to take over
      }
    };
    const root = options.dir || defaultCacheDir(options.env);
    const maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    if (!Number.isFinite(maxBytes) || maxBytes < 1)
      throw new TrailLensError('Config', `The event cache size bound must be a positive number of bytes (got ${maxBytes})`);
    const dirFor = (k: string): string => join(root, createHash('sha256').update(k).digest('hex').slice(0, 16));
    const dir = dirFor(key);
    const adopted = options.adoptFrom !== undefined && options.adoptFrom !== key && (await adopt(dirFor(options.adoptFrom), dir));
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new TrailLensError('Config', `Cache directory ${root} is not usable (${message(err)})`, { cause: err });
    }
    const cache = new EventCache(dir, key, {
      maxBytes,
      lagMs: options.lagMs ?? DELIVERY_LAG_MS,
      now: options.now ?? Date.now,
      lockTimeoutMs: options.lockTimeoutMs ?? 5000,
      logger: options.logger,
    });
    if (adopted)
      cache.adoptedHash = createHash('sha256')
        .update(options.adoptFrom as string)
        .digest('hex');
    await cache.removeOldFormat();
    try {
      await cache.read(false);
    } catch (err) {
      throw new TrailLensError('Config', `Cache file ${cache.path} is not readable (${message(err)})`, { cause: err });
    }
    // A damaged or oversized file is put right now rather than at the next write.
    if (cache.rewriteNeeded) void cache.schedule();
    return cache;
  }

  private get path(): string {
    return join(this.dir, 'events.jsonl');
  }

  private get lockPath(): string {
    return join(this.dir, 'events.lock');
  }

  /** The layout before version 2 kept coverage apart from the records, so it cannot be checked: removed. */
  private async removeOldFormat(): Promise<void> {
    let removed = false;
    for (const name of ['records.jsonl', 'meta.json']) {
      await unlink(join(this.dir, name)).then(
        () => (removed = true),
        () => undefined,
      );
    }
    if (removed) this.opts.logger?.info(`Event cache ${this.dir}: removed the cache in the old format (its coverage cannot be checked)`);
  }

  get size(): number {
    return this.byEvent.size;
  }

  /** Bytes the cached records take in the file. */
  get sizeBytes(): number {
    return this.bytes;
  }

  byRequestId(requestId: string): CloudTrailRecord | undefined {
    return this.byRequest.get(requestId.toLowerCase())?.record;
  }

  byEventId(eventId: string): CloudTrailRecord | undefined {
    return this.byEvent.get(eventId)?.record;
  }

  /** Cached records matching the query's attribute and window, newest first. */
  query(q: LookupQuery): CloudTrailRecord[] {
    const start = q.start.getTime();
    const end = q.end.getTime();
    const out: CloudTrailRecord[] = [];
    for (const e of this.byEvent.values()) {
      if (e.time >= start && e.time <= end && matchesAttribute(e.record, q.attribute)) out.push(e.record);
    }
    return sortNewestFirst(out);
  }

  /** Sub-windows of the query that were never fetched completely (newest first). */
  uncovered(q: LookupQuery): { start: Date; end: Date }[] {
    const covered = [...(this.coverage[attrKey(q.attribute)] ?? []), ...(q.attribute ? (this.coverage['*'] ?? []) : [])];
    return subtract(q.start.getTime(), q.end.getTime(), covered)
      .reverse()
      .map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));
  }

  /** Adds records; with `covered.complete`, remembers that the query's window was fetched in full. */
  put(records: readonly CloudTrailRecord[], covered?: { query: LookupQuery; complete: boolean }): Promise<void> {
    if (!covered?.complete) {
      for (const r of records) if (validRecord(r)) this.add(r);
      return this.schedule();
    }
    const f = this.newFeed(covered.query);
    this.feedRecords(f, records);
    f.done = true;
    return this.claim(f);
  }

  /** Pages of one query, added as they arrive (newest first); see CacheFeed. */
  feed(query: LookupQuery): CacheFeed {
    const f = this.newFeed(query);
    return {
      add: (records) => {
        this.feedRecords(f, records);
        return this.claim(f);
      },
      complete: () => {
        f.done = true;
        return this.claim(f);
      },
    };
  }

  private newFeed(query: LookupQuery): Feed {
    return {
      query,
      attr: attrKey(query.attribute),
      ids: new Map(),
      oldest: Infinity,
      blocked: -Infinity,
      done: false,
      checkedAt: this.generation,
    };
  }

  private feedRecords(f: Feed, records: readonly CloudTrailRecord[]): void {
    for (const r of records) {
      if (!validRecord(r)) {
        // Not cacheable: no claim may cover its time (or any time, if it has none).
        const t = Date.parse((r as CloudTrailRecord)?.eventTime);
        f.blocked = Math.max(f.blocked, Number.isNaN(t) ? Infinity : t);
        continue;
      }
      this.add(r);
      const t = Date.parse(r.eventTime);
      f.ids.set(r.eventID, t);
      f.oldest = Math.min(f.oldest, t);
    }
  }

  /** Waits for every write so far (the CLI calls it before exiting). */
  async flush(): Promise<void> {
    await this.writes;
  }

  private add(r: CloudTrailRecord): void {
    if (this.byEvent.has(r.eventID)) return;
    const e = this.index(r, Infinity);
    this.unwritten.add(e);
  }

  private index(record: CloudTrailRecord, seq: number, bytes?: number): Entry {
    const e: Entry = {
      record,
      time: Date.parse(record.eventTime),
      bytes: bytes ?? Buffer.byteLength(JSON.stringify({ event: record })) + 1,
      hash: idHash(record.eventID),
      seq,
    };
    this.byEvent.set(record.eventID, e);
    if (typeof record.requestID === 'string') this.byRequest.set(record.requestID.toLowerCase(), e);
    this.bytes += e.bytes;
    return e;
  }

  private drop(e: Entry): void {
    this.byEvent.delete(e.record.eventID);
    if (typeof e.record.requestID === 'string' && this.byRequest.get(e.record.requestID.toLowerCase()) === e)
      this.byRequest.delete(e.record.requestID.toLowerCase());
    this.unwritten.delete(e);
    this.bytes -= e.bytes;
  }

  private claim(f: Feed): Promise<void> {
    this.applyFeed(f);
    this.dirty.add(f);
    return this.schedule();
  }

  /** Adds to coverage what the feed's records prove: newer than its oldest record, or all when done. */
  private applyFeed(f: Feed): void {
    let start = f.done ? f.query.start.getTime() : f.oldest + 1;
    const end = Math.min(f.query.end.getTime(), this.opts.now() - this.opts.lagMs);
    if (f.checkedAt !== this.generation) {
      // Records were evicted or reloaded since: the claim stays newer than any record no longer held.
      for (const [id, t] of f.ids) if (!this.byEvent.has(id)) f.blocked = Math.max(f.blocked, t);
      f.checkedAt = this.generation;
    }
    start = Math.max(start, f.blocked + 1);
    if (!holdsSecond(start, end)) return;
    this.coverage[f.attr] = merge([...(this.coverage[f.attr] ?? []), { start, end }]);
  }

  /** Count and digest of the records in a window for an attribute, among those above line `before`. */
  private tally(attr: string, i: Interval, before: number): { events: number; digest: string } {
    const a = attrOf(attr);
    let events = 0;
    let sum = 0;
    for (const e of this.byEvent.values()) {
      if (e.seq < before && e.time >= i.start && e.time <= i.end && matchesAttribute(e.record, a)) {
        events++;
        sum = (sum + e.hash) >>> 0;
      }
    }
    return { events, digest: sum.toString(16).padStart(8, '0') };
  }

  private coverLine(attr: string, i: Interval, before: number): string {
    return JSON.stringify({ covered: { attr, start: i.start, end: i.end, ...this.tally(attr, i, before) } }) + '\n';
  }

  private schedule(): Promise<void> {
    if (!this.queued) {
      this.queued = this.writes = this.writes.then(() => this.commit()).catch((err) => this.warnWrite(err));
    }
    return this.queued;
  }

  private warnWrite(err: unknown): void {
    const text = `Event cache ${this.dir}: could not write (${message(err)}); fetched events are kept for this session only`;
    if (this.writeWarned) this.opts.logger?.debug(text);
    else this.opts.logger?.warn(text);
    this.writeWarned = true;
  }

  private async commit(): Promise<void> {
    this.queued = undefined;
    if (!this.unwritten.size && !this.dirty.size && !this.rewriteNeeded) return;
    const release = await acquireLock(this.lockPath, { timeoutMs: this.opts.lockTimeoutMs });
    if (!release) throw new Error(`another Trail Lens process held the lock for over ${this.opts.lockTimeoutMs / 1000} s`);
    // Pages that arrive while this write is under way wait for the next one.
    const dirty = [...this.dirty];
    this.dirty.clear();
    try {
      await this.read(true);
      for (const f of dirty) this.applyFeed(f);
      if (this.bytes > this.opts.maxBytes) {
        this.evict(`reached ${mib(this.bytes)} (bound ${mib(this.opts.maxBytes)})`, 'info');
      }
      if (this.rewriteNeeded || !this.file || this.file.coverLines > MAX_COVER_LINES) await this.rewrite();
      else await this.append(dirty);
    } catch (err) {
      for (const f of dirty) this.dirty.add(f);
      throw err;
    } finally {
      await release();
    }
  }

  /** Appends the records the file lacks and the windows claimed since the last write. */
  private async append(dirty: Feed[]): Promise<void> {
    const file = this.file!;
    const parts: string[] = [];
    let lines = file.lines;
    // A torn last line (a writer that crashed): end it, so the next line starts clean.
    if (file.tornTail) {
      parts.push('\n');
      lines++;
    }
    const written: Entry[] = [];
    for (const e of this.unwritten) {
      parts.push(JSON.stringify({ event: e.record }) + '\n');
      written.push(e);
      e.seq = lines++;
    }
    // Each window a claim since the last write fell into, merged with what was covered before.
    const seen = new Set<string>();
    let covers = 0;
    for (const f of dirty) {
      for (const i of this.coverage[f.attr] ?? []) {
        const id = `${f.attr} ${i.start}`;
        if (seen.has(id) || i.end < f.query.start.getTime() || i.start > f.query.end.getTime()) continue;
        seen.add(id);
        parts.push(this.coverLine(f.attr, i, lines++));
        covers++;
      }
    }
    if (!parts.length) return;
    const fh = await open(this.path, 'a');
    try {
      await fh.write(parts.join(''));
      const st = await fh.stat();
      this.file = { ino: st.ino, size: st.size, lines, coverLines: file.coverLines + covers, tornTail: false };
    } catch (err) {
      for (const e of written) e.seq = Infinity;
      throw err;
    } finally {
      await fh.close();
    }
    for (const e of written) this.unwritten.delete(e);
  }

  /** Writes everything held as a new file (renamed over the old): records newest first, then merged coverage. */
  private async rewrite(): Promise<void> {
    const entries = [...this.byEvent.values()].sort((a, b) => b.time - a.time);
    const header = JSON.stringify({ format: FORMAT, version: VERSION, key: this.keyHash }) + '\n';
    const old = entries.map((e) => e.seq);
    entries.forEach((e, n) => (e.seq = n + 1));
    const covers: string[] = [];
    let line = entries.length + 1;
    for (const [attr, list] of Object.entries(this.coverage)) for (const i of list) covers.push(this.coverLine(attr, i, line++));
    function* chunks(): Generator<string> {
      yield header;
      for (const e of entries) yield JSON.stringify({ event: e.record }) + '\n';
      yield* covers;
    }
    try {
      await writeWhole(this.path, chunks());
    } catch (err) {
      entries.forEach((e, n) => (e.seq = old[n]));
      throw err;
    }
    await removeStaleTemps(this.path, 60_000);
    const st = await stat(this.path);
    this.file = { ino: st.ino, size: st.size, lines: line, coverLines: covers.length, tornTail: false };
    for (const e of entries) this.unwritten.delete(e);
    this.rewriteNeeded = false;
  }

  /** Drops the oldest records down to 90% of the bound and the coverage of their time; returns the cutoff. */
  private evict(why: string, level: 'info' | 'warn'): number {
    const newest = [...this.byEvent.values()].sort((a, b) => b.time - a.time);
    const budget = this.opts.maxBytes * 0.9;
    let kept = 0;
    let n = 0;
    while (n < newest.length && kept + newest[n].bytes <= budget) kept += newest[n++].bytes;
    const dropped = newest.slice(n);
    if (!dropped.length) return -Infinity;
    // Records at the cutoff second may be split between kept and dropped: coverage starts after it.
    const cutoff = dropped[0].time;
    for (const e of dropped) this.drop(e);
    for (const [k, list] of Object.entries(this.coverage)) {
      this.coverage[k] = list.filter((i) => i.end > cutoff).map((i) => ({ start: Math.max(i.start, cutoff + 1), end: i.end }));
    }
    this.generation++;
    this.rewriteNeeded = true;
    this.opts.logger?.[level](
      `Event cache ${this.dir} ${why}: dropped the ${dropped.length} oldest events (up to ${new Date(cutoff).toISOString()})`,
    );
    return cutoff;
  }

  /**
   * Reads what the file holds beyond what this instance has read: all of it the first time, after
   * another process replaced it, or when it shrank; otherwise only what was appended since.
   * `locked`: this instance holds the lock, so an unterminated last line is a torn write, not one in progress.
   */
  private async read(locked: boolean): Promise<void> {
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (this.file) this.forget('its file was removed');
      this.file = undefined;
      return;
    }
    try {
      const st = await fh.stat();
      let from = this.file?.size ?? 0;
      if (!this.file || st.ino !== this.file.ino || st.size < this.file.size) {
        if (this.file) this.forget('another process rewrote its file');
        from = 0;
      }
      if (st.size === 0) {
        this.file = undefined;
        return;
      }
      await this.ingest(fh, from, st.size, st.ino, locked);
    } finally {
      await fh.close();
    }
  }

  /** Back to what this instance has not written yet: the file is read again from its start. */
  private forget(why: string): void {
    for (const e of [...this.byEvent.values()]) if (e.seq !== Infinity) this.drop(e);
    this.coverage = {};
    this.generation++;
    this.file = undefined;
    this.opts.logger?.debug(`Event cache ${this.dir}: ${why}; reading it again`);
  }

  private async ingest(fh: FileHandle, from: number, size: number, ino: number, locked: boolean): Promise<void> {
    let lines = from === 0 ? 0 : this.file!.lines;
    let coverLines = from === 0 ? 0 : this.file!.coverLines;
    let end = from;
    let tornTail = false;
    let bad = 0;
    let duplicates = 0;
    let floor = -Infinity;
    const claims: CoverLine[] = [];
    for await (const line of readLines(fh, from, size, Math.min(MAX_LINE, this.opts.maxBytes))) {
      // An unterminated last line is still being written if the file grows or a writer holds the lock.
      if (!line.terminated && !locked && ((await fh.stat()).size > size || existsSync(this.lockPath))) break;
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
              : value.key !== this.keyHash && value.key !== this.adoptedHash
                ? 'it belongs to another account or Region'
                : undefined;
        // Taken over from the connection's own key: the header names the account's from now on.
        if (!reason && value?.key === this.adoptedHash) this.rewriteNeeded = true;
        if (reason) {
          if (this.discarded !== ino)
            this.opts.logger?.warn(`Event cache ${this.path}: discarded, ${reason}; it will be rebuilt from CloudTrail`);
          this.discarded = ino;
          this.file = undefined;
          this.rewriteNeeded = true;
          return;
        }
        continue;
      }
      if (value && validRecord(value.event)) {
        const r = value.event;
        const t = Date.parse(r.eventTime);
        const held = this.byEvent.get(r.eventID);
        if (held) {
          if (held.seq === Infinity) {
            // Another process wrote a record this one holds unwritten: the file has it now.
            held.seq = seq;
            this.unwritten.delete(held);
          } else duplicates++;
        } else if (t > floor) {
          this.index(r, seq, line.end - line.start);
          if (this.bytes > this.opts.maxBytes) {
            const why =
              from === 0 && !locked
                ? `holds over ${mib(this.opts.maxBytes)}, its bound`
                : `reached ${mib(this.bytes)} (bound ${mib(this.opts.maxBytes)})`;
            floor = Math.max(floor, this.evict(why, from === 0 && !locked ? 'warn' : 'info'));
          }
        }
      } else if (value?.covered && this.validCover(value.covered)) {
        // A claim reaching into evicted time cannot be checked any more: it is not kept (nor damage).
        if (value.covered.start > floor) claims.push({ ...value.covered, seq });
        coverLines++;
      } else if (line.text !== '' || !line.terminated) bad++;
    }
    this.file = { ino, size: end, lines, coverLines, tornTail };
    const rejected = this.verify(claims);
    if (bad || duplicates || rejected) {
      const what = [
        bad && `${bad} unreadable line(s) skipped`,
        duplicates && `${duplicates} duplicate record(s) ignored`,
        rejected && `${rejected} coverage claim(s) its records do not bear out discarded`,
      ].filter(Boolean);
      this.opts.logger?.warn(
        `Event cache ${this.path} was damaged: ${what.join(', ')}; the affected time will be read from CloudTrail again`,
      );
      this.rewriteNeeded = true;
    }
  }

  private validCover(c: CoverLine): boolean {
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
  private verify(claims: CoverLine[]): number {
    let rejected = 0;
    for (let n = claims.length - 1; n >= 0; n--) {
      const c = claims[n];
      if (within(c, this.coverage[c.attr])) continue;
      const found = this.tally(c.attr, c, c.seq);
      if (found.events !== c.events || found.digest !== c.digest) {
        rejected++;
        continue;
      }
      this.coverage[c.attr] = merge([...(this.coverage[c.attr] ?? []), { start: c.start, end: c.end }]);
    }
    return rejected;
  }
}
