// Builds every bundle (their configuration, and why the extension is split in three, is in
// scripts/bundles.mjs). Test bundles (the extension-host mocha suite) are built here too so
// every tier runs built code; `--production` leaves them out and minifies.
import * as esbuild from 'esbuild';
import { bundles } from './scripts/bundles.mjs';
import { cp, mkdir } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = !production;

const builds = bundles({ production, withTests });

async function copyAssets() {
  await mkdir('dist/webview', { recursive: true });
  await cp('webview/style.css', 'dist/webview/style.css');
  await cp('webview/dashboard/dashboard.css', 'dist/webview/dashboard.css');
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
