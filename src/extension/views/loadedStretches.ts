/**
 * The Events view's bookkeeping of what time is loaded and how to load the rest, with no `vscode`
 * (ESLint enforces it; the model runs in plain Node): the stretches read completely (oldest first,
 * merged), the gaps between them within the span the view answers for, and the NextToken chains
 * that stopped at a page boundary. A token is only ever reused with the query that produced it: a
 * gap that starts where a chain stopped continues that chain, any other gets a chain of its own.
 * The records themselves, and the load phases, are eventsModel.ts's.
 */
import type { LookupQuery } from '../../core/lookup';
import { DELIVERY_LAG_MS } from '../../core/limits';
import { addInterval, clip, covers, gapsIn, type Interval } from './timeline';

/** How far either side of an event added from elsewhere its neighbourhood reaches. */
export const NEIGHBOURHOOD_MS = 15 * 60_000;

/** One NextToken chain: its query, the token for its next page, and the oldest time it has reached. */
export interface Chain {
  query: LookupQuery;
  token: string | undefined;
  reached: number;
}

export class LoadedStretches {
  /** The stretches of time loaded, oldest first. */
  private covered: Interval[] = [];
  /** Chains that stopped at a page boundary; a gap that starts where one stopped continues it. */
  private chains: Chain[] = [];

  /** True once any stretch is loaded. */
  get any(): boolean {
    return this.covered.length > 0;
  }

  /**
   * The window a load of `query` reads first: all of it when nothing is loaded, else only what is
   * new at the top (from the delivery lag before the newest loaded time).
   */
  firstWindow(query: LookupQuery): LookupQuery {
    const top = this.covered.length ? Math.max(...this.covered.map((c) => c.end)) : undefined;
    const from = top === undefined ? query.start.getTime() : Math.max(query.start.getTime(), top - DELIVERY_LAG_MS);
    return { ...query, start: new Date(Math.min(from, query.end.getTime())) };
  }

  /** The whole time the view answers for: the query's window, widened by stretches outside it. */
  span(query: LookupQuery | undefined): Interval | undefined {
    if (!query) return undefined;
    const starts = [query.start.getTime(), ...this.covered.map((c) => c.start)];
    const ends = [query.end.getTime(), ...this.covered.map((c) => c.end)];
    return { start: Math.min(...starts), end: Math.max(...ends) };
  }

  /** The stretches loaded, newest first. */
  loaded(): Interval[] {
    return [...this.covered].reverse().map((c) => ({ ...c }));
  }

  /** The stretches of `span` not loaded, newest first. */
  gaps(span: Interval | undefined): Interval[] {
    return span ? gapsIn(span.start, span.end, this.covered) : [];
  }

  /** The gap of the span that starts at `start` (ms), if it is not loaded yet. */
  gapFrom(query: LookupQuery | undefined, start: number | undefined): Interval | undefined {
    return this.gaps(this.span(query)).find((g) => g.start === start);
  }

  /** The time older than everything loaded, while some is still to load (the "Load older events…" row). */
  oldestGap(query: LookupQuery | undefined): Interval | undefined {
    return this.gapFrom(query, this.span(query)?.start);
  }

  covers(t: number): boolean {
    return covers(this.covered, t);
  }

  /**
   * The part of the neighbourhood of an event at `t` not loaded yet: it stops where a loaded
   * stretch begins, and does not reach past the query's end or `t`, whichever is later.
   */
  neighbourhood(t: number, query: LookupQuery | undefined): Interval | undefined {
    const end = Math.min(t + NEIGHBOURHOOD_MS, Math.max(query?.end.getTime() ?? t, t));
    return gapsIn(t - NEIGHBOURHOOD_MS, end, this.covered).find((g) => g.start <= t && t <= g.end);
  }

  /** The chain that stopped at the gap's end, if one did; else a new chain over the gap for `query`'s question. */
  chainFor(gap: Interval, query: LookupQuery): Chain {
    return (
      this.chains.find((c) => c.token && c.reached === gap.end && c.query.start.getTime() <= gap.start) ?? {
        query: { ...query, start: new Date(gap.start), end: new Date(gap.end) },
        token: undefined,
        reached: gap.end,
      }
    );
  }

  /** True while the chain can read on (its last page had a NextToken). */
  goesOn(chain: Chain): boolean {
    return this.chains.includes(chain);
  }

  /**
   * Records a page of `chain`: with a NextToken, the time from the page's oldest event up to where
   * the chain was is loaded and the chain goes on; without, the rest of the chain's query is loaded.
   */
  advance(chain: Chain, times: readonly number[], nextToken: string | undefined): void {
    this.chains = this.chains.filter((c) => c !== chain);
    if (nextToken) {
      // Loaded from the oldest event of the page up to where the chain was.
      if (times.length) {
        const oldest = Math.min(...times);
        this.covered = addInterval(this.covered, { start: oldest, end: chain.reached });
        chain.reached = oldest;
      }
      chain.token = nextToken;
      this.chains.push(chain);
    } else {
      this.covered = addInterval(this.covered, { start: chain.query.start.getTime(), end: chain.reached });
    }
  }

  /** Forgets what is before `start` (a relative range moved on). */
  dropBefore(start: number): void {
    const keep = this.covered.filter((c) => c.end >= start);
    this.covered = clip(keep, start, Number.POSITIVE_INFINITY);
    this.chains = this.chains.filter((c) => c.reached > start);
  }

  clear(): void {
    this.covered = [];
    this.chains = [];
  }
}
