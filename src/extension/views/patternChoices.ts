/**
 * The filter-pattern picker's logic, with no `vscode` (unit-tested in plain Node): what the input
 * box says while a pattern is typed, the `{ $.path = "" }` template a field inserts (joined to the
 * pattern already applied), and the history of applied patterns.
 */
import { FilterPatternError, parseFilterPattern } from '../../core/filter/pattern';

/** Patterns remembered per workspace. */
export const HISTORY_SIZE = 10;

/** The most recent first, without duplicates, at most `max`. */
export function pushHistory(history: readonly string[], text: string, max = HISTORY_SIZE): string[] {
  const t = text.trim();
  return [t, ...history.filter((h) => h !== t)].slice(0, max);
}

/** Where `text` stops parsing (1-based column) and the message saying so; undefined when it parses or is empty. */
function problemOf(text: string): { column: number; message: string } | undefined {
  if (!text.trim()) return undefined;
  try {
    parseFilterPattern(text);
    return undefined;
  } catch (err) {
    if (!(err instanceof FilterPatternError)) throw err;
    // The message is "column 14: expected '}' …" (1-based, as the input box counts).
    return { column: err.column, message: err.message.charAt(0).toUpperCase() + err.message.slice(1) };
  }
}

/**
 * The input box's message for `text`: undefined when it parses (or is empty: applying it clears
 * the pattern), else the column and what was expected there.
 */
export function patternProblemText(text: string): string | undefined {
  return problemOf(text)?.message;
}

/** The text to fix, with the cursor where it stops parsing. */
export function atProblem(text: string): Template {
  const column = problemOf(text)?.column ?? text.length + 1;
  const at = Math.min(text.length, Math.max(0, column - 1));
  return { value: text, selection: [at, at] };
}

export interface Template {
  value: string;
  /** Where the cursor goes: between the value's quotes. */
  selection: [number, number];
}

/**
 * `{ $.errorCode = "" }` for a field, or with a pattern already applied, that pattern and the field:
 * `{ ($.eventSource = "s3.amazonaws.com") && $.errorCode = "" }`.
 */
export function fieldTemplate(path: string, current?: string): Template {
  const selector = path.startsWith('$') ? path : `$.${path}`;
  const inner = current ? innerOf(current) : undefined;
  const head = inner ? `{ (${inner}) && ${selector} = "` : `{ ${selector} = "`;
  return { value: `${head}" }`, selection: [head.length, head.length] };
}

/** The text between a pattern's outer braces. */
function innerOf(pattern: string): string | undefined {
  const t = pattern.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const inner = t.slice(1, -1).trim();
  return inner || undefined;
}
