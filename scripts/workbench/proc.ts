/**
 * Process plumbing shared by the harness: free ports, process groups that die with us,
 * HTTP readiness polling, and captured child-process runs.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** A TCP port the OS says is free on 127.0.0.1 right now (0 asks the kernel). */
export function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => {
      if (preferred !== 0 && err.code === 'EADDRINUSE') resolve(freePort(0));
      else reject(err);
    });
    srv.listen(preferred, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// Every detached group we start, so an exit or a signal never leaves a code-server behind.
const liveGroups = new Set<number>();
let hooksInstalled = false;

function killAllSync(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // Only act when nobody else listens: a caller with its own handler (scripts/start.ts)
    // stops its servers gracefully, and the 'exit' hook still kills whatever is left.
    process.once(sig, () => {
      if (process.listenerCount(sig) > 0) return;
      killAllSync();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/**
 * Spawns `cmd` as the leader of a new process group; `stop()` sends SIGTERM to the whole
 * group (code-server forks its server and extension hosts), then SIGKILL after `graceMs`.
 */
export function spawnGroup(
  cmd: string,
  args: string[],
  opts: SpawnOptions,
): { child: ChildProcess; stop(graceMs?: number): Promise<void> } {
  installExitHooks();
  const child = spawn(cmd, args, { ...opts, detached: true });
  const pgid = child.pid;
  if (pgid !== undefined) liveGroups.add(pgid);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = async (graceMs = 3000): Promise<void> => {
    if (pgid === undefined) return;
    const signal = (s: NodeJS.Signals): void => {
      try {
        process.kill(-pgid, s);
      } catch {
        // group already gone
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    // The leader may exit before its children; make sure the group is gone.
    signal('SIGKILL');
    liveGroups.delete(pgid);
  };
  return { child, stop };
}

/** Polls `url` until it answers 2xx, the child dies, or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a command to completion. Output is captured (for error messages) and, when `echo`
 * is given, also streamed with that prefix so a long install shows progress.
 */
export function runCaptured(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { echo?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const { echo, timeoutMs, ...spawnOpts } = opts;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...spawnOpts, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (buf: Buffer): void => {
      const text = buf.toString();
      output += text;
      if (output.length > 200_000) output = output.slice(-100_000);
      if (echo !== undefined) {
        for (const line of text.split('\n')) if (line.trim()) process.stdout.write(`${echo}${line}\n`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      resolve({ code: -1, output: `${output}\n${err.message}` });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The environment a nested tool install or a server we start should see: `base` without what
 * an outer `npm run …` (npm test, npm start) exported for its own script.
 *
 * npm hands its resolved configuration to lifecycle scripts as lower-case `npm_config_*`
 * variables (`npm_config_user_agent=npm/… node/v20…`, `npm_config_nodedir`, `npm_config_allow_scripts`,
 * …) plus `npm_package_*`, `npm_lifecycle_*`, `npm_execpath`, `NODE` and `INIT_CWD`. A nested
 * `npm install` reads those as its own settings, so under Node 24 it still claims Node 20 (and
 * code-server's postinstall, which checks the version in the user agent, refuses to install).
 * The nested npm reads the same npmrc files itself, so dropping them loses nothing; a setting
 * the user exported by hand (`NPM_CONFIG_REGISTRY=…`, upper case by convention) is kept.
 */
export function toolEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || k.startsWith('npm_') || k === 'NODE' || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return env;
}

/** The last `n` lines of a text, for error reports. */
export function tail(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
