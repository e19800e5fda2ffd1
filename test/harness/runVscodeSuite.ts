/**
 * `node scripts/test.mjs vscode`: runs the extension's mocha suite (dist/test/vscode/index.js)
 * inside code-server's real extension host, with Chromium as the window. Exit code = suite result.
 *
 * bootstrap → temp HOME/AWS files + fake CloudTrail + workspace (testEnv.ts) → code-server with
 * extensionDevelopmentPath + extensionTestsPath in the URL payload → Chromium opens it → the
 * workbench calls window.codeAutomationLog for output and window.codeAutomationExit when run() settles.
 * Skips (exit 0, "SKIPPED: why") only when the toolchain cannot be installed and CI is not 'true'.
 */
import { format } from 'node:util';
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { toolchainOrSkip } from '../../scripts/workbench/bootstrap';
import { openBrowserPage } from '../../scripts/workbench/browser';
import { extensionHostLog, extensionHostLogPath, startCodeServer, type CodeServer } from '../../scripts/workbench/codeServer';
import { tail } from '../../scripts/workbench/proc';
import { parseTallyLine, writeTally, type Tally } from './tally';
import { artifactPath, extensionUnderTest, prepareSuiteEnvironment } from './testEnv';

const TIMEOUT_MS = Number(process.env.TRAIL_LENS_SUITE_TIMEOUT ?? 5 * 60_000);
const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug']);
// The workbench's own chatter and the offline noise docs/testing.md lists; TRAIL_LENS_SUITE_VERBOSE=1 shows it.
const NOISE = new RegExp(
  [
    'open-vsx\\.org',
    'vsda',
    'same-origin',
    'connection token',
    'Creating a socket',
    '\\[reconnection-grace-time\\]',
    'Updating additional builtin extensions cache',
    "authentication provider 'github'",
    '\\[Service Worker\\]',
    '\\[AgentHost',
    '\\[AccountPolicyGate\\]',
  ].join('|'),
);

const say = (msg: string): void => console.log(`[vscode-suite] ${msg}`);
const secs = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/**
 * Opens `server.url` and resolves with the suite's exit code: what run() reported, or 1 on
 * timeout, a crashed page or a dead server.
 */
export async function driveSuite(
  page: Page,
  server: CodeServer,
  timeoutMs = TIMEOUT_MS,
): Promise<{ code: number; why: string; tally?: Tally }> {
  let counted: Tally | undefined;
  let settle: (r: { code: number; why: string }) => void = () => {};
  const done = new Promise<{ code: number; why: string }>((resolve) => (settle = resolve));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const method = CONSOLE_METHODS.has(type) ? (type as 'log') : 'log';
    const text = format(...(Array.isArray(args) ? args : [args]));
    const tally = parseTallyLine(text);
    if (tally) {
      counted = tally;
      return;
    }
    if (process.env.TRAIL_LENS_SUITE_VERBOSE === '1' || !NOISE.test(text)) console[method](text);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    settle({ code: Number(code) === 0 ? 0 : 1, why: `run() ${Number(code) === 0 ? 'resolved' : 'rejected'}` });
  });
  page.on('crash', () => settle({ code: 1, why: 'the workbench page crashed' }));
  const timer = setTimeout(() => settle({ code: 1, why: `timed out after ${timeoutMs / 1000} s` }), timeoutMs);
  void server.exited.then((how) => settle({ code: 1, why: `code-server exited (${how}) during the suite` }));
  try {
    await page.goto(server.url);
    return { ...(await done), tally: counted };
  } finally {
    clearTimeout(timer);
  }
}

/** Diagnostics for a failed run: extension host log tail, server output tail, a screenshot. */
export async function reportFailure(page: Page | undefined, server: CodeServer | undefined, tier = 'vscode'): Promise<void> {
  if (server) {
    const logPath = extensionHostLogPath(server.logsDir);
    console.error(`\n──── extension host log (${logPath ?? 'not written'}) ────`);
    // The extension path table VS Code logs on a require('vscode') warning is long and never the clue.
    const hostLog = extensionHostLog(server.logsDir).replace(/^\tfile:\/\/\S+ -> \S+\n/gm, '');
    console.error(tail(hostLog, 60) || '(empty)');
    console.error('──── code-server output ────');
    console.error(tail(server.output(), 20));
    writeFileSync(artifactPath(tier, 'failure-exthost.log'), extensionHostLog(server.logsDir));
  }
  if (page) {
    const shot = artifactPath(tier, 'failure.png');
    await page.screenshot({ path: shot }).then(
      () => console.error(`screenshot: ${shot}`),
      (err: Error) => console.error(`no screenshot: ${err.message}`),
    );
  }
}

export async function runVscodeSuite(): Promise<number> {
  const t0 = Date.now();
  const tc = await toolchainOrSkip();
  if ('skip' in tc) {
    console.log(`SKIPPED: extension-host suite in code-server: ${tc.skip}`);
    writeTally({ passed: 0, failed: 0, skipped: 1, skips: [`extension-host suite: ${tc.skip}`] });
    return 0;
  }
  say(`toolchain ready (${secs(t0)})`);
  const target = extensionUnderTest();
  const world = await prepareSuiteEnvironment();
  for (const note of world.notes) say(note);
  let server: CodeServer | undefined;
  let page: Page | undefined;
  let closeBrowser = async (): Promise<void> => {};
  try {
    server = await startCodeServer({ workspace: world.workspace, env: world.env, toolchain: tc.toolchain, ...target });
    say(`code-server on port ${server.port} (${secs(t0)}); opening the workbench in Chromium`);
    const opened = await openBrowserPage();
    page = opened.page;
    closeBrowser = () => opened.browser.close();
    const t1 = Date.now();
    const result = await driveSuite(page, server);
    say(`${result.why}: exit code ${result.code} (suite ${secs(t1)}, whole phase ${secs(t0)})`);
    // No counts means the suite never reported (crash, timeout): one failure, not silence.
    writeTally(result.tally ?? { passed: 0, failed: 1, skipped: 0, skips: [] });
    await page.screenshot({ path: artifactPath('vscode', 'last-run.png') }).catch(() => {});
    if (result.code !== 0) await reportFailure(page, server);
    return result.code;
  } catch (err) {
    console.error(`[vscode-suite] ${(err as Error).message}`);
    writeTally({ passed: 0, failed: 1, skipped: 0, skips: [] });
    await reportFailure(page, server);
    return 1;
  } finally {
    await closeBrowser().catch(() => {});
    await server?.stop();
    await world.dispose();
  }
}

if (process.argv[1] && /runVscodeSuite\.ts$/.test(process.argv[1])) {
  runVscodeSuite().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`FAILED: ${err.message}`);
      process.exit(1);
    },
  );
}
