/**
 * The selector paths that exist in a set of records, for completing filter patterns: dotted names
 * with `[0]` for an array's first element (what `$.resources[0].type` reads), most common first.
 */

/** How deep paths are followed; deeper values are rare and would make the list unreadable. */
const MAX_DEPTH = 12;
/** Keys a selector can name (docs/filter-patterns.md): others cannot be completed, so are left out. */
const NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Paths that reach a value (string, number, boolean or null) in at least one record, each counted
 * once per record it is in, most common first (ties by name). Objects and arrays are walked, not
 * listed: a selector that reaches one matches nothing. Each record costs at most one walk of its
 * objects and of each array's first element.
 */
export function fieldPaths(records: Iterable<unknown>, limit = 500): string[] {
  const counts = new Map<string, number>();
  for (const record of records) {
    const seen = new Set<string>();
    walk(record, '', 0, seen);
    for (const p of seen) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, limit))
    .map(([p]) => p);
}

function walk(value: unknown, path: string, depth: number, out: Set<string>): void {
  if (Array.isArray(value)) {
    if (path && value.length && depth < MAX_DEPTH) walk(value[0], `${path}[0]`, depth + 1, out);
    return;
  }
  if (value !== null && typeof value === 'object') {
    if (depth >= MAX_DEPTH) return;
    for (const key of Object.keys(value)) {
      if (!NAME.test(key)) continue;
      walk((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1, out);
    }
    return;
  }
  if (path && value !== undefined) out.add(path);
}
