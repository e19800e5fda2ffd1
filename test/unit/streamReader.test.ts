/**
 * The streaming reader (core/recordReader.ts through readRecordPaths): trail files larger than one
 * chunk and than one batch come record by record with positions in errors; Insights files are
 * skipped; EventIdDedup shows a duplicate delivery once.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { EventIdDedup } from '../../src/core/dedupe';
import { TrailLensError } from '../../src/core/errors';
import { readRecordFile, readRecordPaths, type FileRecords } from '../../src/core/files';
import { BATCH_RECORDS, readRecordBatches } from '../../src/core/recordReader';
import type { CloudTrailRecord } from '../../src/core/record';
import { scratchDir } from '../harness/scratch';

function record(i: number): CloudTrailRecord {
  return {
    eventVersion: '1.11',
    eventTime: `2026-11-30T12:${String(i % 60).padStart(2, '0')}:00Z`,
    eventID: `e-${i}`,
    eventName: 'GetObject',
    eventSource: 's3.amazonaws.com',
    awsRegion: 'us-east-1',
    requestID: `r-${i}`,
    requestParameters: { key: `k-${'x'.repeat(i % 300)}-"}]` },
  } as CloudTrailRecord;
}

describe('streaming reader', () => {
  test('a file of several MB inflated comes in batches, every record once, none held as one string', async () => {
    const dir = scratchDir('stream-');
    const n = 3 * BATCH_RECORDS + 17;
    const records = Array.from({ length: n }, (_, i) => record(i));
    const path = join(dir, 'big.json.gz');
    await writeFile(path, gzipSync(JSON.stringify({ Records: records })));
    const batches: FileRecords[] = [];
    for await (const b of readRecordPaths([path])) batches.push(b);
    assert.ok(batches.length >= 4, `${batches.length} batches`);
    assert.deepEqual(
      batches.map((b) => b.part),
      batches.map((_, i) => i),
    );
    assert.ok(batches.every((b) => b.records.length <= BATCH_RECORDS && b.kind === 'trail-log'));
    assert.deepEqual(
      batches.flatMap((b) => b.records.map((r) => r.eventID)),
      records.map((r) => r.eventID),
    );
    assert.equal((await readRecordFile(path)).records.length, n);
  });

  test('chunks cut anywhere; a bare array; a bad record named with its line and column', async () => {
    const text = Buffer.from(JSON.stringify([record(1), record(2), record(3)]));
    for (const size of [1, 7, 64, text.length]) {
      const chunks = async function* () {
        for (let i = 0; i < text.length; i += size) yield text.subarray(i, i + size);
      };
      const out: CloudTrailRecord[] = [];
      for await (const b of readRecordBatches(chunks(), 'a.json')) {
        assert.equal(b.kind, 'array');
        out.push(...b.records);
      }
      assert.equal(out.length, 3);
    }
    const bad = Buffer.from('{"Records":[\n' + JSON.stringify(record(1)) + ',\n  {"eventID": "x", "eventTime": tru}\n]}');
    await assert.rejects(
      (async () => {
        for await (const b of readRecordBatches(
          (async function* () {
            yield bad;
          })(),
          'bad.json',
        ))
          void b;
      })(),
      (err: unknown) => err instanceof TrailLensError && /^bad\.json:3:\d+: invalid JSON/.test(err.message),
    );
  });

  test('Insights files (CloudTrail-Insight/) are skipped like digests, and say why', async () => {
    const root = scratchDir('insight-');
    const logs = join(root, 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/30');
    const insights = join(root, 'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/30');
    await mkdir(logs, { recursive: true });
    await mkdir(insights, { recursive: true });
    await writeFile(
      join(logs, '111122223333_CloudTrail_us-east-1_20261130T1205Z_abcdefghijklmnop.json.gz'),
      gzipSync(JSON.stringify({ Records: [record(1)] })),
    );
    const insight = { ...record(2), eventType: 'AwsCloudTrailInsight', eventCategory: 'Insight' };
    const insightPath = join(insights, '111122223333_CloudTrail-Insight_us-east-1_20261130T1205Z_abcdefghijklmnop.json.gz');
    await writeFile(insightPath, gzipSync(JSON.stringify({ Records: [insight] })));
    const skipped: string[] = [];
    const ids: string[] = [];
    for await (const b of readRecordPaths([root], {
      onSkip: (p, reason, error) => skipped.push(`${p}: ${reason}${error ? ' (error)' : ''}`),
    }))
      ids.push(...b.records.map((r) => r.eventID));
    assert.deepEqual(ids, ['e-1']);
    assert.deepEqual(skipped, [`${insightPath}: CloudTrail Insights file (CloudTrail-Insight/), not the trail's events`]);
  });

  test('EventIdDedup keeps the first delivery of each event and counts the repeats', () => {
    const dedup = new EventIdDedup();
    assert.deepEqual(
      dedup.keep([record(1), record(2)]).map((r) => r.eventID),
      ['e-1', 'e-2'],
    );
    assert.deepEqual(
      dedup.keep([record(2), record(3), record(1)]).map((r) => r.eventID),
      ['e-3'],
    );
    assert.equal(dedup.duplicates, 2);
  });
});
