/**
 * Which texts make the jump ask the person to choose among request IDs, and which open an event by
 * its event ID instead (core/requestChoice.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { choicesIn, eventIdIn, isEventId } from '../../src/core/requestChoice';
import { extractRequestId } from '../../src/core/requestId';

const A = '1a2b3c4d-0000-4000-8000-00000000000a';
const B = '1a2b3c4d-0000-4000-8000-00000000000b';

function choices(text: string) {
  return choicesIn(text, extractRequestId(text));
}

describe('choicesIn', () => {
  test('two request IDs with nothing to say which failed: both offered, the preferred first, each other with why it ranks below', () => {
    const text = `Request ID: ${A}\nretrying after ${B}`;
    const c = choices(text);
    assert.ok(c, 'asks');
    assert.deepEqual(
      c.map((x) => x.id),
      [A, B],
    );
    assert.equal(c[0].label, 'Request ID');
    assert.equal(c[0].reason, '');
    assert.equal(c[1].label, undefined);
    assert.match(c[1].reason, /bare ID with no label/);
    assert.equal(text.slice(c[1].start, c[1].end), B, 'offsets in the text');
  });

  test('two labelled IDs in a plain log: asks', () => {
    const c = choices(`x-amzn-RequestId: ${A}\nx-amzn-RequestId: ${B}`);
    assert.deepEqual(
      c?.map((x) => x.id),
      [A, B],
    );
    assert.match(c[1].reason, /same rank as the chosen ID, which comes first/);
  });

  test('Request ID inside (Service: …): the failing call is clear, no question (the others stay in the notes)', () => {
    const text = `Resource handler returned message: "Invalid key (Service: Backup, Status Code: 400, Request ID: ${A})" (RequestToken: ${B}) x-amzn-RequestId: 1a2b3c4d-0000-4000-8000-00000000000c`;
    const ext = extractRequestId(text);
    assert.equal(ext.match?.id, A);
    assert.ok(ext.setAside.length > 0, 'another candidate was set aside');
    assert.equal(choicesIn(text, ext), undefined);
  });

  test("Go's operation error names the failing call: no question", () => {
    const text = `operation error KMS: CreateKey, https response error StatusCode: 400, RequestID: ${A}, api error\nprevious RequestID: ${B}`;
    assert.equal(extractRequestId(text).match?.id, A);
    assert.equal(choices(text), undefined);
  });

  test("the Java SDK's per-attempt AWS Request IDs: the last try is the error reported, no question", () => {
    const text = `AWS Service: AmazonS3, AWS Request ID: ABCDEF0123456789, Error Code: SlowDown\nAWS Service: AmazonS3, AWS Request ID: 0123456789ABCDEF, Error Code: AccessDenied`;
    assert.ok(extractRequestId(text).setAside.length === 1);
    assert.equal(choices(text), undefined);
  });

  test('one ID: nothing to choose', () => {
    assert.equal(choices(`Request ID: ${A}`), undefined);
    assert.equal(choices(A), undefined);
  });
});

describe('eventIdIn', () => {
  test('a labelled event ID (JSON key or log label) is offered for an EventId lookup', () => {
    for (const text of [`"eventID": "${A}"`, `EventId: ${A}`, `event_id=${A}`]) {
      const ext = extractRequestId(text);
      assert.equal(ext.match, undefined, text);
      assert.equal(eventIdIn(ext)?.id, A, text);
    }
  });

  test('not a sharedEventID, nor when the text also holds a request ID (that one is searched)', () => {
    const shared = extractRequestId(`"sharedEventID": "${A}"`);
    assert.equal(eventIdIn(shared), undefined);
    assert.ok(shared.rejected[0] && !isEventId(shared.rejected[0]));
    const record = extractRequestId(`{"eventID": "${A}", "requestID": "${B}"}`);
    assert.equal(record.match?.id, B);
    assert.equal(eventIdIn(record), undefined);
  });
});
