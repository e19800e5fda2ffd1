/**
 * One page of LookupEvents for the Events view (core's lookupPages, loaded lazily with the SDK),
 * and writing fetched pages to the session's disk cache.
 */
import type { Logger } from '../../core/logger';
import type { LookupQuery, Page } from '../../core/lookup';
import { loadEngine } from '../loadEngine';
import type { Session } from '../session';
import type { PageOptions } from './eventsModel';

/** Fetches the page at `token` (the first when undefined); `onWaiting` reports throttling back-off. */
export async function fetchPage(session: Session, query: LookupQuery, token: string | undefined, opts: PageOptions): Promise<Page> {
  const { lookupPages } = await loadEngine();
  const pages = lookupPages((input, s) => session.connection.lookupEvents(input, s), query, {
    limiter: session.limiter,
    signal: opts.signal,
    logger: opts.log,
    startToken: token,
    onProgress: (p) => opts.onWaiting(p.waiting),
  });
  try {
    const first = await pages.next();
    if (first.done) return { records: [], query };
    return first.value;
  } finally {
    // One page per click: close the generator so it makes no further call.
    await pages.return(undefined);
  }
}

export async function cachePage(session: Session, page: Page, log: Logger): Promise<void> {
  if (!session.cache) return;
  try {
    // The chain ran to its end from the first page with identical parameters: the window is complete.
    await session.cache.put(page.records, page.nextToken ? undefined : { query: page.query, complete: true });
  } catch (err) {
    log.warn(`Could not write the event cache: ${err instanceof Error ? err.message : String(err)}`);
  }
}
