/**
 * The Events view's data, with no `vscode` (ESLint enforces it; test/unit/eventsModel.test.ts runs it
 * in plain Node): the loaded records and the ones pinned from elsewhere, the one NextToken chain
 * (a token is only ever reused with the query that produced it), the load phases, and the noise
 * pass. eventsTree.ts turns this into rows.
 */
import { TrailLensError, isAbortError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { LookupQuery, Page } from '../../core/lookup';
import { compareNewestFirst, type CloudTrailRecord } from '../../core/record';
import type { Session } from '../session';
import { describeAttribute, isNoise, viewMessage, type NoiseRules } from './eventFormat';

export type ViewPhase = 'idle' | 'loading' | 'ready' | 'error' | 'noCredentials';

export const THROTTLED_TEXT = 'Throttled by CloudTrail — waiting and retrying…';

export interface PageOptions {
  signal?: AbortSignal;
  log: Logger;
  /** Throttling back-off started (true) or ended (false). */
  onWaiting(waiting: boolean): void;
}

/** What the model reads from and reports to: the connection, the view state and the page loader. */
export interface EventsSource {
  log: Logger;
  session(): Promise<Session>;
  /** Which account and which question the next load answers: when either changes, the view starts empty. */
  answers(): { identity: string; view: string };
  /** A fresh query for the current filter and time range. */
  query(): LookupQuery;
  fetchPage(session: Session, query: LookupQuery, token: string | undefined, opts: PageOptions): Promise<Page>;
  cachePage(session: Session, page: Page, log: Logger): Promise<void>;
  /** Each first-page outcome (undefined: it loaded), so the connection knows its health. */
  reportOutcome(error: TrailLensError | undefined): void;
  /** Runs the first page's fetch (the tree shows progress on the view). */
  progress<T>(task: () => Promise<T>): PromiseLike<T>;
}

/** `phase`: the phase changed (context keys); `rows`: what the view shows changed. */
export type ModelChange = 'phase' | 'rows';

export interface ShownEvents {
  /** Newest first: pinned records and those no noise rule hides. */
  shown: CloudTrailRecord[];
  hidden: number;
  /** The view's message line, or undefined for none. */
  message: string | undefined;
}

export class EventsModel {
  private phaseValue: ViewPhase = 'idle';
  private startedValue = false;
  private errorValue: TrailLensError | undefined;
  private olderErrorValue: TrailLensError | undefined;
  private waitingValue = false;
  private loadingOlderValue = false;
  private generation = 0;
  private controller: AbortController | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  private readonly store = new Map<string, CloudTrailRecord>();
  /** Events added from elsewhere (a request-ID jump): kept across refreshes of the same query, never hidden as noise. */
  private readonly pinned = new Set<string>();
  private query: LookupQuery | undefined;
  private nextToken: string | undefined;
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

  /** Why the last "Load older" failed. */
  get olderError(): TrailLensError | undefined {
    return this.olderErrorValue;
  }

  get waiting(): boolean {
    return this.waitingValue;
  }

  get loadingOlder(): boolean {
    return this.loadingOlderValue;
  }

  /** True when the chain has another page (the "Load older events…" row). */
  get hasOlder(): boolean {
    return this.nextToken !== undefined;
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

  /** Adds records found elsewhere (a request-ID jump): pinned, so reloads of the same question keep them. */
  addRecords(records: readonly CloudTrailRecord[]): void {
    for (const r of records) {
      this.store.set(r.eventID, r);
      this.pinned.add(r.eventID);
    }
    this.emit('rows');
  }

  /** The noise pass and the message line for the records held. */
  shown(rules: NoiseRules): ShownEvents {
    const all = this.records();
    const shown = all.filter((r) => this.pinned.has(r.eventID) || !isNoise(r, rules));
    const hidden = all.length - shown.length;
    let message: string | undefined;
    if (this.phaseValue === 'noCredentials') message = undefined;
    else if (this.waitingValue) message = THROTTLED_TEXT;
    else if (shown.length || hidden) message = viewMessage(shown, hidden, this.query?.attribute ?? this.source.query().attribute);
    return { shown, hidden, message };
  }

  /** Loads the first page for the current connection, filter and range. Never rejects. */
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
    this.waitingValue = false;
    // A page of the old query that is still loading is dropped (its generation no longer matches).
    this.loadingOlderValue = false;
    this.emit('rows');
    const run = async () => {
      try {
        const session = await this.source.session();
        if (gen !== this.generation) return;
        const query = this.source.query();
        const page = await this.source.progress(() =>
          this.source.fetchPage(session, query, undefined, this.pageOptions(controller.signal)),
        );
        if (gen !== this.generation) return;
        for (const id of [...this.store.keys()]) if (!this.pinned.has(id)) this.store.delete(id);
        for (const r of page.records) this.store.set(r.eventID, r);
        this.query = query;
        this.nextToken = page.nextToken;
        this.loadedFor = loadingFor;
        this.source.log.info(`Loaded ${page.records.length} events (${session.label}; ${describeAttribute(query.attribute) ?? 'no filter'})`);
        this.setPhase('ready');
        this.source.reportOutcome(undefined);
        void this.source.cachePage(session, page, this.source.log);
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
    this.inFlight = run();
    return this.inFlight;
  }

  /** Appends the next page of the stored query. Calls while a load runs are ignored. Never rejects. */
  loadOlder(): Promise<void> {
    if (this.loadingOlderValue || this.phaseValue === 'loading' || !this.query || !this.nextToken) return this.inFlight;
    const gen = this.generation;
    const query = this.query;
    const token = this.nextToken;
    this.loadingOlderValue = true;
    this.olderErrorValue = undefined;
    this.emit('rows');
    const signal = this.controller?.signal;
    const run = async () => {
      try {
        const session = await this.source.session();
        const page = await this.source.fetchPage(session, query, token, this.pageOptions(signal));
        if (gen !== this.generation) return;
        let added = 0;
        for (const r of page.records) {
          if (!this.store.has(r.eventID)) added++;
          this.store.set(r.eventID, r);
        }
        this.nextToken = page.nextToken;
        this.source.log.info(`Loaded ${added} older events${page.nextToken ? '' : ' (end of the time range)'}`);
        void this.source.cachePage(session, page, this.source.log);
      } catch (err) {
        if (gen !== this.generation || isAbortError(err)) return;
        this.olderErrorValue = toError(err);
        this.source.log.warn(`Loading older events failed [${this.olderErrorValue.code}]: ${this.olderErrorValue.message}`);
      } finally {
        if (gen === this.generation) {
          this.loadingOlderValue = false;
          this.waitingValue = false;
          this.emit('rows');
        }
      }
    };
    this.inFlight = run();
    return this.inFlight;
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
    this.pinned.clear();
    this.store.clear();
    this.query = undefined;
    this.nextToken = undefined;
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
