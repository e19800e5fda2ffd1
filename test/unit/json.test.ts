/**
 * toJson (src/shared/json.ts): JSON.stringify's output for JSON data, at any depth. The panel uses it
 * to send, copy and pretty-print records that JSON.stringify gives up on (RangeError).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_INDENT_LEVELS, toJson } from '../../src/shared/json';

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
    { a: 1, b: [true, false, null], c: { d: 'e', '': 'empty key', '__proto__': 'x' } },
    { skipped: undefined, fn: () => 1, kept: 1 },
    [undefined, () => 1, Symbol('s'), NaN, Infinity],
    { when: new Date(Date.UTC(2024, 7, 8, 5, 49, 2)) },
    nested(50),
    JSON.parse('{"__proto__":{"polluted":true},"ok":1}') as unknown,
  ];

  test('matches JSON.stringify where JSON.stringify works, compact and indented', () => {
    for (const v of samples) {
      for (const indent of [0, 2]) assert.equal(toJson(v, indent), JSON.stringify(v, null, indent), `${String(JSON.stringify(v)).slice(0, 60)} indent ${indent}`);
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
        const next = (x: Record<string, unknown> | unknown[]) => (Array.isArray(x) ? x[0] : Object.values(x)[0]) as Record<string, unknown> | unknown[];
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
