/**
 * The test runner's own plumbing: what nested tool installs inherit (toolEnv) and the
 * per-tier counts that scripts/test.mjs's summary is made of (tally-reporter.mjs).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { node24Env } from '../../scripts/workbench/bootstrap';
import { toolEnv } from '../../scripts/workbench/proc';
import { parseTallyLine, TALLY_PREFIX } from '../harness/tally';
import { REPO_ROOT } from '../harness/testEnv';
import { scratchDir } from '../harness/scratch';

// What `npm test` / `npm start` on Node 20 export to their script (seen with `npm run env`).
const UNDER_NPM: NodeJS.ProcessEnv = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/home/dev',
  NODE: '/usr/bin/node',
  INIT_CWD: '/work/trail-lens',
  // An older Node than the one running, so the test can tell whose version a nested npm reports.
  npm_config_user_agent: 'npm/10.0.0 node/v18.0.0 linux x64 workspaces/false',
  npm_config_nodedir: '/usr',
  npm_config_allow_scripts: '',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  npm_lifecycle_event: 'test',
  npm_package_name: 'trail-lens',
  NPM_CONFIG_REGISTRY: 'https://registry.example.test/',
  AWS_PROFILE: 'dev',
};

describe('toolEnv: nested installs do not inherit the outer npm', () => {
  test('drops what npm exported for its own script', () => {
    const env = toolEnv(UNDER_NPM);
    for (const k of Object.keys(env)) assert.ok(!k.startsWith('npm_'), `${k} leaked`);
    assert.equal(env.NODE, undefined);
    assert.equal(env.INIT_CWD, undefined);
  });

  test('keeps the rest, including npm settings the user exported by hand', () => {
    const env = toolEnv(UNDER_NPM);
    assert.equal(env.NPM_CONFIG_REGISTRY, 'https://registry.example.test/');
    assert.equal(env.HOME, '/home/dev');
    assert.equal(env.AWS_PROFILE, 'dev');
  });

  test('node24Env puts Node 24 first on PATH and carries no Node 20 user agent', () => {
    const env = node24Env('/cache/tools/node24', UNDER_NPM);
    assert.equal(env.PATH, '/cache/tools/node24/bin:/usr/local/bin:/usr/bin:/bin');
    assert.equal(env.npm_config_user_agent, undefined);
    // code-server would listen on $PORT instead of the --bind-addr port it is given.
    assert.equal(node24Env('/n', { ...UNDER_NPM, PORT: '9000' }).PORT, undefined);
    // What code-server's postinstall reads: the user agent of the npm that runs it.
    const dir = scratchDir('trail-lens-ua-');
    try {
      const script = 'node -e "console.log(process.env.npm_config_user_agent)"';
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ua', private: true, scripts: { ua: script } }));
      const ua = (env: NodeJS.ProcessEnv): string =>
        spawnSync('npm', ['run', '--silent', 'ua'], { cwd: dir, env, encoding: 'utf8' }).stdout.trim();
      const inherited = { ...process.env, ...UNDER_NPM, PATH: process.env.PATH };
      assert.match(ua(inherited), /node\/v18\.0\.0/, 'the inherited user agent wins without toolEnv (the bug)');
      assert.match(ua(toolEnv(inherited)), new RegExp(`node/${process.version.replace(/\./g, '\\.')} `));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("tally-reporter: the counts behind npm test's summary", () => {
  test('counts passes, failures and skips with their reasons, a skipped suite once', () => {
    const dir = scratchDir('trail-lens-tally-test-');
    try {
      const out = join(dir, 'tally.json');
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--test',
          '--test-reporter=./scripts/tally-reporter.mjs',
          `--test-reporter-destination=${out}`,
          join('test', 'fixtures', 'tally', 'sample.fixture.ts'),
        ],
        // Without NODE_TEST_CONTEXT: set by the outer `node --test`, it would make this run report to us.
        { cwd: REPO_ROOT, encoding: 'utf8', env: { ...toolEnv(), NODE_TEST_CONTEXT: undefined } },
      );
      assert.equal(r.status, 1, 'the fixture has a failing test');
      const tally = JSON.parse(readFileSync(out, 'utf8'));
      assert.deepEqual(tally, {
        passed: 2,
        failed: 1,
        skipped: 2,
        skips: ['is skipped: no toolchain here', 'skipped as a whole: bootstrap failed'],
        // Per file, so npm test can run a ui file with a failure once more and name what failed first.
        files: {
          [join(REPO_ROOT, 'test', 'fixtures', 'tally', 'sample.fixture.ts')]: { passed: 2, failed: 1, skipped: 2, failures: ['fails'] },
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the extension-host suite's counts come out of the workbench in one console line", () => {
    const line = `${TALLY_PREFIX}{"passed":41,"failed":0,"skipped":1,"skips":["jump another Region"]}`;
    assert.deepEqual(parseTallyLine(`INFO ${line}`), { passed: 41, failed: 0, skipped: 1, skips: ['jump another Region'] });
    assert.equal(parseTallyLine('41 passing'), undefined);
    assert.equal(parseTallyLine(`${TALLY_PREFIX}{not json`), undefined);
  });
});

describe('scratchDir', () => {
  test('what a process made is gone when it exits, however it ended', () => {
    const made = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { scratchDir } = require(${JSON.stringify(join(REPO_ROOT, 'test/harness/scratch.ts'))});
         const a = scratchDir('a-'); require('node:fs').writeFileSync(a + '/f', 'x'); scratchDir('b-');
         console.log(require('node:path').dirname(a)); process.exitCode = 3;`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 3, made.stderr);
    const root = made.stdout.trim();
    assert.match(root, /trail-lens-scratch-\d+-/);
    assert.equal(existsSync(root), false, `${root} was left behind`);
  });
});
