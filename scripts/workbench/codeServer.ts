/**
 * Starts a real VS Code (code-server) for tests, CI and `npm start`.
 * Each start gets a fresh user-data-dir (state leaks between runs otherwise) unless a
 * persistent `stateDir` is given. The env passed reaches the extension host, which inherits
 * code-server's environment.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  lstatSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootstrap, node24Env, type Toolchain } from './bootstrap';
import { freePort, runCaptured, spawnGroup, tail, waitForHttp } from './proc';

/** Settings every throwaway VS Code gets (docs/testing.md): no trust prompt, tips, updates or AI side bar. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'files.hotExit': 'off',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface CodeServerOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** Extra environment for code-server and so for the extension host; `undefined` unsets a variable. */
  env?: Record<string, string | undefined>;
  /**
   * Loaded through the URL payload (Extension Development Host). The payload only works with
   * `--vscode-option enable-smoke-test-driver`, which also hides every notification toast: right
   * for tests that drive the workbench, wrong for a person (use `linkExtension` then).
   */
  extensionDevelopmentPath?: string;
  /**
   * An extension folder made visible as an installed extension: symlinked into the extensions
   * dir as `<publisher>.<name>-<version>`. The workbench behaves as for any installed extension
   * (toasts included); a rebuild shows after a window reload.
   */
  linkExtension?: string;
  /** The suite's index module, with or without `.js`; run() is called inside the extension host. */
  extensionTestsPath?: string;
  /** Default: a fresh folder next to the user-data-dir. */
  extensionsDir?: string;
  /** Merged over BASE_SETTINGS into User/settings.json (under the user's own ones with `stateDir`). */
  settings?: Record<string, unknown>;
  /** Keep user data, XDG dirs and extensions here across starts (npm start); default: a temp dir removed on stop. */
  stateDir?: string;
  /** Preferred port; a free one is taken when it is busy. Default: a random free port. */
  port?: number;
  /** Already bootstrapped toolchain; default: bootstrap() (throws when impossible). */
  toolchain?: Toolchain;
}

export interface CodeServer {
  /** Workbench URL with `folder` and (when an extension is loaded) `payload`. */
  url: string;
  port: number;
  userDataDir: string;
  logsDir: string;
  extensionsDir: string;
  /** code-server's own stdout/stderr so far. */
  output(): string;
  /** Settles with the exit code or signal when the server process ends (for whatever reason). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** Resolves the toolchain or throws with bootstrap's reason. */
export async function requireToolchain(toolchain?: Toolchain): Promise<Toolchain> {
  if (toolchain) return toolchain;
  const r = await bootstrap();
  if (!r.ok) throw new Error(`VS Code toolchain unavailable: ${r.reason}`);
  return r;
}

function stateDirs(root: string, extensionsDir?: string) {
  return {
    userDataDir: join(root, 'data'),
    extensionsDir: extensionsDir ?? join(root, 'extensions'),
    xdg: join(root, 'xdg'),
  };
}

/** The env code-server runs with: Node 24 first on PATH, XDG config/data inside the state dir. */
function serverEnv(toolchain: Toolchain, xdg: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...node24Env(toolchain.nodeDir), XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * Writes `<userDataDir>/User/settings.json`: BASE_SETTINGS and `settings`; with `keepUser`
 * (a persistent state dir), what the file already says wins, so a person's own changes stick.
 */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown> | undefined, keepUser = false): void {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  let current: Record<string, unknown> = {};
  if (keepUser && existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      // a hand-edited file with comments: start from ours
    }
  }
  writeFileSync(file, JSON.stringify({ ...BASE_SETTINGS, ...settings, ...current }, null, 2));
}

/**
 * Builds the workbench URL. The payload needs `--vscode-option enable-smoke-test-driver`
 * (otherwise it is silently ignored); its paths are `vscode-remote://<host:port as the browser sees it><abs path>`.
 */
export function workbenchUrl(
  base: string,
  workspace: string,
  load: { extensionDevelopmentPath?: string; extensionTestsPath?: string } = {},
): string {
  const authority = new URL(base).host;
  const payload: [string, string][] = [];
  if (load.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${resolve(load.extensionDevelopmentPath)}`]);
  }
  if (load.extensionTestsPath) {
    const index = resolve(load.extensionTestsPath).replace(/\.js$/, '');
    payload.push(['extensionTestsPath', `vscode-remote://${authority}${index}`]);
  }
  const query = new URLSearchParams({ folder: resolve(workspace) });
  if (payload.length) query.set('payload', JSON.stringify(payload));
  return `${base}/?${query.toString()}`;
}

/** Symlinks `folder` into `extensionsDir` as the installed extension its package.json names. */
export function linkExtensionInto(folder: string, extensionsDir: string): string {
  const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const id = `${pkg.publisher}.${pkg.name}`.toLowerCase();
  mkdirSync(extensionsDir, { recursive: true });
  // Any earlier link or copy of this extension (another version) would load beside it.
  for (const entry of readdirSync(extensionsDir)) {
    if (!entry.toLowerCase().startsWith(`${id}-`)) continue;
    const path = join(extensionsDir, entry);
    // A link goes, never what it points at (the repository).
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
    else rmSync(path, { recursive: true, force: true });
  }
  const link = join(extensionsDir, `${id}-${pkg.version}`);
  symlinkSync(resolve(folder), link, 'dir');
  return link;
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const toolchain = await requireToolchain(opts.toolchain);
  const temp = opts.stateDir === undefined;
  const root = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'trail-lens-cs-'));
  const dirs = stateDirs(root, opts.extensionsDir);
  for (const d of [dirs.userDataDir, dirs.extensionsDir, dirs.xdg]) mkdirSync(d, { recursive: true });
  writeUserSettings(dirs.userDataDir, opts.settings, !temp);

  if (opts.linkExtension) linkExtensionInto(opts.linkExtension, dirs.extensionsDir);
  const port = opts.port ? await freePort(opts.port) : await freePort();
  // Only the URL payload needs the smoke-test driver (and it suppresses toasts).
  const payload = Boolean(opts.extensionDevelopmentPath || opts.extensionTestsPath);
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--reconnection-grace-time',
    '5',
    ...(payload ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
  ];
  let out = '';
  const logFile = createWriteStream(join(root, 'code-server.log'));
  const { child, stop: stopGroup } = spawnGroup(toolchain.codeServerBin, args, {
    env: serverEnv(toolchain, dirs.xdg, opts.env),
    cwd: opts.workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (b: Buffer): void => {
    logFile.write(b);
    out += b.toString();
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, sig) => resolve(String(code ?? sig))));

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopGroup();
    logFile.end();
    if (temp && process.env.TRAIL_LENS_KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${base}/healthz`, 30_000, child);
  } catch (err) {
    await stop();
    throw new Error(`code-server did not come up: ${(err as Error).message}\n${tail(out, 30)}`);
  }
  return {
    url: workbenchUrl(base, opts.workspace, opts),
    port,
    userDataDir: dirs.userDataDir,
    logsDir: join(dirs.userDataDir, 'logs'),
    extensionsDir: dirs.extensionsDir,
    output: () => out,
    exited,
    stop,
  };
}

/**
 * Installs a VSIX into an extensions dir the way a user would (`code-server --install-extension`),
 * before the server that uses that dir starts.
 */
export async function installVsix(vsix: string, extensionsDir: string, toolchain?: Toolchain): Promise<string> {
  const tc = await requireToolchain(toolchain);
  const scratch = mkdtempSync(join(tmpdir(), 'trail-lens-install-'));
  try {
    const r = await runCaptured(
      tc.codeServerBin,
      ['--extensions-dir', extensionsDir, '--user-data-dir', join(scratch, 'data'), '--install-extension', vsix],
      { env: serverEnv(tc, join(scratch, 'xdg')), timeoutMs: 120_000 },
    );
    if (r.code !== 0) throw new Error(`code-server --install-extension ${vsix} failed:\n${tail(r.output, 20)}`);
    return r.output;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Newest `<logsDir>/<ts>/exthost1/remoteexthost.log`, if the extension host has started. */
export function extensionHostLogPath(logsDir: string): string | undefined {
  if (!existsSync(logsDir)) return undefined;
  const sessions = readdirSync(logsDir)
    .map((name) => join(logsDir, name))
    .filter((p) => statSync(p).isDirectory())
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const s of sessions) {
    const file = join(s, 'exthost1', 'remoteexthost.log');
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** The extension host log's text ('' before it exists). */
export function extensionHostLog(logsDir: string): string {
  const file = extensionHostLogPath(logsDir);
  return file ? readFileSync(file, 'utf8') : '';
}
