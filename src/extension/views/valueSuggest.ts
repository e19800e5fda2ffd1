/**
 * Completion for typed filter values (EventSource, EventName). Pure (no `vscode`): unit-tested.
 * LookupEvents matches values exactly, so "backup" finds nothing: it completes to
 * backup.amazonaws.com, and a value that matches nothing known is offered its close matches.
 */
import { serviceToEventSource } from '../../core/services';

const SUFFIX = '.amazonaws.com';

/** How a typed value relates to the known ones: completions when it is the start of some, else close matches. */
export interface Suggestions {
  /** Known values the typed text completes to, best first (the service's event source, then prefixes, then substrings). */
  completions: string[];
  /** When nothing completes: known values a typo or two away, closest first. */
  close: string[];
}

/** Edit distance (insertions, deletions, substitutions), stopping early past `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length];
}

/** The part a person types: "backup" for backup.amazonaws.com, the whole value otherwise. */
function stem(value: string, key: 'EventSource' | 'EventName'): string {
  const v = value.toLowerCase();
  return key === 'EventSource' && v.endsWith(SUFFIX) ? v.slice(0, -SUFFIX.length) : v;
}

export function suggestValues(typed: string, known: readonly string[], key: 'EventSource' | 'EventName', limit = 5): Suggestions {
  const t = typed.trim();
  const lower = t.toLowerCase();
  if (!t || known.includes(t)) return { completions: [], close: [] };
  const ranked: { value: string; rank: number }[] = [];
  const mapped = key === 'EventSource' ? serviceToEventSource(t) : undefined;
  for (const value of known) {
    const v = value.toLowerCase();
    const rank =
      value === mapped
        ? 0
        : v === lower
          ? 1
          : stem(value, key).startsWith(lower) || v.startsWith(lower)
            ? 2
            : v.includes(lower)
              ? 3
              : undefined;
    if (rank !== undefined) ranked.push({ value, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.value.length - b.value.length || a.value.localeCompare(b.value));
  const completions = ranked.slice(0, limit).map((r) => r.value);
  if (completions.length) return { completions, close: [] };
  // A typo or two, more for longer words; compared with what a person would type.
  const typedStem = stem(t, key);
  const max = Math.max(1, Math.floor(typedStem.length / 4));
  const close = known
    .map((value) => ({ value, d: editDistance(typedStem, stem(value, key), max) }))
    .filter((c) => c.d <= max)
    .sort((a, b) => a.d - b.d || a.value.localeCompare(b.value))
    .slice(0, limit)
    .map((c) => c.value);
  return { completions: [], close };
}
