/**
 * What activation costs, measured on the built bundle (dist/extension.js) in plain Node with a
 * stand-in `vscode` module that accepts every call: the time to load the bundle and run activate(),
 * against a budget, and proof that activation neither loads the AWS SDK nor opens a connection
 * (the SDK lives in dist/engine.js, loaded on first use; its HTTP handler requires node:http2 when
 * it initialises). Activation must load neither.
 * Run: npm run bench -- activation
 */
import Module from 'node:module';
import { statSync } from 'node:fs';
import { join } from 'node:path';

const BUNDLE = process.env.TRAIL_LENS_BUNDLE ?? join(__dirname, '..', 'dist', 'extension.js');
const BUDGET_MS = 50;

/** A value that is every function, class and object at once: vscode API calls all succeed. */
function anything(): unknown {
  const fn = function () {};
  return new Proxy(fn, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : anything()),
    apply: () => anything(),
    construct: () => anything() as object,
    set: () => true,
  });
}

/** The stand-in module: every name the extension reads from `vscode`, each accepting anything. */
function vscodeStub(): Record<string, unknown> {
  const names = [
    'commands',
    'env',
    'languages',
    'window',
    'workspace',
    'extensions',
    'Uri',
    'EventEmitter',
    'Disposable',
    'ThemeIcon',
    'ThemeColor',
    'TreeItem',
    'TreeItemCollapsibleState',
    'MarkdownString',
    'Hover',
    'Range',
    'Position',
    'ProgressLocation',
    'StatusBarAlignment',
    'ViewColumn',
    'ConfigurationTarget',
    'QuickPickItemKind',
    'InputBoxValidationSeverity',
    'CancellationTokenSource',
  ];
  return Object.fromEntries(names.map((n) => [n, anything()]));
}

function main(): void {
  const required: string[] = [];
  const loader = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean) {
    required.push(request);
    if (request === 'vscode') return vscodeStub();
    return original.call(this, request, parent, isMain);
  };
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(BUNDLE) as { activate(ctx: unknown): unknown };
  const t1 = performance.now();
  const context = {
    subscriptions: [] as unknown[],
    workspaceState: { get: () => undefined, update: async () => undefined },
    globalState: { get: () => undefined, update: async () => undefined },
    extension: { packageJSON: { version: 'bench' } },
    extensionUri: anything(),
    extensionPath: join(__dirname, '..'),
  };
  ext.activate(context);
  const t2 = performance.now();
  loader._load = original;
  const sdk = required.some((r) => r === 'http2' || r === 'node:http2');
  const network = required.some((r) => r === 'https' || r === 'node:https');
  const engine = required.some((r) => r.endsWith('engine.js'));
  // Activation loads extension.js and the SDK-free core it shares with the engine (common.js).
  const common = join(BUNDLE, '..', 'common.js');
  const commonLoaded = required.some((r) => r.endsWith('common.js'));
  const kb = ((statSync(BUNDLE).size + (commonLoaded ? statSync(common).size : 0)) / 1024).toFixed(0);
  console.log(`dist/extension.js${commonLoaded ? ' + dist/common.js' : ''}: ${kb} KiB`);
  console.log(
    `load bundle: ${(t1 - t0).toFixed(1)} ms · activate(): ${(t2 - t1).toFixed(1)} ms · total ${(t2 - t0).toFixed(1)} ms (budget ${BUDGET_MS} ms: ${((t2 - t0) / BUDGET_MS).toFixed(2)}×)`,
  );
  console.log(
    `During activation — engine bundle loaded: ${engine ? 'YES' : 'no'} · AWS SDK initialised: ${sdk ? 'YES' : 'no'} · https loaded: ${network ? 'YES' : 'no'} · disposables registered: ${context.subscriptions.length}`,
  );
  console.log(
    `\nJSON ${JSON.stringify({ bench: 'activation', bundleKiB: Number(kb), loadMs: t1 - t0, activateMs: t2 - t1, engine, sdk, network })}`,
  );
  if (engine || sdk || network || t2 - t0 > BUDGET_MS * 4) process.exitCode = 1;
  setTimeout(() => process.exit(), 10).unref();
}

main();
