/**
 * The shipped artefact, the way a user gets it: `vsce package` → a small VSIX holding only the
 * bundles, icons and docs → `code-server --install-extension` into a fresh extensions dir →
 * the workbench shows the Trail Lens view and the extension host activates it without error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toolchainOrSkip, type Toolchain } from '../../scripts/workbench/bootstrap';
import { extensionHostLog, installVsix } from '../../scripts/workbench/codeServer';
import { runCaptured, tail } from '../../scripts/workbench/proc';
import { extensionPath, prepareSuiteEnvironment, type SuiteEnvironment } from '../harness/testEnv';
import { openFile, openViewContainer, openWorkbench, type Workbench } from '../harness/ui';
import { listZip, type ZipEntry } from './zip';

const EXTENSION_ID = 'trail-lens.trail-lens';
// What .vscodeignore lets through; vsce adds its manifest files and renames LICENSE to LICENSE.txt.
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/license(\.txt|\.md)?$/i,
  /^extension\/dist\//,
  /^extension\/media\//,
];
const MAX_VSIX_BYTES = 5 * 1024 * 1024;

describe('VSIX', async () => {
  const tc = await toolchainOrSkip();
  const skip = 'skip' in tc ? tc.skip : false;
  const toolchain: Toolchain | undefined = 'toolchain' in tc ? tc.toolchain : undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'trail-lens-vsix-'));
  const vsix = join(tmp, 'trail-lens.vsix');
  let entries: ZipEntry[] = [];
  let wb: Workbench | undefined;
  let world: SuiteEnvironment | undefined;

  before(async () => {
    if (skip) return;
    // --no-dependencies: the esbuild bundles already hold the node_modules code they use.
    // vsce runs `vscode:prepublish` (the production build) first, as `npm run package` does.
    const r = await runCaptured('npx', ['vsce', 'package', '--no-dependencies', '-o', vsix], {
      cwd: extensionPath(),
      timeoutMs: 120_000,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    assert.equal(r.code, 0, `vsce package failed:\n${tail(r.output, 20)}`);
    entries = listZip(vsix);
  });

  after(async () => {
    await wb?.close();
    await world?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('holds only the bundles, media and docs, and is small', { skip }, () => {
    const size = statSync(vsix).size;
    console.log(`VSIX size: ${(size / 1024).toFixed(1)} KiB, ${entries.length} files`);
    for (const e of entries) console.log(`  ${e.name} (${(e.size / 1024).toFixed(1)} KiB)`);
    const names = entries.map((e) => e.name);
    assert.deepEqual(
      names.filter((n) => !ALLOWED.some((re) => re.test(n))),
      [],
      'files outside dist/, media/ and the docs',
    );
    assert.deepEqual(
      names.filter((n) => /^extension\/(src|test|webview|scripts)\/|(^|\/)node_modules\//.test(n)),
      [],
    );
    assert.deepEqual(
      names.filter((n) => n.endsWith('.map') || n.endsWith('dist/cli.js')),
      [],
      'no source maps, no CLI (npm ships it)',
    );
    for (const required of [
      'extension/package.json',
      'extension/dist/extension.js',
      'extension/dist/common.js',
      'extension/dist/engine.js',
      'extension/dist/webview/main.js',
      'extension/dist/webview/dashboard.js',
      'extension/dist/webview/dashboard.css',
    ]) {
      assert.ok(names.includes(required), `${required} is in the VSIX`);
    }
    assert.ok(size < MAX_VSIX_BYTES, `VSIX is ${size} bytes, over ${MAX_VSIX_BYTES}`);
  });

  test('installs with --install-extension and activates in the workbench', { skip }, async () => {
    const extensionsDir = join(tmp, 'extensions');
    const out = await installVsix(vsix, extensionsDir, toolchain);
    assert.match(out, /successfully installed/i);
    world = await prepareSuiteEnvironment();
    wb = await openWorkbench({
      workspace: world.workspace,
      env: world.env,
      settings: { 'trailLens.endpointUrl': world.fakeUrl },
      extensionsDir,
      extensionDevelopmentPath: false,
      toolchain,
    });
    const { page } = wb;
    await openViewContainer(page, /Trail Lens/);
    await page.locator('.part.sidebar .pane-header[aria-label="Events Section"]').waitFor({ state: 'attached' });
    await openFile(page, 'deploy.log');
    // Activation is asynchronous; wait until the host log records it (or gives up).
    const logsDir = wb.server.logsDir;
    const deadline = Date.now() + 20_000;
    let log = '';
    while (Date.now() < deadline && !log.includes(`_doActivateExtension ${EXTENSION_ID}`)) {
      await page.waitForTimeout(250);
      log = extensionHostLog(logsDir);
    }
    await page.waitForTimeout(1500);
    log = extensionHostLog(logsDir);
    const shot = await wb.screenshot('vsix-installed');
    console.log(`screenshot: ${shot}`);
    assert.match(log, new RegExp(`_doActivateExtension ${EXTENSION_ID.replace('.', '\\.')}`), 'the extension host activated it');
    const failures = log.split('\n').filter((l) => l.includes(EXTENSION_ID) && /\[error\]|failed/i.test(l));
    assert.deepEqual(failures, [], 'activation errors in the extension host log');
    // Installed, not under development: the window title has no "[Extension Development Host]".
    assert.doesNotMatch(await page.title(), /Extension Development Host/);
  });
});
