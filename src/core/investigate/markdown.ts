/**
 * Evidence for a ticket: an event, a comparison or a related-events timeline as Markdown. Every
 * field of a record is attacker-controlled (a user agent, an error message, a bucket name), so
 * nothing from a record is ever written as Markdown syntax: text goes into inline code spans (never
 * parsed for links, emphasis or HTML, and never auto-linked), JSON into a fenced block whose fence
 * is longer than any backtick run inside it. Only the console link is built by us, from a Region
 * and an event ID that must look like one (docs/cloudtrail.md §8).
 */
import { toJson } from '../json';
import type { CloudTrailRecord } from '../record';
import { actorLabel } from '../summary';
import { oneLine } from '../text';

/** Parameters longer than this are cut in the snippet, saying how much was left out. */
export const MAX_SNIPPET_CHARS = 4000;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

/** The longest run of backticks in `text`. */
function longestTicks(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/`+/g)) max = Math.max(max, m[0].length);
  return max;
}

/**
 * Text from a record as one inline code span: one line, bounded, fenced with more backticks than
 * it holds (padded when it starts or ends with one). Empty text is "(none)", in plain words.
 */
export function mdCode(value: unknown, max = 300): string {
  const text = oneLine(typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value), max);
  if (!text) return '(none)';
  const fence = '`'.repeat(longestTicks(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced JSON block whose fence no line inside can close. */
export function mdJson(value: unknown, max = MAX_SNIPPET_CHARS): string {
  const json = toJson(value, 2) ?? 'null';
  const body = json.length > max ? `${json.slice(0, max)}\n… (${json.length - max} more characters not shown)` : json;
  const fence = '`'.repeat(Math.max(3, longestTicks(body) + 1));
  return `${fence}json\n${body}\n${fence}`;
}

/**
 * The CloudTrail console's page for the event (its Event history details), or undefined when the
 * Region or event ID does not look like one (a forged file) or the partition is not the `aws` one.
 */
export function consoleUrl(record: CloudTrailRecord, region = record.awsRegion): string | undefined {
  if (typeof region !== 'string' || !REGION.test(region) || /^(cn|us-gov|us-iso)/.test(region)) return undefined;
  if (typeof record.eventID !== 'string' || !EVENT_ID.test(record.eventID)) return undefined;
  return `https://${region}.console.aws.amazon.com/cloudtrailv2/home?region=${region}#/events/${encodeURIComponent(record.eventID)}`;
}

function field(label: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return `- **${label}:** ${mdCode(value)}`;
}

/** The title line of an event: its name and time, as code (both come from the record). */
function eventHeading(r: CloudTrailRecord): string {
  return `${mdCode(r.eventName, 120)} at ${mdCode(r.eventTime, 40)}`;
}

function consoleLine(r: CloudTrailRecord, region?: string): string {
  const url = consoleUrl(r, region);
  return url
    ? `- **CloudTrail console:** [open this event](${url})`
    : `- **CloudTrail console:** no link (look up EventId ${mdCode(r.eventID)} in Event history)`;
}

export interface EventMarkdownOptions {
  /** The Region the event was read from, when the record lacks awsRegion. */
  region?: string;
  /** Heading level for the event's title (default 3). */
  level?: number;
}

/** The key fields of one event, its error, and its parameters (and response, when it has one) as JSON. */
export function eventMarkdown(r: CloudTrailRecord, opts: EventMarkdownOptions = {}): string {
  const level = '#'.repeat(Math.min(6, Math.max(1, opts.level ?? 3)));
  const lines = [
    `${level} ${r.errorCode ? 'Failed call' : 'Call'}: ${eventHeading(r)}`,
    '',
    field('Event source', r.eventSource),
    field('Error code', r.errorCode),
    field('Error message', r.errorMessage),
    field('Caller', actorLabel(r)),
    field('Identity ARN', r.userIdentity?.arn),
    field('Access key', r.userIdentity?.accessKeyId),
    field('Invoked by', r.userIdentity?.invokedBy),
    field('Source IP', r.sourceIPAddress),
    field('User agent', r.userAgent),
    field('Region', r.awsRegion ?? opts.region),
    field('Request ID', r.requestID),
    field('Event ID', r.eventID),
    consoleLine(r, opts.region),
    '',
    '**Request parameters**',
    '',
    mdJson(r.requestParameters ?? null),
  ].filter((l): l is string => l !== undefined);
  if (r.responseElements !== undefined && r.responseElements !== null) {
    lines.push('', '**Response elements**', '', mdJson(r.responseElements));
  }
  return lines.join('\n') + '\n';
}

/** Two events one after the other, and the top-level fields where they differ. */
export function comparisonMarkdown(
  a: CloudTrailRecord,
  b: CloudTrailRecord,
  differing: readonly string[],
  opts: EventMarkdownOptions = {},
) {
  const lines = [
    `## Comparison: ${eventHeading(a)} and ${eventHeading(b)}`,
    '',
    differing.length ? `Fields that differ: ${differing.map((p) => mdCode(p, 120)).join(', ')}` : 'The two records are identical.',
    '',
    eventMarkdown(a, { ...opts, level: 3 }),
    eventMarkdown(b, { ...opts, level: 3 }),
  ];
  return lines.join('\n');
}

export interface TimelineEntry {
  record: CloudTrailRecord;
  /** The event the timeline is about. */
  self?: boolean;
  /** Why it is on the timeline ("same access key", "ResourceName = …"). */
  why: readonly string[];
}

/**
 * A timeline as a Markdown list, oldest first (as a postmortem reads), the event itself in bold,
 * then what was searched — so the ticket says how complete the list is. `heading` is our own text;
 * `subject` (an event's title, a resource name) comes from a record and is written as code.
 */
export function timelineMarkdown(
  heading: string,
  subject: string,
  entries: readonly TimelineEntry[],
  searched: readonly string[],
  focus?: CloudTrailRecord,
) {
  const sorted = [...entries].sort((x, y) => Date.parse(x.record.eventTime) - Date.parse(y.record.eventTime));
  const lines = [`## ${heading} ${mdCode(subject, 200)}`, ''];
  for (const e of sorted) {
    const r = e.record;
    const what = [mdCode(r.eventTime, 40), mdCode(r.eventName, 120), mdCode(r.eventSource, 80), mdCode(actorLabel(r), 120)];
    if (r.errorCode) what.push(`failed with ${mdCode(r.errorCode, 80)}`);
    const why = e.why.length ? ` — ${e.why.map((w) => mdCode(w, 200)).join(', ')}` : '';
    lines.push(e.self ? `- **${what.join(' · ')} ← this event**` : `- ${what.join(' · ')}${why}`);
  }
  if (!sorted.length) lines.push('- (no events found)');
  lines.push('', '**What was searched**', '', ...searched.map((s) => `- ${mdCode(s, 500)}`));
  if (focus) lines.push('', eventMarkdown(focus, { level: 3 }));
  return lines.join('\n') + '\n';
}
