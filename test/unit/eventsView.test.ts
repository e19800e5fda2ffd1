/** The Events view's pure logic: grouping, callers, noise rules, the view message, custom time ranges. */
import { test, describe } from 'node:test';
import { callKind as kindOf, callerName as userOf, serviceLabel as serviceOf } from '../../src/core/summary';
import assert from 'node:assert/strict';
import { compareNewestFirst, type CloudTrailRecord } from '../../src/core/record';
import { isNoise, isServiceLinkedRole } from '../../src/core/noise';
import { groupRecords, relativeTime, viewMessage } from '../../src/extension/views/eventFormat';
import { parseRange } from '../../src/extension/views/timeRange';

const NOW = Date.parse('2024-08-08T14:30:00Z');

function rec(over: Partial<CloudTrailRecord>): CloudTrailRecord {
  return { eventTime: '2024-08-08T14:20:00Z', eventSource: 'backup.amazonaws.com', eventName: 'CreateBackupVault', eventID: 'e1', ...over };
}

describe('event rows', () => {
  test('caller: IAM user name, then role session name, then invoking service', () => {
    assert.equal(userOf(rec({ userIdentity: { type: 'IAMUser', userName: 'alice' } })), 'alice');
    assert.equal(
      userOf(rec({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/ci-run-42' } })),
      'ci-run-42',
    );
    assert.equal(
      userOf(rec({ userIdentity: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' } })),
      'cloudformation.amazonaws.com',
    );
    assert.equal(userOf(rec({ userIdentity: { type: 'Root' } })), 'root');
    assert.equal(userOf(rec({})), undefined);
  });

  test('service drops .amazonaws.com; kind is failed, write or read', () => {
    assert.equal(serviceOf(rec({})), 'backup');
    assert.equal(kindOf(rec({ errorCode: 'InvalidRequestException', readOnly: false })), 'failed');
    assert.equal(kindOf(rec({ readOnly: false })), 'write');
    assert.equal(kindOf(rec({ readOnly: true })), 'read');
  });

  test('relative times', () => {
    assert.equal(relativeTime('2024-08-08T14:29:40Z', NOW), 'just now');
    assert.equal(relativeTime('2024-08-08T14:27:00Z', NOW), '3 min ago');
    assert.equal(relativeTime('2024-08-08T12:00:00Z', NOW), '2 h ago');
    assert.equal(relativeTime('2024-08-03T12:00:00Z', NOW), '5 days ago');
  });
});

describe('grouping', () => {
  const records = [
    rec({ eventID: 'a', eventTime: '2024-08-08T14:20:00Z' }),
    rec({ eventID: 'b', eventTime: '2024-08-08T09:05:00Z' }),
    rec({ eventID: 'c', eventTime: '2024-08-07T23:59:59Z' }),
    rec({ eventID: 'd', eventTime: '2024-08-05T10:00:00Z' }),
  ].sort(compareNewestFirst);

  test('day headers in UTC, newest first, with stable keys', () => {
    const groups = groupRecords(records, 'day', NOW);
    assert.deepEqual(
      groups.map((g) => g.key),
      ['2024-08-08', '2024-08-07', '2024-08-05'],
    );
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Today 2024-08-08 UTC', 'Yesterday 2024-08-07 UTC', 'Mon 2024-08-05 UTC'],
    );
    assert.deepEqual(
      groups[0].records.map((r) => r.eventID),
      ['a', 'b'],
    );
  });

  test('hour headers', () => {
    const groups = groupRecords(records, 'hour', NOW);
    assert.deepEqual(
      groups.map((g) => g.key),
      ['2024-08-08T14', '2024-08-08T09', '2024-08-07T23', '2024-08-05T10'],
    );
    assert.equal(groups[1].label, 'Today 2024-08-08 09:00 UTC');
  });

  test('ties are ordered by event ID so reloads do not reshuffle rows', () => {
    const same = [rec({ eventID: 'z' }), rec({ eventID: 'm' })].sort(compareNewestFirst);
    assert.deepEqual(
      same.map((r) => r.eventID),
      ['m', 'z'],
    );
  });
});

describe('noise rules', () => {
  const slr = rec({
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForConfig/AWSConfig-Describe',
      sessionContext: {
        sessionIssuer: {
          userName: 'AWSServiceRoleForConfig',
          arn: 'arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
        },
      },
    },
    readOnly: true,
  });
  const person = rec({ userIdentity: { type: 'IAMUser', userName: 'AWSServiceRoleForFun' }, readOnly: false });

  test('service-linked roles are recognised by session issuer name or aws-service-role/ path', () => {
    assert.equal(isServiceLinkedRole(slr), true);
    assert.equal(
      isServiceLinkedRole(rec({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/aws-service-role/x' } })),
      true,
    );
    assert.equal(isServiceLinkedRole(rec({ userIdentity: { type: 'IAMUser', userName: 'bob' } })), false);
  });

  test('each rule hides only when enabled', () => {
    assert.equal(isNoise(slr, { hideServiceLinkedRoles: false, hideReadOnly: false }), false);
    assert.equal(isNoise(slr, { hideServiceLinkedRoles: true, hideReadOnly: false }), true);
    assert.equal(isNoise(rec({ readOnly: true }), { hideServiceLinkedRoles: true, hideReadOnly: false }), false);
    assert.equal(isNoise(rec({ readOnly: true }), { hideServiceLinkedRoles: false, hideReadOnly: true }), true);
    assert.equal(isNoise(person, { hideServiceLinkedRoles: true, hideReadOnly: true }), false);
  });
});

describe('view message', () => {
  const t = (iso: string) => Date.parse(iso);
  test('the range asked for, every filter, what is loaded and how many are hidden', () => {
    assert.equal(
      viewMessage({
        range: 'Last 90 days',
        filters: ['EventSource = backup.amazonaws.com'],
        shown: 2,
        hidden: 40,
        loaded: [{ start: t('2024-08-08T10:05:00Z'), end: t('2024-08-08T14:20:00Z') }],
      }),
      'Last 90 days · EventSource = backup.amazonaws.com · 2 events loaded: 10:05–14:20 UTC · 40 hidden by noise rules',
    );
    assert.equal(viewMessage({ range: 'Last 1 hour', filters: [], shown: 1, hidden: 0, loaded: [] }), 'Last 1 hour · 1 event loaded');
  });

  test('loaded stretches newest first, with dates across days', () => {
    const loaded = [
      { start: t('2024-08-08T20:46:00Z'), end: t('2024-08-08T21:30:00Z') },
      { start: t('2024-08-07T19:01:00Z'), end: t('2024-08-07T19:31:00Z') },
    ];
    assert.equal(
      viewMessage({ range: 'Last 90 days', filters: [], shown: 51, hidden: 0, loaded }),
      'Last 90 days · 51 events loaded: 08-08 20:46–08-08 21:30, 08-07 19:01–08-07 19:31 UTC',
    );
  });
});

describe('custom time range', () => {
  test('a duration is relative to now', () => {
    assert.deepEqual(parseRange('36h', NOW), { kind: 'relative', ms: 36 * 3600_000 });
  });

  test('an ISO pair, "/" or space separated, UTC unless an offset is given', () => {
    assert.deepEqual(parseRange('2024-08-08T09:00Z/2024-08-08T10:30Z', NOW), {
      kind: 'absolute',
      start: new Date('2024-08-08T09:00:00Z'),
      end: new Date('2024-08-08T10:30:00Z'),
    });
    const spaced = parseRange('2024-08-08T09:00 2024-08-08T19:00+09:00', NOW);
    assert.ok(typeof spaced !== 'string' && spaced.kind === 'absolute', String(spaced));
    assert.equal(spaced.start.toISOString(), '2024-08-08T09:00:00.000Z');
    assert.equal(spaced.end.toISOString(), '2024-08-08T10:00:00.000Z');
  });

  test('rejects what LookupEvents cannot answer, saying why', () => {
    assert.match(parseRange('', NOW) as string, /Enter/);
    assert.match(parseRange('soon', NOW) as string, /not a duration/);
    assert.match(parseRange('120d', NOW) as string, /90 days/);
    assert.match(parseRange('2024-08-08T10:00Z/2024-08-08T09:00Z', NOW) as string, /before the end/);
    assert.match(parseRange('2024-01-01/2024-01-02', NOW) as string, /90 days/);
    assert.match(parseRange('2024-08-08T10:00Z/yesterday', NOW) as string, /"yesterday" is not a time/);
  });

  test('takes every time form the CLI takes (one parser: core parseTimeRange)', () => {
    const abs = (text: string) => {
      const r = parseRange(text, NOW);
      assert.ok(typeof r !== 'string' && r.kind === 'absolute', `${text}: ${String(r)}`);
      return [r.start.toISOString(), r.end.toISOString()];
    };
    // Epoch seconds, ages, "now", a bare start, console and log forms: the CLI's --start/--end accept them all.
    assert.deepEqual(abs('1723096142/1723099742'), ['2024-08-08T05:49:02.000Z', '2024-08-08T06:49:02.000Z']);
    assert.deepEqual(abs('3h/now'), ['2024-08-08T11:30:00.000Z', '2024-08-08T14:30:00.000Z']);
    assert.deepEqual(abs('2024-08-08T09:00Z'), ['2024-08-08T09:00:00.000Z', '2024-08-08T14:30:00.000Z']);
    assert.deepEqual(abs('2024-08-08 14:49:02 UTC+0900 to 2024-08-08 15:49:02 UTC+0900'), [
      '2024-08-08T05:49:02.000Z',
      '2024-08-08T06:49:02.000Z',
    ]);
    assert.deepEqual(abs('2024/08/08 09:00:00 / 2024/08/08 10:00:00'), ['2024-08-08T09:00:00.000Z', '2024-08-08T10:00:00.000Z']);
    assert.deepEqual(abs('2024-08-08 2024-08-08T12:00Z'), ['2024-08-08T00:00:00.000Z', '2024-08-08T12:00:00.000Z']);
    assert.deepEqual(abs('Aug 8, 2024, 9:00:00 AM – Aug 8, 2024, 10:00:00 AM'), ['2024-08-08T09:00:00.000Z', '2024-08-08T10:00:00.000Z']);
  });
});
