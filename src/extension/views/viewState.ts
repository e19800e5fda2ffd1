/**
 * What the Events view asks CloudTrail for (the lookup attribute filter and the time range), which
 * loaded events it shows (the filter pattern) and which it hides (the noise rules). View state, not
 * settings:
 * - the time range starts from `trailLens.timeRange`; a range chosen in the view overrides it
 *   until the setting changes;
 * - the filter pattern (a CloudWatch Logs JSON filter pattern, matched locally) and its history
 *   (the last ten) are remembered per workspace; the attribute narrows what is fetched, the pattern
 *   what is shown, so changing the pattern reloads nothing;
 * - the noise rules start from `trailLens.noise.*` (built-in rules and custom patterns,
 *   views/noiseSettings.ts); switching them in the view is remembered in workspace state (never
 *   written to the repository's .vscode/settings.json) until that setting changes;
 * - "hide read-only calls" with no attribute filter is asked of CloudTrail (`ReadOnly = false`), so
 *   every page is a page of changes rather than a page with most rows hidden. LookupEvents takes one
 *   attribute, so with another filter set it stays a noise rule on the loaded events.
 */
import * as vscode from 'vscode';
import { parseFilterPattern, type FilterPattern } from '../../core/filter/pattern';
import type { LookupQuery } from '../../core/lookup';
import type { NoiseRule } from '../../core/noise';
import type { LookupAttribute } from '../../core/record';
import { oneLine } from '../../core/text';
import { ContextKeys } from '../commandIds';
import type { Config } from '../config';
import type { Log } from '../log';
import { describeAttribute, describeDuration, describeSpan } from './eventFormat';
import type { Display } from './eventsModel';
import { BUILT_IN_SETTINGS, overridesFor, resolveNoise, withoutOverrides, type NoiseChoice } from './noiseSettings';
import { pushHistory } from './patternChoices';
import type { TimeRange } from './timeRange';

export type { TimeRange } from './timeRange';

const NOISE_KEY = 'trailLens.noiseRules';
const PATTERN_KEY = 'trailLens.filterPattern';
const HISTORY_KEY = 'trailLens.filterPatternHistory';

/** What "hide read-only calls" asks of CloudTrail when no other attribute is set. */
export const SERVER_READ_ONLY: LookupAttribute = { key: 'ReadOnly', value: 'false' };

/** `query`: the view must reload; `noise`: it only shows the loaded events differently; `pattern`: as noise, and it may read on. */
export type ViewChange = 'query' | 'noise' | 'pattern';

export class ViewState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ViewChange>();
  readonly onDidChange = this.changed.event;
  private attributeValue: LookupAttribute | undefined;
  private rangeOverride: TimeRange | undefined;
  private readonly listener: vscode.Disposable;
  /** The attribute the last question asked CloudTrail for (a noise toggle may change it). */
  private askedAttribute: LookupAttribute | undefined;
  private patternValue: FilterPattern | undefined;
  /** The noise rules resolved from the settings and the workspace's overrides, until either changes. */
  private noise: NoiseChoice[] | undefined;
  private displayValue: Display | undefined;
  /** Problems with custom noise rules already reported (each is said once). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly config: Config,
    private readonly workspaceState: vscode.Memento,
    private readonly log?: Log,
  ) {
    this.listener = config.onDidChange((c) => {
      if (c.affects('timeRange')) {
        this.rangeOverride = undefined;
        void this.updateContext();
        this.changed.fire('query');
      }
      const touched = Object.keys(BUILT_IN_SETTINGS).filter((id) => c.affects(BUILT_IN_SETTINGS[id]));
      const custom = c.affects('noise.customRules');
      if (touched.length || custom) {
        // The person set the setting itself: it wins over what was switched in this workspace.
        const builtIn = new Set(Object.keys(BUILT_IN_SETTINGS));
        const saved = withoutOverrides(this.savedNoise(), (id) => touched.includes(id) || (custom && !builtIn.has(id)));
        void this.workspaceState.update(NOISE_KEY, Object.keys(saved).length ? saved : undefined).then(() => this.noiseChanged());
      }
    });
    this.patternValue = this.restorePattern();
    this.askedAttribute = this.lookupAttribute;
    void this.updateContext();
  }

  /** Every usable noise rule and whether it is on (custom rules that cannot be used are reported once and left out). */
  get noiseChoices(): readonly NoiseChoice[] {
    if (this.noise) return this.noise;
    const builtIn: Record<string, boolean> = {
      serviceLinkedRoles: this.config.hideServiceLinkedRoles,
      readOnly: this.config.hideReadOnly,
      awsServices: this.config.hideAwsServiceCalls,
    };
    const { choices, problems } = resolveNoise({ builtIn, custom: this.config.customNoiseRules, overrides: this.savedNoise() });
    for (const problem of problems) this.report(problem);
    return (this.noise = choices);
  }

  /** The rules hiding events now. */
  get noiseRules(): readonly NoiseRule[] {
    return this.noiseChoices.filter((c) => c.on).map((c) => c.rule);
  }

  isNoiseOn(id: string): boolean {
    return this.noiseChoices.some((c) => c.on && c.rule.id === id);
  }

  /** Switches the given rules (id → on) and remembers it for this workspace; only states that differ from the settings are stored. */
  async setNoiseRules(on: ReadonlyMap<string, boolean>): Promise<void> {
    const saved = overridesFor(this.noiseChoices, on);
    await this.workspaceState.update(NOISE_KEY, Object.keys(saved).length ? saved : undefined);
    this.noiseChanged();
  }

  /** The pattern that filters what is shown, if any. */
  get pattern(): FilterPattern | undefined {
    return this.patternValue;
  }

  /** The patterns applied in this workspace, most recent first (at most ten). */
  get patternHistory(): string[] {
    const saved = this.workspaceState.get<unknown>(HISTORY_KEY);
    return Array.isArray(saved) ? saved.filter((t): t is string => typeof t === 'string') : [];
  }

  /** Applies (or with undefined clears) the pattern; it is remembered for this workspace and added to the history. */
  async setPattern(pattern: FilterPattern | undefined): Promise<void> {
    this.patternValue = pattern;
    this.displayValue = undefined;
    await this.workspaceState.update(PATTERN_KEY, pattern?.text);
    if (pattern) await this.workspaceState.update(HISTORY_KEY, pushHistory(this.patternHistory, pattern.text));
    void this.updateContext();
    this.changed.fire('pattern');
  }

  /** What the view shows of the loaded events: the pattern and the noise rules in effect (the same object until either changes). */
  display(): Display {
    return (this.displayValue ??= { pattern: this.patternValue, rules: this.noiseRules });
  }

  /** The pattern in one line for the message and the view's description. */
  describePattern(max = 120): string | undefined {
    return this.patternValue ? oneLine(this.patternValue.text, max) : undefined;
  }

  /** The attribute CloudTrail is asked for: the filter, else ReadOnly = false while read-only calls are hidden. */
  get lookupAttribute(): LookupAttribute | undefined {
    return this.attributeValue ?? (this.isNoiseOn('readOnly') ? SERVER_READ_ONLY : undefined);
  }

  /** True while a time range chosen in the view differs from the `trailLens.timeRange` setting. */
  get customRange(): boolean {
    const r = this.rangeOverride;
    return !!r && !(r.kind === 'relative' && r.ms === this.config.timeRangeMs);
  }

  get attribute(): LookupAttribute | undefined {
    return this.attributeValue;
  }

  get range(): TimeRange {
    return this.rangeOverride ?? { kind: 'relative', ms: this.config.timeRangeMs };
  }

  setAttribute(attribute: LookupAttribute | undefined): void {
    this.attributeValue = attribute;
    this.askedAttribute = this.lookupAttribute;
    void this.updateContext();
    this.changed.fire('query');
  }

  setRange(range: TimeRange): void {
    this.rangeOverride = range;
    void this.updateContext();
    this.changed.fire('query');
  }

  /**
   * Clears the attribute filter, the filter pattern and a custom time range (back to the
   * `trailLens.timeRange` setting) in one reload. Returns what was cleared, in words; noise rules
   * are not filters of the question and stay (Toggle Noise Rules changes them).
   */
  async clearFilters(): Promise<string[]> {
    const cleared: string[] = [];
    if (this.attributeValue) cleared.push(describeAttribute(this.attributeValue)!);
    if (this.patternValue) cleared.push(`the pattern ${this.describePattern(60)}`);
    if (this.customRange) cleared.push(`the time range ${this.describeRange()}`);
    const changed = this.attributeValue !== undefined || this.rangeOverride !== undefined;
    const patternCleared = this.patternValue !== undefined;
    this.attributeValue = undefined;
    this.askedAttribute = this.lookupAttribute;
    this.rangeOverride = undefined;
    this.patternValue = undefined;
    this.displayValue = undefined;
    if (patternCleared) await this.workspaceState.update(PATTERN_KEY, undefined);
    void this.updateContext();
    if (changed) this.changed.fire('query');
    else if (patternCleared) this.changed.fire('pattern');
    return cleared;
  }

  /** The range and every filter CloudTrail applies, for the view message. */
  describe(): { range: string; filters: string[] } {
    const r = this.range;
    const range = r.kind === 'relative' ? `Last ${describeDuration(r.ms)}` : describeSpan(r.start.getTime(), r.end.getTime());
    return { range, filters: this.describeFilters() };
  }

  /** "EventSource = backup.amazonaws.com", or "read-only calls left out (ReadOnly = false)" when that is asked of CloudTrail. */
  describeFilters(): string[] {
    const attribute = this.lookupAttribute;
    if (!attribute) return [];
    return [attribute === SERVER_READ_ONLY ? `read-only calls left out (${describeAttribute(attribute)})` : describeAttribute(attribute)!];
  }

  /** A fresh query for now: relative ranges end at the current time. */
  query(now = Date.now()): LookupQuery {
    const r = this.range;
    const start = r.kind === 'relative' ? new Date(now - r.ms) : r.start;
    const end = r.kind === 'relative' ? new Date(now) : r.end;
    const attribute = this.lookupAttribute;
    return { ...(attribute ? { attribute } : {}), start, end, pageSize: this.config.pageSize };
  }

  /** "the last 24 hours" or "08-07 22:10–08-08 14:20 UTC". */
  describeRange(): string {
    const r = this.range;
    return r.kind === 'relative' ? `the last ${describeDuration(r.ms)}` : describeSpan(r.start.getTime(), r.end.getTime());
  }

  /** Identifies what the loaded events answer, so a reload for a different question starts empty. */
  key(): string {
    const r = this.range;
    const range = r.kind === 'relative' ? `rel:${r.ms}` : `abs:${r.start.toISOString()}/${r.end.toISOString()}`;
    // The page size is part of the question: a NextToken is only valid with identical parameters.
    return `${describeAttribute(this.lookupAttribute) ?? '*'}|${range}|${this.config.pageSize}`;
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }

  private savedNoise(): Record<string, unknown> {
    const saved = this.workspaceState.get<Record<string, unknown>>(NOISE_KEY);
    return typeof saved === 'object' && saved !== null ? saved : {};
  }

  private restorePattern(): FilterPattern | undefined {
    const saved = this.workspaceState.get<unknown>(PATTERN_KEY);
    if (typeof saved !== 'string' || !saved) return undefined;
    try {
      return parseFilterPattern(saved);
    } catch (err) {
      this.log?.warn(`The saved filter pattern no longer parses and is dropped: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** Says a custom rule's problem once: in the log and as a warning that opens the setting. */
  private report(problem: string): void {
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    this.log?.warn(problem);
    void vscode.window.showWarningMessage(problem, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'trailLens.noise.customRules');
    });
  }

  /** Read-only calls moved between the server and the noise pass: the question changed, reload. */
  private noiseChanged(): void {
    this.noise = undefined;
    this.displayValue = undefined;
    const now = this.lookupAttribute;
    const moved = now !== this.askedAttribute;
    this.askedAttribute = now;
    this.changed.fire(moved ? 'query' : 'noise');
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand(
      'setContext',
      ContextKeys.filterActive,
      this.attributeValue !== undefined || this.customRange || this.patternValue !== undefined,
    );
  }
}
