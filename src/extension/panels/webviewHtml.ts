/**
 * The event panel's HTML, shared by the real panel (eventPanel.ts) and the preview harness
 * (scripts/previewWebview.ts) so both exercise the same page and the same Content-Security-Policy.
 * No `vscode` import: the harness and the unit tier run this in plain Node.
 */
import { randomBytes } from 'node:crypto';
import { TrailLensError } from '../../core/errors';

/** A string, or a `vscode.Uri` from asWebviewUri (its toString() is the webview URL). */
export type UriText = string | { toString(): string };

export interface WebviewHtmlOptions {
  /** `webview.cspSource`, e.g. `https://*.vscode-cdn.net`. */
  cspSource: string;
  /** From makeNonce(); a fresh one for every page. */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/main.js)` as a string. */
  scriptUri: UriText;
  /** `webview.asWebviewUri(dist/webview/style.css)` as a string. */
  styleUri: UriText;
  title?: string;
  /** What the page says until its script has drawn it (default "Loading event…"). */
  loading?: string;
}

/** 128 bits from the OS CSPRNG, base64url (valid in a CSP nonce-source). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * SHA-256 of the empty string. FAST (under the toolkit) probes `:focus-visible` support by appending
 * an EMPTY <style> element and calling insertRule on it; allowing exactly that empty content keeps the
 * probe from raising a CSP violation while admitting no inline CSS at all.
 */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/**
 * No 'unsafe-inline' for styles: the toolkit's components style themselves through constructable
 * stylesheets (adoptedStyleSheets), which style-src does not govern, and this page sets no inline styles.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} ${EMPTY_STYLE_HASH}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new TrailLensError('InvalidInput', `Cannot build the event panel: ${what}`);
}

/**
 * `webview.cspSource` as VS Code gives it: one or more host/scheme sources, and code-server adds
 * 'self'. Anything that could widen the policy ('unsafe-inline', a nonce, a bare `*`, a `;` starting
 * a new directive) is refused.
 */
function isSourceList(value: string): boolean {
  const tokens = value.trim().split(/\s+/);
  return tokens.length > 0 && tokens.every((t) => t === "'self'" || (t !== '*' && /^[^\s;,'"<>]+$/.test(t)));
}

export function webviewHtml(opts: WebviewHtmlOptions): string {
  // These end up inside the CSP; a quote or semicolon would let them rewrite the policy.
  check(/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(opts.nonce), 'the nonce is not a base64 value of at least 16 characters');
  check(isSourceList(opts.cspSource), 'the CSP source is not a list of host or scheme sources');
  const csp = contentSecurityPolicy(opts.cspSource, opts.nonce);
  const title = escapeHtml(opts.title ?? 'CloudTrail event');
  const loading = escapeHtml(opts.loading ?? 'Loading event…');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(String(opts.styleUri))}">
<title>${title}</title>
</head>
<body>
<main id="root" aria-busy="true">
<div class="loading"><vscode-progress-ring aria-label="${loading}"></vscode-progress-ring><span>${loading}</span></div>
</main>
<div id="status" class="status" role="status" aria-live="polite"></div>
<script nonce="${escapeHtml(opts.nonce)}" src="${escapeHtml(String(opts.scriptUri))}"></script>
</body>
</html>
`;
}
