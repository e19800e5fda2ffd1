/**
 * Request-ID search over trail log files (core/fileSearch.ts) on real .json.gz files: the record
 * found wherever its bytes fall, a mention that is not the request ID, damaged files named while
 * the others are searched, and cancellation.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { TrailLensError } from '../../src/core/errors';
import { inflatedChunks, searchFilesForRequestId, searchSourcesForRequestId, type SearchSource } from '../../src/core/fileSearch';
import { scratchDir } from '../harness/scratch';

const ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const dir = scratchDir('file-search-');
let n = 0;

function record(extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    eventVersion: '1.11',
    eventTime: '2026-11-30T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    eventID: `e-${n}`,
    requestID: `r-${n}`,
    ...extra,
  };
}

function write(name: string, records: unknown[], gzip = true): string {
  const path = join(dir, name);
  const json = Buffer.from(JSON.stringify({ Records: records }));
  writeFileSync(path, gzip ? gzipSync(json) : json);
  return path;
}

describe('searchFilesForRequestId', () => {
  test('finds the record in a gzip file, a plain file, and across the 1 MB chunks it is inflated in', async () => {
    const filler = (bytes: number) => record({ requestParameters: { pad: 'x'.repeat(bytes) } });
    const files = [
      write('a.json.gz', [record(), record()]),
      // The ID's bytes straddle the first 1 MiB boundary of the inflated text.
      write('b.json.gz', [filler(1024 * 1024 - 130), record({ requestID: ID, eventName: 'CreateBackupVault' }), filler(10)]),
      write('c.json', [record({ requestID: ID, eventName: 'PutObject' })], false),
    ];
    const r = await searchFilesForRequestId(files, ID, { concurrency: 2 });
    assert.deepEqual(
      r.hits.map((h) => [h.path.split('/').pop(), h.record.eventName]),
      [
        ['b.json.gz', 'CreateBackupVault'],
        ['c.json', 'PutObject'],
      ],
    );
    assert.equal(r.filesSearched, 3);
    assert.equal(r.filesParsed, 2);
  });

  test('in a file of many chunks, every hit is found by looking back for the record start, and records that do not begin with eventVersion still are', async () => {
    const pad = (bytes: number) => record({ requestParameters: { pad: 'y'.repeat(bytes) } });
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++) records.push(pad(100_000));
    records[7] = record({ requestID: ID, eventName: 'First' });
    records[31] = record({ requestID: ID, eventName: 'Second', note: '{"eventVersion" inside a string' });
    const many = write('many.json.gz', records);
    const r = await searchFilesForRequestId([many], ID);
    assert.deepEqual(
      r.hits.map((h) => h.record.eventName),
      ['First', 'Second'],
    );
    // Keys in another order: no record starts with {"eventVersion", and the whole-file split finds it.
    const { eventVersion, ...rest } = record({ requestID: ID, eventName: 'Reordered' });
    const other = write('reordered.json.gz', [pad(2_500_000), { ...rest, eventVersion }, pad(10)]);
    const o = await searchFilesForRequestId([other], ID);
    assert.deepEqual(
      o.hits.map((h) => h.record.eventName),
      ['Reordered'],
    );
  });

  test('one pass over each file: hits in the first, middle and last record and across chunks are parsed from the chunks already read', async () => {
    const pad = (bytes: number) => record({ requestParameters: { pad: 'z'.repeat(bytes) } });
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < 30; i++) records.push(pad(150_000));
    records[0] = record({ requestID: ID, eventName: 'AtStart' });
    records[13] = record({ requestID: ID, eventName: 'Middle' });
    records[29] = record({ requestID: ID, eventName: 'AtEnd' });
    const onePass = write('one-pass.json.gz', records);
    const { eventVersion, ...rest } = record({ requestID: ID, eventName: 'Reordered' });
    const twoPass = write('two-pass.json.gz', [pad(10), { ...rest, eventVersion }]);
    const opens = new Map<string, number>();
    const sources: SearchSource[] = [onePass, twoPass].map((path) => ({
      name: path,
      open: (signal) => {
        opens.set(path, (opens.get(path) ?? 0) + 1);
        return inflatedChunks(path, signal);
      },
    }));
    const r = await searchSourcesForRequestId(sources, ID, { concurrency: 1 });
    assert.deepEqual(
      r.hits.map((h) => h.record.eventName),
      ['AtStart', 'Middle', 'AtEnd', 'Reordered'],
    );
    assert.equal(opens.get(onePass), 1, 'the file whose records begin with eventVersion is read once');
    assert.equal(opens.get(twoPass), 2, 'a record that does not is found by splitting the whole file');
    assert.ok(r.bytesInflated > 4_000_000);
  });

  test('a file that only mentions the ID is parsed, and gives no hit', async () => {
    const path = write('mention.json.gz', [record({ errorMessage: `request ${ID} failed` })]);
    const r = await searchFilesForRequestId([path], ID);
    assert.equal(r.hits.length, 0);
    assert.equal(r.filesParsed, 1);
  });

  test('a truncated gzip, a malformed record and a missing file are named; the other files are still searched', async () => {
    const good = write('good.json.gz', [record({ requestID: ID })]);
    const gz = gzipSync(Buffer.from(JSON.stringify({ Records: [record({ requestID: ID })] })));
    const truncated = join(dir, 'truncated.json.gz');
    writeFileSync(truncated, gz.subarray(0, gz.length - 12));
    const malformed = join(dir, 'malformed.json.gz');
    writeFileSync(malformed, gzipSync(Buffer.from(`{"Records":[{"requestID":"${ID}", oops}]}`)));
    const missing = join(dir, 'missing.json.gz');
    const errors: [string, string][] = [];
    const r = await searchFilesForRequestId([truncated, malformed, missing, good], ID, {
      concurrency: 1,
      onError: (path, err) => errors.push([path.split('/').pop() ?? '', err.message]),
    });
    assert.equal(r.hits.length, 1);
    assert.equal(r.hits[0].path, good);
    assert.equal(r.filesSearched, 4);
    const byName = Object.fromEntries(errors);
    assert.match(byName['truncated.json.gz'], /truncated\.json\.gz (is not a readable gzip file|.*ends in the middle)/);
    assert.match(byName['malformed.json.gz'], /malformed\.json\.gz: record 1 is not valid JSON/);
    assert.match(byName['missing.json.gz'], /missing\.json\.gz does not exist/);
  });

  test('without onError the first damaged file stops the search with its error', async () => {
    const bad = join(dir, 'bad.json.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
    await assert.rejects(
      searchFilesForRequestId([bad], ID),
      (err: unknown) => err instanceof TrailLensError && /bad\.json\.gz/.test(err.message),
    );
  });

  test('cancelling stops the search', async () => {
    const files = Array.from({ length: 20 }, (_, i) => write(`many-${i}.json.gz`, [record(), record()]));
    const ac = new AbortController();
    const done: string[] = [];
    const search = searchFilesForRequestId(files, ID, {
      concurrency: 1,
      signal: ac.signal,
      onFile: (path) => {
        done.push(path);
        if (done.length === 3) ac.abort();
      },
    });
    await assert.rejects(search, (err: unknown) => err instanceof TrailLensError && err.code === 'Cancelled');
    assert.ok(done.length < files.length, `searched ${done.length} files after the cancel`);
  });
});
