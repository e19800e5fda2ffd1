/**
 * Resource history: the events of one resource, through LookupEvents' `ResourceName` attribute.
 * That attribute matches the name as the event's `resources` list has it, exactly — for some
 * services the ARN, for others the bare name or ID (docs/cloudtrail.md §8) — so a resource is
 * looked up under each form it may be recorded as, and the result says what each form found: a
 * form that found nothing is not "no history". Changes (write calls) come first: who changed it, when.
 */
import { TrailLensError } from '../errors';
import { lookupPages, type LookupEventsFn } from '../lookup';
import type { LookupAttribute, CloudTrailRecord } from '../record';
import type { RateLimiter } from '../limiter';
import type { Logger } from '../logger';
import type { TimeWindow } from '../time';
import { resourceForms } from './resources';
import { progressOf, type SearchedQuery } from './searched';

export interface HistoryEvent {
  record: CloudTrailRecord;
  /** The forms it was found under. */
  forms: string[];
  change: boolean;
}

export interface HistoryResult {
  resource: string;
  forms: string[];
  window: TimeWindow;
  /** Changes first (newest first), then reads (newest first). */
  events: HistoryEvent[];
  /** One per form, in `forms` order. */
  searched: (SearchedQuery & { form: string })[];
}

export interface HistoryDeps {
  lookup: LookupEventsFn;
  limiter: RateLimiter;
  logger?: Logger;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface HistoryOptions {
  window: TimeWindow;
  knownArns?: Iterable<string>;
  /** Page budget per form (default 20: 1,000 events). */
  maxPages?: number;
}

export const DEFAULT_HISTORY_PAGES = 20;

export async function findResourceHistory(deps: HistoryDeps, resource: string, opts: HistoryOptions): Promise<HistoryResult> {
  const forms = resourceForms(resource, opts.knownArns);
  if (!resource.trim() || forms.length === 0) {
    throw new TrailLensError('InvalidInput', 'A resource name or ARN of 1–2000 characters is needed for a ResourceName lookup.');
  }
  const maxPages = Math.max(1, opts.maxPages ?? DEFAULT_HISTORY_PAGES);
  const found = new Map<string, HistoryEvent>();
  const searched: HistoryResult['searched'] = [];
  for (const form of forms) {
    const attribute: LookupAttribute = { key: 'ResourceName', value: form };
    const q = {
      form,
      what: `ResourceName = ${form}`,
      window: opts.window,
      pages: 0,
      events: 0,
      complete: true,
    } as HistoryResult['searched'][number];
    const pages = lookupPages(
      deps.lookup,
      { attribute, start: opts.window.start, end: opts.window.end },
      {
        limiter: deps.limiter,
        signal: deps.signal,
        logger: deps.logger,
        onProgress: (p) => deps.onProgress?.(`${q.what}: ${progressOf(p)}`),
      },
    );
    for await (const page of pages) {
      q.pages++;
      q.events += page.records.length;
      for (const r of page.records) {
        const seen = found.get(r.eventID);
        if (seen) seen.forms.push(form);
        else found.set(r.eventID, { record: r, forms: [form], change: r.readOnly !== true });
      }
      const oldest = page.records.at(-1);
      if (oldest) q.reachedBack = new Date(oldest.eventTime);
      if (page.nextToken && q.pages >= maxPages) {
        q.complete = false;
        break;
      }
    }
    searched.push(q);
  }
  const events = [...found.values()].sort(
    (a, b) => Number(b.change) - Number(a.change) || Date.parse(b.record.eventTime) - Date.parse(a.record.eventTime),
  );
  return { resource: resource.trim(), forms, window: opts.window, events, searched };
}
