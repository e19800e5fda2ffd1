/**
 * Gets a real VS Code (code-server) and a browser onto this machine, once, outside the repo:
 *   Debian Chromium (+ libkrb5-dev for code-server's kerberos module) via apt when we are root,
 *   Node 24 from the npm registry (code-server 4.139 needs it),
 *   code-server in its own npm folder with native modules built against Node 24.
 * Everything lives under ${XDG_CACHE_HOME:-~/.cache}/trail-lens/. A second run costs a few stat()s.
 * Run directly (`node --import tsx scripts/workbench/bootstrap.ts`) to install and print the paths.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../src/core/cacheFile';
import { CHROMIUM_PATH } from './browser';
import { freePort, runCaptured, spawnGroup, tail, toolEnv, waitForHttp } from './proc';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;

export interface Toolchain {
  /** Node 24 folder (bin/node, include/node). */
  nodeDir: string;
  codeServerBin: string;
  chromium: string;
  cacheDir: string;
}

export type BootstrapResult = ({ ok: true } & Toolchain) | { ok: false; reason: string };

/** `${XDG_CACHE_HOME:-~/.cache}/trail-lens`, shared with the extension's own cache default. */
export function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'trail-lens');
}

function paths(root = cacheRoot()) {
  const toolsDir = join(root, 'tools');
  const nodeDir = join(toolsDir, `node${NODE_MAJOR}`);
  const csDir = join(toolsDir, `code-server-${CODE_SERVER_VERSION}`);
  return {
    root,
    toolsDir,
    nodeDir,
    nodeBin: join(nodeDir, 'bin', 'node'),
    csDir,
    codeServerBin: join(csDir, 'node_modules', '.bin', 'code-server'),
    csMarker: join(csDir, '.trail-lens-ok'),
    lock: join(toolsDir, 'bootstrap.lock'),
    npmrc: join(toolsDir, 'npmrc'),
  };
}

const log = (msg: string): void => console.log(`[bootstrap] ${msg}`);
const secs = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

class Impossible extends Error {}

/** The toolchain if it is already complete (no installing, no network). */
export function installedToolchain(): Toolchain | undefined {
  const p = paths();
  if (existsSync(CHROMIUM_PATH) && existsSync(p.nodeBin) && existsSync(p.csMarker) && existsSync(p.codeServerBin)) {
    return { nodeDir: p.nodeDir, codeServerBin: p.codeServerBin, chromium: CHROMIUM_PATH, cacheDir: p.root };
  }
  return undefined;
}

/**
 * Environment for running code-server (or npm on its behalf): Node 24 first on PATH and none of
 * the configuration an outer `npm test` / `npm start` (on the machine's Node) exported (toolEnv).
 */
export function node24Env(nodeDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = toolEnv(base);
  // code-server listens on $PORT over its --bind-addr: every start here names its port explicitly
  // (`PORT=9000 npm start` picks it for the server it starts, not for the install check's).
  delete env.PORT;
  return { ...env, PATH: `${join(nodeDir, 'bin')}:${env.PATH ?? '/usr/bin:/bin'}` };
}

/** Installs what is missing. Never throws: a failure comes back as `{ ok: false, reason }`. */
export async function bootstrap(): Promise<BootstrapResult> {
  const ready = installedToolchain();
  if (ready) return { ok: true, ...ready };
  const t0 = Date.now();
  const p = paths();
  mkdirSync(p.toolsDir, { recursive: true });
  const release = await acquireLock(p.lock);
  try {
    await ensureChromium();
    await ensureNode24(p);
    await ensureCodeServer(p);
    log(`ready in ${secs(t0)} (cache: ${p.root})`);
    return { ok: true, nodeDir: p.nodeDir, codeServerBin: p.codeServerBin, chromium: CHROMIUM_PATH, cacheDir: p.root };
  } catch (err) {
    const reason = err instanceof Impossible ? err.message : `bootstrap failed: ${(err as Error).message}`;
    log(reason);
    return { ok: false, reason };
  } finally {
    release();
  }
}

/**
 * For callers that may skip: the toolchain, or a skip reason outside CI.
 * Under CI=true an impossible bootstrap is an error, never a skip.
 */
export async function toolchainOrSkip(): Promise<{ toolchain: Toolchain } | { skip: string }> {
  const r = await bootstrap();
  if (r.ok) return { toolchain: r };
  if (process.env.CI === 'true') throw new Error(`CI=true and the VS Code toolchain is unavailable: ${r.reason}`);
  return { skip: r.reason };
}

// A directory as the lock: mkdir is atomic. A lock whose owner died is taken over.
async function acquireLock(lock: string): Promise<() => void> {
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // owner has not written its pid yet
    }
    if (Number.isFinite(owner) && !isAlive(owner)) {
      log(`removing stale lock of dead process ${owner}`);
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!announced) log(`another bootstrap (pid ${owner}) is installing; waiting for it…`);
    announced = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const isRoot = (): boolean => process.getuid?.() === 0;

async function ensureChromium(): Promise<void> {
  const needKrb = !existsSync('/usr/include/gssapi/gssapi.h') && !existsSync(paths().csMarker);
  const missing = [...(existsSync(CHROMIUM_PATH) ? [] : ['chromium']), ...(needKrb ? ['libkrb5-dev'] : [])];
  if (missing.length === 0) return;
  if (!isRoot()) {
    throw new Impossible(
      `missing ${missing.join(' and ')} and not root to install it ` +
        `(run: sudo apt-get install -y --no-install-recommends chromium libkrb5-dev)`,
    );
  }
  const t0 = Date.now();
  log(`apt-get install ${missing.join(' ')} …`);
  const env = { ...toolEnv(), DEBIAN_FRONTEND: 'noninteractive' };
  const upd = await runCaptured('apt-get', ['update'], { env, echo: '  apt: ' });
  if (upd.code !== 0) throw new Impossible(`apt-get update failed (no network to Debian mirrors?):\n${tail(upd.output, 15)}`);
  const inst = await runCaptured('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'libkrb5-dev'], {
    env,
    echo: '  apt: ',
  });
  if (inst.code !== 0 || !existsSync(CHROMIUM_PATH)) {
    throw new Impossible(`apt-get install chromium libkrb5-dev failed:\n${tail(inst.output, 15)}`);
  }
  log(`apt packages installed in ${secs(t0)}`);
}

async function ensureNode24(p: ReturnType<typeof paths>): Promise<void> {
  if (existsSync(p.nodeBin)) return;
  const t0 = Date.now();
  log(`installing Node ${NODE_MAJOR} from the npm registry (npm install node@${NODE_MAJOR}) …`);
  const scratch = mkdtempSync(join(tmpdir(), 'trail-lens-node24-'));
  try {
    writeFileSync(
      join(scratch, 'package.json'),
      // node's preinstall downloads nothing: it links the node-linux-<arch> package it depends on.
      JSON.stringify({ private: true, name: 'node24-scratch', allowScripts: { node: true } }),
    );
    const r = await runCaptured('npm', ['install', '--no-audit', '--no-fund', `node@${NODE_MAJOR}`], {
      cwd: scratch,
      env: toolEnv(),
      echo: '  npm: ',
    });
    // The binary package sits nested under node/; copy it out before any further npm
    // run in the scratch folder treats it as extraneous and prunes it.
    const pkg = join(scratch, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
    if (r.code !== 0 || !existsSync(join(pkg, 'bin', 'node'))) {
      throw new Impossible(`cannot install node@${NODE_MAJOR} from the npm registry:\n${tail(r.output, 15)}`);
    }
    rmSync(p.nodeDir, { recursive: true, force: true });
    cpSync(pkg, p.nodeDir, { recursive: true, verbatimSymlinks: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const v = await runCaptured(p.nodeBin, ['--version']);
  if (!v.output.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`${p.nodeBin} --version said ${v.output.trim()}`);
  log(`Node ${v.output.trim()} in ${p.nodeDir} (${secs(t0)})`);
}

// npm 11 gates dependency install scripts on the project's `allowScripts`. Our project only
// needs code-server's postinstall (it runs `npm install` in lib/vscode and lib/vscode/extensions,
// whose package.json files carry VS Code's own allowScripts: kerberos, node-pty, spdlog … allowed,
// koffi/ssh2/cpu-features denied) and argon2's prebuilt-binary loader. Not `--allow-scripts` or
// an npmrc `allow-scripts=`: npm exports that to the postinstall's environment and the nested
// project-scoped installs then fail with EALLOWSCRIPTS.
const allowScripts = { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true };

async function ensureCodeServer(p: ReturnType<typeof paths>): Promise<void> {
  if (existsSync(p.csMarker) && existsSync(p.codeServerBin)) return;
  const t0 = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${p.csDir} (about 2–3 minutes, ~600 MB) …`);
  rmSync(p.csDir, { recursive: true, force: true });
  mkdirSync(p.csDir, { recursive: true });
  writeFileSync(
    join(p.csDir, 'package.json'),
    JSON.stringify({
      private: true,
      name: 'trail-lens-code-server',
      dependencies: { 'code-server': CODE_SERVER_VERSION },
      allowScripts,
    }),
  );
  const env = {
    ...node24Env(p.nodeDir),
    // ~/.npmrc may say nodedir=/usr (Node 20 headers); native modules must match Node 24.
    npm_config_nodedir: p.nodeDir,
    // An install script no allow-list covers fails the install (here and in the nested
    // installs, which inherit the env) instead of leaving a silently half-built code-server.
    npm_config_strict_allow_scripts: 'true',
  };
  // npm is silent while it compiles native modules; say we are alive.
  const beat = setInterval(() => log(`… still installing code-server (${secs(t0)})`), 20_000);
  const r = await runCaptured('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: p.csDir,
    env,
    echo: '  npm: ',
  }).finally(() => clearInterval(beat));
  const vscodeModules = join(p.csDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  if (r.code !== 0 || !existsSync(p.codeServerBin) || !existsSync(vscodeModules)) {
    const msg = `npm install code-server@${CODE_SERVER_VERSION} failed:\n${tail(r.output, 25)}`;
    throw /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET/.test(r.output)
      ? new Impossible(`no network to the npm registry: ${msg}`)
      : new Error(msg);
  }
  log(`installed in ${secs(t0)}; checking that code-server starts …`);
  await verifyCodeServer(p.codeServerBin, p.nodeDir);
  writeFileSync(p.csMarker, JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }));
  log(`code-server ${CODE_SERVER_VERSION} ready (${secs(t0)})`);
}

/** Starts the freshly installed server once and waits for /healthz. */
async function verifyCodeServer(bin: string, nodeDir: string): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'trail-lens-cs-verify-'));
  const port = await freePort();
  const out: string[] = [];
  const { child, stop } = spawnGroup(
    bin,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check'],
    {
      env: { ...node24Env(nodeDir), XDG_CONFIG_HOME: join(tmp, 'xdg'), XDG_DATA_HOME: join(tmp, 'xdg') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (b: Buffer) => out.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => out.push(b.toString()));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 20_000, child);
  } catch (err) {
    throw new Error(`installed code-server does not start: ${(err as Error).message}\n${tail(out.join(''), 20)}`);
  } finally {
    await stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && /bootstrap\.ts$/.test(process.argv[1])) {
  const t0 = Date.now();
  void bootstrap().then((r) => {
    if (r.ok) {
      log(`node: ${r.nodeDir}\n[bootstrap] code-server: ${r.codeServerBin}\n[bootstrap] chromium: ${r.chromium}`);
      log(`total ${secs(t0)}`);
    }
    process.exit(r.ok ? 0 : process.env.CI === 'true' ? 1 : 3);
  });
}
