/**
 * `trail-lens read` against hostile and broken input, run as a user runs the built CLI: a bad file
 * among good ones, unreadable folders, devices and FIFOs, gzip bombs, records nested deeper than
 * JSON.stringify can write, stdin, file names with escape sequences, and per-command options.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { scratchDir } from '../harness/scratch';

const CLI = join(__dirname, '../../dist/cli.js');
const FIXTURES = join(__dirname, '..', 'fixtures', 'records');
const MB = 1024 * 1024;
// As root, permissions do not stop reads: run the CLI as nobody so an unreadable folder is one.
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory in MB (VmHWM), sampled while it ran. */
  peakMb: number;
}

function peakMb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function start(args: string[], opts: { input?: string; node?: string[]; onChild?: (c: ChildProcess) => void } = {}): Promise<Run> {
  const home = scratchDir('tl-read-home-');
  chmodSync(home, 0o777);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.node ?? []), CLI, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
      ...asNobody,
    });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, peakMb(child.pid))), 10);
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('exit', () => clearInterval(sampler));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, peakMb: peak }));
    child.stdin.end(opts.input ?? '');
    opts.onChild?.(child);
  });
}

function tempDir(): string {
  const dir = scratchDir('tl-read-');
  chmodSync(dir, 0o755);
  return dir;
}

const trailLog = readFileSync(join(FIXTURES, 'trail-log.json'), 'utf8');
const trailIds: string[] = JSON.parse(trailLog).Records.map((r: { eventID: string }) => r.eventID);

function record(eventID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventTime: '2024-08-08T05:49:02Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventID, ...extra };
}

const ids = (json: string): string[] => JSON.parse(json).map((r: { eventID: string }) => r.eventID);
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('trail-lens read: bad input', () => {
  before(() => assert.ok(existsSync(CLI), 'dist/cli.js is built (node esbuild.mjs)'));

  test('a bad file among those a glob names: the others are printed, each bad one named, exit 4', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), trailLog);
    writeFileSync(join(dir, 'b.json'), '{"Records": [\n  {"eventTime": "2024-01-01T00:00:00Z",,}\n]}');
    writeFileSync(join(dir, 'c.json.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    writeFileSync(join(dir, 'd.json'), JSON.stringify([record('d1')]));
    const r = await start(['read', ...['a.json', 'b.json', 'missing.json', 'c.json.gz', 'd.json'].map((n) => join(dir, n))]);
    assert.equal(r.code, 4, r.stderr);
    assert.deepEqual(ids(r.stdout), [...trailIds, 'd1']);
    assert.match(r.stderr, /^skipped: .*missing\.json does not exist/m);
    assert.match(r.stderr, /^skipped: .*b\.json:2:\d+: invalid JSON/m);
    assert.match(r.stderr, /^skipped: .*c\.json\.gz is not a readable gzip file/m);
    assert.match(r.stderr, /4 events from 2 files; 3 inputs could not be read/);
  });

  test(
    'an unreadable subfolder and file are named; the rest of the folder is printed',
    { skip: process.platform !== 'linux' },
    async () => {
      const dir = tempDir();
      for (const sub of ['a', 'b', 'c']) mkdirSync(join(dir, sub), { mode: 0o755 });
      writeFileSync(join(dir, 'a', 'x.json'), trailLog);
      writeFileSync(join(dir, 'b', 'y.json'), JSON.stringify([record('hidden')]));
      writeFileSync(join(dir, 'c', 'z.json'), JSON.stringify([record('z1')]));
      writeFileSync(join(dir, 'c', 'locked.json'), JSON.stringify([record('locked')]));
      chmodSync(join(dir, 'b'), 0o000);
      chmodSync(join(dir, 'c', 'locked.json'), 0o000);
      const r = await start(['read', dir, '--format', 'jsonl']);
      assert.equal(r.code, 4, r.stderr);
      assert.deepEqual(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).eventID),
        [...trailIds, 'z1'],
      );
      assert.match(r.stderr, /^skipped: .*\/b cannot be read \(permission denied\)/m);
      assert.match(r.stderr, /^skipped: .*locked\.json cannot be read \(permission denied\)/m);
    },
  );

  test('devices and FIFOs are refused unless asked; /dev/zero allowed is read only up to the limit', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', ['-m', '666', fifo]);
    const refused = await start(['read', '/dev/zero', fifo]);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /\/dev\/zero is a character device, not a regular file/);
    assert.match(refused.stderr, /pipe\.json is a FIFO \(named pipe\), not a regular file/);
    assert.match(refused.stderr, /--allow-special-files/);
    assert.equal(refused.stdout, '[]\n');
    // Allowed: bounded by --max-file-mb, in a heap far smaller than what an unbounded read would need.
    const zero = await start(['read', '--allow-special-files', '--max-file-mb', '20', '/dev/zero'], { node: ['--max-old-space-size=48'] });
    assert.equal(zero.code, 4, zero.stderr);
    assert.match(zero.stderr, /\/dev\/zero is larger than 20 MB/);
    assert.ok(zero.peakMb < 200, `peak ${zero.peakMb} MB`);
  });

  test('a FIFO allowed is read as the writer fills it, and each file is printed as it is read', async () => {
    const dir = tempDir();
    const first = join(dir, 'first.json');
    const second = join(dir, 'second.json');
    for (const f of [first, second]) execFileSync('mkfifo', ['-m', '666', f]);
    let sawFirstEarly = false;
    const r = await start(['read', '--allow-special-files', '--format', 'jsonl', first, second], {
      onChild: (child) => {
        let out = '';
        child.stdout?.on('data', (b) => {
          out += b;
          // The first file's records arrive while the second is still open and empty.
          if (!sawFirstEarly && out.split('\n').length > trailIds.length) {
            sawFirstEarly = true;
            void writeFile(second, JSON.stringify([record('late')]));
          }
        });
        void writeFile(first, trailLog);
      },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(sawFirstEarly, 'the first file was printed before the second was written');
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).eventID),
      [...trailIds, 'late'],
    );
  });

  test('a folder of gzip bombs: each is named as one, inflated one at a time, and the good file is printed', async () => {
    const dir = tempDir();
    const bomb = gzipSync(Buffer.alloc(150 * MB, 0x20), { level: 9 });
    for (const n of [1, 2, 3, 4]) writeFileSync(join(dir, `bomb${n}.json.gz`), bomb);
    writeFileSync(join(dir, 'good.json.gz'), gzipSync(trailLog));
    const r = await start(['read', '--max-file-mb', '100', dir]);
    assert.equal(r.code, 4, r.stderr);
    assert.deepEqual(ids(r.stdout), trailIds);
    for (const n of [1, 2, 3, 4]) assert.match(r.stderr, new RegExp(`bomb${n}\\.json\\.gz inflates past 100 MB: a gzip bomb`));
    assert.doesNotMatch(r.stderr, /interrupted download/);
    // One bomb at its limit plus a bounded read-ahead; four at once would pass 450 MB.
    assert.ok(r.peakMb < 330, `peak ${r.peakMb} MB`);
  });

  test('a record nested 20,000 levels deep is printed exactly, and no record around it is lost', async () => {
    const dir = tempDir();
    // Written by hand: JSON.stringify itself cannot write it.
    const deep = '{"d":'.repeat(20_000) + '"bottom"' + '}'.repeat(20_000);
    const deepRecord = JSON.stringify(record('deep', { requestParameters: 'DEEP' })).replace('"DEEP"', deep);
    writeFileSync(
      join(dir, 'a.json'),
      `{"Records":[${JSON.stringify(record('before'))},${deepRecord},${JSON.stringify(record('after'))}]}`,
    );
    writeFileSync(join(dir, 'b.json'), JSON.stringify([record('next')]));
    for (const format of ['json', 'jsonl', 'csv']) {
      const r = await start(['read', dir, '--format', format]);
      assert.equal(r.code, 0, `${format}: ${r.stderr}`);
      assert.deepEqual(
        [...r.stdout.matchAll(/(before|deep|after|next)/g)].map((m) => m[1]),
        ['before', 'deep', 'after', 'next'],
        format,
      );
      if (format === 'jsonl') assert.ok(r.stdout.trim().split('\n')[1] === deepRecord, 'the deep record exactly');
    }
  });

  test('- reads stdin, as find-request - does', async () => {
    const r = await start(['read', '-', '--format', 'jsonl'], { input: trailLog });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).eventID),
      trailIds,
    );
    const bad = await start(['read', '-'], { input: '{"Records": [' });
    assert.equal(bad.code, 4);
    assert.match(bad.stderr, /skipped: stdin:1:\d+: invalid JSON/);
  });

  test('escape sequences in file names and records never reach the terminal raw', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'evil\u001b]0;pwned\u0007\u001b[2J.json'), 'not json');
    const ua = 'x\u001b[31mRED\u001b[0m\u009b2J';
    writeFileSync(
      join(dir, 'ok.json'),
      JSON.stringify([record('=cmd|calc', { userAgent: ua, sourceIPAddress: '@SUM(1+1)', eventName: '+Get\u001b[1m' })]),
    );
    for (const format of ['json', 'jsonl', 'csv', 'table']) {
      const r = await start(['read', dir, '--format', format]);
      assert.equal(r.code, 4, r.stderr);
      assert.doesNotMatch(r.stderr, RAW_CONTROL, `${format} stderr`);
      assert.match(r.stderr, /evil\\x1b\]0;pwned\\x07\\x1b\[2J\.json/);
      assert.doesNotMatch(r.stdout, RAW_CONTROL, `${format} stdout`);
      if (format === 'json') assert.equal(JSON.parse(r.stdout)[0].userAgent, ua, 'JSON keeps the exact value');
      if (format === 'csv') {
        const row = r.stdout.trim().split('\n')[1];
        // Defused and quoted (OWASP): the same csvCell the extension's export uses.
        assert.match(row, /,"'\+Get\\x1b\[1m",/);
        assert.match(row, /,"'@SUM\(1\+1\)",/);
        assert.match(row, /,"'=cmd\|calc"$/);
      }
    }
  });

  test('--newest-first sorts across files; --limit stops early', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), JSON.stringify([record('old', { eventTime: '2024-01-01T00:00:00Z' })]));
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify([record('new', { eventTime: '2024-06-01T00:00:00Z' }), record('mid', { eventTime: '2024-03-01T00:00:00Z' })]),
    );
    assert.deepEqual(ids((await start(['read', dir])).stdout), ['old', 'new', 'mid']);
    assert.deepEqual(ids((await start(['read', dir, '--newest-first'])).stdout), ['new', 'mid', 'old']);
    assert.deepEqual(ids((await start(['read', dir, '--newest-first', '--limit', '1'])).stdout), ['new']);
    assert.deepEqual(ids((await start(['read', dir, '--limit', '2'])).stdout), ['old', 'new']);
  });
});

describe('trail-lens: each command has its own options', () => {
  const expected: Record<string, string[]> = {
    'find-request': [
      'source',
      'around',
      'window',
      'start',
      'end',
      'max-days',
      'files',
      'profile',
      'region',
      'endpoint-url',
      'no-cache',
      'cache-dir',
      'cache-max-mb',
      'sample',
      'regions',
      'profiles',
      'engine',
      'athena-database',
      'athena-table',
      'athena-workgroup',
      'athena-output',
      'log-group',
      'event-data-store',
      'help',
    ],
    lookup: [
      'attribute',
      'source',
      'filter',
      'around',
      'window',
      'start',
      'end',
      'limit',
      'format',
      'profile',
      'region',
      'endpoint-url',
      'no-cache',
      'cache-dir',
      'cache-max-mb',
      'sample',
      'help',
    ],
    read: [
      'attribute',
      'source',
      'filter',
      'around',
      'window',
      'start',
      'end',
      'limit',
      'format',
      'newest-first',
      'max-file-mb',
      'allow-special-files',
      'check-trail',
      'profile',
      'region',
      'endpoint-url',
      'sample',
      'help',
    ],
    summary: [
      'by',
      'noise',
      'include-services',
      'attribute',
      'source',
      'filter',
      'around',
      'window',
      'start',
      'end',
      'format',
      'max-file-mb',
      'allow-special-files',
      'profile',
      'region',
      'endpoint-url',
      'no-cache',
      'cache-dir',
      'cache-max-mb',
      'sample',
      'help',
    ],
    trails: ['format', 'profile', 'region', 'endpoint-url', 'sample', 'help'],
  };

  test('an option a command does not take is a usage error naming it and the command', async () => {
    const read = await start(['read', '--no-cache', 'nosuch', '--max-days', '5', join(FIXTURES, 'trail-log.json')]);
    assert.equal(read.code, 2);
    assert.match(read.stderr, /trail-lens read: '--no-cache' is not an option of read/);
    assert.equal(read.stdout, '');
    const find = await start(['find-request', '--format', 'csv', '--limit', '3', 'x']);
    assert.equal(find.code, 2);
    assert.match(find.stderr, /'--format' is not an option of find-request/);
    const lookup = await start(['lookup', '--max-days', '3']);
    assert.equal(lookup.code, 2);
    assert.match(lookup.stderr, /'--max-days' is not an option of lookup/);
    const trails = await start(['trails', '--limit', '3']);
    assert.equal(trails.code, 2);
    assert.match(trails.stderr, /'--limit' is not an option of trails/);
    const unknown = await start(['read', '--frobnicate', 'x']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option '--frobnicate'/);
    const missing = await start(['read', 'x', '--format']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /'--format' needs a value/);
  });

  test('--help lists exactly the options of each command', async () => {
    for (const [command, options] of Object.entries(expected)) {
      const r = await start([command, '--help']);
      assert.equal(r.code, 0);
      const listed = [...r.stdout.matchAll(/^ {2}(?:-h, )?--([a-z-]+)/gm)].map((m) => m[1]);
      assert.deepEqual(listed, options, command);
    }
  });

  test('--version is the version in package.json', async () => {
    const r = await start(['--version']);
    assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version);
  });
});
