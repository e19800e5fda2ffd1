/**
 * The second half of `npm start` (scripts/start.mjs installs and builds first):
 * writes the demo workspace, then opens the extension in desktop VS Code when a `code` binary
 * is on PATH, or else runs code-server (bootstrapped on first use) on 127.0.0.1:${PORT:-8080}
 * with state kept under the cache dir, printing the URL to open, until Ctrl+C.
 *
 * Sample mode contract: when there are no AWS credentials or config at all, the extension is
 * started with TRAIL_LENS_SAMPLE=1 and shows the built-in sample account.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { bootstrap, cacheRoot } from './workbench/bootstrap';
import { startCodeServer } from './workbench/codeServer';
import { loadSampleAccount, writeDemoSettings, writeDemoWorkspace } from './workbench/demoWorkspace';
import { startSampleEngines, type SampleEngines } from './workbench/sampleEngines';
import { REPO_ROOT } from './workbench/proc';
import { DEMO_MARKER } from '../src/extension/walkthrough/demoMarker';

const say = (msg: string): void => console.log(`[start] ${msg}`);

/**
 * True when nothing would give the extension AWS credentials: no shared config or credentials
 * file (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or ~/.aws/…), no AWS_ACCESS_KEY_ID, no AWS_PROFILE.
 */
export function noAwsSetup(env: NodeJS.ProcessEnv = process.env, home = homedir()): boolean {
  const config = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  return !existsSync(config) && !existsSync(credentials) && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE;
}

/** A desktop VS Code `code` on PATH (not the remote CLI that code-server puts in its terminals). */
export function desktopCode(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TRAIL_LENS_USE_CODE_SERVER === '1') return undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || /remote-cli|code-server/.test(dir)) continue;
    const bin = join(dir, 'code');
    try {
      accessSync(bin, constants.X_OK);
      return bin;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function start(): Promise<void> {
  const root = cacheRoot();
  const workspace = join(root, 'demo-workspace');
  // Rewritten on every start: the log's timestamps follow the sample account, built for this
  // minute; the extension builds its sample account for the same minute (TRAIL_LENS_SAMPLE_NOW),
  // however much later it activates, so the log and the events agree to the second.
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const sample = loadSampleAccount(now);
  writeDemoWorkspace(workspace, sample);
  say(`demo workspace: ${workspace} (deploy.log, export-job.log, template.yaml, ${DEMO_MARKER})`);
  const env: Record<string, string> = { TRAIL_LENS_SAMPLE_NOW: now.toISOString() };
  let engines: SampleEngines | undefined;
  if (noAwsSetup()) {
    env.TRAIL_LENS_SAMPLE = '1';
    say('no AWS credentials or config found: the extension starts on the built-in sample account (TRAIL_LENS_SAMPLE=1)');
    // Athena, CloudWatch Logs and CloudTrail Lake over the sample's trail, on 127.0.0.1: the jump's not-found message offers them.
    engines = await startSampleEngines(sample.records, 'ap-northeast-1');
    Object.assign(env, engines.env);
    say(
      `local Athena (DuckDB) at ${engines.athenaUrl}, CloudWatch Logs (${engines.logGroup}) at ${engines.logsUrl}, CloudTrail Lake at ${engines.lakeUrl}`,
    );
  }
  // Only the sample account's workspace names the local engines; with a real account they are the person's to set.
  writeDemoSettings(workspace, engines?.settings);

  const code = desktopCode();
  if (code) {
    say(`opening desktop VS Code: ${code} --extensionDevelopmentPath=${REPO_ROOT} ${workspace}`);
    const child = spawn(code, [`--extensionDevelopmentPath=${REPO_ROOT}`, workspace], {
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await engines?.close();
    return;
  }

  say('no desktop `code` on PATH: running VS Code in the browser (code-server)');
  const tc = await bootstrap();
  if (!tc.ok) {
    await engines?.close();
    console.error(`[start] cannot install code-server here: ${tc.reason}`);
    process.exit(1);
  }
  const server = await startCodeServer({
    workspace,
    env,
    // Installed (a link to the repo), not a development host: the development host needs the
    // smoke-test driver, which hides every notification toast.
    linkExtension: REPO_ROOT,
    // Persistent, unlike the tests: layout, open editors and the extension's state survive restarts.
    stateDir: join(root, 'code-server-state'),
    // Defaults only: the log's long lines wrap so the request ID is on screen.
    settings: { 'editor.wordWrap': 'on' },
    port: Number(process.env.PORT || 8080),
    toolchain: tc,
  });
  const wanted = Number(process.env.PORT || 8080);
  if (server.port !== wanted) say(`port ${wanted} is busy; using ${server.port}`);
  console.log(`\nTrail Lens is running in VS Code (code-server ${server.port}). Open this URL in a browser:\n\n  ${server.url}\n`);
  console.log(
    'The first start opens deploy.log at the failed deployment with a walkthrough beside it: right-click the Request ID →\n' +
      '"Go to Event for Request ID" (Ctrl+Alt+R), then follow encryptionKeyArn to its CreateKey. export-job.log holds an S3\n' +
      'data event that only the engines over the trail hold: its jump goes to Athena. Ctrl+C stops.\n',
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    // `on`, not `once`: a second Ctrl+C (the terminal and scripts/start.mjs both deliver one)
    // must not fall through to the harness's hard-kill handler.
    const shutdown = (): void => {
      if (stopping) return;
      stopping = true;
      say('stopping code-server …');
      void server
        .stop()
        .then(() => engines?.close())
        .then(resolve);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    void server.exited.then((how) => {
      if (stopping) return;
      console.error(`[start] code-server exited on its own (${how}); its output:\n${server.output().slice(-3000)}`);
      process.exitCode = 1;
      void Promise.resolve(engines?.close()).then(resolve);
    });
  });
}

if (process.argv[1] && /start\.ts$/.test(process.argv[1])) {
  start().then(
    () => process.exit(),
    (err: Error) => {
      console.error(`[start] ${err.message}`);
      process.exit(1);
    },
  );
}
