/**
 * What lands in which bundle (scripts/bundles.mjs), checked on esbuild's own metafile:
 * activation (dist/extension.js + dist/common.js) holds no AWS SDK, and no source module is
 * bundled twice — so a core class has one identity whichever bundle threw it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as esbuild from 'esbuild';
// @ts-expect-error: a plain ESM script without types; its shape is checked by what this test uses.
import { bundles, commonModules, REPO } from '../../scripts/bundles.mjs';
import { join } from 'node:path';

type Build = esbuild.BuildOptions & { outfile: string };

async function inputsOf(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const b of bundles({ production: true }) as Build[]) {
    const r = await esbuild.build({ ...b, write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.values(r.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
    out.set(b.outfile, inputs);
  }
  return out;
}

const SDK = /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//;

describe('bundles', async () => {
  const inputs = await inputsOf();

  test('activation loads no AWS SDK: nothing of @aws-sdk or @smithy in extension.js or common.js', () => {
    for (const bundle of ['dist/extension.js', 'dist/common.js']) {
      const sdk = (inputs.get(bundle) ?? []).filter((p) => SDK.test(p));
      assert.deepEqual(sdk, [], `${bundle} bundles SDK code`);
    }
    assert.ok(
      (inputs.get('dist/engine.js') ?? []).some((p) => SDK.test(p)),
      'the engine is where the SDK lives',
    );
  });

  test("no module is in two of the extension's bundles", () => {
    const owner = new Map<string, string>();
    for (const bundle of ['dist/extension.js', 'dist/common.js', 'dist/engine.js']) {
      for (const input of inputs.get(bundle) ?? []) {
        const first = owner.get(input);
        assert.equal(first, undefined, `${input} is in both ${first} and ${bundle}`);
        owner.set(input, bundle);
      }
    }
  });

  test('common.js holds every module src/extension/common.ts lists (and what they import)', () => {
    const listed = [...(commonModules() as Set<string>)].map((p) => p.slice(REPO.length + 1));
    const held = new Set(inputs.get('dist/common.js') ?? []);
    assert.deepEqual(
      listed.filter((p) => !held.has(p)),
      [],
    );
  });

  test("no shipped bundle holds test code (the fake endpoint's faults, fixtures, the harness)", () => {
    for (const bundle of [
      'dist/extension.js',
      'dist/common.js',
      'dist/engine.js',
      'dist/cli.js',
      'dist/webview/main.js',
      'dist/webview/dashboard.js',
    ]) {
      assert.deepEqual(
        (inputs.get(bundle) ?? []).filter((p) => p.startsWith('test/')),
        [],
        bundle,
      );
    }
    assert.ok((inputs.get('dist/engine.js') ?? []).includes('src/sample/endpoint/server.ts'), 'the sample endpoint ships in the engine');
  });

  test('extension code reaches the engine only through loadEngine', () => {
    const ext = inputs.get('dist/extension.js') ?? [];
    for (const engineOnly of ['src/core/aws.ts', 'src/core/lookup.ts', 'src/core/scan.ts', 'src/core/find.ts', 'src/core/cache.ts']) {
      assert.ok(!ext.includes(engineOnly), `${engineOnly} is bundled into extension.js`);
    }
    assert.ok(ext.includes(join('src', 'extension', 'loadEngine.ts')));
  });
});
