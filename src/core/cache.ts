/**
 * Events fetched, kept on disk per account+region (connection key), so a repeated lookup answers
 * with zero API calls and works offline. Layout: <dir>/<sha256(key)[:16]>/records.jsonl (append-only,
 * one record a line) and meta.json (the key, and which windows were fetched completely).
 * Bounded: past maxEvents the oldest events are evicted and the file rewritten. Only records and
 * window bounds are stored; never credentials.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from './logger';
import type { LookupQuery } from './lookup';
import { sortNewestFirst, type CloudTrailRecord, type LookupAttribute } from './record';

export interface CacheOptions {
  /** Default: $XDG_CACHE_HOME/trail-lens, else ~/.cache/trail-lens. */
  dir?: string;
  /** Per account+region. Default 50,000. */
  maxEvents?: number;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** CloudTrail delivers events up to ~15 min late: coverage never extends past fetch time minus this. */
  lagMs?: number;
  now?: () => number;
}

interface Interval {
  start: number;
  end: number;
}

interface Meta {
  version: 1;
  key: string;
  /** attribute key "EventSource=backup.amazonaws.com", or "*" for unfiltered → fetched windows */
  coverage: Record<string, Interval[]>;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'trail-lens');
}

function attrKey(a: LookupAttribute | undefined): string {
  return a ? `${a.key}=${a.value}` : '*';
}

/** Does this record match a LookupEvents attribute the way the service filters? */
export function matchesAttribute(r: CloudTrailRecord, a: LookupAttribute | undefined): boolean {
  if (!a) return true;
  const ui = r.userIdentity ?? {};
  switch (a.key) {
    case 'EventId':
      return r.eventID === a.value;
    case 'EventName':
      return r.eventName === a.value;
    case 'EventSource':
      return r.eventSource === a.value;
    case 'ReadOnly':
      return String(r.readOnly ?? false) === a.value;
    case 'AccessKeyId':
      return ui.accessKeyId === a.value;
    case 'Username': {
      const session = typeof ui.arn === 'string' && ui.type === 'AssumedRole' ? ui.arn.split('/').pop() : undefined;
      return ui.userName === a.value || session === a.value;
    }
    case 'ResourceType':
      return (r.resources ?? []).some((x) => x.type === a.value);
    case 'ResourceName':
      return (r.resources ?? []).some((x) => x.ARN === a.value || x.ARN?.split(/[:/]/).pop() === a.value);
  }
}

/** Union of intervals, merged (touching within a second counts as adjacent). */
function merge(list: Interval[]): Interval[] {
  const sorted = [...list].sort((x, y) => x.start - y.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end + 1000) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** Parts of [start, end] not inside any of `covered`. */
function subtract(start: number, end: number, covered: Interval[]): Interval[] {
  const out: Interval[] = [];
  let cursor = start;
  for (const c of merge(covered)) {
    if (c.end < cursor || c.start > end) continue;
    if (c.start > cursor) out.push({ start: cursor, end: c.start - 1 });
    cursor = Math.max(cursor, c.end + 1);
    if (cursor > end) break;
  }
  if (cursor <= end) out.push({ start: cursor, end });
  return out;
}

export class EventCache {
  private readonly byEvent = new Map<string, CloudTrailRecord>();
  private readonly byRequest = new Map<string, CloudTrailRecord>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private meta: Meta,
    private readonly opts: Required<Pick<CacheOptions, 'maxEvents' | 'lagMs' | 'now'>> & { logger?: Logger },
  ) {}

  static async open(key: string, options: CacheOptions = {}): Promise<EventCache> {
    const root = options.dir || defaultCacheDir(options.env);
    const dir = join(root, createHash('sha256').update(key).digest('hex').slice(0, 16));
    await mkdir(dir, { recursive: true });
    let meta: Meta = { version: 1, key, coverage: {} };
    try {
      const parsed = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Meta;
      if (parsed.version === 1 && parsed.key === key) meta = parsed;
    } catch {
      // no meta yet, or unreadable: start with no coverage (records still load below)
    }
    const cache = new EventCache(dir, meta, {
      maxEvents: options.maxEvents ?? 50_000,
      lagMs: options.lagMs ?? 15 * 60_000,
      now: options.now ?? Date.now,
      logger: options.logger,
    });
    await cache.load();
    return cache;
  }

  private get recordsFile(): string {
    return join(this.dir, 'records.jsonl');
  }

  private async load(): Promise<void> {
    if (!existsSync(this.recordsFile)) return;
    const text = await readFile(this.recordsFile, 'utf8');
    let bad = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        this.index(JSON.parse(line) as CloudTrailRecord);
      } catch {
        bad++; // a torn write from a crash: skip the line, keep the rest
      }
    }
    if (bad) this.opts.logger?.warn(`Cache ${this.dir}: skipped ${bad} unreadable line(s)`);
  }

  private index(r: CloudTrailRecord): boolean {
    if (!r || typeof r.eventID !== 'string' || this.byEvent.has(r.eventID)) return false;
    this.byEvent.set(r.eventID, r);
    if (typeof r.requestID === 'string') this.byRequest.set(r.requestID.toLowerCase(), r);
    return true;
  }

  get size(): number {
    return this.byEvent.size;
  }

  byRequestId(requestId: string): CloudTrailRecord | undefined {
    return this.byRequest.get(requestId.toLowerCase());
  }

  byEventId(eventId: string): CloudTrailRecord | undefined {
    return this.byEvent.get(eventId);
  }

  /** Cached records matching the query's attribute and window, newest first. */
  query(q: LookupQuery): CloudTrailRecord[] {
    const start = q.start.getTime();
    const end = q.end.getTime();
    const out: CloudTrailRecord[] = [];
    for (const r of this.byEvent.values()) {
      const t = Date.parse(r.eventTime);
      if (t >= start && t <= end && matchesAttribute(r, q.attribute)) out.push(r);
    }
    return sortNewestFirst(out);
  }

  /** Sub-windows of the query that were never fetched completely (newest first). */
  uncovered(q: LookupQuery): { start: Date; end: Date }[] {
    const covered = [...(this.meta.coverage[attrKey(q.attribute)] ?? []), ...(q.attribute ? this.meta.coverage['*'] ?? [] : [])];
    return subtract(q.start.getTime(), q.end.getTime(), covered)
      .reverse()
      .map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));
  }

  /** Adds records; with `covered.complete`, remembers that the query's window was fetched in full. */
  async put(records: readonly CloudTrailRecord[], covered?: { query: LookupQuery; complete: boolean }): Promise<void> {
    const fresh = records.filter((r) => this.index(r));
    if (covered?.complete) {
      const end = Math.min(covered.query.end.getTime(), this.opts.now() - this.opts.lagMs);
      const start = covered.query.start.getTime();
      if (end > start) {
        const k = attrKey(covered.query.attribute);
        this.meta.coverage[k] = merge([...(this.meta.coverage[k] ?? []), { start, end }]);
      }
    }
    if (!fresh.length && !covered?.complete) return;
    // Serialise writes so concurrent puts never interleave lines.
    this.writes = this.writes.then(() => this.persist(fresh)).catch((err) => {
      this.opts.logger?.warn(`Cache write failed in ${this.dir}: ${(err as Error).message}`);
    });
    await this.writes;
  }

  private async persist(fresh: CloudTrailRecord[]): Promise<void> {
    if (this.byEvent.size > this.opts.maxEvents) {
      await this.evict();
    } else if (fresh.length) {
      await appendFile(this.recordsFile, fresh.map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
    await this.atomicWrite(join(this.dir, 'meta.json'), JSON.stringify(this.meta));
  }

  /** Drops the oldest events down to 90% of the bound and forgets coverage of the dropped time. */
  private async evict(): Promise<void> {
    const keep = sortNewestFirst([...this.byEvent.values()]).slice(0, Math.floor(this.opts.maxEvents * 0.9));
    const cutoff = keep.length ? Date.parse(keep[keep.length - 1].eventTime) : Infinity;
    this.byEvent.clear();
    this.byRequest.clear();
    for (const r of keep) this.index(r);
    for (const [k, list] of Object.entries(this.meta.coverage)) {
      this.meta.coverage[k] = list.filter((i) => i.end >= cutoff).map((i) => ({ start: Math.max(i.start, cutoff), end: i.end }));
    }
    await this.atomicWrite(this.recordsFile, keep.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  private async atomicWrite(path: string, data: string): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  }
}
