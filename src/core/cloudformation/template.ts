/**
 * CloudFormation templates (YAML or JSON) read with source positions: the resources (logical ID,
 * type, where the logical ID is written) and every `Ref` / `Fn::GetAtt` use with its range and the
 * property path it sits in. The `yaml` package reads both formats (JSON is YAML's flow style), so one
 * walker serves both; the short-form tags (`!Ref`, `!GetAtt`, `!Sub`, …) are registered so that they
 * parse without warnings and convert to the long form (`{ Ref: X }`, `{ "Fn::GetAtt": [X, A] }`).
 *
 * Offsets are UTF-16 indexes into the text, as VS Code's `TextDocument.positionAt` takes them.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  YAMLMap,
  YAMLSeq,
  type Node as YamlNode,
  type Pair,
  type ScalarTag,
  type CollectionTag,
} from 'yaml';
import { TrailLensError } from '../errors';

export type TemplateFormat = 'yaml' | 'json';

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

export interface TemplateResource {
  readonly logicalId: string;
  /** `Type:`, e.g. `AWS::KMS::Key`; undefined when missing or not a string. */
  readonly type?: string;
  /** Where the logical ID key is written (the CodeLens line). */
  readonly keyRange: OffsetRange;
}

export interface TemplateReference {
  readonly kind: 'Ref' | 'GetAtt';
  /** The logical ID (or parameter / pseudo parameter name) referred to. */
  readonly target: string;
  /** GetAtt's attribute, e.g. `Arn`. */
  readonly attribute?: string;
  /** `!Ref X` (short) or `Ref: X` / `{"Ref": "X"}` (long). */
  readonly form: 'short' | 'long';
  /** The whole expression, the tag or the `{ Ref: … }` map included: what a quick fix replaces. */
  readonly range: OffsetRange;
  /** Keys and indexes from the root to the expression, e.g. Resources, BackupVault, Properties, EncryptionKeyArn. */
  readonly path: readonly (string | number)[];
}

export interface ParsedTemplate {
  readonly format: TemplateFormat;
  readonly resources: readonly TemplateResource[];
  readonly references: readonly TemplateReference[];
}

/** The short-form intrinsic functions and the long-form key each stands for. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  If: 'Fn::If',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  And: 'Fn::And',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  Or: 'Fn::Or',
  Transform: 'Fn::Transform',
};

/** `!GetAtt A.B` is the one short form whose scalar is not the long form's value as is. */
function longValue(name: string, value: unknown): unknown {
  if (name === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
  }
  return value;
}

/** Each short form as a scalar, a sequence and a mapping tag (`!Sub` takes a string or a list, `!Transform` a map). */
function cloudFormationTags(): (ScalarTag | CollectionTag)[] {
  return Object.entries(SHORT_FORMS).flatMap(([short, long]): (ScalarTag | CollectionTag)[] => {
    const tag = `!${short}`;
    const wrap = (value: unknown): unknown => ({ [long]: longValue(long, value) });
    return [
      { tag, identify: () => false, resolve: (s: string) => wrap(s) },
      { tag, collection: 'seq', nodeClass: YAMLSeq, identify: () => false, resolve: (seq) => seq },
      { tag, collection: 'map', nodeClass: YAMLMap, identify: () => false, resolve: (map) => map },
    ];
  });
}

const TAGS = cloudFormationTags();

/** Line and column (1-based) of an offset, for messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** JSON when the first meaningful character opens an object (CloudFormation JSON templates are objects). */
export function templateFormat(text: string): TemplateFormat {
  return /^\s*\{/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'yaml';
}

/**
 * Parses a template; throws TrailLensError('ParseError') with the line and column of the first
 * syntax error, or of a top level that is not a mapping.
 */
export function parseTemplate(text: string, source = 'template'): ParsedTemplate {
  const format = templateFormat(text);
  const doc = parseDocument(text, { customTags: TAGS, uniqueKeys: true, prettyErrors: false, strict: true });
  const first = doc.errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.pos[0]);
    const what = first.message.split('\n')[0];
    throw new TrailLensError(
      'ParseError',
      `${source} is not valid ${format === 'json' ? 'JSON' : 'YAML'} (line ${line}, column ${column}): ${what}`,
    );
  }
  if (!isMap(doc.contents)) {
    throw new TrailLensError('ParseError', `${source} is not a CloudFormation template: its top level is not a mapping`);
  }
  const resources: TemplateResource[] = [];
  const resourcesNode = doc.contents.get('Resources', true);
  if (isMap(resourcesNode)) {
    for (const pair of resourcesNode.items) {
      const id = scalarText(pair.key);
      const range = nodeRange(pair.key);
      if (id === undefined || !range) continue;
      const body = pair.value;
      const type = isMap(body) ? scalarText(body.get('Type', true)) : undefined;
      resources.push({ logicalId: id, type, keyRange: range });
    }
  }
  const references: TemplateReference[] = [];
  walk(doc.contents, [], text, references);
  return { format, resources, references };
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : undefined;
}

function nodeRange(node: unknown, text?: string): OffsetRange | undefined {
  const r = (node as YamlNode | null)?.range;
  if (!r) return undefined;
  let end = r[1];
  // A block mapping's value end runs past its last line break.
  while (text !== undefined && end > r[0] && /\s/.test(text.charAt(end - 1))) end--;
  return { start: r[0], end };
}

/** The short form's scalar value as written (`!Ref X` resolves to `{ Ref: X }`; this gives `X`). */
function shortScalar(node: YamlNode): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.source === 'string') return node.source;
  return typeof node.value === 'string' ? node.value : undefined;
}

/**
 * Where the tag in front of a node starts: the node's range begins after its tag, so look back over
 * the spaces (and an anchor) for `!Name`.
 */
function tagStart(text: string, node: YamlNode, tag: string): number {
  const start = node.range?.[0] ?? 0;
  const before = text.slice(Math.max(0, start - 200), start);
  const m = new RegExp(`${escapeRegExp(tag)}(?:\\s+&\\S+)?\\s*$`).exec(before);
  return m ? start - (before.length - m.index) : start;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function walk(node: unknown, path: (string | number)[], text: string, out: TemplateReference[]): void {
  if (!node || typeof node !== 'object') return;
  const yamlNode = node as YamlNode;
  const tag = yamlNode.tag;
  if (tag === '!Ref' || tag === '!GetAtt') {
    const range = nodeRange(yamlNode);
    if (range) {
      const whole = { start: tagStart(text, yamlNode, tag), end: range.end };
      const ref = tag === '!Ref' ? refOf(shortScalar(yamlNode)) : getAttOf(yamlNode, true);
      if (ref) out.push({ ...ref, form: 'short', range: whole, path });
    }
  }
  // A short form's children sit under its long-form key, as in `{ "Fn::Join": [...] }`.
  const fn = tag?.startsWith('!') ? SHORT_FORMS[tag.slice(1)] : undefined;
  const inner = fn ? [...path, fn] : path;
  if (isMap(node)) {
    const long = longForm(node);
    const range = nodeRange(node, text);
    if (long && range) out.push({ ...long, form: 'long', range, path });
    for (const pair of node.items as Pair[]) {
      const key = scalarText(pair.key);
      if (key !== undefined) walk(pair.value, [...inner, key], text, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(item, [...inner, i], text, out));
  }
}

type RefCore = Pick<TemplateReference, 'kind' | 'target' | 'attribute'>;

function refOf(target: string | undefined): RefCore | undefined {
  return target ? { kind: 'Ref', target } : undefined;
}

/** `X.Attr` (short scalar) or `[X, Attr]` (short or long sequence). */
function getAttOf(node: unknown, short: boolean): RefCore | undefined {
  if (short && isScalar(node)) {
    const s = shortScalar(node);
    if (!s) return undefined;
    const dot = s.indexOf('.');
    return dot < 0 ? { kind: 'GetAtt', target: s } : { kind: 'GetAtt', target: s.slice(0, dot), attribute: s.slice(dot + 1) };
  }
  if (isSeq(node)) {
    const target = scalarText(node.items[0]);
    const attribute = scalarText(node.items[1]);
    if (target) return { kind: 'GetAtt', target, attribute };
  }
  if (!short && isScalar(node)) return getAttOf(node, true);
  return undefined;
}

/** `{ Ref: X }` / `{ "Fn::GetAtt": … }`: a mapping with exactly that one key. */
function longForm(map: YAMLMap): RefCore | undefined {
  if (map.items.length !== 1) return undefined;
  const pair = map.items[0] as Pair;
  const key = scalarText(pair.key);
  if (key === 'Ref') return refOf(scalarText(pair.value));
  if (key === 'Fn::GetAtt') return getAttOf(pair.value, false);
  return undefined;
}

/** The template as plain data, short forms converted to the long form (`!GetAtt [X, A]` → `{ "Fn::GetAtt": [X, A] }`). */
export function templateValue(text: string): unknown {
  const doc = parseDocument(text, { customTags: TAGS });
  const plain = (node: unknown): unknown => {
    if (isAlias(node)) return plain(node.resolve(doc));
    if (isScalar(node)) return node.value;
    const tag = (node as YamlNode | null)?.tag;
    const long = tag?.startsWith('!') ? SHORT_FORMS[tag.slice(1)] : undefined;
    let value: unknown = null;
    if (isSeq(node)) value = node.items.map(plain);
    else if (isMap(node)) value = Object.fromEntries((node.items as Pair[]).map((p) => [String(plain(p.key)), plain(p.value)]));
    return long ? { [long]: value } : value;
  };
  return plain(doc.contents);
}

/** `Resources.BackupVault.Properties.EncryptionKeyArn` */
export function pathText(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

/**
 * The text that replaces a `Ref` to `target` with `Fn::GetAtt target.attribute`, in the style of the
 * template: `!GetAtt X.Arn` in YAML, `{"Fn::GetAtt": ["X", "Arn"]}` in JSON.
 */
export function getAttText(format: TemplateFormat, target: string, attribute: string): string {
  if (format === 'json') return `{"Fn::GetAtt": [${JSON.stringify(target)}, ${JSON.stringify(attribute)}]}`;
  return `!GetAtt ${target}.${attribute}`;
}
