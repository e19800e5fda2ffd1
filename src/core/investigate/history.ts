/**
 * Resource history: the events of one resource, through LookupEvents' `ResourceName` attribute.
 * That attribute matches the name as the event's `resources` list has it, exactly — for some
 * services the ARN, for others the bare name or ID (docs/cloudtrail.md §12) — so a resource is
 * looked up under each form it may be recorded as, and the result says what each form found: a
 * form that found nothing is not "no history". Changes (write calls) come first: who changed it, when.
 */
import { TrailLensError } from '../errors';
import { lookupPages, type LookupEventsFn, type LookupProgress } from '../lookup';
import type { LookupAttribute, CloudTrailRecord } from '../record';
import type { RateLimiter } from '../limiter';
import type { Logger } from '../logger';
import type { TimeWindow } from '../time';
import { describeSearched, type SearchedQuery } from './related';

/** LookupEvents attribute values are 1–2000 characters. */
const MAX_VALUE = 2000;
const ARN = /^arn:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9-]*:\d*:.+$/;

export function isArn(value: string): boolean {
  return ARN.test(value);
}

/** The resource part of an ARN, after the service's `type/` or `type:` prefix: `key/1234` → `1234`, `arn:aws:s3:::b` → `b`. */
export function arnResourceName(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const resource = parts.slice(5).join(':');
  const last = resource.split(/[/:]/).pop();
  return last || undefined;
}

/**
 * The forms to look a resource up by: the value itself; for an ARN also its bare name; for a name
 * also every known ARN (from loaded events' `resources`) that ends in it. Each once, valid lengths only.
 */
export function resourceForms(value: string, knownArns: Iterable<string> = []): string[] {
  const v = value.trim();
  const forms = [v];
  if (isArn(v)) {
    const name = arnResourceName(v);
    if (name) forms.push(name);
  } else {
    for (const arn of knownArns) if (isArn(arn) && arnResourceName(arn) === v) forms.push(arn);
  }
  return [...new Set(forms)].filter((f) => f.length >= 1 && f.length <= MAX_VALUE);
}

export interface ResourceCandidate {
  value: string;
  /** Where in the record it is: "resources[0]", "requestParameters.backupVaultName". */
  where: string;
}

const NAME_KEY = /(Arn|ARN|Name|Id|ID|Identifier)$/;
const MAX_CANDIDATES = 30;

/**
 * Resources an event names: its `resources` ARNs, then ARNs anywhere in its parameters and
 * response, then values of parameters named like a resource (`…Name`, `…Id`, `…Arn`). Each once.
 */
export function resourceCandidates(r: CloudTrailRecord): ResourceCandidate[] {
  const out = new Map<string, ResourceCandidate>();
  const add = (value: unknown, where: string) => {
    if (typeof value !== 'string' || !value || value.length > MAX_VALUE || out.size >= MAX_CANDIDATES || out.has(value)) return;
    out.set(value, { value, where });
  };
  (Array.isArray(r.resources) ? r.resources : []).forEach((res, i) => add(res?.ARN, `resources[${i}]`));
  const walk = (node: unknown, path: string, depth: number, named: boolean) => {
    if (depth > 12 || node === null || node === undefined) return;
    if (typeof node === 'string') {
      if (isArn(node) || named) add(node, path);
      return;
    }
    if (typeof node !== 'object') return;
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}[${i}]`, depth + 1, named));
    else for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`, depth + 1, NAME_KEY.test(k));
  };
  walk(r.requestParameters, 'requestParameters', 0, false);
  walk(r.responseElements, 'responseElements', 0, false);
  return [...out.values()];
}

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

function progressOf(p: LookupProgress): string {
  return `${p.events} events, ${p.pages} pages${p.waiting ? ' · waiting — CloudTrail is throttling' : ''}`;
}

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

/** One line per form: "ResourceName = x · … · 3 events read" — a zero says that form, not the resource, had none. */
export function describeForms(result: HistoryResult): string[] {
  return result.searched.map((q) => describeSearched(q));
}
