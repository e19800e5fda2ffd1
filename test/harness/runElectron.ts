/**
 * `npm run test:electron`: the same extension-host suite through @vscode/test-electron, in a
 * downloaded VS Code desktop, with the same world as the code-server runner (testEnv.ts).
 * These machines cannot download VS Code; there it fails fast saying so. Elsewhere:
 *   TRAIL_LENS_VSCODE_EXECUTABLE  use this VS Code binary instead of downloading one
 *   TRAIL_LENS_VSCODE_VERSION     version to download (default: stable)
 * On Linux it needs a display (xvfb-run -a npm run test:electron on a headless box).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { writeUserSettings } from '../../scripts/workbench/codeServer';
import { extensionUnderTest, prepareSuiteEnvironment, REPO_ROOT } from './testEnv';

const RELEASES_API = 'https://update.code.visualstudio.com/api/releases/stable';
const say = (msg: string): void => console.log(`[electron-suite] ${msg}`);

/** Why VS Code desktop cannot be had here, or undefined when it can. */
async function cannotGetVsCode(): Promise<string | undefined> {
  const exe = process.env.TRAIL_LENS_VSCODE_EXECUTABLE;
  if (exe) return existsSync(exe) ? undefined : `TRAIL_LENS_VSCODE_EXECUTABLE=${exe} does not exist`;
  const cache = join(REPO_ROOT, '.vscode-test');
  // test-electron falls back to a cached download when offline.
  const cached = existsSync(cache) && readdirSync(cache).some((d) => d.startsWith('vscode-'));
  if (cached) return undefined;
  try {
    const res = await fetch(RELEASES_API, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    if (!res.ok) return `${RELEASES_API} answered HTTP ${res.status}`;
    return undefined;
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    return (
      `cannot download VS Code desktop (${RELEASES_API}: ${cause}). This machine reaches only the npm ` +
      'registry and Debian mirrors; run the same suite in code-server instead: node scripts/test.mjs vscode'
    );
  }
}

export async function runElectronSuite(): Promise<number> {
  const why = await cannotGetVsCode();
  if (why) {
    console.error(`[electron-suite] FAILED: ${why}`);
    return 1;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error('[electron-suite] FAILED: no display for VS Code desktop; run it as `xvfb-run -a npm run test:electron`');
    return 1;
  }
  const target = extensionUnderTest();
  const world = await prepareSuiteEnvironment();
  for (const note of world.notes) say(note);
  const userDataDir = mkdtempSync(join(tmpdir(), 'trail-lens-electron-'));
  writeUserSettings(userDataDir, {});
  const t0 = Date.now();
  try {
    const code = await runTests({
      ...target,
      ...(process.env.TRAIL_LENS_VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.TRAIL_LENS_VSCODE_EXECUTABLE } : {}),
      ...(process.env.TRAIL_LENS_VSCODE_VERSION ? { version: process.env.TRAIL_LENS_VSCODE_VERSION } : {}),
      extensionTestsEnv: world.env,
      launchArgs: [
        world.workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${userDataDir}`,
        `--extensions-dir=${join(userDataDir, 'extensions')}`,
      ],
    });
    say(`exit code ${code} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return code;
  } catch (err) {
    console.error(`[electron-suite] FAILED: ${(err as Error).message}`);
    return 1;
  } finally {
    await world.dispose();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /runElectron\.ts$/.test(process.argv[1])) {
  runElectronSuite().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`FAILED: ${err.message}`);
      process.exit(1);
    },
  );
}
