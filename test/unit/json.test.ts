import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PRETTY_DEPTH, jsonForTerminal, stringifyIteratively, stringifyJson } from '../../src/core/json';

const FIXTURES = join(__dirname, '..', 'fixtures', 'records');

function nested(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  // Outermost first: {"a":[{"a":[…]}]}
  for (let i = depth - 1; i >= 0; i--) v = i % 2 ? [v] : { a: v };
  return v;
}

describe('stringifyJson', () => {
  test('the iterative writer gives exactly the text JSON.stringify gives', () => {
    const values: unknown[] = [
      {},
      [],
      [[[]], {}],
      { a: [1, { b: null }], c: 'quote " and \u0001 and \u2028', d: undefined, e: [undefined, () => 1, Symbol('s')], f: new Date(0), g: -0, h: NaN, i: 1e21 },
      'plain',
      12.5,
      null,
      true,
      { nested: nested(50, { x: ['y'] }) },
    ];
    for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.json'))) {
      try {
        values.push(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8').replace(/^\ufeff/, '')));
      } catch {
        // the malformed-input fixtures
      }
    }
    assert.ok(values.length > 15, 'the record fixtures are among the values');
    for (const value of values) {
      for (const gap of ['', '  ', '    ']) assert.equal(stringifyIteratively(value, gap), JSON.stringify(value, null, gap));
    }
    assert.equal(stringifyIteratively(undefined, ''), undefined);
    const circular: Record<string, unknown> = {};
    circular.self = { back: circular };
    assert.throws(() => stringifyIteratively(circular, ''), TypeError);
  });

  test('a value 100,000 levels deep, which JSON.stringify cannot write, round-trips', () => {
    const deep = nested(100_000, 'leaf');
    assert.throws(() => JSON.stringify(deep), RangeError);
    const text = stringifyJson(deep)!;
    assert.ok(text === '{"a":['.repeat(50_000) + '"leaf"' + ']}'.repeat(50_000), 'compact text');
    // assert.deepEqual recurses too: compare the compact text of what the indented text parses to
    assert.ok(stringifyJson(JSON.parse(stringifyJson(deep, 2)!)) === text, 'indented text holds the same value');
  });

  test(`indented output stops indenting ${PRETTY_DEPTH} levels down, so its size stays linear`, () => {
    const depth = 20_000;
    const pretty = stringifyJson(nested(depth), 2)!;
    assert.ok(pretty.length < 2 * PRETTY_DEPTH * PRETTY_DEPTH + 10 * depth, `${pretty.length} characters`);
    const lines = pretty.split('\n');
    assert.equal(lines[0], '{');
    assert.equal(lines[1], '  "a": [');
    assert.ok(lines.some((l) => l.length > depth), 'the deepest part is on one line');
  });

  test('shallow values take JSON.stringify itself', () => {
    assert.equal(stringifyJson({ a: 1 }, 2), '{\n  "a": 1\n}');
    assert.equal(stringifyJson(undefined), undefined);
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
});
