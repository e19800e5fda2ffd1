/**
 * JSON text for any depth. JSON.parse reads arbitrarily deep input, but JSON.stringify recurses and
 * overflows the stack a few thousand levels down; records that deep are still printed, by an
 * iterative writer that gives the same text as JSON.stringify. Indenting is quadratic in depth
 * (100,000 levels would be 10 GB of spaces), so below PRETTY_DEPTH levels that writer puts the rest
 * of a value on one line: the same JSON value, less whitespace.
 */

/** Levels indented by the iterative writer; anything deeper is written compactly. */
export const PRETTY_DEPTH = 1000;

interface Frame {
  value: Record<string, unknown> | unknown[];
  keys: string[] | undefined;
  next: number;
  written: number;
  indent: string;
  gap: string;
  depth: number;
}

function withToJson(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  return value;
}

/** What JSON.stringify leaves out of objects (and writes as null in arrays). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** JSON.stringify(value, null, gap) with an explicit stack instead of recursion (exported for its tests). */
export function stringifyIteratively(root: unknown, gap: string): string | undefined {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = new Set<object>();
  /** Writes a primitive, or writes the opening bracket and pushes a frame for a container. */
  const begin = (value: unknown, indent: string, depth: number): void => {
    if (value === null || typeof value !== 'object') {
      out.push(JSON.stringify(value) ?? 'null');
      return;
    }
    if (open.has(value)) throw new TypeError('Converting circular structure to JSON');
    open.add(value);
    const array = Array.isArray(value);
    stack.push({ value: value as Frame['value'], keys: array ? undefined : Object.keys(value), next: 0, written: 0, indent, gap: depth < PRETTY_DEPTH ? gap : '', depth });
    out.push(array ? '[' : '{');
  };
  const first = withToJson(root, '');
  if (omitted(first)) return undefined;
  begin(first, '', 0);
  while (stack.length) {
    const f = stack[stack.length - 1];
    const size = f.keys ? f.keys.length : (f.value as unknown[]).length;
    if (f.next >= size) {
      stack.pop();
      open.delete(f.value);
      if (f.written && f.gap) out.push('\n' + f.indent);
      out.push(f.keys ? '}' : ']');
      continue;
    }
    const i = f.next++;
    const key = f.keys ? f.keys[i] : String(i);
    const value = withToJson((f.value as Record<string, unknown>)[key], key);
    if (f.keys && omitted(value)) continue;
    const inner = f.indent + f.gap;
    out.push((f.written ? ',' : '') + (f.gap ? '\n' + inner : '') + (f.keys ? JSON.stringify(key) + (f.gap ? ': ' : ':') : ''));
    f.written++;
    if (omitted(value)) out.push('null');
    else begin(value, inner, f.depth + 1);
  }
  return out.join('');
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/** JSON.stringify(value, null, indent), whatever the depth of value. */
export function stringifyJson(value: unknown, indent = 0): string | undefined {
  const gap = ' '.repeat(indent);
  try {
    return JSON.stringify(value, null, gap);
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    return stringifyIteratively(value, gap);
  }
}

/**
 * JSON text for a terminal: the same JSON value, with DEL and the C1 controls (which JSON.stringify
 * leaves raw, and some terminals obey) written as \u escapes. They only occur inside strings.
 */
export function jsonForTerminal(value: unknown, indent = 0): string {
  return (stringifyJson(value, indent) ?? 'null').replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
