// Bundles the three entry points: the extension host (Node, cjs, `vscode` external),
// the webview script (browser, iife) and the CLI (Node, with a shebang).
// Test bundles (the extension-host mocha suite) are built here too so every tier runs built code.
import * as esbuild from 'esbuild';
import { cp, mkdir } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = !production;

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

// The SDK-dependent engine is its own bundle, loaded on first use (src/extension/loadEngine.ts):
// bundles that import it keep `require("<relative path>/engine.js")` to dist/engine.js.
const engineExternal = (fromOutDir) => ({
  name: 'engine-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/engine\.js$/ }, (args) =>
      args.importer.endsWith('loadEngine.ts') ? { path: `${fromOutDir}/engine.js`, external: true } : undefined,
    );
  },
});

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [engineExternal('.')] },
  { ...node, entryPoints: ['src/extension/engine.ts'], outfile: 'dist/engine.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/main.js',
  },
];
if (withTests) {
  builds.push({
    ...node,
    entryPoints: ['test/vscode/index.ts'],
    outfile: 'dist/test/vscode/index.js',
    external: ['vscode', 'mocha'],
    plugins: [engineExternal('../..')],
  });
}

async function copyAssets() {
  await mkdir('dist/webview', { recursive: true });
  await cp('webview/style.css', 'dist/webview/style.css');
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  await copyAssets();
  console.log('[esbuild] watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  await copyAssets();
}
