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
 *
 * This module owns the cache's API: opening it (and taking over an earlier key's cache), lookups,
 * and the feeds whose pages grow coverage, with the queue of writes. What an instance holds is in
 * cacheState.ts, loading and checking the file in cacheLoad.ts, writing and locking in
 * cacheWrite.ts, and the file primitives (lines, lock file, whole writes) in cacheFile.ts.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TrailLensError } from './errors';
import { readCache, removeOldFormat, validRecord } from './cacheLoad';
import { attrKey, CacheState } from './cacheState';
import { lockCache, writeCache } from './cacheWrite';
import type { Logger } from './logger';
import type { LookupQuery } from './lookup';
import { matchesAttribute, sortNewestFirst, type CloudTrailRecord } from './record';
import { DELIVERY_LAG_MS } from './limits';
import { holdsSecond, subtract } from './coverage';

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

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
  private readonly s: CacheState;
  private readonly dirty = new Set<Feed>();
  private writes: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private writeWarned = false;

  private constructor(
    readonly dir: string,
    key: string,
    private readonly opts: Required<Pick<CacheOptions, 'maxBytes' | 'lagMs' | 'now' | 'lockTimeoutMs'>> & { logger?: Logger },
  ) {
    this.s = new CacheState(dir, createHash('sha256').update(key).digest('hex'), opts.maxBytes, opts.logger);
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
    const s = cache.s;
    if (adopted)
      s.adoptedHash = createHash('sha256')
        .update(options.adoptFrom as string)
        .digest('hex');
    await removeOldFormat(s);
    try {
      await readCache(s, false);
    } catch (err) {
      throw new TrailLensError('Config', `Cache file ${s.path} is not readable (${message(err)})`, { cause: err });
    }
    // A damaged or oversized file is put right now rather than at the next write.
    if (s.rewriteNeeded) void cache.schedule();
    return cache;
  }

  get size(): number {
    return this.s.byEvent.size;
  }

  /** Bytes the cached records take in the file. */
  get sizeBytes(): number {
    return this.s.bytes;
  }

  byRequestId(requestId: string): CloudTrailRecord | undefined {
    return this.s.byRequest.get(requestId.toLowerCase())?.record;
  }

  byEventId(eventId: string): CloudTrailRecord | undefined {
    return this.s.byEvent.get(eventId)?.record;
  }

  /** Cached records matching the query's attribute and window, newest first. */
  query(q: LookupQuery): CloudTrailRecord[] {
    const start = q.start.getTime();
    const end = q.end.getTime();
    const out: CloudTrailRecord[] = [];
    for (const e of this.s.byEvent.values()) {
      if (e.time >= start && e.time <= end && matchesAttribute(e.record, q.attribute)) out.push(e.record);
    }
    return sortNewestFirst(out);
  }

  /** Sub-windows of the query that were never fetched completely (newest first). */
  uncovered(q: LookupQuery): { start: Date; end: Date }[] {
    const coverage = this.s.coverage;
    const covered = [...(coverage[attrKey(q.attribute)] ?? []), ...(q.attribute ? (coverage['*'] ?? []) : [])];
    return subtract(q.start.getTime(), q.end.getTime(), covered)
      .reverse()
      .map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));
  }

  /** Adds records; with `covered.complete`, remembers that the query's window was fetched in full. */
  put(records: readonly CloudTrailRecord[], covered?: { query: LookupQuery; complete: boolean }): Promise<void> {
    if (!covered?.complete) {
      for (const r of records) if (validRecord(r)) this.s.add(r);
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
      checkedAt: this.s.generation,
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
      this.s.add(r);
      const t = Date.parse(r.eventTime);
      f.ids.set(r.eventID, t);
      f.oldest = Math.min(f.oldest, t);
    }
  }

  /** Waits for every write so far (the CLI calls it before exiting). */
  async flush(): Promise<void> {
    await this.writes;
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
    if (f.checkedAt !== this.s.generation) {
      // Records were evicted or reloaded since: the claim stays newer than any record no longer held.
      for (const [id, t] of f.ids) if (!this.s.byEvent.has(id)) f.blocked = Math.max(f.blocked, t);
      f.checkedAt = this.s.generation;
    }
    start = Math.max(start, f.blocked + 1);
    if (!holdsSecond(start, end)) return;
    this.s.cover(f.attr, { start, end });
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
    if (!this.s.unwritten.size && !this.dirty.size && !this.s.rewriteNeeded) return;
    const release = await lockCache(this.s, this.opts.lockTimeoutMs);
    // Pages that arrive while this write is under way wait for the next one.
    const dirty = [...this.dirty];
    this.dirty.clear();
    try {
      await readCache(this.s, true);
      for (const f of dirty) this.applyFeed(f);
      await writeCache(
        this.s,
        dirty.map((f) => ({ attr: f.attr, start: f.query.start.getTime(), end: f.query.end.getTime() })),
      );
    } catch (err) {
      for (const f of dirty) this.dirty.add(f);
      throw err;
    } finally {
      await release();
    }
  }
}
