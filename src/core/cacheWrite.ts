/**
 * Writing the event cache file: the lock that serialises writers across processes, appending the
 * records the file lacks and the windows claimed since the last write (each with the count and
 * digest cacheLoad.ts checks), and rewriting the whole file (temp file renamed over the old one)
 * after eviction, damage, or when too many coverage lines have piled up.
 */
import { open, stat } from 'node:fs/promises';
import { acquireLock, removeStaleTemps, writeWhole } from './cacheFile';
import { headerLine } from './cacheLoad';
import { mib, type CacheState, type Entry } from './cacheState';
import type { Interval } from './coverage';

/** Past this many covered lines the file is rewritten with the merged windows. */
const MAX_COVER_LINES = 256;

/** A query's window that a feed claimed covered since the last write. */
export interface Claimed extends Interval {
  attr: string;
}

/** Takes the cache's lock file, or says that another process held it past the timeout. */
export async function lockCache(s: CacheState, timeoutMs: number): Promise<() => Promise<void>> {
  const release = await acquireLock(s.lockPath, { timeoutMs });
  if (!release) throw new Error(`another Trail Lens process held the lock for over ${timeoutMs / 1000} s`);
  return release;
}

/**
 * Under the lock, with the file read up to date: evicts past the bound, then appends what the
 * file lacks, or rewrites it when it must be put right or has too many coverage lines.
 */
export async function writeCache(s: CacheState, claimed: Claimed[]): Promise<void> {
  if (s.bytes > s.maxBytes) s.evict(`reached ${mib(s.bytes)} (bound ${mib(s.maxBytes)})`, 'info');
  if (s.rewriteNeeded || !s.file || s.file.coverLines > MAX_COVER_LINES) await rewrite(s);
  else await append(s, claimed);
}

function coverLine(s: CacheState, attr: string, i: Interval, before: number): string {
  return JSON.stringify({ covered: { attr, start: i.start, end: i.end, ...s.tally(attr, i, before) } }) + '\n';
}

/** Appends the records the file lacks and the windows claimed since the last write. */
async function append(s: CacheState, claimed: Claimed[]): Promise<void> {
  const file = s.file!;
  const parts: string[] = [];
  let lines = file.lines;
  // A torn last line (a writer that crashed): end it, so the next line starts clean.
  if (file.tornTail) {
    parts.push('\n');
    lines++;
  }
  const written: Entry[] = [];
  for (const e of s.unwritten) {
    parts.push(JSON.stringify({ event: e.record }) + '\n');
    written.push(e);
    e.seq = lines++;
  }
  // Each window a claim since the last write fell into, merged with what was covered before.
  const seen = new Set<string>();
  let covers = 0;
  for (const c of claimed) {
    for (const i of s.coverage[c.attr] ?? []) {
      const id = `${c.attr} ${i.start}`;
      if (seen.has(id) || i.end < c.start || i.start > c.end) continue;
      seen.add(id);
      parts.push(coverLine(s, c.attr, i, lines++));
      covers++;
    }
  }
  if (!parts.length) return;
  const fh = await open(s.path, 'a');
  try {
    await fh.write(parts.join(''));
    const st = await fh.stat();
    s.file = { ino: st.ino, size: st.size, lines, coverLines: file.coverLines + covers, tornTail: false };
  } catch (err) {
    for (const e of written) e.seq = Infinity;
    throw err;
  } finally {
    await fh.close();
  }
  for (const e of written) s.unwritten.delete(e);
}

/** Writes everything held as a new file (renamed over the old): records newest first, then merged coverage. */
async function rewrite(s: CacheState): Promise<void> {
  const entries = [...s.byEvent.values()].sort((a, b) => b.time - a.time);
  const header = headerLine(s.keyHash);
  const old = entries.map((e) => e.seq);
  entries.forEach((e, n) => (e.seq = n + 1));
  const covers: string[] = [];
  let line = entries.length + 1;
  for (const [attr, list] of Object.entries(s.coverage)) for (const i of list) covers.push(coverLine(s, attr, i, line++));
  function* chunks(): Generator<string> {
    yield header;
    for (const e of entries) yield JSON.stringify({ event: e.record }) + '\n';
    yield* covers;
  }
  try {
    await writeWhole(s.path, chunks());
  } catch (err) {
    entries.forEach((e, n) => (e.seq = old[n]));
    throw err;
  }
  await removeStaleTemps(s.path, 60_000);
  const st = await stat(s.path);
  s.file = { ino: st.ino, size: st.size, lines: line, coverLines: covers.length, tornTail: false };
  for (const e of entries) s.unwritten.delete(e);
  s.rewriteNeeded = false;
}
