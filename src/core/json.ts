/**
 * JSON text for data of any depth. V8's JSON.parse is iterative, but JSON.stringify recurses and throws
 * RangeError a few thousand levels down (Node: ~4,000 objects deep), so a record that parsed fine could
 * not be shown, copied or opened. `toJson` uses the native serializer and, only when it runs out of
 * stack, an iterative one with the same output for JSON data. No `vscode`, no DOM and no Node API:
 * the CLI, the extension host, the webview and the unit tier all use it.
 */

type Container = unknown[] | Record<string, unknown>;

/**
 * Indentation stops growing past this many levels. Pretty-printed, indentation is quadratic in depth
 * (30,000 levels would be 900 million spaces, 2,500 levels 6 million); the text stays valid JSON, only flatter at the bottom.
 */
export const MAX_INDENT_LEVELS = 200;

interface Frame {
  value: Container;
  /** Keys of an object; undefined for an array. */
  keys: string[] | undefined;
  next: number;
  written: number;
  level: number;
}

/** What JSON.stringify would serialize `v` as, after toJSON; undefined when it would be left out. */
function prepare(v: unknown, key: string): unknown {
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  return v;
}

function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function primitive(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  // Boxed primitives (new String('x')) and null.
  return JSON.stringify(v) ?? 'null';
}

function iterativeJson(root: unknown, indent: number): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const onStack = new Set<object>();
  const newline = (level: number) => (indent ? `\n${' '.repeat(indent * Math.min(level, MAX_INDENT_LEVELS))}` : '');
  const colon = indent ? ': ' : ':';
  const write = (v: unknown, level: number): void => {
    if (typeof v !== 'object' || v === null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      out.push(primitive(v));
      return;
    }
    if (onStack.has(v)) throw new TypeError('Converting circular structure to JSON');
    onStack.add(v);
    const keys = Array.isArray(v) ? undefined : Object.keys(v);
    out.push(keys ? '{' : '[');
    stack.push({ value: v as Container, keys, next: 0, written: 0, level });
  };
  write(prepare(root, ''), 0);
  while (stack.length > 0) {
    const f = stack[stack.length - 1] as Frame;
    const length = f.keys ? f.keys.length : (f.value as unknown[]).length;
    if (f.next >= length) {
      stack.pop();
      onStack.delete(f.value);
      out.push(`${f.written ? newline(f.level) : ''}${f.keys ? '}' : ']'}`);
      continue;
    }
    const i = f.next++;
    const key = f.keys ? (f.keys[i] as string) : String(i);
    let v = prepare((f.value as Record<string, unknown>)[key], key);
    if (omitted(v)) {
      if (f.keys) continue; // left out of objects, null in arrays
      v = null;
    }
    out.push(`${f.written++ ? ',' : ''}${newline(f.level + 1)}${f.keys ? `${JSON.stringify(key)}${colon}` : ''}`);
    write(v, f.level + 1);
  }
  return out.join('');
}

/** Whether containers nest more than `levels` deep in `value` (an iterative walk). */
function deeperThan(value: unknown, levels: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= levels) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * JSON.stringify(value, null, indent) for plain JSON data, without a depth limit (indentation stops
 * growing at MAX_INDENT_LEVELS). Returns undefined where JSON.stringify does
 * (undefined, a function). Circular structures still throw TypeError.
 */
export function toJson(value: unknown, indent = 0): string | undefined {
  // Indented, a deep value is mostly indentation (2,500 levels: 6 MB of spaces): cap it.
  if (!(indent > 0 && deeperThan(value, MAX_INDENT_LEVELS))) {
    try {
      return JSON.stringify(value, null, indent);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
  }
  const root = prepare(value, '');
  return omitted(root) ? undefined : iterativeJson(root, indent);
}

/**
 * JSON text for a terminal: the same JSON value, with DEL and the C1 controls (which JSON.stringify
 * leaves raw, and some terminals obey) written as \u escapes. They only occur inside strings.
 */
export function jsonForTerminal(value: unknown, indent = 0): string {
  return (toJson(value, indent) ?? 'null').replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
