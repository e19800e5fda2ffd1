// The esbuild configuration of every bundle, shared by esbuild.mjs (which builds them) and
// test/unit/bundles.test.ts (which checks what lands in which bundle).
//
//   dist/extension.js   activation: VS Code wiring, no AWS SDK           (vscode external)
//   dist/common.js      the SDK-free core both extension bundles share   (src/extension/common.ts)
//   dist/engine.js      the AWS SDK and what needs it, loaded on first use (src/extension/loadEngine.ts)
//   dist/cli.js         the CLI, everything in one file
//   dist/webview/main.js  the event panel (browser)
//   dist/webview/dashboard.js  the error-summary dashboard (browser)
//   dist/test/vscode/index.js  the extension-host mocha suite (not in production builds)
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COMMON_ENTRY = join(REPO, 'src', 'extension', 'common.ts');

/** Source files (absolute, with .ts) that dist/common.js holds: the `export * from` lines of common.ts. */
export function commonModules() {
  const text = readFileSync(COMMON_ENTRY, 'utf8');
  return new Set([...text.matchAll(/^export \* from '([^']+)';$/gm)].map((m) => resolve(dirname(COMMON_ENTRY), `${m[1]}.ts`)));
}

/**
 * Bundles that import a common module get `require("<fromOutDir>/common.js")` instead of a copy,
 * and the engine's loader gets `require("<fromOutDir>/engine.js")`.
 */
function splitPlugin(fromOutDir) {
  const common = commonModules();
  return {
    name: 'trail-lens-split',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.path === './engine.js' && args.importer.endsWith('loadEngine.ts')) {
          return { path: `${fromOutDir}/engine.js`, external: true };
        }
        const target = resolve(args.resolveDir, args.path.replace(/\.js$/, ''));
        if (common.has(`${target}.ts`) && args.importer !== COMMON_ENTRY) return { path: `${fromOutDir}/common.js`, external: true };
        return undefined;
      });
    },
  };
}

export function bundles({ production = false, withTests = !production } = {}) {
  const base = {
    bundle: true,
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    legalComments: 'none',
    absWorkingDir: REPO,
  };
  const node = { ...base, platform: 'node', format: 'cjs', target: 'node20' };
  const builds = [
    {
      ...node,
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      plugins: [splitPlugin('.')],
    },
    { ...node, entryPoints: ['src/extension/common.ts'], outfile: 'dist/common.js' },
    { ...node, entryPoints: ['src/extension/engine.ts'], outfile: 'dist/engine.js', plugins: [splitPlugin('.')] },
    { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
    { ...base, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview/main.ts'], outfile: 'dist/webview/main.js' },
    {
      ...base,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      entryPoints: ['webview/dashboard/main.ts'],
      outfile: 'dist/webview/dashboard.js',
    },
  ];
  if (withTests) {
    builds.push({
      ...node,
      entryPoints: ['test/vscode/index.ts'],
      outfile: 'dist/test/vscode/index.js',
      // DuckDB (native) is only loaded by the fake CloudTrail's Lake (test/fake-cloudtrail/lake.ts), on demand.
      external: ['vscode', 'mocha', '@duckdb/node-api'],
      plugins: [splitPlugin('../..')],
    });
  }
  return builds;
}

/** A metafile input path (relative to the repo) as an absolute path. */
export const inputPath = (p) => resolve(REPO, p);
export const repoRelative = (p) => relative(REPO, p);
