/** `trail-lens summary`'s options and output formats (exact), the dashboard's click targets and its message validation. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorSummaryBuilder, noiseClassifier } from '../../src/core/errorSummary/aggregate';
import { builtInNoiseRules } from '../../src/core/noise';
import { formatSummary, parseSummaryArgs, summaryOutput } from '../../src/cli/summary';
import { buildDashboardData, filterFor } from '../../src/extension/dashboard/dashboardData';
import { parseDashboardMessage } from '../../src/protocol/dashboardProtocol';
import { SUMMARY_RECORDS } from '../fixtures/summary/records';

const SLR = builtInNoiseRules().filter((r) => r.id === 'serviceLinkedRoles');

function built(noise = true) {
  const b = new ErrorSummaryBuilder({ noise: noise ? noiseClassifier(SLR) : undefined });
  b.add(SUMMARY_RECORDS);
  return b;
}

describe('summary options', () => {
  test('defaults: by errorCode, noise on, table', () => {
    assert.deepEqual(parseSummaryArgs({ includeServices: false }), {
      by: 'errorCode',
      noise: true,
      format: 'table',
      includeServices: false,
    });
    assert.deepEqual(parseSummaryArgs({ by: 'day', noise: 'off', format: 'csv', includeServices: true }), {
      by: 'day',
      noise: false,
      format: 'csv',
      includeServices: true,
    });
  });

  test('a bad value names the option and what it takes', () => {
    assert.throws(
      () => parseSummaryArgs({ by: 'user', includeServices: false }),
      /--by must be one of errorCode, eventSource, eventName, caller, sourceIPAddress, hour, day \(got 'user'\)/,
    );
    assert.throws(() => parseSummaryArgs({ noise: 'yes', includeServices: false }), /--noise must be one of on, off \(got 'yes'\)/);
    assert.throws(() => parseSummaryArgs({ format: 'jsonl', includeServices: false }), /--format must be one of table, json, csv/);
  });
});

describe('summary output', () => {
  test('json: by, total, hidden and rows most frequent first', () => {
    const out = JSON.parse(formatSummary(summaryOutput(built(), 'errorCode'), 'json'));
    assert.deepEqual(out, {
      by: 'errorCode',
      total: 5,
      hidden: 2,
      rows: [
        { key: 'AccessDenied', count: 3, share: 0.6, first: '2026-01-10T10:05:00Z', last: '2026-01-10T12:40:00Z' },
        { key: 'LimitExceededException', count: 1, share: 0.2, first: '2026-01-11T09:30:00Z', last: '2026-01-11T09:30:00Z' },
        { key: 'ThrottlingException', count: 1, share: 0.2, first: '2026-01-11T09:00:00Z', last: '2026-01-11T09:00:00Z' },
      ],
    });
  });

  test('table: aligned columns, counts and shares right-aligned, times in UTC', () => {
    assert.equal(
      formatSummary(summaryOutput(built(), 'errorCode'), 'table'),
      [
        'errorCode               count  share  first                    last',
        'AccessDenied                3  60.0%  2026-01-10 10:05:00 UTC  2026-01-10 12:40:00 UTC',
        'LimitExceededException      1  20.0%  2026-01-11 09:30:00 UTC  2026-01-11 09:30:00 UTC',
        'ThrottlingException         1  20.0%  2026-01-11 09:00:00 UTC  2026-01-11 09:00:00 UTC',
        '',
      ].join('\n'),
    );
  });

  test('csv by day (time order, no first/last); callers say how many AWS-service calls they leave out', () => {
    assert.equal(
      formatSummary(summaryOutput(built(false), 'day'), 'csv'),
      'day,count,share\n2026-01-10T00:00:00Z,5,0.7143\n2026-01-11T00:00:00Z,2,0.2857\n',
    );
    const callers = summaryOutput(built(false), 'caller');
    assert.equal(callers.excluded, 3);
    assert.deepEqual(
      callers.rows.map((r) => r.key),
      ['alice', 'deploy/ci-run'],
    );
  });

  test('keys are made safe: control characters printable in the table, formulas defused in csv', () => {
    const b = new ErrorSummaryBuilder();
    b.add([{ ...SUMMARY_RECORDS[0], errorCode: '=HYPERLINK("http://x")\u001b[31m' }]);
    const out = summaryOutput(b, 'errorCode');
    assert.ok(!formatSummary(out, 'table').includes('\u001b'));
    assert.match(formatSummary(out, 'csv'), /^errorCode,count,share,first,last\n"'=HYPERLINK\(""http:\/\/x""\)/);
    assert.ok(!formatSummary(out, 'json').includes('\u001b'));
  });

  test('nothing failed: the table says so, json has no rows', () => {
    const b = new ErrorSummaryBuilder();
    b.add(SUMMARY_RECORDS.filter((r) => !r.errorCode));
    assert.equal(formatSummary(summaryOutput(b, 'errorCode'), 'table'), '(no failed calls)\n');
    assert.deepEqual(JSON.parse(formatSummary(summaryOutput(b, 'errorCode'), 'json')), { by: 'errorCode', total: 0, hidden: 0, rows: [] });
  });
});

describe('dashboard data', () => {
  test('a click filters by the exact LookupEvents attribute where there is one, else by a filter pattern', () => {
    assert.deepEqual(filterFor('eventSource', 's3.amazonaws.com'), { attribute: { key: 'EventSource', value: 's3.amazonaws.com' } });
    assert.deepEqual(filterFor('eventName', 'GetObject'), { attribute: { key: 'EventName', value: 'GetObject' } });
    assert.deepEqual(filterFor('caller', 'alice'), { attribute: { key: 'Username', value: 'alice' } });
    assert.deepEqual(filterFor('caller', 'deploy/ci-run'), { attribute: { key: 'Username', value: 'ci-run' } });
    assert.deepEqual(filterFor('caller', 'backup.amazonaws.com'), { pattern: '{ $.userIdentity.invokedBy = "backup.amazonaws.com" }' });
    assert.deepEqual(filterFor('errorCode', 'AccessDenied'), { pattern: '{ $.errorCode = "AccessDenied" }' });
    assert.deepEqual(filterFor('sourceIPAddress', 'a"b\\c'), { pattern: '{ $.sourceIPAddress = "a\\"b\\\\c" }' });
  });

  test('built in slices with progress, with the view pattern and noise rules; a newer request cancels it', async () => {
    const records = Array.from({ length: 3 }, () => SUMMARY_RECORDS).flat();
    const progress: number[] = [];
    const data = await buildDashboardData({
      records: Array.from({ length: 1500 }, () => records).flat(),
      rules: SLR,
      includeHidden: false,
      includeServiceCallers: false,
      scope: 'test',
      hasOlder: true,
      onProgress: (d) => progress.push(d),
    });
    assert.ok(data);
    assert.equal(data.loaded, 1500 * 27);
    assert.equal(data.hidden, 1500 * 6);
    assert.deepEqual(data.noiseRules, ['service-linked roles']);
    assert.equal(data.bucket, 'hour');
    assert.ok(progress.length >= 9 && progress.every((p, i) => p > 0 && p < 1 && (i === 0 || p > progress[i - 1])));
    const cancelled = await buildDashboardData({
      records: Array.from({ length: 1500 }, () => records).flat(),
      rules: [],
      includeHidden: false,
      includeServiceCallers: false,
      scope: 'test',
      hasOlder: false,
      cancelled: () => true,
    });
    assert.equal(cancelled, undefined);
  });

  test('messages from the page: only the known shapes pass', () => {
    assert.deepEqual(parseDashboardMessage({ type: 'filter', dimension: 'errorCode', key: 'AccessDenied' }), {
      type: 'filter',
      dimension: 'errorCode',
      key: 'AccessDenied',
    });
    assert.deepEqual(parseDashboardMessage({ type: 'timeRange', start: '2026-01-10T10:00:00Z', bucket: 'hour' }), {
      type: 'timeRange',
      start: '2026-01-10T10:00:00Z',
      bucket: 'hour',
    });
    for (const bad of [
      null,
      [],
      'ready',
      { type: 'ready', extra: 1 },
      { type: 'filter', dimension: 'userAgent', key: 'x' },
      { type: 'filter', dimension: 'errorCode', key: '' },
      { type: 'filter', dimension: 'errorCode', key: 'x'.repeat(5000) },
      { type: 'filter', dimension: '__proto__', key: 'x' },
      { type: 'timeRange', start: '2026-01-10T10:30:00Z', bucket: 'hour' },
      { type: 'timeRange', start: 'yesterday', bucket: 'day' },
      { type: 'options', includeHidden: 'true', includeServiceCallers: false },
      { type: 'exec', command: 'workbench.action.terminal.new' },
    ])
      assert.equal(parseDashboardMessage(bad), undefined, JSON.stringify(bad));
  });
});
