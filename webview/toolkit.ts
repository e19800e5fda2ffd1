/**
 * Every use of @vscode/webview-ui-toolkit goes through this module, so moving to
 * @vscode-elements (the toolkit is deprecated) means changing only this file.
 * Only the components the panel uses are registered: each one adds to the bundle.
 *
 * Not vscode-tag: its template carries `style="${…}"`, and FAST parses templates with innerHTML,
 * which the panel's CSP (no 'unsafe-inline' styles) reports as a violation on every page load.
 * `tag()` below renders the same look from the theme's badge colours instead.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import { setAttr } from './dom.js';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing(), vsCodeTextField());
}

export type ButtonAppearance = 'primary' | 'secondary' | 'icon';

/** A toolkit button with a text label (codicons are not bundled, so labels are text or Unicode). */
export function button(label: string, opts: { appearance?: ButtonAppearance; title?: string; onClick: () => void }): HTMLElement {
  const el = document.createElement('vscode-button');
  el.textContent = label;
  setAttr(el, 'appearance', opts.appearance ?? 'secondary');
  if (opts.title) {
    setAttr(el, 'title', opts.title);
    setAttr(el, 'aria-label', opts.title);
  }
  el.addEventListener('click', opts.onClick);
  return el;
}

export function tag(text: string, title?: string, kind?: string): HTMLElement {
  const el = document.createElement('span');
  el.className = kind ? `tag ${kind}` : 'tag';
  el.textContent = text;
  if (title) setAttr(el, 'title', title);
  return el;
}

export function divider(): HTMLElement {
  const el = document.createElement('vscode-divider');
  setAttr(el, 'role', 'presentation');
  return el;
}

/** The search box. Its value is read with `textFieldValue`; `input` events bubble out of its shadow root. */
export function textField(placeholder: string): HTMLElement {
  const el = document.createElement('vscode-text-field');
  setAttr(el, 'placeholder', placeholder);
  setAttr(el, 'type', 'text');
  return el;
}

export function textFieldValue(el: HTMLElement): string {
  return String((el as HTMLElement & { value?: string }).value ?? '');
}

export function setTextFieldValue(el: HTMLElement, value: string): void {
  (el as HTMLElement & { value?: string }).value = value;
}

/** The toolkit text field overwrites aria-label when connected; call this after inserting it. */
export function labelTextField(el: HTMLElement, label: string): void {
  setAttr(el, 'aria-label', label);
}

/** Focuses the inner <input> of a toolkit text field. */
export function focusTextField(el: HTMLElement): void {
  const inner = el.shadowRoot?.querySelector('input');
  if (inner) {
    inner.focus();
    inner.select();
  } else {
    el.focus();
  }
}
