/**
 * The only place that reads `trailLens.*` settings. Getters re-read on every access so a change
 * is seen at once; one onDidChangeConfiguration listener fans out to the features.
 */
import * as vscode from 'vscode';
import { DEFAULT_AROUND_MINUTES, parseDuration } from '../core/time';
import { MAX_RANGE_MS } from './views/timeRange';

const SECTION = 'trailLens';
const DEFAULT_RANGE_MS = MAX_RANGE_MS;

export type GroupBy = 'day' | 'hour';

/** A settings change, with a helper that tells whether a `trailLens.<key>` changed. */
export interface ConfigChange {
  affects(key: string): boolean;
}

export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ConfigChange>();
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.emitter.fire({ affects: (key) => e.affectsConfiguration(`${SECTION}.${key}`) });
    });
  }

  /** Fires when any `trailLens.*` setting changes. */
  onDidChange(listener: (change: ConfigChange) => void): vscode.Disposable {
    return this.emitter.event(listener);
  }

  /** Empty setting: undefined (core then uses AWS_PROFILE / default). */
  get profile(): string | undefined {
    return this.text('profile');
  }

  get region(): string | undefined {
    return this.text('region');
  }

  get endpointUrl(): string | undefined {
    return this.text('endpointUrl');
  }

  /** The Events view's window back from now, clamped to the 90 days LookupEvents keeps. */
  get timeRangeMs(): number {
    const raw = this.text('timeRange');
    if (!raw) return DEFAULT_RANGE_MS;
    try {
      const ms = parseDuration(raw);
      return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_RANGE_MS) : DEFAULT_RANGE_MS;
    } catch {
      // A typo in settings should not break the view; the setting's description shows valid forms.
      return DEFAULT_RANGE_MS;
    }
  }

  get pageSize(): number {
    return clampInt(this.get<number>('pageSize'), 1, 50, 50);
  }

  get groupBy(): GroupBy {
    return this.get<string>('groupBy') === 'hour' ? 'hour' : 'day';
  }

  get requestIdMaxDays(): number {
    return clampInt(this.get<number>('requestIdSearch.maxDays'), 1, 90, 90);
  }

  /** trailLens.requestIdSearch.regions: Regions a request-ID jump searches too, in parallel ('all': the standard ones). */
  get requestIdRegions(): string[] {
    return this.strings('requestIdSearch.regions');
  }

  get requestIdAroundMinutes(): number {
    return clampInt(this.get<number>('requestIdSearch.aroundMinutes'), 1, 1440, DEFAULT_AROUND_MINUTES);
  }

  /** Related events: the window either side of the event, in minutes. */
  get relatedAroundMinutes(): number {
    return clampInt(this.get<number>('related.aroundMinutes'), 1, 1440, 15);
  }

  get hideServiceLinkedRoles(): boolean {
    return this.get<boolean>('noise.hideServiceLinkedRoles') === true;
  }

  get hideReadOnly(): boolean {
    return this.get<boolean>('noise.hideReadOnly') === true;
  }

  get hideAwsServiceCalls(): boolean {
    return this.get<boolean>('noise.hideAwsServiceCalls') === true;
  }

  /** `trailLens.noise.customRules` as written; views/noiseSettings.ts checks each entry's shape and pattern. */
  get customNoiseRules(): unknown {
    return this.get<unknown>('noise.customRules');
  }

  get cacheEnabled(): boolean {
    return this.get<boolean>('cache.enabled') !== false;
  }

  /** Empty setting: undefined (core's default cache directory). */
  get cacheDir(): string | undefined {
    return this.text('cache.directory');
  }

  /** The cache's bound per account and Region, in bytes (setting in MiB). */
  get cacheMaxBytes(): number {
    return clampInt(this.get<number>('cache.maxSizeMB'), 1, 4096, 100) * 1024 * 1024;
  }

  /** Template path (workspace-relative or absolute) → stack name. */
  get cloudFormationStacks(): Record<string, unknown> {
    const v = this.get<unknown>('cloudformation.stacks');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }

  /** trailLens.events.source: undefined for event history (LookupEvents), else a trail source (path or s3:// URL). */
  get eventsSource(): string | undefined {
    return this.text('events.source');
  }

  /** trailLens.trailFiles.sources: local paths and s3:// URLs of trail log files, trimmed, without duplicates. */
  get trailFileSources(): string[] {
    return [...new Set(this.strings('trailFiles.sources'))];
  }

  /**
   * Shows a trail source in the Events view: adds it to trailLens.trailFiles.sources (if new) and
   * sets trailLens.events.source, in the workspace's settings when a folder is open. undefined:
   * event history (LookupEvents) again.
   */
  async setEventsSource(source: string | undefined): Promise<void> {
    const sources = this.trailFileSources;
    if (source && !sources.includes(source)) await this.write('trailFiles.sources', [...sources, source]);
    // Empty, not removed: a source in the user's settings would show through a removed workspace value.
    await this.write('events.source', source ?? '');
  }

  /** trailLens.athena.*: undefined until a table is named (the other settings have defaults). */
  get athena(): { table: string; database?: string; workgroup?: string; outputLocation?: string } | undefined {
    const table = this.text('athena.table');
    if (!table) return undefined;
    return {
      table,
      database: this.text('athena.database'),
      workgroup: this.text('athena.workgroup'),
      outputLocation: this.text('athena.outputLocation'),
    };
  }

  /** trailLens.cloudWatchLogs.logGroup: a name or ARN; undefined: the trail's own (DescribeTrails). */
  get logGroup(): string | undefined {
    return this.text('cloudWatchLogs.logGroup');
  }

  /** trailLens.lake.eventDataStore: an ID or ARN; undefined: the first enabled one (ListEventDataStores). */
  get lakeEventDataStore(): string | undefined {
    return this.text('lake.eventDataStore');
  }

  /** Writes `trailLens.<key>`: to the workspace when a folder is open, else to the user's settings. */
  async write(key: string, value: unknown): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update(key, value, target);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }

  private get<T>(key: string): T | undefined {
    return vscode.workspace.getConfiguration(SECTION).get<T>(key);
  }

  /** A string-array setting: its non-empty entries, trimmed (anything else is ignored). */
  private strings(key: string): string[] {
    const v = this.get<unknown>(key);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
  }

  private text(key: string): string | undefined {
    const v = this.get<string>(key);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  }
}

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}
