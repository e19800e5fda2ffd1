/**
 * Request-ID search over trail log files (.json.gz), against the decompression floor and against
 * `zcat FILES | jq -c '.Records[] | select(.requestID == X)'`, on the same files in the same run.
 *
 * The files are the sample account's records, repeated with new IDs until each file holds
 * BENCH_FILE_MB of JSON (default 8), BENCH_FILES of them (default 25: 200 MB inflated); the ID
 * searched is in the middle of the last file, so every file is read.
 *
 * - floor: inflating the same files with zlib and discarding the output, the same files at a time
 *   as the search (1, and the search's default).
 * - Trail Lens: core/fileSearch.ts searchFilesForRequestId.
 * - jq: zcat | jq as a support engineer runs it (skipped with a note when jq is missing).
 * Peak memory is the search's resident set above what the process held before it.
 *
 * Run: npm run bench -- files. Exits 1 when a goal is missed: ≤ 1.1× the floor at the same
 * concurrency, ≥ 5× faster than jq, every hit found.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { inflatedChunks, searchFilesForRequestId } from '../src/core/fileSearch';
import { generateSampleAccount } from '../src/sample/account';
import { scratchDir } from '../test/harness/scratch';
import { table } from './common';

const MB = 1024 * 1024;
const FILES = Number(process.env.BENCH_FILES ?? 25);
const FILE_MB = Number(process.env.BENCH_FILE_MB ?? 8);
const TARGET = 'f00dcafe-0000-4000-8000-00000000b0b0';

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

async function floor(paths: string[], width: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      for await (const chunk of inflatedChunks(path)) void chunk;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return (performance.now() - t0) / 1000;
}

async function search(paths: string[], width: number): Promise<{ seconds: number; hits: number; peakMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const r = await searchFilesForRequestId(paths, TARGET, { concurrency: width });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  return { seconds, hits: r.hits.length, peakMb: (peak - before) / MB };
}

function jq(paths: string[]): { seconds: number; hits: number } | undefined {
  if (spawnSync('jq', ['--version']).status !== 0) return undefined;
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `zcat "$@" | jq -c '.Records[] | select(.requestID == "${TARGET}")'`, 'jq', ...paths], {
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, hits: r.stdout.split('\n').filter(Boolean).length };
}

/** The best of `n` runs: the machine's noise only ever adds time. */
async function best<T extends { seconds: number }>(n: number, run: () => Promise<T> | T): Promise<T> {
  let min: T | undefined;
  for (let i = 0; i < n; i++) {
    const r = await run();
    if (!min || r.seconds < min.seconds) min = r;
  }
  return min as T;
}

async function main(): Promise<number> {
  const dir = scratchDir('bench-files-');
  const { paths, inflated, compressed } = makeFiles(dir);
  const width = Math.min(4, availableParallelism());
  console.log(
    `${paths.length} files, ${(compressed / MB).toFixed(0)} MB gzip, ${(inflated / MB).toFixed(0)} MB of JSON; ${width} at a time by default\n`,
  );
  const floor1 = await best(3, async () => ({ seconds: await floor(paths, 1) }));
  const floorN = await best(3, async () => ({ seconds: await floor(paths, width) }));
  const ours1 = await best(3, () => search(paths, 1));
  const oursN = await best(3, () => search(paths, width));
  const peer = jq(paths);
  const mbps = (s: number) => `${(inflated / MB / s).toFixed(0)} MB/s`;
  const rows: string[][] = [
    ['decompression floor, 1 file at a time', `${floor1.seconds.toFixed(2)} s`, mbps(floor1.seconds), '1.00×'],
    [`decompression floor, ${width} at a time`, `${floorN.seconds.toFixed(2)} s`, mbps(floorN.seconds), '1.00×'],
    [
      'Trail Lens, 1 file at a time',
      `${ours1.seconds.toFixed(2)} s`,
      mbps(ours1.seconds),
      `${(ours1.seconds / floor1.seconds).toFixed(2)}× floor`,
    ],
    [
      `Trail Lens, ${width} at a time`,
      `${oursN.seconds.toFixed(2)} s`,
      mbps(oursN.seconds),
      `${(oursN.seconds / floorN.seconds).toFixed(2)}× floor`,
    ],
  ];
  if (peer)
    rows.push([
      'zcat | jq',
      `${peer.seconds.toFixed(2)} s`,
      mbps(peer.seconds),
      `${(peer.seconds / oursN.seconds).toFixed(1)}× Trail Lens`,
    ]);
  console.log(table([['request-ID search', 'time', 'JSON/s', 'ratio'], ...rows]));
  console.log(
    `\npeak memory of the search above the process's own: ${Math.max(ours1.peakMb, oursN.peakMb).toFixed(0)} MB (files of ${FILE_MB} MB of JSON each)`,
  );
  const misses: string[] = [];
  if (ours1.hits !== 1 || oursN.hits !== 1) misses.push(`found ${ours1.hits}/${oursN.hits} records, expected 1`);
  if (ours1.seconds > 1.1 * floor1.seconds)
    misses.push(`1 at a time: ${(ours1.seconds / floor1.seconds).toFixed(2)}× the floor (goal ≤ 1.1×)`);
  if (oursN.seconds > 1.1 * floorN.seconds)
    misses.push(`${width} at a time: ${(oursN.seconds / floorN.seconds).toFixed(2)}× the floor (goal ≤ 1.1×)`);
  if (peer && peer.hits !== 1) misses.push(`jq found ${peer.hits} records, expected 1`);
  if (peer && peer.seconds < 5 * oursN.seconds)
    misses.push(`only ${(peer.seconds / oursN.seconds).toFixed(1)}× faster than jq (goal ≥ 5×)`);
  if (!peer) console.log('jq is not installed: the comparison with zcat | jq was not run (apt-get install jq)');
  for (const m of misses) console.log(`GOAL MISSED: ${m}`);
  return misses.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
