/**
 * Loads dist/engine.js (see engine.ts) once, on the first network or file-system feature used.
 * esbuild keeps `./engine.js` external, so this is a plain require of the sibling bundle at run
 * time; under tsx (unit tests) it resolves to engine.ts.
 */
import type * as EngineModule from './engine';

export type Engine = typeof EngineModule;

let engine: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  // A plain require (not import()) so the extension host's module loader handles it like the main bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= Promise.resolve().then(() => require('./engine.js') as Engine);
  return engine;
}
