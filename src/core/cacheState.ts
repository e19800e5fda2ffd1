/**
 * What one EventCache instance holds in memory: the records, indexed by event ID and request ID,
 * the windows read completely per lookup attribute, which records the file lacks yet, and what of
 * the file has been read. Loading (cacheLoad.ts) and writing (cacheWrite.ts) both work on it;
 * eviction lives here because both a load and a write can push the records past their bound.
 */
import { join } from 'node:path';
import type { Logger } from './logger';
import { matchesAttribute, type AttributeKey, type CloudTrailRecord, type LookupAttribute } from './record';
import { merge, type Interval } from './coverage';

export interface Entry {
  record: CloudTrailRecord;
  time: number;
  bytes: number;
  hash: number;
  /** Line number in the file; Infinity while only in memory (not written yet). */
  seq: number;
}

/** What of the file this instance has read: identity, bytes, newline-terminated lines. */
export interface FileState {
  ino: number;
  size: number;
  lines: number;
  coverLines: number;
  tornTail: boolean;
}

export function attrKey(a: LookupAttribute | undefined): string {
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

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export class CacheState {
  readonly byEvent = new Map<string, Entry>();
  readonly byRequest = new Map<string, Entry>();
  /** attribute key ("EventSource=backup.amazonaws.com", "*" for unfiltered) → windows read completely */
  coverage: Record<string, Interval[]> = {};
  readonly unwritten = new Set<Entry>();
  bytes = 0;
  file: FileState | undefined;
  rewriteNeeded = false;
  /** Bumped whenever records leave memory: feeds then re-check that their records are still held. */
  generation = 0;
  /** The file last discarded as not a cache (by inode): said once, not at every read. */
  discarded: number | undefined;
  /** The previous key's hash while an adopted file still carries it in its header. */
  adoptedHash: string | undefined;

  constructor(
    readonly dir: string,
    readonly keyHash: string,
    readonly maxBytes: number,
    readonly logger: Logger | undefined,
  ) {}

  get path(): string {
    return join(this.dir, 'events.jsonl');
  }

  get lockPath(): string {
    return join(this.dir, 'events.lock');
  }

  /** Holds a record fetched in this session (not in the file yet), unless it is held already. */
  add(r: CloudTrailRecord): void {
    if (this.byEvent.has(r.eventID)) return;
    const e = this.index(r, Infinity);
    this.unwritten.add(e);
  }

  index(record: CloudTrailRecord, seq: number, bytes?: number): Entry {
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

  /** Adds a window read completely for an attribute. */
  cover(attr: string, i: Interval): void {
    this.coverage[attr] = merge([...(this.coverage[attr] ?? []), { start: i.start, end: i.end }]);
  }

  /** Count and digest of the records in a window for an attribute, among those above line `before`. */
  tally(attr: string, i: Interval, before: number): { events: number; digest: string } {
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

  /** Drops the oldest records down to 90% of the bound and the coverage of their time; returns the cutoff. */
  evict(why: string, level: 'info' | 'warn'): number {
    const newest = [...this.byEvent.values()].sort((a, b) => b.time - a.time);
    const budget = this.maxBytes * 0.9;
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
    this.logger?.[level](
      `Event cache ${this.dir} ${why}: dropped the ${dropped.length} oldest events (up to ${new Date(cutoff).toISOString()})`,
    );
    return cutoff;
  }

  /** Back to what this instance has not written yet: the file is read again from its start. */
  forget(why: string): void {
    for (const e of [...this.byEvent.values()]) if (e.seq !== Infinity) this.drop(e);
    this.coverage = {};
    this.generation++;
    this.file = undefined;
    this.logger?.debug(`Event cache ${this.dir}: ${why}; reading it again`);
  }
}
