import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EventCache, defaultCacheDir, openEventCache, type CacheOptions } from '../../src/core/cache';
import type { Logger } from '../../src/core/logger';
import type { LookupQuery } from '../../src/core/lookup';
import { matchesAttribute, type CloudTrailRecord } from '../../src/core/record';
import { makeRecord, assumedRole } from '../fake-cloudtrail/fixtures';
import { cacheTestRecords } from './cacheRecords';
import { scratchDir } from '../harness/scratch';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const H = 3600_000;
const KEY = 'k|us-east-1';
const dir = () => scratchDir('tl-cache-');
const WINDOW: LookupQuery = { start: new Date(NOW - 48 * H), end: new Date(NOW) };

/** A logger that keeps what it is told. */
function recorder(): Logger & { lines: string[]; warnings: () => string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return {
    lines,
    warnings: () => lines.filter((l) => l.startsWith('warn ')),
    trace() {},
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

function cacheFile(root: string): string {
  const [sub] = readdirSync(root);
  return join(root, sub, 'events.jsonl');
}

function eventLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"event":'));
}

/** The contract that matters: any record the cache does not hold lies in a window it reports uncovered. */
function assertNeverHides(cache: EventCache, records: CloudTrailRecord[], q: LookupQuery = WINDOW): number {
  const gaps = cache.uncovered(q);
  let missing = 0;
  for (const r of records) {
    if (cache.byEventId(r.eventID)) continue;
    missing++;
    const t = Date.parse(r.eventTime);
    assert.ok(
      gaps.some((g) => g.start.getTime() <= t && t <= g.end.getTime()),
      `${r.eventID} at ${r.eventTime} is neither cached nor uncovered`,
    );
  }
  return missing;
}

async function filled(count = 200, options: CacheOptions = {}): Promise<{ root: string; records: CloudTrailRecord[]; file: string }> {
  const root = dir();
  const records = cacheTestRecords(count, NOW);
  const c = await EventCache.open(KEY, { dir: root, now: () => NOW, ...options });
  await c.put(records, { query: WINDOW, complete: true });
  await c.flush();
  assert.deepEqual(
    c.uncovered(WINDOW).map((g) => g.start.getTime()),
    [NOW - 15 * 60_000 + 1],
    'covered up to the delivery lag',
  );
  return { root, records, file: cacheFile(root) };
}

const reopen = (root: string, logger?: Logger, options: CacheOptions = {}) =>
  EventCache.open(KEY, { dir: root, now: () => NOW, logger, ...options });

describe('EventCache', () => {
  test('persists records across opens and indexes by request and event ID', async () => {
    const d = dir();
    const a = makeRecord({ at: NOW - H, requestID: 'ABC1D2E3-A1BC-1AB2-1234-12345AB6CD7E' });
    const c1 = await EventCache.open('k|us-east-1', { dir: d, now: () => NOW });
    await c1.put([a, a]);
    const c2 = await EventCache.open('k|us-east-1', { dir: d, now: () => NOW });
    assert.equal(c2.size, 1);
    assert.equal(c2.byRequestId('abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e')?.eventID, a.eventID);
    assert.equal(c2.byEventId(a.eventID)?.eventID, a.eventID);
    const other = await EventCache.open('k|eu-west-1', { dir: d });
    assert.equal(other.size, 0, 'separate per key');
  });

  test('remembers complete windows, minus the delivery lag, per attribute', async () => {
    const d = dir();
    const c = await EventCache.open('k', { dir: d, now: () => NOW });
    const q = { attribute: { key: 'EventSource' as const, value: 'kms.amazonaws.com' }, start: new Date(NOW - 10 * H), end: new Date(NOW) };
    await c.put([], { query: q, complete: true });
    const gaps = c.uncovered(q);
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0].start.getTime(), NOW - 15 * 60_000 + 1);
    assert.deepEqual(c.uncovered({ ...q, end: new Date(NOW - H) }), []);
    // An unfiltered complete window covers every attribute.
    const q2 = { start: new Date(NOW - 20 * H), end: new Date(NOW - 12 * H) };
    await c.put([], { query: q2, complete: true });
    assert.deepEqual(c.uncovered({ ...q, start: q2.start, end: q2.end }), []);
    const split = c.uncovered({ attribute: q.attribute, start: new Date(NOW - 30 * H), end: new Date(NOW - 2 * H) });
    assert.equal(split.length, 2, 'the gap before q2 and the gap between q2 and q');
    assert.ok(split[0].start > split[1].start, 'newest first');
    const again = await EventCache.open('k', { dir: d, now: () => NOW });
    assert.deepEqual(again.uncovered({ ...q, end: new Date(NOW - H) }), [], 'coverage survives a reopen');
  });

  test('a gap that holds no whole second is not reported; one that holds a second is', async () => {
    const c = await EventCache.open('k', { dir: dir(), now: () => NOW });
    await c.put([], { query: { start: new Date(NOW - 10 * H), end: new Date(NOW - 5 * H - 400) }, complete: true });
    await c.put([], { query: { start: new Date(NOW - 5 * H - 300), end: new Date(NOW - 2 * H) }, complete: true });
    assert.deepEqual(
      c.uncovered({ start: new Date(NOW - 9 * H), end: new Date(NOW - 3 * H) }),
      [],
      '(…−400 ms, −300 ms) holds no whole second',
    );
    await c.put([], { query: { start: new Date(NOW - 2 * H + 1), end: new Date(NOW - H - 1) }, complete: true });
    const gaps = c.uncovered({ start: new Date(NOW - 9 * H), end: new Date(NOW - 1.5 * H) });
    assert.deepEqual(gaps, [], 'adjacent to the millisecond');
    await c.put([], { query: { start: new Date(NOW - H + 500), end: new Date(NOW - H / 2) }, complete: true });
    const second = c.uncovered({ start: new Date(NOW - 9 * H), end: new Date(NOW - H / 2) });
    assert.equal(second.length, 1, 'the second at −1 h lies between −1 h and −1 h + 500 ms');
    assert.ok(second[0].start.getTime() <= NOW - H && second[0].end.getTime() >= NOW - H);
  });

  test('query filters by attribute and window, newest first', async () => {
    const c = await EventCache.open('k', { dir: dir(), now: () => NOW });
    const rs = [0, 1, 2, 3].map((i) => makeRecord({ at: NOW - i * H, eventSource: i % 2 ? 'kms.amazonaws.com' : 's3.amazonaws.com' }));
    await c.put(rs);
    const got = c.query({
      attribute: { key: 'EventSource', value: 'kms.amazonaws.com' },
      start: new Date(NOW - 5 * H),
      end: new Date(NOW),
    });
    assert.deepEqual(
      got.map((r) => r.eventID),
      [rs[1].eventID, rs[3].eventID],
    );
  });

  test('stores no secrets and not the connection key itself', async () => {
    const d = dir();
    const c = await EventCache.open('profile:dev|us-east-1', { dir: d });
    await c.put([makeRecord({ at: NOW })], { query: WINDOW, complete: true });
    const text = readFileSync(cacheFile(d), 'utf8');
    assert.doesNotMatch(text, /secret|SecretAccessKey|SessionToken|profile:dev/i);
  });

  test('defaultCacheDir honours XDG_CACHE_HOME', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/trail-lens');
    assert.equal(defaultCacheDir({ HOME: '/home/u' }), '/home/u/.cache/trail-lens');
  });

  test('matchesAttribute follows LookupEvents semantics', () => {
    const r = makeRecord({
      userIdentity: assumedRole('Deployer', 'ci-run-7', 'ASIAXYZ'),
      readOnly: false,
      resources: [{ ARN: 'arn:aws:kms:us-east-1:123456789012:key/k-1', type: 'AWS::KMS::Key' }],
    });
    assert.ok(matchesAttribute(r, { key: 'Username', value: 'ci-run-7' }));
    assert.ok(matchesAttribute(r, { key: 'AccessKeyId', value: 'ASIAXYZ' }));
    assert.ok(matchesAttribute(r, { key: 'ReadOnly', value: 'false' }));
    assert.ok(matchesAttribute(r, { key: 'ResourceType', value: 'AWS::KMS::Key' }));
    assert.ok(matchesAttribute(r, { key: 'ResourceName', value: 'k-1' }));
    assert.ok(!matchesAttribute(r, { key: 'EventName', value: 'Nope' }));
  });
});

describe('EventCache: a damaged file is never believed', () => {
  test('truncated mid-line: the records read are kept, the coverage they do not prove is dropped', async () => {
    const { root, records, file } = await filled();
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const log = recorder();
    const c = await reopen(root, log);
    assert.ok(c.size > 0 && c.size < records.length, `${c.size} records`);
    assert.ok(assertNeverHides(c, records) > 0);
    assert.equal(log.warnings().length, 1, log.lines.join('\n'));
    assert.match(log.warnings()[0], /damaged.*unreadable line/);
    await c.flush();
    const healed = await reopen(root, recorder());
    assert.equal(healed.size, c.size, 'rewritten clean');
  });

  test('truncated at a line end, before the coverage line: nothing claimed, nothing hidden', async () => {
    const { root, records, file } = await filled();
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.indexOf('\n', text.length / 3) + 1));
    const c = await reopen(root);
    assertNeverHides(c, records);
    assert.equal(c.uncovered(WINDOW).length, 1);
    assert.equal(c.uncovered(WINDOW)[0].start.getTime(), WINDOW.start.getTime());
  });

  test('a record line in the middle corrupted or removed: the claim over it is discarded and said so', async () => {
    for (const damage of ['garbage', 'removed'] as const) {
      const { root, records, file } = await filled();
      const lines = readFileSync(file, 'utf8').split('\n');
      const victim = lines.findIndex((l) => l.includes(records[100].eventID));
      if (damage === 'garbage') lines[victim] = lines[victim].replace(/[a-z]/g, '#');
      else lines.splice(victim, 1);
      writeFileSync(file, lines.join('\n'));
      const log = recorder();
      const c = await reopen(root, log);
      assert.equal(c.byEventId(records[100].eventID), undefined);
      assert.equal(c.size, records.length - 1);
      assert.equal(assertNeverHides(c, records), 1, damage);
      assert.match(log.warnings().join('\n'), /coverage claim\(s\) its records do not bear out discarded/, damage);
    }
  });

  test('deleted: empty, nothing covered', async () => {
    const { root, records, file } = await filled();
    rmSync(file);
    const c = await reopen(root);
    assert.equal(c.size, 0);
    assert.equal(assertNeverHides(c, records), records.length);
  });

  test('full of garbage, or another format: discarded with a warning, then rebuilt', async () => {
    for (const garbage of [
      Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256)),
      Buffer.from(
        '{"format":"trail-lens-event-cache","version":99,"key":"x"}\n{"covered":{"attr":"*","start":0,"end":9e15,"events":0,"digest":"00000000"}}\n',
      ),
    ]) {
      const { root, records, file } = await filled();
      writeFileSync(file, garbage);
      const log = recorder();
      const c = await reopen(root, log);
      assert.equal(c.size, 0);
      assert.equal(assertNeverHides(c, records), records.length);
      assert.match(log.warnings().join('\n'), /discarded/);
      await c.put(records.slice(0, 3));
      await c.flush();
      assert.equal((await reopen(root)).size, 3, 'the next write starts a clean file');
    }
  });

  test('a file of another account or Region under the same folder is not believed', async () => {
    const { root, records, file } = await filled();
    const other = await EventCache.open('someone-else', { dir: dir(), now: () => NOW });
    await other.put([], { query: WINDOW, complete: true });
    writeFileSync(file, readFileSync(cacheFile(other.dir.replace(/\/[^/]+$/, ''))));
    const log = recorder();
    const c = await reopen(root, log);
    assert.equal(assertNeverHides(c, records), records.length);
    assert.match(log.warnings().join('\n'), /another account or Region/);
  });

  test('a coverage line whose counts were tampered with is not believed', async () => {
    const { root, records, file } = await filled();
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/"events":(\d+)/g, (_, n) => `"events":${Number(n) + 1}`),
    );
    const c = await reopen(root);
    assert.equal(c.size, records.length);
    assert.equal(c.uncovered(WINDOW)[0].start.getTime(), WINDOW.start.getTime());
  });

  test('the old layout (meta.json claiming coverage beside truncated records.jsonl) is removed, not believed', async () => {
    const root = dir();
    const records = cacheTestRecords(10, NOW);
    const c0 = await EventCache.open(KEY, { dir: root, now: () => NOW });
    writeFileSync(join(c0.dir, 'meta.json'), JSON.stringify({ version: 1, key: KEY, coverage: { '*': [{ start: 0, end: NOW }] } }));
    writeFileSync(join(c0.dir, 'records.jsonl'), JSON.stringify(records[0]).slice(0, 40));
    const log = recorder();
    const c = await reopen(root, log);
    assert.equal(assertNeverHides(c, records), records.length);
    assert.ok(!existsSync(join(c.dir, 'meta.json')) && !existsSync(join(c.dir, 'records.jsonl')));
    assert.match(log.lines.join('\n'), /old format/);
  });

  test('a torn last line from a crashed writer is ended before the next append', async () => {
    const { root, records, file } = await filled(20);
    appendFileSync(file, '{"event":{"eventID":"torn');
    const c = await reopen(root, recorder());
    assert.equal(c.size, 20);
    await c.put([makeRecord({ at: NOW - 2 * H })]);
    await c.flush();
    const again = await reopen(root);
    assert.equal(again.size, 21);
    assertNeverHides(again, records);
  });
});

describe('EventCache: several writers', () => {
  test('two instances writing the same events at once write each event once', async () => {
    const root = dir();
    const records = cacheTestRecords(300, NOW);
    const [a, b] = await Promise.all([reopen(root), reopen(root)]);
    const fa = a.feed(WINDOW);
    const fb = b.feed(WINDOW);
    const pages = (f: typeof fa) =>
      (async () => {
        for (let i = 0; i < records.length; i += 50) await f.add(records.slice(i, i + 50));
        await f.complete();
      })();
    await Promise.all([pages(fa), pages(fb)]);
    await Promise.all([a.flush(), b.flush()]);
    const ids = eventLines(cacheFile(root)).map((l) => JSON.parse(l).event.eventID);
    assert.equal(ids.length, records.length);
    assert.equal(new Set(ids).size, records.length);
    const c = await reopen(root);
    assert.equal(c.size, records.length);
    assert.deepEqual(
      c.uncovered(WINDOW).map((g) => g.start.getTime()),
      [NOW - 15 * 60_000 + 1],
      'coverage of both writers verified',
    );
  });

  test('two processes writing the same events at once write each event once', async () => {
    const root = dir();
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cacheWriter.ts'), root, KEY, '1000', String(NOW)], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.on('error', reject);
        child.on('close', (code) => resolve(code ?? -1));
      });
    assert.deepEqual(await Promise.all([run(), run()]), [0, 0]);
    const ids = eventLines(cacheFile(root)).map((l) => JSON.parse(l).event.eventID);
    assert.equal(ids.length, 1000, 'no record written twice');
    assert.equal(new Set(ids).size, 1000);
    const c = await reopen(root);
    assert.equal(c.size, 1000);
    assertNeverHides(c, cacheTestRecords(1000, NOW));
  });

  test('puts racing an eviction write no record twice', async () => {
    const root = dir();
    const records = cacheTestRecords(400, NOW);
    const c = await reopen(root, undefined, { maxBytes: 60_000 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.put(records.slice(i * 20, i * 20 + 20))));
    await c.flush();
    const ids = eventLines(cacheFile(root)).map((l) => JSON.parse(l).event.eventID);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal((await reopen(root, undefined, { maxBytes: 60_000 })).size, c.size);
  });

  test('one instance sees what another appended, and a rewrite by another, at its next write', async () => {
    const root = dir();
    const records = cacheTestRecords(30, NOW);
    const a = await reopen(root);
    const b = await reopen(root);
    await a.put(records.slice(10, 20));
    const feed = b.feed(WINDOW);
    await feed.add(records.slice(0, 15));
    assert.equal(b.size, 20, 'b read a’s ten and added its own');
    // Another process evicts b's older records from the file while b's lookup is still running.
    const small = await reopen(root, undefined, { maxBytes: 5_000 });
    await small.put(records.slice(20));
    await small.flush();
    await feed.add(records.slice(15));
    await feed.complete();
    assert.ok(b.size < records.length, 'b follows the rewrite');
    assertNeverHides(b, records);
    assertNeverHides(await reopen(root, undefined, { maxBytes: 5_000 }), records);
  });

  test('records put while writes are under way all reach the file', async () => {
    const { root, records, file } = await filled(200);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const c = await reopen(root, recorder());
    // The repair write of the damaged file has started; records keep arriving, one per turn of the event loop.
    const late = cacheTestRecords(300, NOW - 100 * H);
    const puts: Promise<void>[] = [];
    for (const r of late) {
      await new Promise((resolve) => setImmediate(resolve));
      puts.push(c.put([r]));
    }
    await Promise.all(puts);
    await c.flush();
    const again = await reopen(root);
    for (const r of late) assert.ok(again.byEventId(r.eventID), r.eventID);
    assertNeverHides(again, records);
  });

  test('a lock left by a process that has ended is broken', async () => {
    const root = dir();
    const c = await reopen(root, undefined, { lockTimeoutMs: 2000 });
    writeFileSync(join(c.dir, 'events.lock'), `999999999 ${(await import('node:os')).hostname()} stale`);
    await c.put(cacheTestRecords(3, NOW));
    await c.flush();
    assert.equal((await reopen(root)).size, 3);
  });
});

describe('EventCache: bounded in bytes', () => {
  test('past the bound the oldest events go, with their coverage, and the file stays under the bound', async () => {
    const root = dir();
    const records = cacheTestRecords(200, NOW);
    const log = recorder();
    const c = await reopen(root, log, { maxBytes: 40_000 });
    await c.put(records, { query: WINDOW, complete: true });
    await c.flush();
    assert.ok(c.size > 0 && c.size < records.length, `${c.size}`);
    assert.ok(c.sizeBytes <= 40_000 * 0.9);
    assert.ok(statSync(cacheFile(root)).size <= 40_000, `${statSync(cacheFile(root)).size} bytes`);
    assert.ok(c.byEventId(records[0].eventID), 'newest kept');
    assert.equal(c.byEventId(records[199].eventID), undefined, 'oldest dropped');
    assertNeverHides(c, records);
    assert.match(log.lines.join('\n'), /dropped the \d+ oldest events/);
    const again = await reopen(root, undefined, { maxBytes: 40_000 });
    assert.equal(again.size, c.size);
    assertNeverHides(again, records);
  });

  test('a file over a smaller bound is cut down on open, with a warning', async () => {
    const { root, records, file } = await filled(300);
    const log = recorder();
    const c = await reopen(root, log, { maxBytes: 30_000 });
    assert.ok(c.sizeBytes <= 30_000);
    assertNeverHides(c, records);
    assert.match(log.warnings().join('\n'), /over 0\.0 MiB, its bound|its bound/);
    await c.flush();
    assert.ok(statSync(file).size <= 30_000);
  });

  test('a feed past the bound claims nothing for the records it lost', async () => {
    const root = dir();
    const records = cacheTestRecords(200, NOW);
    const c = await reopen(root, undefined, { maxBytes: 30_000 });
    const feed = c.feed(WINDOW);
    for (let i = 0; i < records.length; i += 25) await feed.add(records.slice(i, i + 25));
    await feed.complete();
    assertNeverHides(c, records);
    assertNeverHides(await reopen(root, undefined, { maxBytes: 30_000 }), records);
  });

  test('a cache file larger than a string can hold (1,500 events of 410 KB) loads line by line', async (t) => {
    const root = dir();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const c0 = await reopen(root);
    const file = join(c0.dir, 'events.jsonl');
    const fd = openSync(file, 'w');
    const blob = 'x'.repeat(410_000);
    const records = cacheTestRecords(1500, NOW, { requestParameters: { policyDocument: blob } });
    writeSync(
      fd,
      (readFileSync(file).length
        ? ''
        : JSON.stringify({
            format: 'trail-lens-event-cache',
            version: 2,
            key: (await import('node:crypto')).createHash('sha256').update(KEY).digest('hex'),
          })) + '\n',
    );
    for (const r of records.slice().reverse()) writeSync(fd, JSON.stringify({ event: r }) + '\n');
    closeSync(fd);
    assert.ok(statSync(file).size > 2 ** 29, `${statSync(file).size} bytes is past V8's string limit`);
    const log = recorder();
    const c = await reopen(root, log);
    assert.ok(c.size > 200, `${c.size} records`);
    assert.ok(c.sizeBytes <= 100 * 1024 * 1024, 'within the default bound');
    assert.ok(c.byEventId(records[0].eventID), 'the newest kept');
    assertNeverHides(c, records);
    assert.match(log.warnings().join('\n'), /its bound/);
    await c.flush();
    assert.ok(statSync(file).size <= 100 * 1024 * 1024, 'rewritten under the bound');
  });

  test('a line longer than any record is skipped without being held', async () => {
    const { root, records, file } = await filled(10);
    const text = readFileSync(file, 'utf8');
    const cut = text.indexOf('\n') + 1;
    writeFileSync(file, text.slice(0, cut) + 'y'.repeat(3_000_000) + '\n' + text.slice(cut));
    const c = await reopen(root, recorder(), { maxBytes: 1_000_000 });
    assert.equal(c.size, records.length);
  });
});

describe('EventCache: partial results and unusable folders', () => {
  test('a feed covers what its pages proved: newer than the oldest record so far, all once complete', async () => {
    const root = dir();
    const records = cacheTestRecords(120, NOW);
    const c = await reopen(root);
    const feed = c.feed(WINDOW);
    await feed.add(records.slice(0, 50));
    await feed.add(records.slice(50, 100));
    // Interrupted here (an AWS error, Ctrl+C): the 100 records and the time they span are kept.
    const after = await reopen(root);
    assert.equal(after.size, 100);
    const oldest = Date.parse(records[99].eventTime);
    const gaps = after.uncovered(WINDOW);
    assert.equal(gaps.length, 2);
    assert.equal(gaps[1].end.getTime(), oldest, 'the oldest record’s second stays uncovered: more may share it');
    assertNeverHides(after, records);
    await feed.add(records.slice(100));
    await feed.complete();
    assert.deepEqual(
      (await reopen(root)).uncovered(WINDOW).map((g) => g.start.getTime()),
      [NOW - 15 * 60_000 + 1],
    );
  });

  test('an unusable directory: open says so clearly; openEventCache warns once and returns no cache', async () => {
    await assert.rejects(EventCache.open(KEY, { dir: '/dev/null/x' }), (err: Error) =>
      /Cache directory \/dev\/null\/x is not usable \(ENOTDIR/.test(err.message),
    );
    const log = recorder();
    const root = join(dir(), 'file-not-folder');
    writeFileSync(root, '');
    assert.equal(await openEventCache(KEY, { dir: root, logger: log }), undefined);
    assert.equal(await openEventCache('k|eu-west-1', { dir: root, logger: log }), undefined);
    assert.equal(log.warnings().length, 1, log.lines.join('\n'));
    assert.match(log.warnings()[0], /is not usable.*continuing without the event cache/);
    assert.doesNotMatch(log.warnings()[0], /\n\s+at /);
  });

  test('writes that cannot happen warn once and keep the events for the session', async () => {
    const root = dir();
    const log = recorder();
    const c = await reopen(root, log, { lockTimeoutMs: 50 });
    mkdirSync(join(c.dir, 'events.lock'));
    await c.put(cacheTestRecords(5, NOW), { query: WINDOW, complete: true });
    await c.put(cacheTestRecords(8, NOW));
    await c.flush();
    assert.equal(c.size, 8);
    assert.deepEqual(
      c.uncovered(WINDOW).map((g) => g.start.getTime()),
      [NOW - 15 * 60_000 + 1],
    );
    assert.equal(log.warnings().length, 1, log.lines.join('\n'));
    assert.match(log.warnings()[0], /could not write.*kept for this session only/);
  });
});
