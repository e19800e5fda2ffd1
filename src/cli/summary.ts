/**
 * `trail-lens summary`: the error summary (core/errorSummary) of trail log files, or of a
 * LookupEvents window, as a table, JSON or CSV, most frequent first (hours and days in time order).
 * What was read, what was summarised and what the noise rules hid go to stderr.
 */
import type { Writable } from 'node:stream';
import { sharedLimiter } from '../core/limiter';
import { TrailLensError } from '../core/errors';
import { jsonForTerminal } from '../core/json';
import { describeQuery, type LookupProgress, type LookupQuery } from '../core/lookup';
import { scanEvents } from '../core/scan';
import { matchesAttribute } from '../core/record';
import { printable } from '../core/text';
import { formatUtc } from '../core/time';
import { builtInNoiseRules } from '../core/noise';
import { EVENT_HISTORY_MS } from '../core/limits';
import type { CloudTrailRecord } from '../core/record';
import {
  DIMENSIONS,
  ErrorSummaryBuilder,
  TIME_BUCKETS,
  type Dimension,
  noiseClassifier,
  type TimeBucket,
} from '../core/errorSummary/aggregate';
import {
  describeFilesRead,
  EXIT_SOME_INPUT_BAD,
  openSession,
  parseAttribute,
  parseMaxFileMb,
  parseWindow,
  progressLine,
  readRecordFiles,
  stderrLogger,
  type CommonArgs,
} from './commands';
import { csvCell, say } from './format';

export const SUMMARY_BY = [...DIMENSIONS, ...TIME_BUCKETS] as const;
export type SummaryBy = (typeof SUMMARY_BY)[number];
export const SUMMARY_FORMATS = ['table', 'json', 'csv'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

/** Without --start/--end/--window, LookupEvents is read this far back. */
export const DEFAULT_SUMMARY_WINDOW_MS = 7 * 24 * 3600_000;

export interface SummaryArgs {
  by?: string;
  noise?: string;
  includeServices: boolean;
  format?: string;
}

export interface SummaryOutput {
  by: SummaryBy;
  total: number;
  hidden: number;
  rows: { key: string; count: number; share: number; first?: string; last?: string }[];
  /** by caller: summarised calls by AWS services and service-linked roles, not listed. */
  excluded?: number;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new TrailLensError('InvalidInput', `${name} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

/** The checked summary options; a usage error names the bad one before anything is read. */
export function parseSummaryArgs(args: SummaryArgs): { by: SummaryBy; noise: boolean; format: SummaryFormat; includeServices: boolean } {
  return {
    by: oneOf(args.by, SUMMARY_BY, '--by', 'errorCode'),
    noise: oneOf(args.noise, ['on', 'off'] as const, '--noise', 'on') === 'on',
    format: oneOf(args.format, SUMMARY_FORMATS, '--format', 'table'),
    includeServices: args.includeServices,
  };
}

/** The noise rule `--noise on` applies: sessions of AWS service-linked roles (AWS Config's recorder and its NotFound calls). */
const CLI_NOISE_RULES = builtInNoiseRules().filter((r) => r.id === 'serviceLinkedRoles');

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function summaryOutput(builder: ErrorSummaryBuilder, by: SummaryBy): SummaryOutput {
  const s = builder.summary();
  const out: SummaryOutput = { by, total: s.total, hidden: s.hidden, rows: [] };
  if ((TIME_BUCKETS as readonly string[]).includes(by)) {
    out.rows = builder
      .timeline(by as TimeBucket, false)
      .map((p) => ({ key: p.start, count: p.count, share: round(s.total ? p.count / s.total : 0) }));
  } else {
    out.rows = builder
      .top(by as Dimension)
      .map((r) => ({ key: r.key, count: r.count, share: round(r.share), first: r.first, last: r.last }));
  }
  if (by === 'caller' && !s.includeServiceCallers) out.excluded = s.serviceCalls;
  return out;
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const shortTime = (iso: string | undefined) => (iso ? formatUtc(new Date(iso)) : '');

/** The summary as text in one of the formats; keys are made printable (they come from the events). */
export function formatSummary(out: SummaryOutput, format: SummaryFormat): string {
  const timed = out.rows.some((r) => r.first !== undefined);
  if (format === 'json') return jsonForTerminal(out, 2) + '\n';
  if (format === 'csv') {
    const header = [out.by, 'count', 'share', ...(timed ? ['first', 'last'] : [])].join(',');
    const lines = out.rows.map((r) =>
      [csvCell(r.key), String(r.count), String(r.share), ...(timed ? [r.first ?? '', r.last ?? ''] : [])].join(','),
    );
    return [header, ...lines].join('\n') + '\n';
  }
  if (!out.rows.length) return '(no failed calls)\n';
  const cells = out.rows.map((r) => [
    printable(r.key),
    String(r.count),
    percent(r.share),
    ...(timed ? [shortTime(r.first), shortTime(r.last)] : []),
  ]);
  const header = [out.by, 'count', 'share', ...(timed ? ['first', 'last'] : [])];
  const widths = header.map((h, i) => Math.min(64, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const right = new Set([1, 2]);
  const line = (c: string[]) =>
    c
      .map((v, i) => {
        const cut = v.length > widths[i] ? v.slice(0, widths[i] - 1) + '…' : v;
        return right.has(i) ? cut.padStart(widths[i]) : cut.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}

/** What the summary covered, for stderr: "194 failed calls summarised of 10502 events; 476 hidden by noise rules (…)". */
export function describeSummary(builder: ErrorSummaryBuilder, noise: boolean, by: SummaryBy): string {
  const s = builder.summary();
  const parts = [`${s.total} failed call${s.total === 1 ? '' : 's'} summarised of ${s.scanned} event${s.scanned === 1 ? '' : 's'}`];
  if (s.first && s.last) parts.push(`${formatUtc(new Date(s.first))} – ${formatUtc(new Date(s.last))}`);
  if (!noise) parts.push('noise rules off');
  else if (s.hidden) {
    const rules = Object.entries(s.hiddenByRule)
      .map(([rule, n]) => `${rule}: ${n}`)
      .join(', ');
    parts.push(`${s.hidden} hidden by noise rules (${rules}; --noise off includes them)`);
  }
  if (by === 'caller' && !s.includeServiceCallers && s.serviceCalls)
    parts.push(`${s.serviceCalls} by AWS services and service-linked roles not listed (--include-services lists them)`);
  if (s.approximate) parts.push('more distinct keys than kept: counts of rare keys are upper bounds');
  return parts.join('; ');
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
}

export async function runSummary(paths: string[], args: CommonArgs & SummaryArgs): Promise<number> {
  const opts = parseSummaryArgs(args);
  const builder = new ErrorSummaryBuilder({
    noise: opts.noise ? noiseClassifier(CLI_NOISE_RULES) : undefined,
    includeServiceCallers: opts.includeServices,
  });
  const attribute = parseAttribute(args.attribute, args.source);
  const now = new Date();
  let exit = 0;
  if (paths.length) {
    const window = parseWindow(args, now);
    const maxFileMb = parseMaxFileMb(args);
    const keep = (r: CloudTrailRecord) => {
      const t = Date.parse(r.eventTime);
      if (window && (t < window.start.getTime() || t > window.end.getTime())) return false;
      return matchesAttribute(r, attribute) && (!args.filter || args.filter.matches(r));
    };
    const read = await readRecordFiles(paths, args, maxFileMb, (records) => {
      builder.add(records.filter(keep));
      return undefined;
    });
    const only = [
      window ? describeQuery({ ...window, attribute }) : attribute ? `${attribute.key} = ${attribute.value}` : '',
      args.filter ? `filter ${args.filter.text}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    say(`Read ${describeFilesRead(read)}${only ? ` (only ${only})` : ''}`);
    if (read.bad) exit = EXIT_SOME_INPUT_BAD;
  } else {
    const window = parseWindow(args, now) ?? { start: new Date(now.getTime() - DEFAULT_SUMMARY_WINDOW_MS), end: now };
    if (now.getTime() - window.start.getTime() > EVENT_HISTORY_MS)
      say('note: LookupEvents holds the last 90 days only; older events need the trail’s files');
    const query: LookupQuery = { attribute, ...window };
    const { connection, cache } = await openSession(args);
    const feed = cache?.feed(query);
    const line = progressLine(args.progress);
    try {
      say(`Looking up ${connection.region}: ${describeQuery(query)}${args.filter ? ` · filter ${args.filter.text}` : ''}`);
      for await (const batch of scanEvents((i, sig) => connection.lookupEvents(i, sig), query, {
        limiter: sharedLimiter(connection.key),
        signal: args.signal,
        logger: stderrLogger,
        onProgress: (p: LookupProgress) =>
          line.update(
            `${p.events} events · ${p.calls} calls${p.oldest ? ` · back to ${p.oldest.toISOString()}` : ''}${p.waiting ? ' · throttled, waiting' : ''}`,
          ),
      })) {
        builder.add(args.filter ? batch.filter((r) => args.filter!.matches(r)) : batch);
        await feed?.add(batch);
      }
      await cache?.put([], { query, complete: true });
      await feed?.complete();
    } finally {
      line.done();
      await cache?.flush();
      connection.dispose();
    }
  }
  say(describeSummary(builder, opts.noise, opts.by));
  await write(process.stdout, formatSummary(summaryOutput(builder, opts.by), opts.format));
  return exit;
}
