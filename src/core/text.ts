/**
 * Text from outside (records, file names, endpoint messages, argv) on its way to a terminal.
 * Control characters (C0, DEL, C1) can move the cursor, recolour, retitle or rewrite a terminal,
 * so each is shown as a visible escape instead: ESC becomes `\x1b`.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function escapeControl(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** The one helper: every control character, line breaks included, as a visible `\xNN` escape. */
export function printable(text: string): string {
  return text.replace(CONTROL, escapeControl);
}

// eslint-disable-next-line no-control-regex
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Text from outside for one line of UI (labels, titles, status messages): control characters and
 * line breaks become spaces, and it is cut to `max` characters with an ellipsis.
 */
export function oneLine(value: unknown, max = 200): string {
  if (value === undefined || value === null) return '';
  const s = String(value)
    .replace(BREAKS, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return clip(s, max);
}

/** `text` cut to `max` characters, the last one an ellipsis when anything was cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** For messages of several lines: each line made printable, the line breaks between them kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
