/**
 * Lets a plain-Node unit test load extension modules that import `vscode` (the command table and
 * the modules it names) without an extension host: `require('vscode')` resolves to an empty module.
 * Nothing here behaves like VS Code, so a test that loads a module this way may only read what the
 * module defines (a table, plain options it builds); any call into `vscode` throws.
 */
import Module from 'node:module';

type Resolver = (request: string, ...rest: unknown[]) => string;

const STUB_ID = 'trail-lens-empty-vscode';
let installed = false;

/** Makes `require('vscode')` resolve to the empty module for the rest of this test process. */
export function installVscodeStub(): void {
  if (installed) return;
  installed = true;
  const m = Module as unknown as { _resolveFilename: Resolver; _cache: Record<string, Module> };
  const resolve = m._resolveFilename;
  m._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? STUB_ID : resolve.call(this, request, ...rest);
  };
  const stub = new Module(STUB_ID);
  stub.exports = {};
  stub.loaded = true;
  m._cache[STUB_ID] = stub;
}
