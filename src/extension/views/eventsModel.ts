/**
 * The Events view's data, with no `vscode` (ESLint enforces it; test/unit/eventsModel.test.ts runs it
 * in plain Node): the loaded records and the ones pinned from elsewhere, the load phases, and the
 * noise pass. Which stretches of time are loaded, the gaps, and the NextToken chains that load the
 * rest are loadedStretches.ts's. eventsTree.ts turns this into rows.
 *
 * - Refresh of the same question loads what is new at the top (re-reading the delivery lag before the
 *   newest loaded time) and keeps everything paged in.
 * - An event added from elsewhere (a request-ID jump) gets its neighbourhood loaded as a stretch of
 *   its own; the time between stretches is a gap the view shows, never counted as loaded.
 * - With a filter pattern, loading reads on (page after page of the same chain, older each time)
 *   until a page's worth of events is shown or the window is exhausted, or Stop is clicked; what
 *   was not read stays a gap, and the message says "N shown of M scanned".
 */
import { TrailLensError, isAbortError } from '../../core/errors';
import type { LookupQuery, Page } from '../../core/lookup';
import { compareNewestFirst, type CloudTrailRecord } from '../../core/record';
import type { Session } from '../session';
import {
  displayRows,
  type Display,
  type EventsSource,
  type HiddenCount,
  type PageOptions,
  type ShownEvents,
  type ViewPhase,
} from './eventsSource';
import { describeAttribute, viewMessage } from './eventFormat';
import { LoadedStretches, type Chain } from './loadedStretches';
import type { Interval } from './timeline';

export type { Display, EventsSource, HiddenCount, PageOptions, ShownEvents, ViewPhase } from './eventsSource';

export const THROTTLED_TEXT = 'Throttled by CloudTrail — waiting and retrying…';

/** `phase`: the phase changed (context keys); `rows`: what the view shows changed. */
export type ModelChange = 'phase' | 'rows';

/** Pages read at most to reach an added event from the newest end of its neighbourhood. */
const NEIGHBOURHOOD_PAGES = 3;

export class EventsModel {
  private phaseValue: ViewPhase = 'idle';
  private startedValue = false;
  private errorValue: TrailLensError | undefined;
  private olderErrorValue: TrailLensError | undefined;
  private failedGapValue: Interval | undefined;
  private waitingValue = false;
  private loadingValue: Interval | undefined;
  private generation = 0;
  private controller: AbortController | undefined;
  /** A scan for pattern matches runs; `stopScan` ends it after the page in flight. */
  private scanningValue = false;
  private stopRequested = false;
  /** Bumped when the records held change, so the filtered rows are computed once per change. */
  private version = 0;
  private filtered: { version: number; display: Display; shown: CloudTrailRecord[]; hiddenBy: HiddenCount[] } | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  private readonly store = new Map<string, CloudTrailRecord>();
  /** Events added from elsewhere (a request-ID jump): kept across refreshes of the same query, never hidden as noise. */
  private readonly pinned = new Set<string>();
  /** Pinned events whose neighbourhood was asked for (loaded or failed): not asked again. */
  private readonly neighbourhoods = new Set<string>();
  /** The question's query as last loaded (its window is the span the view answers for). */
  private query: LookupQuery | undefined;
  /** The stretches of time loaded, and the chains that load the rest. */
  private readonly stretches = new LoadedStretches();
  /** Which connection and question the loaded events answer. */
  private loadedFor: { identity: string; view: string } | undefined;
  private readonly listeners = new Set<(change: ModelChange) => void>();

  constructor(private readonly source: EventsSource) {}

  onDidChange(listener: (change: ModelChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get phase(): ViewPhase {
    return this.phaseValue;
  }

  /** True once the first load was asked for (the view was shown or a command ran). */
  get started(): boolean {
    return this.startedValue;
  }

  /** Why the first page failed to load, while phase is `error`. */
  get error(): TrailLensError | undefined {
    return this.errorValue;
  }

  /** Why the last gap ("Load older", a stretch between loaded ones, a neighbourhood) failed to load. */
  get olderError(): TrailLensError | undefined {
    return this.olderErrorValue;
  }

  /** The gap whose load failed (Retry loads it again). */
  get failedGap(): Interval | undefined {
    return this.failedGapValue;
  }

  get waiting(): boolean {
    return this.waitingValue;
  }

  /** The stretch being loaded after the first page (a gap or a neighbourhood), if any. */
  get loadingGap(): Interval | undefined {
    return this.loadingValue;
  }

  get loadingOlder(): boolean {
    return this.loadingValue !== undefined;
  }

  /** True while older pages are read to fill a page with pattern matches. */
  get scanning(): boolean {
    return this.scanningValue;
  }

  /** Ends a scan for pattern matches once the page in flight is in (what was not read stays a gap). */
  stopScan(): void {
    if (this.scanningValue) this.stopRequested = true;
  }

  /** The whole time the view answers for: the query's window, widened by neighbourhoods outside it. */
  get span(): Interval | undefined {
    return this.stretches.span(this.query);
  }

  /** The stretches loaded, newest first. */
  get loaded(): Interval[] {
    return this.stretches.loaded();
  }

  /** The stretches of the span not loaded, newest first. */
  gaps(): Interval[] {
    return this.stretches.gaps(this.span);
  }

  /** True when time older than everything loaded is still to load (the "Load older events…" row). */
  get hasOlder(): boolean {
    return !!this.stretches.oldestGap(this.query);
  }

  get size(): number {
    return this.store.size;
  }

  has(eventID: string): boolean {
    return this.store.has(eventID);
  }

  isPinned(eventID: string): boolean {
    return this.pinned.has(eventID);
  }

  /** Every record held, newest first. */
  records(): CloudTrailRecord[] {
    return [...this.store.values()].sort(compareNewestFirst);
  }

  /**
   * Adds records found elsewhere (a request-ID jump): pinned, so reloads of the same question keep
   * them, and each one's neighbourhood is loaded as a stretch of its own once the view has a query.
   */
  addRecords(records: readonly CloudTrailRecord[]): Promise<void> {
    this.version++;
    for (const r of records) {
      this.store.set(r.eventID, r);
      this.pinned.add(r.eventID);
    }
    this.emit('rows');
    if (this.query && this.phaseValue !== 'loading' && !this.loadingValue) return this.track(this.loadNeighbourhoods());
    return this.inFlight;
  }

  /** The pattern and noise pass, and the message line, for the records held. */
  shown(): ShownEvents {
    const display = this.source.display();
    const f = this.filter(display);
    const hidden = f.hiddenBy.reduce((n, h) => n + h.count, 0);
    let message: string | undefined;
    if (this.phaseValue === 'noCredentials') message = undefined;
    else if (this.waitingValue) message = THROTTLED_TEXT;
    else if (f.shown.length || hidden || this.stretches.any || (display.pattern && this.store.size)) {
      message = viewMessage({
        ...this.source.describe(),
        pattern: display.pattern?.text,
        shown: f.shown.length,
        scanned: this.store.size,
        hidden,
        loaded: this.loaded,
      });
    }
    return { shown: f.shown, hidden, hiddenBy: f.hiddenBy, scanned: this.store.size, message };
  }

  /** Reads on while a pattern shows fewer than a page of events (after it changed; the loaded events stay). */
  patternChanged(): Promise<void> {
    if (!this.query || this.phaseValue !== 'ready' || this.loadingValue || this.scanningValue) return this.inFlight;
    if (!this.source.display().pattern) return this.inFlight;
    const gen = this.generation;
    const target = this.query.pageSize ?? 50;
    const run = async () => {
      let session: Session;
      try {
        session = await this.source.session();
      } catch (err) {
        const oldest = this.stretches.oldestGap(this.query);
        if (oldest) this.gapFailed(gen, oldest, err);
        return;
      }
      if (gen === this.generation) await this.scanOldest(gen, session, target);
    };
    return this.track(run());
  }

  /** The display pass over the records held, computed once per change of either. */
  private filter(display: Display): { shown: CloudTrailRecord[]; hiddenBy: HiddenCount[] } {
    const f = this.filtered;
    if (f && f.version === this.version && f.display === display) return f;
    const rows = displayRows(this.records(), display, (id) => this.pinned.has(id));
    this.filtered = { version: this.version, display, ...rows };
    return rows;
  }

  /**
   * With a pattern: reads the gap that starts at `gapStart` page by page, newest first, until
   * `target` events are shown, the gap is read, Stop is clicked or the question changes. The
   * view's progress runs meanwhile. Errors are the caller's.
   */
  private async scan(gen: number, session: Session, gapStart: number, target: number): Promise<void> {
    const more = () =>
      gen === this.generation &&
      !this.stopRequested &&
      !!this.source.display().pattern &&
      this.shown().shown.length < target &&
      !!this.stretches.gapFrom(this.query, gapStart);
    if (!more()) return;
    this.scanningValue = true;
    this.stopRequested = false;
    this.emit('rows');
    try {
      await this.source.progress(async () => {
        while (more()) {
          const gap = this.stretches.gapFrom(this.query, gapStart)!;
          await this.loadGap(gen, session, gap, 1);
        }
      });
    } finally {
      if (gen === this.generation) {
        this.scanningValue = false;
        this.stopRequested = false;
        this.emit('rows');
      }
    }
  }

  /**
   * Loads the current connection, filter and range. The same question as loaded: only what is new
   * at the top (from the delivery lag before the newest loaded time), keeping the rest. Another
   * account or question: starts empty. Never rejects.
   */
  refresh(): Promise<void> {
    this.startedValue = true;
    const gen = ++this.generation;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const loadingFor = this.source.answers();
    // Another account or another question: old rows (jumped-to ones too) would mislead, even if the new load fails.
    if (this.loadedFor && (loadingFor.identity !== this.loadedFor.identity || loadingFor.view !== this.loadedFor.view)) {
      this.clear();
    }
    this.setPhase('loading');
    this.errorValue = undefined;
    this.olderErrorValue = undefined;
    this.failedGapValue = undefined;
    this.waitingValue = false;
    // A gap of the old load that is still loading is dropped (its generation no longer matches).
    this.loadingValue = undefined;
    this.scanningValue = false;
    this.stopRequested = false;
    this.emit('rows');
    const run = async () => {
      try {
        const session = await this.source.session();
        if (gen !== this.generation) return;
        const query = this.source.query();
        const fresh = !this.stretches.any;
        const window = this.stretches.firstWindow(query);
        const page = await this.source.progress(() =>
          this.source.fetchPage(session, window, undefined, this.pageOptions(controller.signal)),
        );
        if (gen !== this.generation) return;
        this.query = query;
        this.loadedFor = loadingFor;
        this.dropBefore(query.start.getTime());
        const added = this.take({ query: window, token: undefined, reached: window.end.getTime() }, page);
        this.source.log.info(
          `Loaded ${added} ${fresh ? '' : 'new '}events (${session.label}; ${describeAttribute(query.attribute) ?? 'no filter'})`,
        );
        this.setPhase('ready');
        this.source.reportOutcome(undefined);
        void this.source.cachePage(session, page, this.source.log);
        await this.loadNeighbourhoods(gen, session);
        await this.scanOldest(gen, session, query.pageSize ?? 50);
      } catch (err) {
        if (gen !== this.generation) return;
        this.failed(err);
      } finally {
        if (gen === this.generation) {
          this.waitingValue = false;
          this.emit('rows');
        }
      }
    };
    return this.track(run());
  }

  /**
   * Loads the next page of a gap: the one ending at `gapEnd` (ms), else the oldest ("Load older
   * events…"). A gap where a chain stopped continues that chain; any other gets a chain of its own.
   * Calls while a load runs are ignored. Never rejects.
   */
  loadOlder(gapEnd?: number): Promise<void> {
    if (this.loadingValue || this.phaseValue === 'loading' || !this.query) return this.inFlight;
    const gap = this.gaps().find((g) => g.end === gapEnd) ?? this.stretches.oldestGap(this.query);
    if (!gap) return this.inFlight;
    const gen = this.generation;
    // Marked at once, so a second click before the first page arrives is ignored.
    this.loadingValue = gap;
    this.emit('rows');
    const run = async () => {
      try {
        const session = await this.source.session();
        if (gen !== this.generation) return;
        if (this.source.display().pattern) {
          // A page's worth more of matches, read from this gap (or all of it).
          this.loadingValue = undefined;
          await this.scan(gen, session, gap.start, this.shown().shown.length + (this.query?.pageSize ?? 50));
        } else {
          await this.loadGap(gen, session, gap, 1);
        }
      } catch (err) {
        this.gapFailed(gen, gap, err);
      } finally {
        if (gen === this.generation && this.loadingValue === gap) {
          this.loadingValue = undefined;
          this.emit('rows');
        }
      }
    };
    return this.track(run());
  }

  /** Resolves once no load is running (tests, and commands that want the result). */
  async whenIdle(): Promise<void> {
    let last: Promise<void> | undefined;
    while (last !== this.inFlight) {
      last = this.inFlight;
      await last;
    }
  }

  dispose(): void {
    this.controller?.abort();
    this.listeners.clear();
  }

  private track(p: Promise<void>): Promise<void> {
    const previous = this.inFlight;
    this.inFlight = Promise.all([previous, p]).then(() => undefined);
    return this.inFlight;
  }

  /**
   * Reads `gap` newest first, continuing the chain that stopped at its end if there is one, until
   * `until` (ms) is loaded or `maxPages` pages were read. Errors are the caller's.
   */
  private async loadGap(gen: number, session: Session, gap: Interval, maxPages: number, until = gap.end): Promise<void> {
    const query = this.query;
    if (!query) return;
    const chain = this.stretches.chainFor(gap, query);
    this.loadingValue = gap;
    this.olderErrorValue = undefined;
    this.failedGapValue = undefined;
    this.emit('rows');
    try {
      for (let pages = 0; pages < maxPages; pages++) {
        const page = await this.source.fetchPage(session, chain.query, chain.token, this.pageOptions(this.controller?.signal));
        if (gen !== this.generation) return;
        const added = this.take(chain, page);
        this.source.log.info(
          `Loaded ${added} events before ${new Date(chain.reached).toISOString()}${page.nextToken ? '' : ' (end of that stretch)'}`,
        );
        void this.source.cachePage(session, page, this.source.log);
        if (!this.stretches.goesOn(chain) || chain.reached <= until) break;
      }
    } finally {
      if (gen === this.generation) {
        this.loadingValue = undefined;
        this.waitingValue = false;
        this.emit('rows');
      }
    }
  }

  /** Records a page of `chain`: its records, and the time it covers and whether the chain goes on. Returns the new records. */
  private take(chain: Chain, page: Page): number {
    this.version++;
    let added = 0;
    for (const r of page.records) {
      if (!this.store.has(r.eventID)) added++;
      this.store.set(r.eventID, r);
    }
    const times = page.records.map((r) => Date.parse(r.eventTime)).filter((t) => !Number.isNaN(t));
    this.stretches.advance(chain, times, page.nextToken);
    return added;
  }

  /** With a pattern, after the first page: reads on from the oldest gap until `target` events are shown. */
  private async scanOldest(gen: number, session: Session, target: number): Promise<void> {
    const span = this.span;
    if (!span || !this.source.display().pattern) return;
    try {
      await this.scan(gen, session, span.start, target);
    } catch (err) {
      // The first page is in: a later page's failure is that gap's, with its Retry.
      const gap = this.stretches.gapFrom(this.query, span.start);
      if (gap) this.gapFailed(gen, gap, err);
    }
  }

  /** Loads the neighbourhood of every pinned event outside the loaded stretches (once each). */
  private async loadNeighbourhoods(gen = this.generation, given?: Session): Promise<void> {
    for (const id of [...this.pinned]) {
      const r = this.store.get(id);
      const t = r ? Date.parse(r.eventTime) : NaN;
      if (!r || Number.isNaN(t) || this.neighbourhoods.has(id) || this.stretches.covers(t)) continue;
      this.neighbourhoods.add(id);
      const around = this.stretches.neighbourhood(t, this.query);
      if (!around) continue;
      try {
        const session = given ?? (await this.source.session());
        if (gen !== this.generation) return;
        await this.loadGap(gen, session, around, NEIGHBOURHOOD_PAGES, t);
      } catch (err) {
        this.gapFailed(gen, around, err);
        return;
      }
    }
  }

  private gapFailed(gen: number, gap: Interval, err: unknown): void {
    if (gen !== this.generation || isAbortError(err)) return;
    const e = toError(err);
    if (e.code === 'Cancelled') return;
    this.olderErrorValue = e;
    this.failedGapValue = gap;
    this.source.log.warn(`Loading older events failed [${e.code}]: ${e.message}`);
    this.emit('rows');
  }

  /** A relative range moved on: what is now before its start is no longer part of the answer. */
  private dropBefore(start: number): void {
    const span = this.span;
    if (!span || start <= span.start) return;
    this.version++;
    for (const [id, r] of this.store) if (!this.pinned.has(id) && Date.parse(r.eventTime) < start) this.store.delete(id);
    this.stretches.dropBefore(start);
  }

  private pageOptions(signal: AbortSignal | undefined): PageOptions {
    return {
      signal,
      log: this.source.log,
      onWaiting: (waiting) => {
        if (waiting !== this.waitingValue) {
          this.waitingValue = waiting;
          this.emit('rows');
        }
      },
    };
  }

  private failed(err: unknown): void {
    const e = toError(err);
    if (e.code === 'Cancelled') {
      this.setPhase(this.store.size ? 'ready' : 'idle');
      return;
    }
    this.source.reportOutcome(e);
    if (e.code === 'NoCredentials') {
      this.source.log.info(`No AWS credentials: ${e.message}`);
      this.errorValue = undefined;
      this.setPhase('noCredentials');
      return;
    }
    this.errorValue = e;
    this.source.log.warn(`Loading events failed [${e.code}]: ${e.message}`);
    this.setPhase('error');
  }

  private clear(): void {
    this.version++;
    this.pinned.clear();
    this.neighbourhoods.clear();
    this.store.clear();
    this.query = undefined;
    this.stretches.clear();
    this.loadedFor = undefined;
  }

  private setPhase(phase: ViewPhase): void {
    if (phase === this.phaseValue) return;
    this.phaseValue = phase;
    this.emit('phase');
  }

  private emit(change: ModelChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

function toError(err: unknown): TrailLensError {
  return err instanceof TrailLensError ? err : TrailLensError.chain(err, 'Unexpected error');
}
