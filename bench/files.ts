/**
 * Request-ID search over trail log files (.json.gz), against the decompression floor and against
 * `zcat FILES | jq -c '.Records[] | select(.requestID == X)'`, on the same files in the same run.
 *
 * The files are the sample account's records, repeated with new IDs until each file holds
 * BENCH_FILE_MB of JSON (default 8), BENCH_FILES of them (default 25: 200 MB inflated); the ID
 * searched is in the middle of the last file, so every file is read.
 *
 * - floor: Node's own gunzip stream over the same files with the same chunking as the search
 *   (createReadStream → createGunzip at INFLATE_CHUNK), the output discarded; page cache warm.
 * - Trail Lens: core/fileSearch.ts searchFilesForRequestId.
 * Both are measured 1 file at a time and W at a time (the search's default: the CPUs, at most 4),
 * each against the floor at the same width, in interleaved rounds (floor, search, floor, search…)
 * so the machine's noise falls on both; the best of BENCH_ROUNDS (default 5) each, and the CPU
 * time (user + system, every thread: zlib inflates on libuv's pool) of that run. On a machine with
 * spare cores, 1 at a time hides the search's scan behind zlib (the scan runs on the main thread
 * while the pool inflates the next chunk); W at a time on W CPUs, the CPU time is the cost.
 * - jq: zcat | jq as a support engineer runs it (skipped with a note when jq is missing).
 * Peak memory: the resident set of a fresh process searching the files (Node's own included).
 *
 * Also, on the same files: a full read with a filter pattern (readRecordPaths streaming every record,
 * `{ $.errorCode = "AccessDenied" }`) against `zcat | jq -c '.Records[] | select(.errorCode ==
 * "AccessDenied")'`; and one file of BENCH_BIG_MB of JSON (default 600: more than V8's largest
 * string) read in full and searched, each in a fresh process, with its peak resident memory.
 *
 * Run: npm run bench -- files. Exits 1 when a goal is missed: ≤ 1.1× the floor at the same width,
 * ≥ 5× faster than jq, the filtered read no slower than jq, every hit found, the big file read and
 * searched within BIG_PEAK_MB of memory.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createGunzip, gzipSync } from 'node:zlib';
import { searchFilesForRequestId } from '../src/core/fileSearch';
import { readRecordPaths } from '../src/core/files';
import { parseFilterPattern } from '../src/core/filter/pattern';
import { INFLATE_CHUNK } from '../src/core/inflate';
import { generateSampleAccount } from '../src/sample/account';
import { scratchDir } from '../test/harness/scratch';
import { table } from './common';

const MB = 1024 * 1024;
const FILES = Number(process.env.BENCH_FILES ?? 25);
const FILE_MB = Number(process.env.BENCH_FILE_MB ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = 'f00dcafe-0000-4000-8000-00000000b0b0';
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 600);
/** The streaming reader's bound for one file of any size, Node's own ~50 MB included: a batch of records, a few chunks, zlib's window. */
const BIG_PEAK_MB = 256;
const FILTER = '{ $.errorCode = "AccessDenied" }';

function makeFiles(dir: string): { paths: string[]; inflated: number; compressed: number } {
  const base = generateSampleAccount({ now: new Date('2026-11-30T12:00:00Z') }).records;
  const paths: string[] = [];
  let inflated = 0;
  let compressed = 0;
  let n = 0;
  for (let f = 0; f < FILES; f++) {
    const parts: string[] = [];
    let bytes = 0;
    while (bytes < FILE_MB * MB) {
      const r = base[n++ % base.length];
      const text = JSON.stringify({ ...r, eventID: `e-${n}`, requestID: `r-${n}-${r.requestID ?? ''}` });
      parts.push(text);
      bytes += text.length + 1;
    }
    if (f === FILES - 1) {
      const mid = Math.floor(parts.length / 2);
      parts[mid] = JSON.stringify({ ...JSON.parse(parts[mid]), requestID: TARGET });
    }
    const json = Buffer.from(`{"Records":[${parts.join(',')}]}`);
    const gz = gzipSync(json, { level: 6 });
    const path = join(dir, `123456789012_CloudTrail_us-east-1_20261130T${String(f).padStart(4, '0')}Z_bench${f}.json.gz`);
    writeFileSync(path, gz);
    paths.push(path);
    inflated += json.length;
    compressed += gz.length;
  }
  return { paths, inflated, compressed };
}

interface Run {
  seconds: number;
  /** User + system CPU seconds of the whole process (zlib's threads included). */
  cpu: number;
  hits: number;
}

/** Runs `run`, timing it on the wall clock and in CPU. */
async function timed(run: () => Promise<number>): Promise<Run> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const hits = await run();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, cpu: (c.user + c.system) / 1e6, hits };
}

/** The floor: inflating the files with Node's gunzip stream, chunked as the search is, output discarded; `width` at a time. */
async function floor(paths: string[], width: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const gunzip = createReadStream(path, { highWaterMark: INFLATE_CHUNK }).pipe(createGunzip({ chunkSize: INFLATE_CHUNK }));
      for await (const chunk of gunzip as AsyncIterable<Buffer>) void chunk;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return 0;
}

async function search(paths: string[], width: number): Promise<number> {
  return (await searchFilesForRequestId(paths, TARGET, { concurrency: width })).hits.length;
}

/** Peak resident memory above the start while `run` runs, sampled every 5 ms. */
async function peakOf<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number; peakMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const value = await run();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  return { value, seconds, peakMb: (peak - before) / MB };
}

/** Every record read through the streaming reader and matched against the filter pattern. */
async function filteredRead(paths: string[]): Promise<{ seconds: number; hits: number; records: number }> {
  const pattern = parseFilterPattern(FILTER);
  const r = await peakOf(async () => {
    let hits = 0;
    let records = 0;
    for await (const batch of readRecordPaths(paths)) {
      records += batch.records.length;
      for (const rec of batch.records) if (pattern.matches(rec)) hits++;
    }
    return { hits, records };
  });
  return { seconds: r.seconds, ...r.value };
}

/** `zcat FILES | jq -c SELECT`: seconds and lines printed (skipped when jq is missing). */
function jq(paths: string[], select: string): { seconds: number; hits: number } | undefined {
  if (spawnSync('jq', ['--version']).status !== 0) return undefined;
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `zcat "$@" | jq -c '.Records[] | select(${select})' | wc -l`, 'jq', ...paths], { encoding: 'utf8' });
  return { seconds: (performance.now() - t0) / 1000, hits: Number(r.stdout.trim()) };
}

/** One file of BIG_MB of JSON, gzip, written in pieces (never one string); TARGET near its end. */
function makeBigFile(dir: string): { path: string; inflated: number; compressed: number; records: number } {
  const base = generateSampleAccount({ now: new Date('2026-11-30T12:00:00Z') }).records;
  const path = join(dir, '123456789012_CloudTrail_us-east-1_20261130T2355Z_benchBigFile0000.json.gz');
  const parts: Buffer[] = [gzipSync('{"Records":[', { level: 1 })];
  let inflated = 12;
  let n = 0;
  while (inflated < BIG_MB * MB) {
    const texts: string[] = [];
    let bytes = 0;
    const last = inflated + 16 * MB >= BIG_MB * MB;
    while (bytes < 16 * MB) {
      const r = base[n % base.length];
      const t = (n ? ',' : '') + JSON.stringify({ ...r, eventID: `big-${n}`, ...(last && bytes === 0 ? { requestID: TARGET } : {}) });
      n++;
      texts.push(t);
      bytes += t.length;
    }
    const chunk = texts.join('');
    parts.push(gzipSync(chunk, { level: 1 }));
    inflated += Buffer.byteLength(chunk);
  }
  parts.push(gzipSync(']}', { level: 1 }));
  const gz = Buffer.concat(parts); // concatenated gzip members: one stream to zlib
  writeFileSync(path, gz);
  return { path, inflated: inflated + 2, compressed: gz.length, records: n };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bestOf = (runs: Run[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

async function main(): Promise<number> {
  const dir = scratchDir('bench-files-');
  const { paths, inflated, compressed } = makeFiles(dir);
  const width = Math.min(4, availableParallelism());
  console.log(
    `${paths.length} files, ${(compressed / MB).toFixed(0)} MB gzip, ${(inflated / MB).toFixed(0)} MB of JSON; ${availableParallelism()} CPUs, the search's default ${width} files at a time; best of ${ROUNDS} interleaved rounds\n`,
  );
  const widths = [...new Set([1, width])];
  // In a fresh process: this one is still collecting the garbage of making the files, on its GC threads.
  const timing = spawnSync(process.execPath, [...process.execArgv, __filename, '--child-time', String(width), ...paths], {
    encoding: 'utf8',
  });
  const runs = new Map<string, Run[]>(JSON.parse(timing.stdout.trim().split('\n').pop() ?? '[]') as [string, Run[]][]);
  const mbps = (s: number) => `${(inflated / MB / s).toFixed(0)} MB/s`;
  const rows: string[][] = [];
  const misses: string[] = [];
  for (const w of widths) {
    const f = bestOf(runs.get(`floor${w}`) as Run[]);
    const o = bestOf(runs.get(`search${w}`) as Run[]);
    const ratio = o.seconds / f.seconds;
    const spread = (runs.get(`search${w}`) as Run[]).map((r, i) => r.seconds / (runs.get(`floor${w}`) as Run[])[i].seconds);
    rows.push([`decompression floor, ${w} at a time`, `${f.seconds.toFixed(3)} s`, `${f.cpu.toFixed(3)} s`, mbps(f.seconds), '1.00×']);
    rows.push([
      `Trail Lens, ${w} at a time`,
      `${o.seconds.toFixed(3)} s`,
      `${o.cpu.toFixed(3)} s`,
      mbps(o.seconds),
      `${ratio.toFixed(2)}× floor (rounds ${Math.min(...spread).toFixed(2)}–${Math.max(...spread).toFixed(2)}, median ${med(spread).toFixed(2)}); CPU ${(o.cpu / f.cpu).toFixed(2)}×`,
    ]);
    if (ratio > 1.1) misses.push(`${w} at a time: ${ratio.toFixed(2)}× the floor (goal ≤ 1.1×)`);
    if ((runs.get(`search${w}`) as Run[]).some((r) => r.hits !== 1)) misses.push(`${w} at a time: a search did not find exactly 1 record`);
  }
  const ours1 = bestOf(runs.get('search1') as Run[]);
  const peer = jq(paths, `.requestID == "${TARGET}"`);
  if (peer) {
    rows.push([
      'zcat | jq',
      `${peer.seconds.toFixed(2)} s`,
      '',
      mbps(peer.seconds),
      `${(peer.seconds / ours1.seconds).toFixed(1)}× Trail Lens, 1 at a time`,
    ]);
    if (peer.hits !== 1) misses.push(`jq found ${peer.hits} records, expected 1`);
    if (peer.seconds < 5 * ours1.seconds) misses.push(`only ${(peer.seconds / ours1.seconds).toFixed(1)}× faster than jq (goal ≥ 5×)`);
  } else console.log('jq is not installed: the comparison with zcat | jq was not run (apt-get install jq)');
  console.log(table([['request-ID search', 'time', 'CPU', 'JSON/s', 'ratio'], ...rows]));
  const memory = inChild('search', paths);
  console.log(
    `\npeak resident memory of that search in a fresh process: ${memory.peakMb.toFixed(0)} MB (Node alone: ${memory.idleMb.toFixed(0)} MB; ${width} files at a time)`,
  );
  if (!(memory.peakMb <= BIG_PEAK_MB)) misses.push(`the search peaked at ${memory.peakMb.toFixed(0)} MB (bound ${BIG_PEAK_MB} MB)`);

  const ours = await filteredRead(paths);
  const peerFilter = jq(paths, '.errorCode == "AccessDenied"');
  const filterRows: string[][] = [
    ['Trail Lens read --filter (streaming reader)', `${ours.seconds.toFixed(2)} s`, mbps(ours.seconds), `${ours.hits} of ${ours.records}`],
  ];
  if (peerFilter)
    filterRows.push([
      'zcat | jq \'select(.errorCode == "AccessDenied")\'',
      `${peerFilter.seconds.toFixed(2)} s`,
      mbps(peerFilter.seconds),
      `${peerFilter.hits}; ${(peerFilter.seconds / ours.seconds).toFixed(1)}× Trail Lens`,
    ]);
  console.log(`\n${table([[`full read, ${FILTER}`, 'time', 'JSON/s', 'matches'], ...filterRows])}`);
  if (peerFilter && peerFilter.hits !== ours.hits) misses.push(`the filtered read found ${ours.hits}, jq ${peerFilter.hits}`);
  if (peerFilter && peerFilter.seconds < ours.seconds)
    misses.push(`the filtered read is ${(ours.seconds / peerFilter.seconds).toFixed(2)}× slower than jq (goal: at least as fast)`);

  const big = makeBigFile(dir);
  console.log(
    `\none file of ${(big.compressed / MB).toFixed(0)} MB gzip, ${(big.inflated / MB).toFixed(0)} MB of JSON (${big.records} records; more than V8's largest string), each in a fresh process:`,
  );
  for (const mode of ['read', 'search']) {
    const r = inChild(mode, [big.path]);
    const what = mode === 'read' ? `read whole, ${r.count} records` : `request-ID search, ${r.count} hit`;
    console.log(
      `  ${what}: ${r.seconds.toFixed(1)} s; peak resident memory ${r.peakMb.toFixed(0)} MB (Node alone: ${r.idleMb.toFixed(0)} MB; bound ${BIG_PEAK_MB} MB)`,
    );
    if (r.count !== (mode === 'read' ? big.records : 1)) misses.push(`the big file's ${mode} gave ${r.count}`);
    if (!(r.peakMb <= BIG_PEAK_MB)) misses.push(`the big file's ${mode} peaked at ${r.peakMb.toFixed(0)} MB (bound ${BIG_PEAK_MB} MB)`);
  }
  for (const m of misses) console.log(`GOAL MISSED: ${m}`);
  return misses.length ? 1 : 0;
}

/**
 * Reads or searches the files in a fresh process, so the memory figure is the reader's alone (this
 * process holds the benchmark's files): records read or hits, seconds, peak and idle RSS in MB.
 */
function inChild(mode: string, paths: string[]): { count: number; seconds: number; peakMb: number; idleMb: number } {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, `--child-${mode}`, ...paths], { encoding: 'utf8' });
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { count: number; seconds: number; peakMb: number; idleMb: number };
}

/** The timed rounds, floor and search interleaved at 1 and `width` files at a time; prints the runs as JSON. */
async function rounds(width: number, paths: string[]): Promise<number> {
  const runs = new Map<string, Run[]>();
  const add = (key: string, r: Run) => runs.set(key, [...(runs.get(key) ?? []), r]);
  await floor(paths, 1); // the page cache warm for both
  await search(paths, 1);
  for (let round = 0; round < ROUNDS; round++) {
    for (const w of new Set([1, width])) {
      add(`floor${w}`, await timed(() => floor(paths, w)));
      add(`search${w}`, await timed(() => search(paths, w)));
    }
  }
  console.log(JSON.stringify([...runs]));
  return 0;
}

/** The child of inChild: prints the count, time and peak RSS as JSON. */
async function child(mode: string, paths: string[]): Promise<number> {
  const idleMb = process.memoryUsage().rss / MB;
  const r = await peakOf(async () => {
    if (mode === '--child-search') return (await searchFilesForRequestId(paths, TARGET)).hits.length;
    let records = 0;
    for await (const batch of readRecordPaths(paths)) records += batch.records.length;
    return records;
  });
  console.log(JSON.stringify({ count: r.value, seconds: r.seconds, peakMb: idleMb + r.peakMb, idleMb }));
  return 0;
}

(process.argv[2] === '--child-time'
  ? rounds(Number(process.argv[3]), process.argv.slice(4))
  : process.argv[2]?.startsWith('--child-')
    ? child(process.argv[2], process.argv.slice(3))
    : main()
).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
