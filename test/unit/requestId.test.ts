/**
 * Request IDs in real-world texts (docs/cloudtrail.md §7.1–7.3): SDK errors, CloudFormation status reasons,
 * dumps, headers, logs. Each row also checks the hints read around the chosen ID, since the two are
 * always used together. `‸` in a text marks the cursor and is removed before extraction.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectHints, type SearchHints } from '../../src/core/hints';
import {
  classifyRequestId,
  describeInvisibleRemoved,
  describeSetAside,
  extractRequestId,
  normalizeRequestId,
  sameRequestId,
  type RequestIdFormat,
} from '../../src/core/requestId';
import { SEED, rows } from './requestIdCases';
import { wildRows, type WildRow } from './requestIdCasesWild';

const NOW = new Date('2024-08-09T00:00:00Z');
function cursorOf(text: string): { text: string; cursor?: number } {
  const i = text.indexOf('‸');
  return i < 0 ? { text } : { text: text.slice(0, i) + text.slice(i + 1), cursor: i };
}

describe('extractRequestId + collectHints on real-world texts', () => {
  test('the table has at least 40 rows', () => assert.ok(rows.length >= 40, `${rows.length} rows`));
  for (const row of [...rows, ...wildRows] as WildRow[]) {
    test(row.name, () => {
      const { text, cursor } = cursorOf(row.text);
      const ex = extractRequestId(text, cursor);
      if (row.id === null) {
        assert.equal(ex.match, undefined, `expected no match, got ${ex.match?.id}`);
      } else {
        assert.ok(ex.match, 'expected a match');
        assert.equal(ex.match.id, row.id);
        assert.equal(text.slice(ex.match.start, ex.match.end).toLowerCase(), row.id.toLowerCase(), 'start/end cover the ID in the text');
        if (row.format) assert.equal(ex.match.format, row.format);
        if ('label' in row) assert.equal(ex.match.label, row.label);
        assert.equal(ex.candidates[0].id, row.id, 'the match leads the candidates');
      }
      for (const label of row.rejected ?? []) {
        const r = ex.rejected.find((x) => x.label === label);
        assert.ok(r, `expected ${label} in rejected: ${JSON.stringify(ex.rejected.map((x) => x.label))}`);
        assert.ok(r.reason.length > 10);
        assert.ok(!ex.candidates.some((c) => c.id === normalizeRequestId(r.id)), `${label} value must not be a candidate`);
      }
      for (const want of row.setAside ?? []) {
        const got = ex.setAside.find((x) => x.id === want.id);
        assert.ok(got, `expected ${want.id} set aside: ${JSON.stringify(ex.setAside)}`);
        assert.match(got.reason, want.reason);
        assert.equal(text.slice(got.start, got.end).toLowerCase(), want.id.toLowerCase(), 'set-aside span');
      }
      if (ex.match) assert.equal(ex.setAside.length, ex.candidates.length - 1, 'every other candidate is set aside, with a reason');
      else assert.deepEqual(ex.setAside, [], 'nothing is set aside without a match');
      if (row.cursorRejected) {
        assert.equal(ex.rejected[0]?.label, row.cursorRejected.label);
        assert.match(ex.rejected[0].reason, row.cursorRejected.reason);
        if (row.cursorRejected.offered) assert.equal(ex.candidates[0]?.id, row.cursorRejected.offered);
      }
      if (row.hints) {
        const h = collectHints(text, { around: ex.match?.start ?? cursor, now: NOW });
        const { time, ...rest } = row.hints;
        for (const [k, v] of Object.entries(rest)) assert.deepEqual(h[k as keyof SearchHints], v, `hint ${k}`);
        if (time) assert.equal(h.times[0]?.toISOString(), time);
      }
    });
  }
});

describe('cursor selection among several IDs', () => {
  const log = [
    '2024-08-08T05:40:00Z INFO call ok RequestId: 11111111-1111-4111-8111-111111111111',
    '2024-08-08T05:41:00Z WARN retrying, RequestId: 22222222-2222-4222-8222-222222222222 and job 33333333-3333-4333-8333-333333333333',
    '2024-08-08T05:42:00Z ERROR nothing here',
    '2024-08-08T05:43:00Z INFO RequestId: 44444444-4444-4444-8444-444444444444',
  ].join('\n');

  test('the ID the cursor is inside wins, labelled or not', () => {
    assert.equal(extractRequestId(log, log.indexOf('33333333') + 4).match?.id, '33333333-3333-4333-8333-333333333333');
    assert.equal(extractRequestId(log, log.indexOf('44444444') + 4).match?.id, '44444444-4444-4444-8444-444444444444');
  });

  test('cursor on the label counts as on the ID', () => {
    const at = log.indexOf('RequestId: 2222') + 3;
    assert.equal(extractRequestId(log, at).match?.id, '22222222-2222-4222-8222-222222222222');
  });

  test('else the nearest labelled ID on the same line, even when a bare UUID is nearer', () => {
    const line =
      'WARN RequestId: 22222222-2222-4222-8222-222222222222 retried for job 33333333-3333-4333-8333-333333333333 (attempt 2 of 3)';
    const text = `RequestId: 11111111-1111-4111-8111-111111111111\n${line}`;
    const at = text.length - 3; // on "of 3", nearer the bare job UUID
    assert.equal(extractRequestId(text, at).match?.id, '22222222-2222-4222-8222-222222222222');
    // A labelled ID on another line does not beat the same line's labelled one.
    assert.equal(extractRequestId(text, text.indexOf('WARN')).match?.id, '22222222-2222-4222-8222-222222222222');
  });

  test('else the nearest ID on any line (by characters, labels included)', () => {
    // Line 3 has none. From "nothing", line 2's trailing job ID is ~30 characters back; line 4's label ~40 ahead.
    const ex = extractRequestId(log, log.indexOf('nothing here'));
    assert.equal(ex.match?.id, '33333333-3333-4333-8333-333333333333');
    assert.deepEqual(
      ex.candidates.map((c) => c.id.slice(0, 4)),
      ['3333', '4444', '2222', '1111'],
      'candidates ordered by nearness to the cursor',
    );
    // From the end of line 3, line 4's label is nearer.
    assert.equal(extractRequestId(log, log.indexOf('nothing here') + 12).match?.id, '44444444-4444-4444-8444-444444444444');
  });

  test('without a cursor: labelled before bare, first in the document among equals', () => {
    assert.equal(extractRequestId(log).match?.id, '11111111-1111-4111-8111-111111111111');
  });

  test('candidates are distinct IDs', () => {
    const text = 'RequestId: aaaaaaaa-1111-4111-8111-111111111111\nx-amzn-RequestId: AAAAAAAA-1111-4111-8111-111111111111';
    const ex = extractRequestId(text);
    assert.equal(ex.candidates.length, 1);
  });
});

describe('classifyRequestId / normalizeRequestId', () => {
  const cases: Array<[string, RequestIdFormat | undefined]> = [
    ['abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e', 'uuid'],
    ['"ABC1D2E3-A1BC-1AB2-1234-12345AB6CD7E",', 'uuid'],
    ['MBHBER1HYTDVJ3RS', 's3'],
    ['mbhber1hytdvj3rs', 's3'],
    ['4442587FB7D0A2F9', 's3'],
    ['4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG', 'other'],
    ['null', undefined],
    ['***', undefined],
    ['hello', undefined],
    ['i-0123456789abcdef0', undefined],
    ['AKIAIOSFODNN7EXAMPLE', undefined],
    ['123456789012', undefined],
    ['arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', undefined],
    ['', undefined],
  ];
  for (const [id, format] of cases) test(`${JSON.stringify(id)} → ${format}`, () => assert.equal(classifyRequestId(id), format));

  test('normalises case and punctuation the way CloudTrail stores IDs', () => {
    assert.equal(normalizeRequestId(' "ABC1D2E3-A1BC-1AB2-1234-12345AB6CD7E"; '), 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e');
    assert.equal(normalizeRequestId("'mbhber1hytdvj3rs'"), 'MBHBER1HYTDVJ3RS');
    // Other shapes keep their case: some services' IDs are mixed-case.
    assert.equal(normalizeRequestId('AAABZpJrTyioDC_HsOmHae8EZp'), 'AAABZpJrTyioDC_HsOmHae8EZp');
    assert.ok(sameRequestId('ABC1D2E3-A1BC-1AB2-1234-12345AB6CD7E', 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e'));
    assert.ok(!sameRequestId('abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e', 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7f'));
  });
});

test('a large text is handled quickly (pure, linear-ish)', () => {
  const line = `2024-08-08T05:49:02Z ${SEED} {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}\n`;
  const big = line.repeat(2000); // ~700 KB
  const t0 = performance.now();
  const ex = extractRequestId(big, big.length / 2);
  const plain = extractRequestId(big);
  const h = collectHints(big, { around: ex.match?.start, now: NOW });
  const ms = performance.now() - t0;
  assert.equal(ex.match?.id, 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e');
  assert.equal(plain.match?.id, 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e');
  assert.equal(h.eventSource, 'backup.amazonaws.com');
  assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
});

test('pathological texts stay fast: one 1 MB line of UUIDs, a run of dots, a run of letters', () => {
  const uuid = '0f8e1d2c-3b4a-4596-8877-a6b5c4d3e2f1';
  const s3ish = `a${'A1'.repeat(500_000)}`; // the tag-stripped S3 body's shape, never ending
  const glued = `.${'A1B2C3D4E5F6G7H8'.repeat(60_000)}`;
  const prefixes = `${'2024-08-08T05:49:02.123Z '.repeat(40_000)}${uuid}`;
  for (const text of [
    `/${uuid}`.repeat(28_000),
    'a.'.repeat(500_000),
    'x'.repeat(1_000_000),
    `Request ID:${' '.repeat(100_000)}`,
    s3ish,
    glued,
    prefixes,
    `(${uuid}) `.repeat(25_000),
  ]) {
    const t0 = performance.now();
    const ex = extractRequestId(text, text.length >> 1);
    collectHints(text, { around: ex.match?.start, now: NOW });
    const ms = performance.now() - t0;
    assert.ok(ms < 4000, `${text.slice(0, 12)}…: ${ms.toFixed(0)} ms`);
  }
});

test('describeSetAside: one short line per set-aside ID, capped', () => {
  const text =
    ['a', 'b', 'c', 'd', 'e'].map((c, i) => `${c.repeat(8)}-1111-4111-8111-11111111111${i}`).join(' ') +
    ' RequestId: 99999999-8888-4777-8666-555555555555';
  const ex = extractRequestId(text);
  assert.equal(ex.match?.id, '99999999-8888-4777-8666-555555555555');
  const lines = describeSetAside(ex);
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^Set aside aaaaaaaa-1111-4111-8111-111111111110: a bare ID with no label/);
  assert.equal(lines[3], '… and 2 more');
  assert.deepEqual(describeSetAside(extractRequestId('nothing here')), []);
});

describe('invisible characters pasted into a request ID', () => {
  const ID = 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e';
  const cut = (ch: string) => SEED.replace(ID, `${ID.slice(0, 18)}${ch}${ID.slice(18)}`);
  const chars: Array<[string, string]> = [
    ['\u200b', 'U+200B'],
    ['\u200c', 'U+200C'],
    ['\u200d', 'U+200D'],
    ['\u200e', 'U+200E'],
    ['\u200f', 'U+200F'],
    ['\u202e', 'U+202E'],
    ['\u2066', 'U+2066'],
    ['\u2069', 'U+2069'],
    ['\u2060', 'U+2060'],
    ['\u00ad', 'U+00AD'],
    ['\ufeff', 'U+FEFF'],
    ['\u00a0', 'U+00A0'],
    ['\u202f', 'U+202F'],
    ['\u2007', 'U+2007'],
  ];
  for (const [ch, code] of chars) {
    test(`${code} inside the ID: the whole ID is found, its span covers the pasted text, and the character is named`, () => {
      const text = cut(ch);
      const at = text.indexOf(ch);
      const ex = extractRequestId(text);
      assert.equal(ex.match?.id, ID);
      assert.equal(text.slice(ex.match.start, ex.match.end), `${ID.slice(0, 18)}${ch}${ID.slice(18)}`);
      assert.deepEqual(
        ex.invisible.map((c) => [c.at, c.code]),
        [[at, code]],
      );
      assert.match(
        describeInvisibleRemoved(ex) ?? '',
        new RegExp(
          `Removed 1 invisible character from the text: ${code.replace('+', '\\+')} .* at offset ${at} \\(inside the request ID\\)`,
        ),
      );
    });
  }

  test('several, around and inside: cursor offsets stay those of the text as given', () => {
    const text = `\ufeff\u200fRequest ID:\u00a0${ID.slice(0, 8)}\u200b${ID.slice(8, 30)}\u2060${ID.slice(30)}\u200e and RequestToken: a1234bc5-1a23-1234-1234-123456789a01`;
    const inside = text.indexOf(ID.slice(8, 12)) + 2;
    const ex = extractRequestId(text, inside);
    assert.equal(ex.match?.id, ID);
    assert.equal(ex.match.label, 'Request ID');
    assert.equal(text.slice(ex.match.start, ex.match.end).replace(/[\u200b\u2060]/g, ''), ID);
    assert.equal(text[ex.match.start], 'a');
    assert.equal(text[ex.match.end - 1], 'e');
    // The no-break space between the label and the ID is a space, not removed.
    assert.equal(ex.invisible.length, 5);
    assert.ok(!ex.invisible.some((c) => c.code === 'U+00A0'));
    // A cursor on the RequestToken (an offset in the original text) is still on it.
    const onToken = extractRequestId(text, text.indexOf('a1234bc5') + 3);
    assert.equal(onToken.match, undefined);
    assert.equal(onToken.rejected[0].label, 'RequestToken');
    assert.equal(text.slice(onToken.rejected[0].start, onToken.rejected[0].end), 'a1234bc5-1a23-1234-1234-123456789a01');
  });

  test('a no-break space between words stays a word break', () => {
    const text = `failed\u00a0${ID}\u00a0retry`;
    const ex = extractRequestId(text);
    assert.equal(ex.match?.id, ID);
    assert.deepEqual(ex.invisible, []);
    assert.equal(describeInvisibleRemoved(ex), undefined);
  });

  test('hints read past invisible characters, around an offset in the text as given', () => {
    const text = `2024-08-08T05:49:02Z\u200b (Service:\u200b Backup, Status Code: 400, Request ID: ${ID.slice(0, 4)}\u200b${ID.slice(4)})`;
    const ex = extractRequestId(text);
    const h = collectHints(text, { around: ex.match?.start, now: NOW });
    assert.equal(h.eventSource, 'backup.amazonaws.com');
    assert.equal(h.times[0]?.toISOString(), '2024-08-08T05:49:02.000Z');
  });

  test('a long text full of invisible characters stays linear', () => {
    const text = `${'\u200b\u00a0x-'.repeat(200_000)} Request ID: ${ID}`;
    const t0 = performance.now();
    const ex = extractRequestId(text, text.length - 3);
    const ms = performance.now() - t0;
    assert.equal(ex.match?.id, ID);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });
});
