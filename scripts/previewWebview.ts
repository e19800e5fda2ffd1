/**
 * Renders one CloudTrail record in the event panel's webview outside VS Code:
 *   npm run preview:webview -- <record.json> <out.html> [--theme dark|light|hc] [--rebuild]
 * The page is the real panel page (webviewHtml) with the shipped bundle, plus a stub
 * acquireVsCodeApi that records posted messages in window.__posted and answers `ready` with `show`,
 * and VS Code-like theme variables. Open it from file:// in Chromium; the render tests do.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { TrailLensError } from '../src/core/errors';
import type { CloudTrailRecord } from '../src/core/record';
import type { EventContext, FollowedValue, PanelNav } from '../src/protocol/protocol';
import { makeNonce, webviewHtml } from '../src/extension/panels/webviewHtml';
import { toJson } from '../src/core/json';

export const REPO_ROOT = resolve(__dirname, '..');
export const BUNDLE_DIR = join(REPO_ROOT, 'dist', 'webview');
export type ThemeName = 'dark' | 'light' | 'hc';

/** Builds only the webview entry, with the options esbuild.mjs uses for it. */
export async function buildWebviewBundle(): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    bundle: true,
    sourcemap: 'linked',
    minify: false,
    logLevel: 'warning',
    legalComments: 'none',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: [join(REPO_ROOT, 'webview', 'main.ts')],
    outfile: join(BUNDLE_DIR, 'main.js'),
  });
  mkdirSync(BUNDLE_DIR, { recursive: true });
  copyFileSync(join(REPO_ROOT, 'webview', 'style.css'), join(BUNDLE_DIR, 'style.css'));
}

/** Uses dist/webview as built; builds it when missing (the whole project, else just the webview). */
export async function ensureWebviewBundle(rebuild = false): Promise<void> {
  const present = existsSync(join(BUNDLE_DIR, 'main.js')) && existsSync(join(BUNDLE_DIR, 'style.css'));
  if (present && !rebuild) return;
  if (!rebuild) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (r.status === 0 && existsSync(join(BUNDLE_DIR, 'main.js'))) return;
    console.error('esbuild.mjs failed; building only the webview entry');
  }
  await buildWebviewBundle();
}

/** A record, `{"Records":[…]}` (first record), `{"Events":[…]}` or one lookup Event (CloudTrailEvent string). */
export function extractRecord(json: unknown): CloudTrailRecord {
  const bad = (why: string) => new TrailLensError('InvalidInput', `Not a CloudTrail record: ${why}`);
  if (typeof json !== 'object' || json === null) throw bad('expected a JSON object');
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.Records)) return extractRecord(o.Records[0]);
  if (Array.isArray(o.Events)) return extractRecord(o.Events[0]);
  if (typeof o.CloudTrailEvent === 'string') return extractRecord(JSON.parse(o.CloudTrailEvent) as unknown);
  if (Array.isArray(json)) return extractRecord(json[0]);
  if (typeof o.eventID !== 'string' && typeof o.eventName !== 'string') throw bad('no eventID or eventName');
  return o as CloudTrailRecord;
}

/** JSON safe inside <script>: no `</script>`, `<!--` or line separators can end or bend the script. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const COMMON_VARS: Record<string, string> = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  '--vscode-editor-font-size': '13px',
  '--vscode-editor-font-weight': 'normal',
};

// Colours from VS Code's Dark Modern, Light Modern and Dark High Contrast themes.
export const THEMES: Record<ThemeName, { kind: string; name: string; vars: Record<string, string> }> = {
  dark: {
    kind: 'vscode-dark',
    name: 'Dark Modern',
    vars: {
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-border': '#ffffff12',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-input-background': '#313131',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-placeholderForeground': '#989898',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-widget-border': '#313131',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-widget-shadow': '#0000005c',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-textCodeBlock-background': '#2b2b2b',
      '--vscode-errorForeground': '#f85149',
      '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-editorError-foreground': '#f14c4c',
      '--vscode-inputValidation-warningBackground': '#352a05',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-focusOutline': '#0078d4',
      '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-editor-findMatchBackground': '#9e6a03',
      '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
      '--vscode-toolbar-hoverBackground': '#5a5d5e50',
      '--vscode-tree-indentGuidesStroke': '#585858',
      '--vscode-debugTokenExpression-name': '#c586c0',
      '--vscode-debugTokenExpression-value': '#cccccc99',
      '--vscode-debugTokenExpression-string': '#ce9178',
      '--vscode-debugTokenExpression-number': '#b5cea8',
      '--vscode-debugTokenExpression-boolean': '#4e94ce',
      '--vscode-progressBar-background': '#0078d4',
      '--vscode-notifications-background': '#1f1f1f',
      '--vscode-notifications-border': '#2b2b2b',
      '--vscode-scrollbarSlider-background': '#79797966',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-checkbox-border': '#3c3c3c',
      '--vscode-settings-dropdownListBorder': '#454545',
    },
  },
  light: {
    kind: 'vscode-light',
    name: 'Light Modern',
    vars: {
      '--vscode-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#616161',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-border': '#0000001a',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-border': '#cecece',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-placeholderForeground': '#767676',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-widget-shadow': '#00000029',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-textCodeBlock-background': '#f3f3f3',
      '--vscode-errorForeground': '#f85149',
      '--vscode-inputValidation-errorBackground': '#f2dede',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-editorError-foreground': '#e51400',
      '--vscode-inputValidation-warningBackground': '#f6f5d2',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-list-focusOutline': '#005fb8',
      '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-editor-findMatchBackground': '#a8ac94',
      '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
      '--vscode-toolbar-hoverBackground': '#b8b8b850',
      '--vscode-tree-indentGuidesStroke': '#a9a9a9',
      '--vscode-debugTokenExpression-name': '#9b46b0',
      '--vscode-debugTokenExpression-value': '#6c6c6ccc',
      '--vscode-debugTokenExpression-string': '#a31515',
      '--vscode-debugTokenExpression-number': '#098658',
      '--vscode-debugTokenExpression-boolean': '#0000ff',
      '--vscode-progressBar-background': '#005fb8',
      '--vscode-notifications-background': '#ffffff',
      '--vscode-notifications-border': '#e5e5e5',
      '--vscode-scrollbarSlider-background': '#64646466',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-checkbox-border': '#cecece',
      '--vscode-settings-dropdownListBorder': '#cecece',
    },
  },
  hc: {
    kind: 'vscode-high-contrast',
    name: 'Dark High Contrast',
    vars: {
      '--vscode-foreground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-focusBorder': '#f38518',
      '--vscode-textLink-foreground': '#21a6ff',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-input-background': '#000000',
      '--vscode-input-border': '#6fc3df',
      '--vscode-input-foreground': '#ffffff',
      '--vscode-input-placeholderForeground': '#ffffffb3',
      '--vscode-badge-background': '#000000',
      '--vscode-badge-foreground': '#ffffff',
      '--vscode-widget-border': '#6fc3df',
      '--vscode-panel-border': '#6fc3df',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-textCodeBlock-background': '#000000',
      '--vscode-errorForeground': '#f48771',
      '--vscode-inputValidation-errorBackground': '#000000',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-editorError-foreground': '#f48771',
      '--vscode-inputValidation-warningBackground': '#000000',
      '--vscode-inputValidation-warningBorder': '#b89500',
      '--vscode-editorWarning-foreground': '#ffd370',
      '--vscode-list-focusOutline': '#f38518',
      '--vscode-editor-findMatchBorder': '#f38518',
      '--vscode-editor-findMatchHighlightBorder': '#f38518',
      '--vscode-tree-indentGuidesStroke': '#a9a9a9',
      '--vscode-debugTokenExpression-name': '#ffffff',
      '--vscode-debugTokenExpression-value': '#ffffff',
      '--vscode-debugTokenExpression-string': '#f48771',
      '--vscode-debugTokenExpression-number': '#89d185',
      '--vscode-debugTokenExpression-boolean': '#75bdfe',
      '--vscode-progressBar-background': '#6fc3df',
      '--vscode-notifications-background': '#000000',
      '--vscode-notifications-border': '#6fc3df',
      '--vscode-dropdown-background': '#000000',
      '--vscode-dropdown-border': '#6fc3df',
      '--vscode-checkbox-border': '#6fc3df',
      '--vscode-settings-dropdownListBorder': '#6fc3df',
    },
  },
};

export interface PreviewOptions {
  theme?: ThemeName;
  context?: EventContext;
  pinned?: boolean;
  /** Sent with `show` as the host would: the panel's Back/Forward history and a followed value. */
  nav?: PanelNav;
  followed?: FollowedValue;
}

/** The stub VS Code would otherwise provide. `window.__vscodeState`, if set before load, seeds getState. */
function stubScript(record: CloudTrailRecord, opts: PreviewOptions): string {
  const base = THEMES[opts.theme ?? 'dark'];
  const theme = { ...base, vars: { ...COMMON_VARS, ...base.vars } };
  const context: EventContext = opts.context ?? {
    source: 'file',
    region: typeof record.awsRegion === 'string' ? record.awsRegion : undefined,
  };
  // JSON text, not an object literal: a literal would turn a "__proto__" key in the record into a
  // prototype instead of keeping it as the data it is. The page parses it, as it does the host's.
  return `(() => {
  const recordJson = ${scriptJson(toJson(record) ?? 'null')};
  const context = ${scriptJson(context)};
  const theme = ${scriptJson(theme)};
  let pinned = ${opts.pinned ? 'true' : 'false'};
  const extra = ${scriptJson({ ...(opts.nav ? { nav: opts.nav } : {}), ...(opts.followed ? { followed: opts.followed } : {}) })};
  const KEY = 'trailLens.previewState';
  window.__posted = [];
  let state = window.__vscodeState;
  if (state === undefined) { try { state = JSON.parse(sessionStorage.getItem(KEY) || 'null') ?? undefined; } catch { state = undefined; } }
  const html = document.documentElement;
  for (const [k, v] of Object.entries(theme.vars)) html.style.setProperty(k, v);
  html.style.setProperty('background', 'var(--vscode-editor-background)');
  document.addEventListener('DOMContentLoaded', () => {
    document.body.classList.add(theme.kind);
    document.body.setAttribute('data-vscode-theme-kind', theme.kind);
    document.body.setAttribute('data-vscode-theme-name', theme.name);
  });
  window.__send = (data) => window.dispatchEvent(new MessageEvent('message', { data: structuredClone(data) }));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage(msg) {
        window.__posted.push(structuredClone(msg));
        if (msg && msg.type === 'ready' && window.__autoShow !== false) setTimeout(() => window.__send({ type: 'show', recordJson, context, pinned, ...extra }), 0);
        if (msg && msg.type === 'togglePin') { pinned = !pinned; setTimeout(() => window.__send({ type: 'setPinned', pinned }), 0); }
      },
      getState() { return state; },
      setState(s) { state = s; window.__vscodeState = s; try { sessionStorage.setItem(KEY, JSON.stringify(s)); } catch {} return s; },
    });
  };
})();`;
}

function relUrl(fromDir: string, file: string): string {
  return relative(fromDir, file).split(sep).map(encodeURIComponent).join('/');
}

/** The preview page for `record`, referencing dist/webview relative to where `outFile` will live. */
export function previewHtml(record: CloudTrailRecord, outFile: string, opts: PreviewOptions = {}): string {
  const nonce = makeNonce();
  const outDir = dirname(resolve(outFile));
  const page = webviewHtml({
    // Pages opened from file:// load the bundle from file: URLs; the CSP is otherwise the panel's.
    cspSource: 'file:',
    nonce,
    scriptUri: relUrl(outDir, join(BUNDLE_DIR, 'main.js')),
    styleUri: relUrl(outDir, join(BUNDLE_DIR, 'style.css')),
    title: `${String(record.eventName ?? 'Event')} (preview)`,
  });
  const stub = `<script nonce="${nonce}">${stubScript(record, opts)}</script>\n`;
  // A replacer function, not a string: `$&`-style patterns in record data must not be expanded.
  return page.replace('</head>', () => `${stub}</head>`);
}

export async function writePreview(recordFile: string, outFile: string, opts: PreviewOptions & { rebuild?: boolean } = {}): Promise<void> {
  await ensureWebviewBundle(opts.rebuild ?? false);
  const record = extractRecord(JSON.parse(readFileSync(recordFile, 'utf8')) as unknown);
  mkdirSync(dirname(resolve(outFile)), { recursive: true });
  writeFileSync(outFile, previewHtml(record, outFile, opts));
}

async function main(argv: string[]): Promise<number> {
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--theme');
  const themeAt = argv.indexOf('--theme');
  const theme = (themeAt >= 0 ? argv[themeAt + 1] : 'dark') as ThemeName;
  if (positional.length !== 2 || !(theme in THEMES)) {
    console.error('usage: npm run preview:webview -- <record.json> <out.html> [--theme dark|light|hc] [--rebuild]');
    return 2;
  }
  const [recordFile, outFile] = positional as [string, string];
  try {
    await writePreview(recordFile, outFile, { theme, rebuild: argv.includes('--rebuild') });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
  console.log(`wrote ${outFile} (open it in Chromium: file://${resolve(outFile)})`);
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
