/**
 * RecordSplitter and NeedleScanner (core/recordStream.ts): the records of a trail log file out of a
 * stream of chunks cut anywhere, the same bytes JSON.parse would see, and damage named.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NeedleScanner, RecordSplitter, rarestAt } from '../../src/core/recordStream';
import { TrailLensError } from '../../src/core/errors';

/** Feeds `text` in chunks of `size` bytes and returns the parsed records. */
function split(text: string | Buffer, size: number, name = 'f.json'): unknown[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const s = new RecordSplitter(name);
  const out: unknown[] = [];
  for (let i = 0; i < bytes.length; i += size)
    for (const r of s.write(bytes.subarray(i, i + size))) out.push(JSON.parse(r.toString('utf8')));
  s.end();
  assert.equal(s.records, out.length);
  return out;
}

const TRICKY = [
  { eventID: 'a', eventName: 'PutObject', requestParameters: { key: 'x"}]{[\\', nested: [{ a: [1, { b: '}' }] }] } },
  { eventID: 'b', errorMessage: 'ends with a backslash \\', Records: [{ not: 'these' }] },
  { eventID: 'c', text: '\\\\"\\"', unicode: 'キー 🔑 \u2028', empty: {}, list: [] },
  { eventID: 'd', n: -1.5e3, t: true, f: false, z: null },
];

describe('RecordSplitter', () => {
  test('every chunk size gives the records JSON.parse gives', () => {
    const text = JSON.stringify({ Records: TRICKY });
    for (let size = 1; size <= text.length; size++) assert.deepEqual(split(text, size), TRICKY, `chunk size ${size}`);
  });

  test('pretty-printed files, a bare array, and "Records" after other keys', () => {
    assert.deepEqual(split(JSON.stringify({ Records: TRICKY }, null, 2), 5), TRICKY);
    assert.deepEqual(split(JSON.stringify(TRICKY), 3), TRICKY);
    const other = `{"Other":[{"x":1}],"meta":{"Records":[{"no":1}]},"Records" :\n [${TRICKY.map((r) => JSON.stringify(r)).join(' , ')}]}`;
    assert.deepEqual(split(other, 4), TRICKY);
    assert.deepEqual(split('{"Records":[]}', 1), []);
  });

  test('random records cut at random places', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const chars = ['a', '"', '\\', '{', '}', '[', ']', ':', ',', ' ', 'é', '\n'];
    const str = () => Array.from({ length: rnd(12) }, () => chars[rnd(chars.length)]).join('');
    const value = (d: number): unknown =>
      d > 3 || rnd(3) === 0
        ? str()
        : rnd(2)
          ? Object.fromEntries(Array.from({ length: rnd(4) }, () => [str(), value(d + 1)]))
          : [value(d + 1), rnd(100)];
    for (let round = 0; round < 200; round++) {
      const records = Array.from({ length: rnd(6) }, () => ({ eventID: str(), body: value(0) }));
      const text = JSON.stringify({ Records: records });
      const bytes = Buffer.from(text);
      const s = new RecordSplitter('r.json');
      const out: unknown[] = [];
      for (let i = 0; i < bytes.length;) {
        const step = 1 + rnd(20);
        for (const r of s.write(bytes.subarray(i, i + step))) out.push(JSON.parse(r.toString('utf8')));
        i += step;
      }
      s.end();
      assert.deepEqual(out, records, text);
    }
  });

  test('damage is named with the file and where', () => {
    const cases: [string, RegExp][] = [
      ['', /f\.json: the file is empty/],
      ['   ', /the file is empty/],
      ['hello', /expected a JSON object or array, found "h"/],
      ['"Records"', /expected a JSON object or array/],
      ['{"Records":[{"eventID":"a"},{"eventID":', /ends in the middle of the JSON \(truncated\?\)/],
      ['{"Records":[{"eventID":"a\\"}]}', /ends in the middle/],
      ['{"Other":[]}', /no "Records" array: not a CloudTrail log file/],
      ['{"Records":[1,2]}', /record 1 is not a JSON object/],
      ['{"Records":[]}}', /unexpected \}/],
      [`{"Records":[${'['.repeat(10_001)}`, /record 1 is not a JSON object/],
      [`{"Records":[{"a":${'['.repeat(10_001)}`, /nests deeper than 10000 levels/],
    ];
    for (const [text, re] of cases) {
      assert.throws(
        () => split(text, 3),
        (err: unknown) => err instanceof TrailLensError && re.test(err.message),
        JSON.stringify(text.slice(0, 40)),
      );
    }
  });

  test('a record holds only its own bytes, whatever came before it', () => {
    const s = new RecordSplitter('x');
    const head = Buffer.from(`{"Padding":"${'p'.repeat(100_000)}","Records":[{"eventID":"a"}`);
    const [rec] = s.write(head);
    assert.equal(rec.toString(), '{"eventID":"a"}');
    assert.deepEqual(s.write(Buffer.from(']}')), []);
    s.end();
  });
});

describe('NeedleScanner', () => {
  test('finds the bytes wherever the chunks are cut, and only when they are there', () => {
    const needle = Buffer.from('abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e');
    const hay = Buffer.from(`{"Records":[{"requestID":"${needle}"}]}`);
    for (let size = 1; size <= hay.length; size++) {
      const sc = new NeedleScanner(needle);
      let found = false;
      for (let i = 0; i < hay.length; i += size) found = sc.write(hay.subarray(i, i + size)) || found;
      assert.ok(found && sc.found, `chunk size ${size}`);
      const miss = new NeedleScanner(Buffer.from('abc1d2e3-a1bc-1ab2-1234-12345ab6cd7f'));
      for (let i = 0; i < hay.length; i += size) miss.write(hay.subarray(i, i + size));
      assert.equal(miss.found, false, `chunk size ${size}`);
    }
  });

  test('reports where every occurrence starts, in the whole input, each once, wherever the chunks are cut', () => {
    const needle = Buffer.from('7c9e6679-7425-40de-944b-e07fc1f90ae7');
    const hay = Buffer.from(`{"a":"${needle}","b":"x${needle}${needle}","c":"${'y'.repeat(50)}${needle}"}`);
    const expected: number[] = [];
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) expected.push(at);
    assert.equal(expected.length, 4);
    for (let size = 1; size <= hay.length; size += 3) {
      const sc = new NeedleScanner(needle);
      const got: number[] = [];
      for (let i = 0; i < hay.length; i += size) if (sc.write(hay.subarray(i, i + size))) got.push(...sc.hits);
      assert.deepEqual(got, expected, `chunk size ${size}`);
    }
  });

  test('probes at the needle byte rarest in the input, so a common first byte costs nothing', () => {
    assert.equal(rarestAt(Buffer.from('eeeZee'), Buffer.from('eeeeeeeeZ')), 3);
    assert.equal(rarestAt(Buffer.from('abc'), Buffer.from('')), 0);
    // The probe starts mid-needle: occurrences at the very start and end of the input are still found.
    const needle = Buffer.from('eeeeeeeeeeQ');
    const sc = new NeedleScanner(needle);
    assert.ok(sc.write(Buffer.concat([needle, Buffer.from('e'.repeat(40)), needle])));
    assert.deepEqual(sc.hits, [0, needle.length + 40]);
  });
});
