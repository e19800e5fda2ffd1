#!/usr/bin/env node
// `npm start`: Trail Lens in a real VS Code with a demo workspace, from a fresh clone.
// This file only needs plain Node: it installs the npm dependencies when they are missing,
// builds, and hands over to scripts/start.ts (run through tsx), which writes the demo workspace
// and opens desktop VS Code, or else installs and runs code-server. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

function step(what, cmd, args) {
  console.log(`[start] ${what}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[start] ${what} failed (exit ${r.status ?? r.signal}); fix the error above and run npm start again.`);
    process.exit(1);
  }
}

if (!existsSync(join(repo, 'node_modules', 'tsx')) || !existsSync(join(repo, 'node_modules', 'esbuild'))) {
  step('installing npm dependencies', 'npm', ['ci', '--no-audit', '--no-fund']);
}
step('building', 'node', ['esbuild.mjs']);
// A child process rather than tsx's in-process API: the harness modules are CommonJS TypeScript
// and load exactly as the test tiers load them (`node --import tsx`).
const child = spawn(process.execPath, ['--import', 'tsx', join('scripts', 'start.ts')], { cwd: repo, stdio: 'inherit' });
// The child stops code-server on SIGINT/SIGTERM (a repeated one is harmless) and we exit with it.
process.on('SIGINT', () => child.kill('SIGINT'));
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
