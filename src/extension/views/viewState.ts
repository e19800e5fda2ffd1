/**
 * What the Events view asks CloudTrail for: the lookup attribute filter and the time range.
 * View state, not settings: the time range starts from `trailLens.timeRange` and a preset or custom
 * range chosen in the view overrides it until the setting changes.
 */
import * as vscode from 'vscode';
import type { LookupQuery } from '../../core/lookup';
import type { LookupAttribute } from '../../core/record';
import { ContextKeys } from '../commandIds';
import type { Config } from '../config';
import { describeAttribute, describeDuration, describeSpan } from './eventFormat';
import type { TimeRange } from './timeRange';

export type { TimeRange } from './timeRange';

export class ViewState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the filter or time range changes (the view reloads). */
  readonly onDidChange = this.changed.event;
  private attributeValue: LookupAttribute | undefined;
  private rangeOverride: TimeRange | undefined;
  private readonly listener: vscode.Disposable;

  constructor(private readonly config: Config) {
    this.listener = config.onDidChange((c) => {
      if (c.affects('timeRange')) {
        this.rangeOverride = undefined;
        this.changed.fire();
      }
    });
    void this.updateContext();
  }

  get attribute(): LookupAttribute | undefined {
    return this.attributeValue;
  }

  get range(): TimeRange {
    return this.rangeOverride ?? { kind: 'relative', ms: this.config.timeRangeMs };
  }

  setAttribute(attribute: LookupAttribute | undefined): void {
    this.attributeValue = attribute;
    void this.updateContext();
    this.changed.fire();
  }

  setRange(range: TimeRange): void {
    this.rangeOverride = range;
    this.changed.fire();
  }

  /** A fresh query for now: relative ranges end at the current time. */
  query(now = Date.now()): LookupQuery {
    const r = this.range;
    const start = r.kind === 'relative' ? new Date(now - r.ms) : r.start;
    const end = r.kind === 'relative' ? new Date(now) : r.end;
    return { ...(this.attributeValue ? { attribute: this.attributeValue } : {}), start, end, pageSize: this.config.pageSize };
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
    return `${describeAttribute(this.attributeValue) ?? '*'}|${range}|${this.config.pageSize}`;
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.filterActive, this.attributeValue !== undefined);
  }
}
