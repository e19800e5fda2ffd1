/** The Events view's honest ranges: loaded stretches, gaps, headers split by gaps, and typed-value completion. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudTrailRecord } from '../../src/core/record';
import { addInterval, buildTimeline, gapsIn } from '../../src/extension/views/timeline';
import { editDistance, suggestValues } from '../../src/extension/views/valueSuggest';
import { KNOWN_EVENT_SOURCES } from '../../src/core/services';

const H = (h: number, m = 0) => Date.UTC(2024, 7, 8, h, m);
const rec = (id: string, h: number, m: number): CloudTrailRecord => ({
  eventID: id,
  eventTime: new Date(H(h, m)).toISOString(),
  eventSource: 'backup.amazonaws.com',
  eventName: 'CreateBackupVault',
});

describe('loaded stretches', () => {
  test('adjacent pages merge; the rest of the span is gaps, newest first', () => {
    let covered = addInterval([], { start: H(20, 46), end: H(21, 30) });
    covered = addInterval(covered, { start: H(20, 10), end: H(20, 46) });
    covered = addInterval(covered, { start: H(19, 1), end: H(19, 31) });
    assert.deepEqual(covered, [
      { start: H(19, 1), end: H(19, 31) },
      { start: H(20, 10), end: H(21, 30) },
    ]);
    assert.deepEqual(gapsIn(H(0), H(21, 30), covered), [
      { start: H(19, 31), end: H(20, 10) },
      { start: H(0), end: H(19, 1) },
    ]);
  });
});

describe('timeline rows', () => {
  const covered = [
    { start: H(19, 1), end: H(19, 31) },
    { start: H(20, 46), end: H(21, 30) },
  ];
  const records = [rec('a', 21, 12), rec('b', 20, 46), rec('c', 19, 16), rec('d', 19, 2)];
  const now = H(21, 30);

  test('by hour: a gap row between the stretches and at the bottom; a partly loaded hour says which part', () => {
    const rows = buildTimeline(records, covered, { start: H(0), end: now }, 'hour', now);
    assert.deepEqual(
      rows.map((r) =>
        r.kind === 'gap'
          ? `gap ${new Date(r.gap.start).toISOString().slice(11, 16)}${r.oldest ? ' (oldest)' : ''}`
          : `${r.id} ${r.records.length} ${r.loaded ?? 'all'}`,
      ),
      ['2024-08-08T21 1 all', '2024-08-08T20 1 20:46–21:00 UTC', 'gap 19:31', '2024-08-08T19 2 19:01–19:31 UTC', 'gap 00:00 (oldest)'],
    );
  });

  test('by day: a gap splits the day into two headers, each with its own loaded part', () => {
    const rows = buildTimeline(records, covered, { start: H(0), end: now }, 'day', now);
    const groups = rows.flatMap((r) => (r.kind === 'group' ? [r] : []));
    assert.deepEqual(
      groups.map((g) => g.id),
      ['2024-08-08', '2024-08-08#2'],
    );
    assert.deepEqual(
      groups.map((g) => g.loaded),
      ['20:46–21:30 UTC', '19:01–19:31 UTC'],
    );
    assert.equal(rows[1].kind, 'gap');
  });

  test('everything loaded: no gap rows and headers without a loaded note', () => {
    const rows = buildTimeline(records, [{ start: H(0), end: now }], { start: H(0), end: now }, 'day', now);
    assert.deepEqual(
      rows.map((r) => r.kind),
      ['group'],
    );
    assert.equal(rows[0].kind === 'group' && rows[0].loaded, undefined);
  });
});

describe('typed filter values', () => {
  test('"backup" completes to backup.amazonaws.com, first', () => {
    assert.equal(suggestValues('backup', KNOWN_EVENT_SOURCES, 'EventSource').completions[0], 'backup.amazonaws.com');
    assert.equal(suggestValues('Backup', KNOWN_EVENT_SOURCES, 'EventSource').completions[0], 'backup.amazonaws.com');
    assert.equal(
      suggestValues('cloudwatch', ['monitoring.amazonaws.com', 'logs.amazonaws.com'], 'EventSource').completions[0],
      'monitoring.amazonaws.com',
    );
  });

  test('a value matching nothing known is offered its close matches', () => {
    const s = suggestValues('bakup', KNOWN_EVENT_SOURCES, 'EventSource');
    assert.deepEqual(s.completions, []);
    assert.equal(s.close[0], 'backup.amazonaws.com');
    assert.deepEqual(suggestValues('CreateBakupVault', ['CreateBackupVault', 'DeleteBackupVault'], 'EventName').close, [
      'CreateBackupVault',
    ]);
    assert.deepEqual(suggestValues('zzzzzz', KNOWN_EVENT_SOURCES, 'EventSource'), { completions: [], close: [] });
  });

  test('an exact known value needs no suggestion; edit distance counts typos', () => {
    assert.deepEqual(suggestValues('kms.amazonaws.com', KNOWN_EVENT_SOURCES, 'EventSource'), { completions: [], close: [] });
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });
});
