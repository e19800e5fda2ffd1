/**
 * Both directions of the webview protocol (src/protocol/protocol.ts): the host's guard on what the
 * webview posts, and the webview's guard on what arrives in its window (webview/hostMessage.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HostMessage } from '../../src/protocol/protocol';
import {
  MAX_FOLLOWED_PATHS,
  MAX_LABEL,
  MAX_MESSAGE_TEXT,
  MAX_RECORD_JSON,
  parseWebviewMessage,
  showMessage,
} from '../../src/protocol/protocol';

// webview/ is an ES module package (webview/package.json); a dynamic import reaches it from here.
async function hostParser(): Promise<(raw: unknown) => HostMessage | undefined> {
  const mod = (await import('../../webview/hostMessage.js')) as { parseHostMessage: (raw: unknown) => HostMessage | undefined };
  return mod.parseHostMessage;
}

describe('parseWebviewMessage (host side)', () => {
  test('accepts every valid message and returns a fresh object', () => {
    const valid = [
      { type: 'ready' },
      { type: 'togglePin' },
      { type: 'openJson' },
      { type: 'revealInTree' },
      { type: 'copy', text: 'requestParameters.encryptionKeyArn', what: 'path' },
      { type: 'copy', text: '9z8yxw7u-987z-98zy-z987-9z87y65x4321', what: 'value' },
      { type: 'copy', text: '{"eventName":"CreateBackupVault"}', what: 'record' },
      { type: 'copy', text: '', what: 'value' },
      { type: 'copy', text: 'x'.repeat(MAX_MESSAGE_TEXT), what: 'value' },
      { type: 'findValue', value: '9z8yxw7u-987z-98zy-z987-9z87y65x4321' },
      { type: 'navigate', to: 'back' },
      { type: 'navigate', to: 'forward' },
      { type: 'investigate', action: 'related' },
      { type: 'investigate', action: 'history' },
      { type: 'investigate', action: 'copyMarkdown' },
    ];
    for (const msg of valid) {
      const parsed = parseWebviewMessage(msg);
      assert.deepEqual(parsed, msg, JSON.stringify(msg).slice(0, 80));
      assert.notEqual(parsed, msg, 'a copy, so nothing else rides along');
      assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    }
  });

  test('rejects non-objects', () => {
    for (const raw of [undefined, null, 0, 42, true, 'ready', '{"type":"ready"}', [], [{ type: 'ready' }], () => ({ type: 'ready' })]) {
      assert.equal(parseWebviewMessage(raw), undefined, String(raw));
    }
  });

  test('rejects unknown types and extra keys', () => {
    const bad: unknown[] = [
      {},
      { type: 'nope' },
      { type: 'READY' },
      { type: 'show' }, // a host-to-webview type
      { type: 'ready', extra: 1 },
      { type: 'togglePin', pinned: true },
      { type: 'copy', text: 'x', what: 'value', path: 'a' },
      { type: 'findValue', value: 'x', events: [] },
      { type: 'navigate', to: 'back', steps: 2 },
      { type: 'investigate', action: 'related', record: {} },
    ];
    for (const raw of bad) assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
  });

  test('rejects wrong types and missing fields', () => {
    const bad: unknown[] = [
      { type: 'copy', text: 5, what: 'value' },
      { type: 'navigate' },
      { type: 'navigate', to: 'up' },
      { type: 'navigate', to: -1 },
      { type: 'copy', text: null, what: 'value' },
      { type: 'copy', text: ['x'], what: 'value' },
      { type: 'copy', text: new String('x'), what: 'value' },
      { type: 'copy', text: 'x' },
      { type: 'copy', what: 'value' },
      { type: 'copy', text: 'x', what: 'all' },
      { type: 'copy', text: 'x', what: 'Value' },
      { type: 'findValue' },
      { type: 'findValue', value: '' },
      { type: 'findValue', value: 7 },
      { type: 'findValue', value: { toString: () => 'x' } },
      { type: new String('ready') },
      { type: 'investigate' },
      { type: 'investigate', action: 'exportAll' },
      { type: 'investigate', action: 'Related' },
    ];
    for (const raw of bad) assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
  });

  test('rejects oversized text', () => {
    const big = 'x'.repeat(MAX_MESSAGE_TEXT + 1);
    assert.equal(parseWebviewMessage({ type: 'copy', text: big, what: 'value' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'findValue', value: big }), undefined);
  });

  test('refuses prototype-pollution payloads that a naive merge would act on', () => {
    const viaProto = [
      '{"type":"ready","__proto__":{"polluted":true}}',
      '{"type":"copy","text":"x","what":"value","__proto__":{"polluted":true}}',
    ];
    for (const json of viaProto) {
      // The payload is really hostile: copying it onto an object swaps that object's prototype.
      assert.equal((Object.assign({}, JSON.parse(json)) as Record<string, unknown>).polluted, true, json);
      assert.equal(parseWebviewMessage(JSON.parse(json) as unknown), undefined, json);
    }
    for (const json of [
      '{"type":"copy","text":"x","what":"value","constructor":{"prototype":{"polluted":true}}}',
      '{"type":"findValue","value":"x","prototype":{"polluted":true}}',
    ]) {
      assert.equal(parseWebviewMessage(JSON.parse(json) as unknown), undefined, json);
    }
  });
});

describe('parseHostMessage (webview side)', () => {
  const record = { eventID: 'e1', eventName: 'CreateBackupVault', eventSource: 'backup.amazonaws.com', eventTime: '2024-08-08T05:49:02Z' };

  test('accepts show and setPinned', async () => {
    const parse = await hostParser();
    const context = { source: 'lookup' as const, profile: 'dev', region: 'ap-northeast-1' };
    assert.deepEqual(parse(showMessage(record, context, false)), { type: 'show', record, context, pinned: false });
    assert.deepEqual(
      parse({ type: 'show', recordJson: '{"eventType":"AwsCloudTrailInsight"}', context: { source: 'file' }, pinned: true }),
      {
        type: 'show',
        record: { eventType: 'AwsCloudTrailInsight' },
        context: { source: 'file' },
        pinned: true,
      },
    );
    assert.deepEqual(parse({ type: 'setPinned', pinned: true }), { type: 'setPinned', pinned: true });
  });

  test('show carries the panel history and the followed value', async () => {
    const parse = await hostParser();
    const context = { source: 'sample' as const };
    const nav = { back: 'CreateBackupVault · 05:49:02' };
    const followed = {
      value: 'k-1',
      from: 'CreateBackupVault · 05:49:02',
      role: 'produced' as const,
      paths: ['responseElements.keyMetadata.keyId'],
    };
    const msg = showMessage(record, context, false, { nav, followed });
    assert.deepEqual(parse(msg), { type: 'show', record, context, pinned: false, nav, followed });
    assert.deepEqual(
      parse(showMessage(record, context, true, { nav: {} })),
      { type: 'show', record, context, pinned: true },
      'an empty history is left out',
    );
    assert.deepEqual(parse(showMessage(record, context, false, { nav: { forward: 'CreateKey · 05:10:00' } }))?.type, 'show');
  });

  test('refuses a malformed history or followed value', async () => {
    const parse = await hostParser();
    const base = { type: 'show', recordJson: JSON.stringify(record), context: { source: 'lookup' }, pinned: false };
    const followed = { value: 'k-1', from: 'x', role: 'produced', paths: ['responseElements.keyId'] };
    assert.equal(parse({ ...base, followed })?.type, 'show');
    const bad: unknown[] = [
      { ...base, nav: null },
      { ...base, nav: { back: 1 } },
      { ...base, nav: { back: 'x', up: 'y' } },
      { ...base, nav: { back: 'x'.repeat(MAX_LABEL + 1) } },
      { ...base, followed: 'k-1' },
      { ...base, followed: { ...followed, value: '' } },
      { ...base, followed: { ...followed, role: 'stolen' } },
      { ...base, followed: { ...followed, paths: 'responseElements.keyId' } },
      { ...base, followed: { ...followed, paths: [7] } },
      { ...base, followed: { ...followed, paths: Array.from({ length: MAX_FOLLOWED_PATHS + 1 }, () => 'a') } },
      { ...base, followed: { ...followed, html: '<b>' } },
    ];
    for (const raw of bad) assert.equal(parse(raw), undefined, JSON.stringify(raw).slice(0, 160));
  });

  test('show carries a record nested thousands of levels deep, which postMessage could not clone', async () => {
    const parse = await hostParser();
    let deep: unknown = { leaf: 'bottom' };
    for (let i = 0; i < 20_000; i++) deep = i % 2 ? { n: deep } : [deep];
    const msg = showMessage({ ...record, requestParameters: { deep } }, { source: 'file' }, false);
    assert.equal(msg.type, 'show');
    const parsed = parse(msg);
    assert.equal(parsed?.type, 'show');
    let v = (parsed as Extract<HostMessage, { type: 'show' }>).record.requestParameters as Record<string, unknown> | unknown[];
    v = (v as Record<string, unknown>).deep as unknown[];
    let levels = 0;
    while (!('leaf' in v)) {
      v = (Array.isArray(v) ? v[0] : v.n) as Record<string, unknown> | unknown[];
      levels++;
    }
    assert.equal(levels, 20_000);
    assert.equal((v as Record<string, unknown>).leaf, 'bottom');
  });

  test('ignores malformed messages', async () => {
    const parse = await hostParser();
    const ctx = { source: 'lookup' };
    const json = JSON.stringify(record);
    const bad: unknown[] = [
      null,
      'show',
      [],
      { type: 'ready' },
      { type: 'show', record, context: ctx, pinned: false }, // the record as an object, not JSON text
      { type: 'show', recordJson: json, context: ctx },
      { type: 'show', recordJson: json, context: ctx, pinned: 'yes' },
      { type: 'show', recordJson: json, context: ctx, pinned: false, extra: 1 },
      { type: 'show', recordJson: record, context: ctx, pinned: false },
      { type: 'show', recordJson: 'null', context: ctx, pinned: false },
      { type: 'show', recordJson: '{"eventName":', context: ctx, pinned: false },
      { type: 'show', recordJson: JSON.stringify([record]), context: ctx, pinned: false },
      { type: 'show', recordJson: JSON.stringify(new Date()), context: ctx, pinned: false },
      { type: 'show', recordJson: JSON.stringify({ ...record, eventName: 7 }), context: ctx, pinned: false },
      { type: 'show', recordJson: JSON.stringify({ ...record, errorMessage: { html: '<b>' } }), context: ctx, pinned: false },
      { type: 'show', recordJson: `{"eventName":"${'x'.repeat(MAX_RECORD_JSON)}"}`, context: ctx, pinned: false },
      { type: 'show', recordJson: json, context: { source: 'evil' }, pinned: false },
      { type: 'show', recordJson: json, context: { source: 'lookup', profile: 1 }, pinned: false },
      { type: 'show', recordJson: json, context: { source: 'lookup', extra: 'x' }, pinned: false },
      { type: 'show', recordJson: json, context: null, pinned: false },
      { type: 'setPinned' },
      { type: 'setPinned', pinned: 1 },
      { type: 'setPinned', pinned: true, extra: 1 },
      JSON.parse('{"type":"setPinned","pinned":true,"__proto__":{"polluted":true}}') as unknown,
      JSON.parse(
        `{"type":"show","recordJson":${JSON.stringify(json)},"context":{"source":"lookup","__proto__":{"polluted":true}},"pinned":false}`,
      ) as unknown,
    ];
    for (const raw of bad) assert.equal(parse(raw), undefined, JSON.stringify(raw).slice(0, 120));
  });
});
