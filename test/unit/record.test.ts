import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrailLensError } from '../../src/core/errors';
import { isRecord, parseRecordsText, parseRecordsValue, recordFromLookupEvent, sortNewestFirst } from '../../src/core/record';
import type { CloudTrailRecord } from '../../src/core/record';

const FIXTURES = join(__dirname, '..', 'fixtures', 'records');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const parseFixture = (name: string) => parseRecordsText(fixture(name), name);

const VAULT_EVENT = 'd1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f02';
const KEY_ID = '9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e6f';

function parseError(fn: () => unknown): TrailLensError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TrailLensError, `expected TrailLensError, got ${String(err)}`);
    assert.equal(err.code, 'ParseError');
    return err;
  }
  assert.fail('expected a ParseError');
}

describe('parseRecordsText: every input shape', () => {
  test('trail log file {"Records":[…]}', () => {
    const parsed = parseFixture('trail-log.json');
    assert.equal(parsed.kind, 'trail-log');
    assert.deepEqual(
      parsed.records.map((r) => r.eventName),
      ['GetBucketReplication', 'GetPolicy20150331v2', 'GetBucketCors'],
    );
    assert.equal(parsed.records[1].userIdentity?.sessionContext?.sessionIssuer?.userName, 'AWSServiceRoleForConfig');
  });

  test('lookup-events output from CLI v2 (ISO times with offsets): the record comes from CloudTrailEvent', () => {
    const parsed = parseFixture('lookup-events-cli-v2.json');
    assert.equal(parsed.kind, 'lookup-events');
    assert.equal(parsed.records.length, 3);
    const vault = parsed.records[0];
    assert.equal(vault.eventID, VAULT_EVENT);
    assert.equal(vault.eventTime, '2024-08-08T05:49:02Z');
    assert.equal(vault.requestID, 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e');
    assert.equal((vault.requestParameters as Record<string, unknown>).encryptionKeyArn, KEY_ID);
    assert.equal(parsed.records[2].eventSource, 'ec2.amazonaws.com');
  });

  test('lookup-events output from CLI v1 (epoch seconds)', () => {
    const parsed = parseFixture('lookup-events-cli-v1.json');
    assert.equal(parsed.kind, 'lookup-events');
    assert.deepEqual(
      parsed.records.map((r) => r.eventName),
      ['CreateBackupVault', 'CreateKey'],
    );
    const keyMetadata = (parsed.records[1].responseElements as { keyMetadata: { keyId: string } }).keyMetadata;
    assert.equal(keyMetadata.keyId, KEY_ID);
  });

  test('a bare array of records, and of lookup events', () => {
    const records = parseFixture('array-of-records.json');
    assert.equal(records.kind, 'array');
    assert.deepEqual(
      records.records.map((r) => r.eventName),
      ['CreateBackupVault', 'CreateKey'],
    );
    const events = parseFixture('array-of-lookup-events.json');
    assert.equal(events.kind, 'array');
    assert.equal(events.records[0].eventName, 'DescribeVolumes');
    assert.equal(events.records[0].userIdentity?.invokedBy, 'mgn.amazonaws.com');
  });

  test('a single record (pretty-printed, with a byte order mark)', () => {
    const parsed = parseRecordsText('\ufeff' + fixture('single-record.json'), 'single-record.json');
    assert.equal(parsed.kind, 'record');
    assert.equal(parsed.records.length, 1);
    assert.equal(parsed.records[0].errorCode, 'InvalidParameterValueException');
  });

  test('a digest file is recognised and gives no records', () => {
    assert.deepEqual(parseFixture('digest.json'), { kind: 'digest', records: [] });
  });

  test('an empty Records array is a valid, empty trail log', () => {
    assert.deepEqual(parseRecordsText('{"Records":[]}', 'x.json'), { kind: 'trail-log', records: [] });
  });

  test('an EventBridge "AWS API Call via CloudTrail" event yields its detail', () => {
    const record = JSON.parse(fixture('single-record.json'));
    const parsed = parseRecordsValue({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.backup', detail: record }, 'eb');
    assert.equal(parsed.kind, 'record');
    assert.equal(parsed.records[0].eventID, VAULT_EVENT);
  });
});

describe('parseRecordsText: errors a person can act on', () => {
  test('malformed JSON names the file, line and column (V8 gives a position)', () => {
    const err = parseError(() => parseFixture('malformed.json'));
    // the missing comma is noticed at the next property, line 7 column 7
    assert.match(err.message, /^malformed\.json:7:7: invalid JSON: Expected ',' or '}' after property value\.$/);
  });

  test('malformed JSON where V8 gives no position is located by scanning', () => {
    // line 4 is `      "readOnly": tru,`: V8 reports the ',' that cuts the literal short, at column 22
    const err = parseError(() => parseFixture('malformed-token.json'));
    assert.match(err.message, /^malformed-token\.json:4:22: invalid JSON: Unexpected token ','\.$/);
    assert.doesNotMatch(err.message, /is not valid JSON/, 'the echo of the input is dropped');
  });

  test('truncated JSON points at the end of the text', () => {
    const text = fixture('truncated.json');
    const lines = text.split('\n');
    const err = parseError(() => parseRecordsText(text, 'truncated.json'));
    assert.ok(err.message.startsWith(`truncated.json:${lines.length}:${lines[lines.length - 1].length + 1}: invalid JSON`), err.message);
  });

  test('an empty file says it is empty', () => {
    assert.match(parseError(() => parseRecordsText('  \n', 'empty.json')).message, /empty\.json is empty/);
  });

  test('a malformed CloudTrailEvent names the file and the event', () => {
    const err = parseError(() => parseFixture('bad-cloudtrailevent.json'));
    assert.match(
      err.message,
      /^bad-cloudtrailevent\.json: Events\[1\]: the CloudTrailEvent of event d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f02 is not valid JSON/,
    );
  });

  test('CloudTrail Lake results are refused: rows are not full records', () => {
    const err = parseError(() => parseFixture('lake-results.json'));
    assert.match(err.message, /CloudTrail Lake query result.*not full CloudTrail records/);
    assert.ok(err.hint);
  });

  test('JSON of no known shape lists the accepted shapes', () => {
    for (const [text, name] of [
      [fixture('unknown-shape.json'), 'unknown-shape.json'],
      ['42', 'n.json'],
      ['null', 'null.json'],
    ]) {
      const err = parseError(() => parseRecordsText(text, name));
      assert.ok(err.message.startsWith(name), err.message);
      assert.match(err.message, /\{"Records":\[…\]\}.*\{"Events":\[…\]\}.*single CloudTrail record/);
    }
  });

  test('a non-record inside Records names its index', () => {
    const err = parseError(() =>
      parseRecordsText(
        '{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventID":"a","eventSource":"s3.amazonaws.com","eventName":"X"},{"foo":1}]}',
        'f.json',
      ),
    );
    assert.match(err.message, /^f\.json: Records\[1\] is not a CloudTrail record/);
  });
});

describe('recordFromLookupEvent', () => {
  const record = JSON.parse(fixture('single-record.json')) as CloudTrailRecord;

  test('takes the record from CloudTrailEvent (SDK shape, EventTime a Date)', () => {
    const out = recordFromLookupEvent({
      EventId: record.eventID,
      EventName: 'CreateBackupVault',
      EventTime: new Date('2024-08-08T05:49:02Z'),
      CloudTrailEvent: JSON.stringify(record),
    });
    assert.deepEqual(out, record);
  });

  test('fills only missing envelope fields, converting EventTime from epoch, Date or ISO with an offset', () => {
    const { eventID: _id, eventTime: _t, ...rest } = record;
    const inner = JSON.stringify(rest);
    for (const EventTime of [1723096142, new Date('2024-08-08T05:49:02.250Z'), '2024-08-08T14:49:02+09:00', '1723096142.0']) {
      const out = recordFromLookupEvent({ EventId: 'e-1', EventTime, CloudTrailEvent: inner });
      assert.equal(out.eventTime, '2024-08-08T05:49:02Z');
      assert.equal(out.eventID, 'e-1');
    }
  });

  test('missing or malformed CloudTrailEvent is a ParseError naming the event', () => {
    assert.match(parseError(() => recordFromLookupEvent({ EventId: 'abc' })).message, /event abc has no CloudTrailEvent/);
    assert.match(
      parseError(() => recordFromLookupEvent({ EventId: 'abc', CloudTrailEvent: '{"eventTime":' })).message,
      /CloudTrailEvent of event abc is not valid JSON/,
    );
    assert.match(parseError(() => recordFromLookupEvent({ EventId: 'abc', CloudTrailEvent: '[1]' })).message, /not a JSON object/);
  });

  test('parseRecordsValue accepts an SDK LookupEvents response (Dates, $metadata)', () => {
    const parsed = parseRecordsValue(
      {
        $metadata: { httpStatusCode: 200 },
        Events: [{ EventId: record.eventID, EventTime: new Date(), CloudTrailEvent: JSON.stringify(record) }],
      },
      'LookupEvents',
    );
    assert.equal(parsed.kind, 'lookup-events');
    assert.equal(parsed.records[0].eventID, VAULT_EVENT);
  });
});

describe('isRecord and sortNewestFirst', () => {
  test('isRecord needs eventTime, eventID and eventSource+eventName or eventType', () => {
    assert.ok(isRecord({ eventTime: 't', eventID: 'i', eventSource: 's', eventName: 'n' }));
    assert.ok(isRecord({ eventTime: 't', eventID: 'i', eventType: 'AwsCloudTrailInsight' }), 'Insights records have no names');
    assert.ok(!isRecord({ eventTime: 't', eventSource: 's', eventName: 'n' }));
    assert.ok(!isRecord({ eventID: 'i', eventSource: 's', eventName: 'n' }));
    assert.ok(!isRecord({ eventTime: 't', eventID: 'i', eventSource: 's' }));
    assert.ok(!isRecord(null));
    assert.ok(!isRecord([{ eventTime: 't', eventID: 'i', eventType: 'x' }]));
  });

  test('sorts by eventTime descending, then eventID, without touching the input', () => {
    const mk = (eventTime: string, eventID: string): CloudTrailRecord => ({ eventTime, eventID, eventSource: 's', eventName: 'n' });
    const input = [mk('2024-01-01T00:00:00Z', 'b'), mk('2024-01-02T00:00:00Z', 'z'), mk('2024-01-01T00:00:00Z', 'a'), mk('bad', 'q')];
    const copy = [...input];
    const sorted = sortNewestFirst(input);
    assert.deepEqual(
      sorted.map((r) => r.eventID),
      ['z', 'a', 'b', 'q'],
    );
    assert.deepEqual(input, copy);
    assert.notEqual(sorted, input);
  });
});
