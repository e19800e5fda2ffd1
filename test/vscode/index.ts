/**
 * Entry point of the extension-host suite, in the layout @vscode/test-electron expects:
 * VS Code calls `run()` inside the extension host (code-server's here, desktop VS Code under
 * test-electron) and reports resolve/reject as exit code 0/1.
 *
 * esbuild bundles every test/vscode/suite/*.test.ts into this module through the template-literal
 * `require` below (a glob import). Mocha stays external and is resolved from the repo's
 * node_modules at run time, so the suite runs with the repository present.
 *
 * Env knobs: TRAIL_LENS_MOCHA_GREP (only matching tests), TRAIL_LENS_MOCHA_TIMEOUT (ms, default 20000).
 */
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import type MochaType from 'mocha';
import { TALLY_PREFIX, type Tally } from '../harness/tally';

// The bundle lives in dist/test/vscode/; the sources it was built from in test/vscode/suite/.
const SUITE_DIR = join(__dirname, '..', '..', '..', 'test', 'vscode', 'suite');

function loadSuiteFile(name: string): void {
  // The template literal is what makes esbuild include every file in ./suite/ in this bundle;
  // an `import()` would be the same glob but async, and mocha needs the files loaded in order.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(`./suite/${name}`);
}

/** Suite files relative to suite/ (subfolders included), in a stable order. */
export function suiteFiles(): string[] {
  return (readdirSync(SUITE_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.split(sep).join('/'))
    .sort();
}

export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha') as typeof MochaType;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: !process.env.NO_COLOR,
    timeout: Number(process.env.TRAIL_LENS_MOCHA_TIMEOUT ?? 20_000),
    ...(process.env.TRAIL_LENS_MOCHA_GREP ? { grep: process.env.TRAIL_LENS_MOCHA_GREP } : {}),
  });
  const files = suiteFiles();
  if (files.length === 0) throw new Error(`no *.test.ts in ${SUITE_DIR}`);
  for (const name of files) {
    // What mocha.loadFiles() does for files on disk, for modules already in the bundle:
    // define describe/it for this file, then load it.
    const file = join(SUITE_DIR, name);
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    try {
      loadSuiteFile(name);
    } catch (err) {
      if (/not found in bundle/i.test((err as Error).message)) {
        throw new Error(`${name} is not in the suite bundle: rebuild with \`node esbuild.mjs\``);
      }
      throw err;
    }
    mocha.suite.emit('require', undefined, file, mocha);
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    const skips: string[] = [];
    runner.on('pending', (test) => skips.push(test.fullTitle()));
    // One machine-readable line for scripts/test.mjs's per-tier counts (runVscodeSuite.ts reads it).
    runner.once('end', () => {
      const s = runner.stats;
      const tally: Tally = { passed: s?.passes ?? 0, failed: s?.failures ?? 0, skipped: s?.pending ?? 0, skips };
      console.log(`${TALLY_PREFIX}${JSON.stringify(tally)}`);
    });
  });
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
