#!/usr/bin/env node
// Runs the test tiers in order: static, unit, integration, render, vscode, ui, vsix.
// `node scripts/test.mjs unit integration` runs only those tiers. Under CI=true no tier may skip.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TIERS = {
  static: () => run('npx', ['tsc', '--noEmit', '-p', '.']) && run('npx', ['eslint', '.']),
  build: () => run('node', ['esbuild.mjs']),
  unit: () => nodeTests('test/unit'),
  integration: () => nodeTests('test/integration'),
  render: () => nodeTests('test/render'),
  vscode: () => run('node', ['--import', 'tsx', 'test/harness/runVscodeSuite.ts']),
  ui: () => nodeTests('test/ui'),
  vsix: () => nodeTests('test/vsix'),
  electron: () => run('node', ['--import', 'tsx', 'test/harness/runElectron.ts']),
};
const DEFAULT = ['static', 'build', 'unit', 'integration', 'render', 'vscode', 'ui', 'vsix'];

function run(cmd, args, env = {}) {
  console.log(`\n▶ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, ...env } });
  return r.status === 0;
}

function testFiles(dir) {
  const out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function nodeTests(dir) {
  const files = testFiles(dir);
  if (files.length === 0) {
    console.log(`(no tests in ${dir})`);
    return true;
  }
  return run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files]);
}

// A fresh clone: install the npm dependencies first (CI's .ci/run has already run `npm ci`).
if (!existsSync('node_modules/.package-lock.json')) {
  console.log('node_modules is missing: running npm ci');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) process.exit(1);
}

const requested = process.argv.slice(2);
const tiers = requested.length ? requested : DEFAULT;
if (requested.length === 0 || tiers.some((t) => !['static', 'unit'].includes(t))) {
  if (!tiers.includes('build')) tiers.unshift('build');
}
const failed = [];
for (const tier of tiers) {
  const fn = TIERS[tier];
  if (!fn) {
    console.error(`unknown tier ${tier}; tiers: ${Object.keys(TIERS).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n════ ${tier} ════`);
  if (!fn()) failed.push(tier);
}
console.log(failed.length ? `\nFAILED tiers: ${failed.join(', ')}` : `\nAll tiers passed: ${tiers.join(', ')}`);
process.exit(failed.length ? 1 : 0);
