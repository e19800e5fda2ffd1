import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, mkdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { TrailLensError } from '../../src/core/errors';
import { MAX_FILE_BYTES, listTrailFiles, readRecordFile, readRecordPaths } from '../../src/core/files';
import type { FileRecords } from '../../src/core/files';

const FIXTURES = join(__dirname, '..', 'fixtures', 'records');
const TREE = join(FIXTURES, 'tree');

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<TrailLensError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof TrailLensError, `expected TrailLensError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return err;
  }
  assert.fail('expected a rejection');
}

async function collect(paths: string[], opts: Parameters<typeof readRecordPaths>[1] = {}): Promise<FileRecords[]> {
  const out: FileRecords[] = [];
  for await (const file of readRecordPaths(paths, opts)) out.push(file);
  return out;
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'trail-lens-files-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('readRecordFile', () => {
  test('reads a gzip trail log', async () => {
    const parsed = await readRecordFile(join(FIXTURES, 'trail-log.json.gz'));
    assert.equal(parsed.kind, 'trail-log');
    assert.deepEqual(
      parsed.records.map((r) => r.eventName),
      ['CreateBackupVault', 'CreateKey'],
    );
  });

  test('detects gzip by magic bytes, not by name', async () => {
    // S3 objects saved by a browser arrive decompressed but keep their .gz name
    const plain = await readRecordFile(join(FIXTURES, 'decompressed-download.json.gz'));
    assert.equal(plain.records[0].eventName, 'DescribeVolumes');
    await withTemp(async (dir) => {
      const hidden = join(dir, 'events.txt');
      await copyFile(join(FIXTURES, 'trail-log.json.gz'), hidden);
      assert.equal((await readRecordFile(hidden)).records.length, 2);
    });
  });

  test('reads saved lookup-events output', async () => {
    const parsed = await readRecordFile(join(FIXTURES, 'lookup-events-cli-v2.json'));
    assert.equal(parsed.kind, 'lookup-events');
    assert.equal(parsed.records.length, 3);
  });

  test('a corrupt gzip is a ParseError naming the file', async () => {
    const path = join(FIXTURES, 'corrupt.json.gz');
    const err = await rejectsWith(
      readRecordFile(path),
      'ParseError',
      /corrupt\.json\.gz is not a readable gzip file: it is truncated or corrupt/,
    );
    assert.ok(err.message.includes(path));
  });

  test('malformed JSON inside gzip still reports the line and column', async () => {
    await withTemp(async (dir) => {
      const path = join(dir, 'bad.json.gz');
      await writeFile(path, gzipSync('{"Records": [\n  {"eventTime": }\n]}'));
      await rejectsWith(readRecordFile(path), 'ParseError', /bad\.json\.gz:2:17: invalid JSON/);
    });
  });

  test('a missing file or a folder is InvalidInput', async () => {
    await rejectsWith(readRecordFile(join(FIXTURES, 'nope.json')), 'InvalidInput', /nope\.json does not exist/);
    await rejectsWith(readRecordFile(FIXTURES), 'InvalidInput', /is a folder/);
  });

  test('files over the size limit are refused before reading', async () => {
    await withTemp(async (dir) => {
      const path = join(dir, 'huge.json');
      await writeFile(path, '');
      await truncate(path, MAX_FILE_BYTES + 1); // sparse: no real disk use
      const err = await rejectsWith(readRecordFile(path), 'InvalidInput', /huge\.json is 201 MB; Trail Lens reads files up to 200 MB/);
      assert.match(err.hint ?? '', /50 MB/);
    });
  });

  test('a gzip bomb is reported as one, once it inflates past the limit', async () => {
    await withTemp(async (dir) => {
      const path = join(dir, 'bomb.json.gz');
      await writeFile(path, gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)));
      const err = await rejectsWith(
        readRecordFile(path, { maxTextBytes: 2 * 1024 * 1024 }),
        'ParseError',
        /bomb\.json\.gz inflates past 2 MB/,
      );
      assert.doesNotMatch(err.hint ?? '', /download/i);
      // within the limit it is read (and is then only whitespace)
      await rejectsWith(readRecordFile(path), 'ParseError', /bomb\.json\.gz is empty/);
      await writeFile(join(dir, 'plain.json'), Buffer.alloc(3 * 1024 * 1024, 0x20));
      await rejectsWith(
        readRecordFile(join(dir, 'plain.json'), { maxTextBytes: 2 * 1024 * 1024 }),
        'InvalidInput',
        /plain\.json is larger than 2 MB/,
      );
    });
  });

  test('devices and FIFOs are refused unless allowed, without blocking on them', async () => {
    const zero = await rejectsWith(readRecordFile('/dev/zero'), 'InvalidInput', /\/dev\/zero is a character device, not a regular file/);
    assert.match(zero.hint ?? '', /--allow-special-files/);
    // allowed, /dev/zero is read only up to the limit
    await rejectsWith(
      readRecordFile('/dev/zero', { allowSpecialFiles: true, maxTextBytes: 1024 * 1024 }),
      'InvalidInput',
      /\/dev\/zero is larger than 1 MB/,
    );
    await withTemp(async (dir) => {
      const fifo = join(dir, 'pipe.json');
      execFileSync('mkfifo', [fifo]);
      await rejectsWith(readRecordFile(fifo), 'InvalidInput', /pipe\.json is a FIFO \(named pipe\), not a regular file/);
      const writer = writeFile(fifo, await readFile(join(FIXTURES, 'trail-log.json')));
      const parsed = await readRecordFile(fifo, { allowSpecialFiles: true });
      await writer;
      assert.equal(parsed.records.length, 3);
      // inside a folder a FIFO is never opened, even when allowed
      const files = await collect([dir], { allowSpecialFiles: true });
      assert.deepEqual(files, []);
    });
  });
});

describe('readRecordPaths', () => {
  test('walks a synced AWSLogs folder: sorted, .json/.json.gz only, digests skipped', async () => {
    const skipped: string[] = [];
    const files = await collect([TREE], { onSkip: (path, reason) => skipped.push(`${relative(TREE, path)}: ${reason}`) });
    assert.deepEqual(
      files.map((f) => relative(TREE, f.path)),
      [
        'AWSLogs/123456789012/CloudTrail/ap-northeast-1/2024/08/08/123456789012_CloudTrail_ap-northeast-1_20240808T0550Z_q7Lw2XbN9cYt4RfE.json.gz',
        'AWSLogs/123456789012/CloudTrail/ap-northeast-1/2024/08/08/123456789012_CloudTrail_ap-northeast-1_20240808T0555Z_Mu0KsOhtH1ar15ZZ.json.gz',
        'AWSLogs/123456789012/CloudTrail/us-east-1/2023/12/03/123456789012_CloudTrail_us-east-1_20231203T1315Z_Zp3Kd8Rw1Vb6Nq0X.json',
      ],
    );
    assert.deepEqual(
      files.map((f) => f.records.length),
      [1, 2, 3],
    );
    assert.ok(files.every((f) => f.kind === 'trail-log'));
    assert.equal(skipped.length, 1);
    assert.match(skipped[0], /^AWSLogs\/123456789012\/CloudTrail-Digest\/.*_CloudTrail-Digest_.*: CloudTrail digest file/);
  });

  test('files and folders mix, in the order given; a digest named explicitly is skipped too', async () => {
    const skipped: string[] = [];
    const files = await collect(
      [join(FIXTURES, 'single-record.json'), join(FIXTURES, 'digest.json'), join(TREE, 'AWSLogs/123456789012/CloudTrail/us-east-1')],
      {
        onSkip: (path) => skipped.push(path),
      },
    );
    assert.deepEqual(
      files.map((f) => f.kind),
      ['record', 'trail-log'],
    );
    assert.deepEqual(skipped, [join(FIXTURES, 'digest.json')]);
  });

  test('a missing path fails before any file is read', async () => {
    const seen: string[] = [];
    const gen = readRecordPaths([TREE, join(FIXTURES, 'missing-dir')]);
    await rejectsWith(
      (async () => {
        for await (const f of gen) seen.push(f.path);
      })(),
      'InvalidInput',
      /missing-dir does not exist/,
    );
    assert.deepEqual(seen, []);
  });

  test('inside a folder, a broken file is reported through onSkip and the walk goes on', async () => {
    await withTemp(async (dir) => {
      await copyFile(join(FIXTURES, 'corrupt.json.gz'), join(dir, 'a.json.gz'));
      await copyFile(join(FIXTURES, 'trail-log.json'), join(dir, 'b.json'));
      const skipped: string[] = [];
      const files = await collect([dir], { onSkip: (path, reason) => skipped.push(`${relative(dir, path)}: ${reason}`) });
      assert.deepEqual(
        files.map((f) => relative(dir, f.path)),
        ['b.json'],
      );
      assert.equal(skipped.length, 1);
      assert.match(skipped[0], /^a\.json\.gz: .*not a readable gzip file/);
      // without onSkip nothing is lost silently: the error is thrown
      await rejectsWith(collect([dir]), 'ParseError', /a\.json\.gz is not a readable gzip file/);
    });
  });

  test('with onSkip, files named explicitly and missing paths are reported too, and every readable file is read', async () => {
    await withTemp(async (dir) => {
      await copyFile(join(FIXTURES, 'corrupt.json.gz'), join(dir, 'a.json.gz'));
      await copyFile(join(FIXTURES, 'trail-log.json'), join(dir, 'b.json'));
      await writeFile(join(dir, 'c.txt'), 'not json');
      const events: string[] = [];
      const gen = readRecordPaths([join(dir, 'a.json.gz'), join(dir, 'missing.json'), join(dir, 'b.json'), join(dir, 'c.txt')], {
        onSkip: (path, reason, error) => events.push(`skip ${relative(dir, path)} ${error?.code}: ${reason}`),
      });
      for await (const f of gen) events.push(`read ${relative(dir, f.path)} ${f.records.length}`);
      assert.equal(events.length, 4, events.join('\n'));
      assert.match(
        events[0],
        /^skip missing\.json InvalidInput: .*missing\.json does not exist/,
        'a missing path is reported before any file is read',
      );
      assert.match(events[1], /^skip a\.json\.gz ParseError: .*a\.json\.gz is not a readable gzip file/);
      assert.equal(events[2], 'read b.json 3');
      assert.match(events[3], /^skip c\.txt ParseError: .*c\.txt:1:2: invalid JSON/);
    });
  });

  test('- reads the stdin stream given, named stdin in messages', async () => {
    const text = await readFile(join(FIXTURES, 'trail-log.json'));
    const files = await collect(['-'], { stdin: Readable.from([text.subarray(0, 1), text.subarray(1)]) });
    assert.deepEqual(
      files.map((f) => [f.path, f.records.length]),
      [['stdin', 3]],
    );
    const gz = await collect(['-'], { stdin: Readable.from([gzipSync(text)]) });
    assert.equal(gz[0].records.length, 3);
    const skipped: string[] = [];
    await collect(['-'], { stdin: Readable.from([Buffer.from('{')]), onSkip: (path, reason) => skipped.push(`${path}: ${reason}`) });
    assert.deepEqual(skipped, ["stdin: stdin:1:2: invalid JSON: Expected property name or '}'."]);
  });

  test('symlink loops are walked once', async () => {
    await withTemp(async (dir) => {
      await mkdir(join(dir, 'logs'));
      await copyFile(join(FIXTURES, 'trail-log.json'), join(dir, 'logs', 'x.json'));
      await symlink(dir, join(dir, 'logs', 'loop'));
      const files = await collect([dir]);
      assert.equal(files.length, 1);
    });
  });

  test('an aborted signal stops the walk with Cancelled', async () => {
    const controller = new AbortController();
    const gen = readRecordPaths([TREE], { signal: controller.signal, onSkip: () => {} });
    const first = await gen.next();
    assert.equal(first.done, false);
    controller.abort();
    await rejectsWith(gen.next(), 'Cancelled', /Cancelled/);
  });
});

describe('listTrailFiles', () => {
  test('lists what readRecordPaths reads, and the digests and Insights files it skips, by the same rule, reading none', async () => {
    await withTemp(async (dir) => {
      const insightDir = join(dir, 'AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2026/11/30');
      await mkdir(insightDir, { recursive: true });
      const insight = join(insightDir, 'i.json.gz');
      await writeFile(insight, 'not even gzip');
      // Copied out of the bucket: no layout, the name says what it is.
      const loose = join(dir, '123456789012_CloudTrail-Digest_us-east-1_t_us-east-1_20261130T120000Z.json.gz');
      await writeFile(loose, 'not even gzip');
      const single = join(FIXTURES, 'single-record.json');
      const list = await listTrailFiles([TREE, dir, single]);
      const skipped: string[] = [];
      const read = (await collect([TREE, dir, single], { onSkip: (path) => skipped.push(path) })).map((f) => f.path);
      assert.deepEqual(list.logs, read);
      assert.deepEqual([...list.digests, ...list.insights].sort(), [...skipped].sort());
      assert.equal(list.digests.length, 2);
      assert.match(relative(TREE, list.digests[0]), /^AWSLogs\/123456789012\/CloudTrail-Digest\//);
      assert.equal(list.digests[1], loose);
      assert.deepEqual(list.insights, [insight]);
      assert.equal(list.logs.at(-1), single);
    });
  });

  test('a missing path is an error, or goes to onError and the rest are listed', async () => {
    const missing = join(FIXTURES, 'missing-dir');
    await rejectsWith(listTrailFiles([TREE, missing]), 'InvalidInput', /missing-dir does not exist/);
    const errors: string[] = [];
    const list = await listTrailFiles([missing, TREE, '-'], { stdin: true, onError: (path) => errors.push(path) });
    assert.deepEqual(errors, [missing]);
    assert.equal(list.logs.length, 3, 'stdin is not a file to list');
  });
});
