/**
 * Scratch directories for tests and benchmarks: each one lives under one directory per process,
 * which is removed when the process exits, however the test ended. (A test that makes its own
 * `mkdtempSync` and forgets it leaves it in /tmp for good; thousands piled up that way.)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

function processRoot(): string {
  if (root) return root;
  const made = mkdtempSync(join(tmpdir(), `trail-lens-scratch-${process.pid}-`));
  // Traversable by the other users some tests run the CLI as (the directories inside keep their own mode).
  chmodSync(made, 0o755);
  process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  root = made;
  return made;
}

/** A new empty directory, e.g. `scratchDir('cli-home-')`, removed with the others at exit. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(processRoot(), prefix));
}
