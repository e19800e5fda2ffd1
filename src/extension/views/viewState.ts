/**
 * What the Events view asks CloudTrail for (the lookup attribute filter and the time range) and
 * which loaded events it hides (the noise rules). View state, not settings:
 * - the time range starts from `trailLens.timeRange`; a range chosen in the view overrides it
 *   until the setting changes;
 * - the noise rules start from `trailLens.noise.*`; toggling them in the view is remembered in
 *   workspace state (never written to the repository's .vscode/settings.json) until that setting
 *   changes;
 * - "hide read-only calls" with no attribute filter is asked of CloudTrail (`ReadOnly = false`), so
 *   every page is a page of changes rather than a page with most rows hidden. LookupEvents takes one
 *   attribute, so with another filter set it stays a noise rule on the loaded events.
 */
import * as vscode from 'vscode';
import type { LookupQuery } from '../../core/lookup';
import type { LookupAttribute } from '../../core/record';
import { ContextKeys } from '../commandIds';
import type { Config } from '../config';
import type { NoiseRules } from '../../core/noise';
import { describeAttribute, describeDuration, describeSpan } from './eventFormat';
import type { TimeRange } from './timeRange';

export type { TimeRange } from './timeRange';

const NOISE_KEY = 'trailLens.noiseRules';

/** What "hide read-only calls" asks of CloudTrail when no other attribute is set. */
export const SERVER_READ_ONLY: LookupAttribute = { key: 'ReadOnly', value: 'false' };

const NOISE_SETTINGS: Record<keyof NoiseRules, string> = {
  hideServiceLinkedRoles: 'noise.hideServiceLinkedRoles',
  hideReadOnly: 'noise.hideReadOnly',
};

/** `query`: the view must reload; `noise`: it only shows the loaded events differently. */
export type ViewChange = 'query' | 'noise';

export class ViewState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ViewChange>();
  readonly onDidChange = this.changed.event;
  private attributeValue: LookupAttribute | undefined;
  private rangeOverride: TimeRange | undefined;
  private readonly listener: vscode.Disposable;
  /** The attribute the last question asked CloudTrail for (a noise toggle may change it). */
  private askedAttribute: LookupAttribute | undefined;

  constructor(
    private readonly config: Config,
    private readonly workspaceState: vscode.Memento,
  ) {
    this.listener = config.onDidChange((c) => {
      if (c.affects('timeRange')) {
        this.rangeOverride = undefined;
        void this.updateContext();
        this.changed.fire('query');
      }
      const touched = (Object.keys(NOISE_SETTINGS) as (keyof NoiseRules)[]).filter((k) => c.affects(NOISE_SETTINGS[k]));
      if (touched.length) {
        // The person set the setting itself: it wins over what was toggled in this workspace.
        const saved = { ...this.savedNoise() };
        for (const k of touched) delete saved[k];
        void this.workspaceState.update(NOISE_KEY, Object.keys(saved).length ? saved : undefined).then(() => this.noiseChanged());
      }
    });
    this.askedAttribute = this.lookupAttribute;
    void this.updateContext();
  }

  /** The rules in effect: what was toggled in this workspace, else the settings. */
  get noiseRules(): NoiseRules {
    const saved = this.savedNoise();
    return {
      hideServiceLinkedRoles: saved.hideServiceLinkedRoles ?? this.config.hideServiceLinkedRoles,
      hideReadOnly: saved.hideReadOnly ?? this.config.hideReadOnly,
    };
  }

  /** Remembers the rules for this workspace; only those that differ from the settings are stored. */
  async setNoiseRules(rules: NoiseRules): Promise<void> {
    const defaults: NoiseRules = { hideServiceLinkedRoles: this.config.hideServiceLinkedRoles, hideReadOnly: this.config.hideReadOnly };
    const saved: Partial<NoiseRules> = {};
    for (const k of Object.keys(NOISE_SETTINGS) as (keyof NoiseRules)[]) if (rules[k] !== defaults[k]) saved[k] = rules[k];
    await this.workspaceState.update(NOISE_KEY, Object.keys(saved).length ? saved : undefined);
    this.noiseChanged();
  }

  /** The attribute CloudTrail is asked for: the filter, else ReadOnly = false while read-only calls are hidden. */
  get lookupAttribute(): LookupAttribute | undefined {
    return this.attributeValue ?? (this.noiseRules.hideReadOnly ? SERVER_READ_ONLY : undefined);
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
   * Clears the attribute filter and a custom time range (back to the `trailLens.timeRange` setting)
   * in one reload. Returns what was cleared, in words; noise rules are not filters of the question
   * and stay (Toggle Noise Rules changes them).
   */
  clearFilters(): string[] {
    const cleared: string[] = [];
    if (this.attributeValue) cleared.push(describeAttribute(this.attributeValue)!);
    if (this.customRange) cleared.push(`the time range ${this.describeRange()}`);
    const changed = this.attributeValue !== undefined || this.rangeOverride !== undefined;
    this.attributeValue = undefined;
    this.askedAttribute = this.lookupAttribute;
    this.rangeOverride = undefined;
    void this.updateContext();
    if (changed) this.changed.fire('query');
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

  private savedNoise(): Partial<NoiseRules> {
    const saved = this.workspaceState.get<Partial<NoiseRules>>(NOISE_KEY);
    return typeof saved === 'object' && saved !== null ? saved : {};
  }

  /** Read-only calls moved between the server and the noise pass: the question changed, reload. */
  private noiseChanged(): void {
    const now = this.lookupAttribute;
    const moved = now !== this.askedAttribute;
    this.askedAttribute = now;
    this.changed.fire(moved ? 'query' : 'noise');
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.filterActive, this.attributeValue !== undefined || this.customRange);
  }
}
