/**
 * package.json `contributes` against the code: the contributed commands, the Commands object and
 * the command table (the one place handlers are registered) are the same set, every menu/welcome
 * reference names a real command, and every setting is read in config.ts (the one place settings
 * are read).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, ContextKeys, EVENTS_VIEW_ID, INVESTIGATION_VIEW_ID } from '../../src/extension/commandIds';
import type * as Table from '../../src/extension/commands/table';
import { installVscodeStub } from './support/vscodeStub';

// The table's modules import `vscode`; loading them reads the table, it runs no handler.
installVscodeStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { COMMAND_TABLE } = require('../../src/extension/commands/table') as typeof Table;

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;
const declared: string[] = contributes.commands.map((c: { command: string }) => c.command);
const ids: string[] = Object.values(Commands);

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') ? [{ path: p, text: readFileSync(p, 'utf8') }] : [];
  });
}

describe('package.json contributes', () => {
  test('contributed commands and the Commands object are the same set', () => {
    assert.equal(new Set(declared).size, declared.length, 'a command is contributed twice');
    assert.deepEqual([...declared].sort(), [...ids].sort());
  });

  test('command ids follow trailLens.verbNoun and have a title and category', () => {
    for (const c of contributes.commands) {
      assert.match(c.command, /^trailLens\.[a-z]+[A-Za-z]*$/, c.command);
      assert.ok(c.title, `${c.command} has no title`);
      assert.equal(c.category, 'Trail Lens', `${c.command} category`);
    }
  });

  test('the command table has a handler for every contributed command and nothing else', () => {
    const table = Object.keys(COMMAND_TABLE);
    assert.deepEqual(
      declared.filter((id) => !table.includes(id)),
      [],
      'contributed in package.json but missing from src/extension/commands/table.ts',
    );
    assert.deepEqual(
      table.filter((id) => !declared.includes(id)),
      [],
      'in the command table but not contributed in package.json',
    );
    for (const [id, handler] of Object.entries(COMMAND_TABLE)) assert.equal(typeof handler, 'function', `${id} has no handler`);
  });

  test('commands are registered only through the table', () => {
    for (const f of sources(join(root, 'src', 'extension'))) {
      if (f.path.endsWith(join('extension', 'runCommand.ts'))) continue;
      assert.ok(!/vscode\.commands\.registerCommand\(/.test(f.text), `${f.path} registers a command outside the table`);
      if (f.path.endsWith(join('commands', 'table.ts'))) continue;
      assert.ok(!/\bregisterCommand\(/.test(f.text), `${f.path} registers a command outside the table`);
    }
  });

  test('every menu entry names a contributed command', () => {
    for (const [menu, entries] of Object.entries(contributes.menus as Record<string, { command?: string }[]>)) {
      for (const entry of entries) {
        if (entry.command) assert.ok(declared.includes(entry.command), `${menu} → ${entry.command} is not contributed`);
      }
    }
  });

  test('view menus and welcome content point at the Trail Lens views and real commands', () => {
    const views = Object.values(contributes.views as Record<string, { id: string }[]>)
      .flat()
      .map((v) => v.id);
    assert.ok(views.includes(EVENTS_VIEW_ID));
    assert.ok(views.includes(INVESTIGATION_VIEW_ID));
    for (const entry of contributes.menus['view/title'])
      assert.match(entry.when, new RegExp(`view == (${EVENTS_VIEW_ID}|${INVESTIGATION_VIEW_ID})`.replace(/\./g, '\\.')));
    for (const w of contributes.viewsWelcome) {
      assert.ok(views.includes(w.view), `welcome for unknown view ${w.view}`);
      for (const [, id] of w.contents.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(declared.includes(id), `welcome link to unknown command ${id}`);
      }
    }
  });

  test('the no-credentials welcome offers a profile, the config file and the sample account', () => {
    const welcome = contributes.viewsWelcome.find((w: { when: string }) => w.when === `${ContextKeys.state} == noCredentials`);
    assert.ok(welcome, 'no welcome content for trailLens.state == noCredentials');
    for (const id of [Commands.selectProfile, Commands.openAwsConfig, Commands.exploreSample]) {
      assert.ok(welcome.contents.includes(`(command:${id})`), `welcome lacks ${id}`);
    }
  });

  test('when clauses use only context keys the extension sets', () => {
    const known = new Set<string>(Object.values(ContextKeys));
    const whens: string[] = [
      ...Object.values(contributes.menus as Record<string, { when?: string }[]>)
        .flat()
        .map((e) => e.when ?? ''),
      ...contributes.viewsWelcome.map((w: { when: string }) => w.when),
    ];
    for (const when of whens) {
      for (const [key] of when.matchAll(/trailLens\.[A-Za-z]+/g)) {
        if (key === EVENTS_VIEW_ID || key === INVESTIGATION_VIEW_ID || key.startsWith('trailLens.event')) continue; // view ids, viewItem values
        assert.ok(known.has(key), `when clause uses unknown context key ${key}: ${when}`);
      }
    }
  });

  test('every setting is read in config.ts', () => {
    const config = readFileSync(join(root, 'src', 'extension', 'config.ts'), 'utf8');
    for (const key of Object.keys(contributes.configuration.properties)) {
      assert.match(key, /^trailLens\./);
      const local = key.slice('trailLens.'.length);
      assert.ok(config.includes(`'${local}'`), `${key} is contributed but config.ts never reads '${local}'`);
    }
  });

  test('no settings are read outside config.ts', () => {
    for (const f of sources(join(root, 'src', 'extension'))) {
      if (f.path.endsWith(join('extension', 'config.ts'))) continue;
      assert.ok(!/getConfiguration\(\s*['"]trailLens/.test(f.text), `${f.path} reads trailLens settings directly`);
    }
  });
});
