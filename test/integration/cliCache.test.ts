/**
 * The built CLI and its event cache on disk: a damaged cache never turns a findable event into
 * "not found", concurrent runs write each event once, an unusable cache folder is a warning, and
 * what a lookup fetched before an AWS error or Ctrl+C stays cached.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SampleAccount } from '../../src/sample/account';
import type { CloudTrailRecord } from '../../src/core/record';
import type { FakeCloudTrail } from '../fake-cloudtrail/server';
import { CLI, cli, homeWithProfile, sampleEndpoint } from './cliRun';

function cacheFile(home: string): string {
  const root = join(home, '.cache', 'trail-lens');
  // One cache folder per account and Region (accounts.json beside them maps connections to accounts).
  const [sub] = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());
  return join(root, sub, 'events.jsonl');
}

function cachedIds(home: string): string[] {
  return readFileSync(cacheFile(home), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"event":'))
    .map((l) => (JSON.parse(l) as { event: CloudTrailRecord }).event.eventID);
}

describe('trail-lens CLI with its event cache', () => {
  let account: SampleAccount;
  let fake: FakeCloudTrail;
  let target: CloudTrailRecord;
  const now = new Date();

  before(async () => {
    ({ account, fake } = await sampleEndpoint(now));
    target = account.records.find((r) => r.requestID === account.story.requestId)!;
  });
  after(() => fake.close());

  /** A fresh HOME whose cache holds the two hours around the story's event, completely covered. */
  async function cachedAroundTarget(): Promise<string> {
    const home = homeWithProfile(account.region);
    const r = await cli(['lookup', '--endpoint-url', fake.url, '--around', target.eventTime, '--window', '1h', '--format', 'jsonl'], {
      home,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(cachedIds(home).includes(target.eventID));
    return home;
  }

  const findArgs = (): string[] => [
    'find-request',
    '--endpoint-url',
    fake.url,
    '--around',
    target.eventTime,
    '--window',
    '10m',
    account.story.requestId,
  ];
  const find = (home: string) => cli(findArgs(), { home });

  test('an intact cache answers with no calls', async () => {
    const home = await cachedAroundTarget();
    fake.resetStats();
    const r = await find(home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).eventID, target.eventID);
    assert.equal(fake.stats.calls, 0);
  });

  const damages: [string, (file: string) => void, RegExp | undefined][] = [
    [
      'the event’s line corrupted, the coverage lines intact',
      (file) => {
        const text = readFileSync(file, 'utf8');
        writeFileSync(
          file,
          text
            .split('\n')
            .map((l) => (l.includes(target.eventID) ? l.replace(/[a-z]/g, '~') : l))
            .join('\n'),
        );
      },
      /damaged/,
    ],
    [
      'the event’s line removed',
      (file) => {
        writeFileSync(
          file,
          readFileSync(file, 'utf8')
            .split('\n')
            .filter((l) => !l.includes(target.eventID))
            .join('\n'),
        );
      },
      /damaged/,
    ],
    [
      'truncated mid-line before the event',
      (file) => {
        const text = readFileSync(file, 'utf8');
        truncateSync(file, Buffer.byteLength(text.slice(0, text.indexOf(target.eventID))) - 20);
      },
      /damaged/,
    ],
    ['full of garbage', (file) => writeFileSync(file, Buffer.alloc(statSync(file).size, '\u0001garbage\n')), /discarded/],
    [
      'deleted, beside an old-format meta.json that claims the whole window',
      (file) => {
        rmSync(file);
        writeFileSync(
          join(file, '..', 'meta.json'),
          JSON.stringify({ version: 1, key: 'x', coverage: { '*': [{ start: 0, end: now.getTime() }] } }),
        );
        writeFileSync(join(file, '..', 'records.jsonl'), '');
      },
      undefined,
    ],
  ];
  for (const [name, damage, says] of damages) {
    test(`a damaged cache (${name}) still finds the event`, async () => {
      const home = await cachedAroundTarget();
      damage(cacheFile(home));
      fake.resetStats();
      const r = await find(home);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).eventID, target.eventID);
      // About what the same search costs without any cache, never a re-read of everything: how many
      // pages the window holds depends on the sample's traffic at that hour, and what is left of the
      // cache can split the window at other places (a page or two more), so the bound is measured.
      const calls = fake.stats.calls;
      fake.resetStats();
      assert.equal((await cli([...findArgs(), '--no-cache'], { home: homeWithProfile(account.region) })).code, 0);
      assert.ok(calls > 0 && calls <= fake.stats.calls + 2, `${calls} calls, ${fake.stats.calls} without a cache`);
      if (says) assert.match(r.stderr, says);
      assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+/, 'no stack trace');
      // And the cache is whole again: the next run answers from it.
      fake.resetStats();
      assert.equal((await find(home)).code, 0);
      assert.equal(fake.stats.calls, 0);
    });
  }

  test('two profiles on one account share its cache: what one fetched, the other finds with no calls', async () => {
    const home = await cachedAroundTarget();
    // The first run learned the account; the next one keeps its cache under the account's key.
    assert.equal((await find(home)).code, 0);
    const other = ['--profile', 'other', '--region', account.region];
    // `other` reaches the same account: its first run learns so (its first page names the account) …
    assert.equal((await cli(['lookup', ...other, '--endpoint-url', fake.url, '--limit', '1', '--format', 'jsonl'], { home })).code, 0);
    // … and from then on it reads the account's cache, which holds what `default` fetched.
    fake.resetStats();
    const r = await cli(
      ['find-request', ...other, '--endpoint-url', fake.url, '--around', target.eventTime, '--window', '10m', account.story.requestId],
      { home },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).eventID, target.eventID);
    assert.equal(fake.stats.calls, 0, "answered from the account's cache");
  });

  test('two lookups at once write each event once', async () => {
    const home = homeWithProfile(account.region);
    const args = ['lookup', '--endpoint-url', fake.url, '--around', target.eventTime, '--window', '1h', '--format', 'jsonl'];
    const [a, b] = await Promise.all([cli(args, { home }), cli(args, { home })]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const ids = cachedIds(home);
    const printed = a.stdout.trim().split('\n').length;
    assert.equal(ids.length, printed, `${ids.length} lines for ${printed} events`);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('an unusable cache folder is one warning, and the command carries on', async () => {
    const home = homeWithProfile(account.region);
    const r = await cli(['lookup', '--endpoint-url', fake.url, '--cache-dir', '/dev/null/x', '--limit', '3', '--format', 'jsonl'], {
      home,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 3);
    const warnings = r.stderr.split('\n').filter((l) => /cache/i.test(l));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0], /^warning: Cache directory \/dev\/null\/x is not usable \(ENOTDIR.*continuing without the event cache$/);
    const found = await cli(['find-request', '--endpoint-url', fake.url, '--cache-dir', '/dev/null/x', account.story.logLine], { home });
    assert.equal(found.code, 0, found.stderr);
  });

  test('a bad --cache-max-mb is a usage error', async () => {
    const r = await cli(['lookup', '--endpoint-url', fake.url, '--cache-max-mb', 'lots'], { home: homeWithProfile(account.region) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--cache-max-mb must be a whole number/);
  });

  test('the events a lookup fetched before an AWS error are cached, and answer a find with no calls', async () => {
    const home = homeWithProfile(account.region);
    fake.addFault({ kind: 'accessDenied', operation: 'LookupEvents', skip: 2 });
    let r;
    try {
      r = await cli(['lookup', '--endpoint-url', fake.url, '--format', 'jsonl'], { home });
    } finally {
      fake.clearFaults();
    }
    assert.equal(r.code, 3, r.stderr);
    const printed = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as CloudTrailRecord);
    assert.ok(printed.length >= 50, `${printed.length} events printed`);
    assert.deepEqual(new Set(cachedIds(home)), new Set(printed.map((p) => p.eventID)));
    const old = printed.find((p) => p.requestID && Date.now() - Date.parse(p.eventTime) > 20 * 60_000) ?? printed[printed.length - 1];
    fake.resetStats();
    const found = await cli(['find-request', '--endpoint-url', fake.url, '--around', old.eventTime, '--window', '1m', old.requestID!], {
      home,
    });
    assert.equal(found.code, 0, found.stderr);
    assert.equal(fake.stats.calls, 0);
  });

  test('the events a lookup fetched before Ctrl+C are cached', async () => {
    const home = homeWithProfile(account.region);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(home, '.cache') };
    const child = spawn(process.execPath, [CLI, 'lookup', '--endpoint-url', fake.url, '--format', 'jsonl'], { env });
    let stdout = '';
    let interrupted = false;
    const code = await new Promise<number>((resolve) => {
      child.stdout.on('data', (b) => {
        stdout += b;
        // One Ctrl+C: a second one ends the process at once, as in a terminal.
        if (!interrupted && stdout.split('\n').length > 60) interrupted = child.kill('SIGINT');
      });
      child.stderr.resume();
      child.on('close', (c) => resolve(c ?? -1));
    });
    assert.equal(code, 130);
    const printed = stdout.trim().split('\n').filter(Boolean).length;
    const ids = cachedIds(home);
    assert.ok(ids.length >= 50 && ids.length >= printed - 50, `${ids.length} cached of ${printed} printed`);
  });
});
