/**
 * The repository stands on its own: nothing points at documents outside it, and every
 * `docs/cloudtrail.md §N` a comment cites is a section that exists.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../harness/testEnv';

const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|mjs|js|md|json|css|sh)$|^\.ci\//.test(f) && f !== 'package-lock.json');

const read = (f: string): string => {
  try {
    return readFileSync(join(REPO_ROOT, f), 'utf8');
  } catch {
    return ''; // deleted in the work tree
  }
};

test('no file points at documents outside the repository', () => {
  const outside = /\.\.\/shared\/(docs|seeds|hooks)|\/work\/shared|\b(CLOUDTRAIL|STYLE|ENVIRONMENT|PEERS)\.md\b/;
  const offenders = tracked.filter((f) => f !== 'test/unit/repoDocs.test.ts' && outside.test(read(f)));
  assert.deepEqual(offenders, []);
});

test('every docs/cloudtrail.md § cited in the code is a section of it', () => {
  const doc = read('docs/cloudtrail.md');
  const sections = new Set([...doc.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]));
  assert.ok(sections.has('1.3') && sections.has('7.4'), 'the document has numbered sections');
  const missing: string[] = [];
  for (const f of tracked) {
    for (const m of read(f).matchAll(/docs\/cloudtrail\.md ((?:§[\d.]+(?:[–-][\d.]+)?(?:, )?)+)/g)) {
      for (const ref of m[1].matchAll(/§(\d+(?:\.\d+)?)(?:[–-](\d+(?:\.\d+)?))?/g)) {
        for (const n of [ref[1], ref[2]].filter(Boolean) as string[]) if (!sections.has(n)) missing.push(`${f}: §${n}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
