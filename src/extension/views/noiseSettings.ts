/**
 * Which noise rules the Events view applies, with no `vscode` (unit-tested in plain Node):
 * - core's built-in rules (core/noise.ts), each off or on by its `trailLens.noise.*` setting;
 * - the custom rules of `trailLens.noise.customRules`, filter patterns written as
 *   `{ "label": …, "pattern": … }`, on by default;
 * - either kind switched in the view (Toggle Noise Rules, "show them again"), which the workspace
 *   remembers as overrides of those defaults.
 * A custom rule that cannot be used (not a label and a pattern, a pattern that does not parse, a
 * label used twice) is skipped with a problem that names it, so the view can say so once.
 */
import { FilterPatternError } from '../../core/filter/pattern';
import { builtInNoiseRules, customNoiseRule, type NoiseRule } from '../../core/noise';

/** The setting (under `trailLens.`) that switches each built-in rule on by default. */
export const BUILT_IN_SETTINGS: Readonly<Record<string, string>> = {
  serviceLinkedRoles: 'noise.hideServiceLinkedRoles',
  readOnly: 'noise.hideReadOnly',
  awsServices: 'noise.hideAwsServiceCalls',
};

/** Keys the workspace stored before rules had ids (Trail Lens 0.x), read as the ids they meant. */
const LEGACY_KEYS: Readonly<Record<string, string>> = { hideServiceLinkedRoles: 'serviceLinkedRoles', hideReadOnly: 'readOnly' };

export const CUSTOM_RULES_SETTING = 'trailLens.noise.customRules';

export interface NoiseChoice {
  readonly rule: NoiseRule;
  /** Whether the rule hides events now (its default, or the workspace's override). */
  readonly on: boolean;
  /** What it is on by default: its setting for a built-in rule, true for a custom one. */
  readonly byDefault: boolean;
  /** The pattern of a custom rule; undefined for a built-in one. */
  readonly pattern?: string;
}

export interface NoiseSettings {
  /** Built-in rule id → its setting's value. */
  builtIn: Readonly<Record<string, boolean>>;
  /** `trailLens.noise.customRules` as written (anything). */
  custom: unknown;
  /** The workspace's overrides, rule id (or a legacy key) → on. */
  overrides: Readonly<Record<string, unknown>>;
}

export interface ResolvedNoise {
  /** Every usable rule, built-in first, in settings order. */
  choices: NoiseChoice[];
  /** One sentence per custom rule that was skipped, naming it and why. */
  problems: string[];
}

export function resolveNoise(settings: NoiseSettings): ResolvedNoise {
  const overrides = normaliseOverrides(settings.overrides);
  const choices: NoiseChoice[] = [];
  for (const rule of builtInNoiseRules()) {
    const byDefault = settings.builtIn[rule.id] === true;
    choices.push({ rule, byDefault, on: overrides[rule.id] ?? byDefault });
  }
  const { rules, problems } = customRules(settings.custom);
  for (const { rule, pattern } of rules) {
    if (choices.some((c) => c.rule.id === rule.id)) {
      problems.push(`The custom noise rule "${rule.label}" is skipped: another rule has the same label (${CUSTOM_RULES_SETTING}).`);
      continue;
    }
    choices.push({ rule, pattern, byDefault: true, on: overrides[rule.id] ?? true });
  }
  return { choices, problems };
}

/** The overrides worth storing: only the rules whose state differs from their default. */
export function overridesFor(choices: readonly NoiseChoice[], on: ReadonlyMap<string, boolean>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const c of choices) {
    const want = on.get(c.rule.id) ?? c.on;
    if (want !== c.byDefault) out[c.rule.id] = want;
  }
  return out;
}

/** Drops the overrides of the given rule ids (their setting was edited: it wins). */
export function withoutOverrides(overrides: Readonly<Record<string, unknown>>, ids: (id: string) => boolean): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [id, on] of Object.entries(normaliseOverrides(overrides))) if (!ids(id)) out[id] = on;
  return out;
}

function normaliseOverrides(raw: Readonly<Record<string, unknown>>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'boolean') out[LEGACY_KEYS[key] ?? key] = value;
  return out;
}

function customRules(raw: unknown): { rules: { rule: NoiseRule; pattern: string }[]; problems: string[] } {
  const rules: { rule: NoiseRule; pattern: string }[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { rules, problems };
  if (!Array.isArray(raw)) {
    problems.push(`${CUSTOM_RULES_SETTING} is skipped: it must be a list of { "label": "…", "pattern": "{ … }" }.`);
    return { rules, problems };
  }
  raw.forEach((entry: unknown, i) => {
    const where = `${CUSTOM_RULES_SETTING}[${i}]`;
    const e = entry as { label?: unknown; pattern?: unknown } | null;
    const label = typeof e?.label === 'string' ? e.label.trim() : '';
    const pattern = typeof e?.pattern === 'string' ? e.pattern.trim() : '';
    if (!label || !pattern) {
      problems.push(`The custom noise rule ${where} is skipped: it needs a "label" and a "pattern", both text.`);
      return;
    }
    try {
      rules.push({ rule: customNoiseRule(label, pattern), pattern });
    } catch (err) {
      if (!(err instanceof FilterPatternError)) throw err;
      problems.push(`The custom noise rule "${label}" (${where}) is skipped: ${patternProblem(err)}.`);
    }
  });
  return { rules, problems };
}

/** "its pattern has an error at column 14: expected '}' …" (core's columns are 1-based). */
function patternProblem(err: FilterPatternError): string {
  return `its pattern has an error at ${err.message}`;
}
