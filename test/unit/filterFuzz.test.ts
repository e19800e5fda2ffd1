/**
 * Fuzzed filter patterns (filterFuzzWorker.ts): random token soup, mutations of valid patterns and
 * random regexes checked against RegExp. Nothing may throw but FilterPatternError, and every input
 * must finish: each run is a child process stopped at a deadline, which names the input it was on.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FuzzMessage, FuzzRequest } from './filterFuzzWorker';

/** Generous for a loaded machine: a hang is a run that never ends, not one that is slow. */
const DEADLINE_MS = 60_000;
const PER_INPUT_MS = 250;

function fuzz(req: Omit<FuzzRequest, 'perInputMs'>): Promise<Extract<FuzzMessage, { type: 'done' }>> {
  return new Promise((resolve, reject) => {
    const worker = fork(join(__dirname, 'filterFuzzWorker.ts'), [JSON.stringify({ ...req, perInputMs: PER_INPUT_MS })], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let last = '';
    const timer = setTimeout(() => {
      worker.kill();
      reject(new Error(`no answer after ${DEADLINE_MS} ms; the input it was on: ${JSON.stringify(last)}`));
    }, DEADLINE_MS);
    worker.on('message', (m: FuzzMessage) => {
      if (m.type === 'input') last = m.input;
      else {
        clearTimeout(timer);
        worker.kill();
        if (m.type === 'fail') reject(new Error(`${JSON.stringify(m.input)}: ${m.why}`));
        else resolve(m);
      }
    });
    worker.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fuzz process exited (${code}) on ${JSON.stringify(last)}`));
    });
  });
}

describe('filter patterns: fuzzed', () => {
  test('random token soup: parsed or refused with a FilterPatternError, each input fast', async () => {
    const r = await fuzz({ kind: 'soup', seed: 9, count: 4000 });
    assert.equal(r.inputs, 4000);
    // The soup must reach both sides: some parse and match, most are refused.
    assert.ok(r.parsed > 20 && r.rejected > 1000, JSON.stringify(r));
  });

  test('mutations of valid patterns (the CIS presets among them): no crash, no hang', async () => {
    const r = await fuzz({ kind: 'mutate', seed: 17, count: 4000 });
    assert.equal(r.inputs, 4000);
    assert.ok(r.parsed > 200 && r.rejected > 1000, JSON.stringify(r));
    assert.ok(r.matched > 0, 'some mutated patterns still match a record');
  });

  test('random regexes of the CloudWatch subset agree with RegExp', async () => {
    const r = await fuzz({ kind: 'regex', seed: 23, count: 2000 });
    assert.equal(r.parsed, 2000);
  });
});
