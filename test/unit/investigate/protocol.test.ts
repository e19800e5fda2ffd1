/** The messages value provenance adds to the panel protocol, validated on both sides. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HostMessage } from '../../../src/protocol/protocol';
import {
  MAX_CONTEXT_VALUE,
  MAX_LABEL,
  MAX_SHAPE_HINTS,
  parseValueContext,
  parseWebviewMessage,
  shapeHintsMessage,
  showMessage,
} from '../../../src/protocol/protocol';
import type { CloudTrailRecord } from '../../../src/core/record';

async function hostParser(): Promise<(raw: unknown) => HostMessage | undefined> {
  const mod = (await import('../../../webview/hostMessage.js')) as { parseHostMessage: (raw: unknown) => HostMessage | undefined };
  return mod.parseHostMessage;
}

const ARN = 'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const hint = { path: 'requestParameters.encryptionKeyArn', arn: ARN, source: 'CreateKey 2024-08-08 14:48:55' };

describe('traceValue (webview → host)', () => {
  test('a non-empty value, nothing else', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'traceValue', value: 'k' }), { type: 'traceValue', value: 'k' });
    assert.equal(parseWebviewMessage({ type: 'traceValue', value: '' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'traceValue', value: 5 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'traceValue', value: 'k', path: 'x' }), undefined);
  });
});

describe('parseValueContext (the webview context menu argument)', () => {
  test('the row’s context merged with VS Code’s keys gives the value', () => {
    assert.deepEqual(parseValueContext({ webview: 'trailLens.event', webviewSection: 'value', value: 'abc' }), { value: 'abc' });
  });
  test('anything else is refused', () => {
    for (const raw of [
      undefined,
      null,
      'value',
      [],
      { webviewSection: 'other', value: 'abc' },
      { webviewSection: 'value' },
      { webviewSection: 'value', value: '' },
      { webviewSection: 'value', value: 7 },
      { webviewSection: 'value', value: 'x'.repeat(MAX_CONTEXT_VALUE + 1) },
    ]) {
      assert.equal(parseValueContext(raw), undefined, JSON.stringify(raw)?.slice(0, 80));
    }
  });
});

describe('shapeHints (host → webview)', () => {
  test('shapeHintsMessage bounds what it sends; the page accepts it', async () => {
    const parse = await hostParser();
    const long = { ...hint, arn: `${ARN}${'x'.repeat(MAX_LABEL)}` };
    const many = Array.from({ length: MAX_SHAPE_HINTS + 5 }, () => hint);
    const msg = shapeHintsMessage('e1', [long, ...many]);
    assert.equal(msg.hints.length, MAX_SHAPE_HINTS);
    assert.ok(msg.hints.every((h) => h.arn === ARN));
    assert.deepEqual(parse(msg), msg);
  });

  test('the page refuses malformed hints', async () => {
    const parse = await hostParser();
    const bad = [
      { type: 'shapeHints', eventId: 'e1', hints: [{ ...hint, arn: 1 }] },
      { type: 'shapeHints', eventId: 'e1', hints: [{ ...hint, extra: true }] },
      { type: 'shapeHints', eventId: 'e1', hints: 'x' },
      { type: 'shapeHints', eventId: 5, hints: [] },
      { type: 'shapeHints', eventId: 'e1', hints: [], more: 1 },
      { type: 'shapeHints', eventId: 'e1', hints: Array.from({ length: MAX_SHAPE_HINTS + 1 }, () => hint) },
    ];
    for (const raw of bad) assert.equal(parse(raw), undefined, JSON.stringify(raw).slice(0, 80));
  });

  test('a followed value may carry the ARN beside it; an over-long one is dropped by the host and refused by the page', async () => {
    const parse = await hostParser();
    const record = {
      eventTime: '2024-08-08T05:48:55Z',
      eventID: 'k1',
      eventSource: 'kms.amazonaws.com',
      eventName: 'CreateKey',
    } as CloudTrailRecord;
    const followed = {
      value: 'v',
      from: 'CreateBackupVault',
      role: 'produced' as const,
      paths: ['responseElements.keyMetadata.keyId'],
      arn: ARN,
    };
    const msg = showMessage(record, { source: 'sample' }, false, { followed });
    const parsed = parse(msg);
    assert.ok(parsed?.type === 'show');
    assert.equal(parsed.followed?.arn, ARN);
    const tooLong = showMessage(record, { source: 'sample' }, false, { followed: { ...followed, arn: 'a'.repeat(MAX_LABEL + 1) } });
    assert.ok(tooLong.type === 'show' && tooLong.followed && !('arn' in tooLong.followed));
    assert.equal(parse({ ...msg, followed: { ...followed, arn: 7 } }), undefined);
  });
});
