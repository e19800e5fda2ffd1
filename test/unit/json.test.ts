/**
 * toJson (src/core/json.ts): JSON.stringify's output for JSON data, at any depth. The CLI prints, and
 * the panel sends, copies and pretty-prints, records that JSON.stringify gives up on (RangeError).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { jsonForTerminal, MAX_INDENT_LEVELS, toJson } from '../../src/core/json';

const FIXTURES = join(__dirname, '..', 'fixtures', 'records');

function nested(levels: number, leaf: unknown = 'bottom'): unknown {
  let v: unknown = { leaf, list: [1, 'two', null, true] };
  for (let i = 0; i < levels; i++) v = i % 3 === 0 ? [v, i] : { [`k${i}`]: v, i };
  return v;
}

describe('toJson', () => {
  const samples: unknown[] = [
    null,
    0,
    -1.5e-7,
    'plain',
    'quote " backslash \\ newline \n tab \t nul \u0000 lone surrogate \ud800 emoji 😀',
    true,
    [],
    {},
    [1, [2, [3, []]], {}],
    { a: 1, b: [true, false, null], c: { d: 'e', '': 'empty key', __proto__: 'x' } },
    { skipped: undefined, fn: () => 1, kept: 1 },
    [undefined, () => 1, Symbol('s'), NaN, Infinity],
    { when: new Date(Date.UTC(2024, 7, 8, 5, 49, 2)) },
    nested(50),
    JSON.parse('{"__proto__":{"polluted":true},"ok":1}') as unknown,
  ];

  test('matches JSON.stringify where JSON.stringify works, compact and indented', () => {
    for (const v of samples) {
      for (const indent of [0, 2])
        assert.equal(toJson(v, indent), JSON.stringify(v, null, indent), `${String(JSON.stringify(v)).slice(0, 60)} indent ${indent}`);
    }
    assert.equal(toJson(undefined), undefined);
  });

  test('serializes data too deep for JSON.stringify, and JSON.parse reads it back', () => {
    const deep = nested(30_000);
    assert.throws(() => JSON.stringify(deep), RangeError);
    for (const indent of [0, 2]) {
      const text = toJson(deep, indent);
      assert.ok(text);
      const back = JSON.parse(text) as unknown;
      // Compare a slice from the bottom, which JSON.stringify can handle, and the top-level shape.
      let a = back as Record<string, unknown> | unknown[];
      let b = deep as Record<string, unknown> | unknown[];
      for (let i = 0; i < 29_990; i++) {
        const next = (x: Record<string, unknown> | unknown[]) =>
          (Array.isArray(x) ? x[0] : Object.values(x)[0]) as Record<string, unknown> | unknown[];
        a = next(a);
        b = next(b);
      }
      assert.equal(JSON.stringify(a, null, indent), JSON.stringify(b, null, indent));
      assert.deepEqual(Object.keys(back as object), ['k29999', 'i']);
      if (indent) {
        const widest = Math.max(...text.split('\n').map((line) => line.length - line.trimStart().length));
        assert.equal(widest, 2 * MAX_INDENT_LEVELS, 'indentation stops growing instead of reaching 60,000 spaces');
      }
    }
  });

  test('the iterative path writes every kind of value as JSON.stringify does', () => {
    // Deep enough to force the fallback, with every kind of value at the bottom.
    const bottom = samples[9];
    const text = toJson(nested(30_000, [bottom, samples[4], samples[10], samples[11], samples[12]])) as string;
    assert.ok(text.includes(`"leaf":${JSON.stringify([bottom, samples[4], samples[10], samples[11], samples[12]])}`));
  });

  test('every record fixture comes out as JSON.stringify writes it', () => {
    let n = 0;
    for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8').replace(/^\ufeff/, ''));
      } catch {
        continue; // the malformed-input fixtures
      }
      n++;
      for (const indent of [0, 2, 4]) assert.equal(toJson(value, indent), JSON.stringify(value, null, indent), name);
    }
    assert.ok(n > 5, 'the record fixtures were read');
  });

  test('circular structures still throw', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    assert.throws(() => toJson(loop), TypeError);
    let deep: Record<string, unknown> = { back: undefined };
    const top = deep;
    for (let i = 0; i < 20_000; i++) deep = { n: deep };
    top.back = deep;
    assert.throws(() => toJson(deep), TypeError);
  });
});

describe('jsonForTerminal', () => {
  test('DEL and C1 controls are \\u escapes; the JSON value is unchanged', () => {
    const value = { ua: 'a\u001b[31mred\u009b2J\u007f' };
    const text = jsonForTerminal(value);
    assert.equal(text, '{"ua":"a\\u001b[31mred\\u009b2J\\u007f"}');
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f]/);
    assert.deepEqual(JSON.parse(text), value);
  });

  test('a record 100,000 levels deep is printed whole', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { a: deep };
    const text = jsonForTerminal(deep);
    assert.ok(text.startsWith('['.repeat(1) + '{"a":[') && text.includes('"leaf"'));
    assert.equal(text.length, '{"a":['.length * 50_000 + '"leaf"'.length + ']}'.length * 50_000);
  });
});
