/**
 * Per-tier test counts for scripts/test.mjs's summary. node:test tiers get them from
 * scripts/tally-reporter.mjs; tiers that run elsewhere (the extension-host suite inside
 * code-server) write the same shape to the file named by TRAIL_LENS_TALLY.
 */
import { writeFileSync } from 'node:fs';

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** "test: reason" for each skip, so a summary can say why. */
  skips: string[];
}

/** Prefix of the console line that carries the extension-host suite's counts out of the workbench. */
export const TALLY_PREFIX = '[trail-lens-tally] ';

/** Writes `tally` where scripts/test.mjs asked for it (no-op when run outside it). */
export function writeTally(tally: Tally): void {
  const file = process.env.TRAIL_LENS_TALLY;
  if (file) writeFileSync(file, `${JSON.stringify(tally)}\n`);
}

/** The tally in a console line printed with TALLY_PREFIX, if `line` is one. */
export function parseTallyLine(line: string): Tally | undefined {
  const at = line.indexOf(TALLY_PREFIX);
  if (at < 0) return undefined;
  try {
    const t = JSON.parse(line.slice(at + TALLY_PREFIX.length)) as Tally;
    return typeof t.passed === 'number' && typeof t.failed === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}
