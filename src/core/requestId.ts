/**
 * Finds the CloudTrail request ID in arbitrary text: a CloudFormation status reason, an SDK error,
 * a CLI --debug dump, a log line (docs/cloudtrail.md §7). Pure functions; no I/O.
 *
 * Decisions:
 * - A UUID anywhere is a candidate; a label such as `Request ID:` only raises its rank. A 16-character
 *   S3 ID (`[0-9A-Z]{16}`) or any other shape (DynamoDB's 52-character IDs) counts only when labelled
 *   or when it is the whole text: a bare 16-uppercase token in prose is too often something else.
 * - IDs whose label says they are something else (RequestToken, Lambda START/END/REPORT, eventID,
 *   x-amz-id-2, creatorRequestId, a UUID inside an ARN or under a foreign JSON key …) are never
 *   candidates; they are reported in `rejected` with the reason, so the UI can explain a wrong click.
 * - Case: CloudTrail stores UUID request IDs lower-case and S3 IDs upper-case, so normalizeRequestId
 *   folds to those; compare with sameRequestId, which ignores case for UUIDs and S3 IDs only.
 *
 * The shapes and the label table are requestIdRules.ts's; this module reads text with them, judges
 * a bare UUID by what surrounds it, and chooses among the candidates.
 */
import { cleanText, describeInvisible, type InvisibleChar } from './invisible';
import {
  API_GATEWAY,
  COMPILED,
  CUSTOM_RESOURCE,
  FOREIGN_KEY,
  LAMBDA_INVOCATION,
  NOT_AN_ID,
  OTHER_AWS_ID,
  S3,
  S3_EXTENDED,
  S3_STRIPPED,
  sameEverywhere,
  UUID,
  UUID_IN_TEXT,
} from './requestIdRules';
import { spanSet } from './spans';

export type RequestIdFormat = 'uuid' | 's3' | 'other';

export interface RequestIdMatch {
  id: string;
  format: RequestIdFormat;
  start: number;
  end: number;
  /** The label as written: 'Request ID', 'RequestId', 'x-amzn-RequestId', 'requestID'. Absent for a bare ID. */
  label?: string;
}

export interface RejectedId {
  id: string;
  label: string;
  reason: string;
  start: number;
  end: number;
}

/** An ID that could be a request ID but was not the one chosen, and why. */
export interface SetAsideId {
  id: string;
  label?: string;
  reason: string;
  start: number;
  end: number;
}

export interface Extraction {
  match?: RequestIdMatch;
  candidates: RequestIdMatch[];
  rejected: RejectedId[];
  /** The other candidates, each with why the match was preferred to it (empty without a match). */
  setAside: SetAsideId[];
  /** Invisible characters removed from the text before reading it (offsets in the text as given). */
  invisible: InvisibleChar[];
}

interface Occurrence {
  kind: 'accept' | 'reject';
  id: string;
  start: number;
  end: number;
  /** Where the label begins; equals start for a bare ID. */
  labelStart: number;
  label?: string;
  reason?: string;
  format?: RequestIdFormat;
  score: number;
}

/** Trims quotes, brackets and punctuation; lower-cases UUIDs and upper-cases S3 IDs (as CloudTrail stores them). */
export function normalizeRequestId(id: string): string {
  const t = id.trim().replace(/^[\s"'`([{<,;:.]+|[\s"'`)\]}>,;:.]+$/g, '');
  if (UUID.test(t)) return t.toLowerCase();
  if (/^(?:[0-9A-Z]{16}|[0-9a-z]{16})$/.test(t) && /[0-9]/.test(t)) return t.toUpperCase();
  return t;
}

/** The format of a bare ID typed or selected by a person; undefined when it is not a plausible request ID. */
export function classifyRequestId(id: string): RequestIdFormat | undefined {
  const n = normalizeRequestId(id);
  if (UUID.test(n)) return 'uuid';
  if (S3.test(n)) return 's3';
  if (NOT_AN_ID.test(n) || OTHER_AWS_ID.test(n)) return undefined;
  if (/^[A-Za-z0-9][A-Za-z0-9_-]{15,199}$/.test(n) && /[0-9]/.test(n) && /[A-Za-z]/.test(n)) return 'other';
  return undefined;
}

/** True when two request IDs are the same; UUIDs and S3 IDs compare without case. */
export function sameRequestId(a: string, b: string): boolean {
  return normalizeRequestId(a) === normalizeRequestId(b);
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The `max` characters before `at`, cut at the start of at's line. Bounded: a huge one-line text stays linear. */
function lineBefore(text: string, at: number, max: number): string {
  const slice = text.slice(Math.max(0, at - max), at);
  return slice.slice(slice.lastIndexOf('\n') + 1);
}

const DELIMITER = new Set([...' \t\r\n"\'`,()[]{}<>']);

/**
 * How surely the text just before `at` (on its line) makes what follows the failing call's request
 * ID: 100 inside the SDK error's `(Service: …)`, 95 after Go's `operation error …, response error`;
 * undefined elsewhere.
 */
export function failingCallRank(text: string, at: number): 100 | 95 | undefined {
  const before = lineBefore(text, at, 400);
  if (/\(Service:[^()]*$/.test(before)) return 100;
  if (/operation error [^,]*,[^,]*response error/.test(before)) return 95;
  return undefined;
}

/** Score of an accepted, labelled ID: the downstream `Request ID:` inside `(Service: …)` ranks first. */
function labelledScore(text: string, labelStart: number): number {
  return failingCallRank(text, labelStart) ?? 80;
}

/** Why a bare UUID is not a request ID, judging by what surrounds it; undefined when nothing does. */
function bareContext(text: string, start: number, end: number): { label: string; reason: string } | undefined {
  let tokenStart = start;
  const limit = Math.max(0, start - 2048); // ARNs are far shorter; bounds the work in a huge unbroken token
  while (tokenStart > limit && !DELIMITER.has(text[tokenStart - 1])) tokenStart--;
  const token = text.slice(tokenStart, end);
  if (/^arn:/i.test(token))
    return { label: 'ARN', reason: `part of an ARN (${token.slice(0, 80)}), which names a resource, not a request` };
  if (tokenStart < start && text[start - 1] === '/') return { label: 'path', reason: 'part of a path or URL, not a request ID' };
  const before = lineBefore(text, start, 80);
  const after = text.slice(end, end + 24);
  // Node/Python runtimes prefix each line with "<time>\t<invocation id>\t<level>"; copies turn the tabs into
  // spaces; timeouts read "<time> <id> Task timed out"; Python's logger writes "[ERROR]\t<time>\t<id>\t…".
  if (/\d{2}(?:\.\d+)?Z[\t ]+$/.test(before)) {
    if (
      after[0] === '\t' ||
      /^\s+(?:INFO|ERROR|WARN|WARNING|DEBUG|TRACE|FATAL|Task timed out)\b/.test(after) ||
      /^\[(?:ERROR|INFO|WARNING|DEBUG|CRITICAL)\]\s+\S+Z\s+$/.test(before)
    ) {
      return { label: 'Lambda log prefix', reason: `${LAMBDA_INVOCATION} (the runtime's log-line prefix)` };
    }
  }
  // API Gateway execution logs: "(<request id>) Starting execution for request: <request id>".
  if ((text[start - 1] === '(' && text[end] === ')' && /^\s*\($/.test(before)) || /\bfor request:\s*$/.test(before)) {
    return { label: 'API Gateway execution log', reason: API_GATEWAY };
  }
  // CloudFormation, when a custom resource does not answer: "Please check your logs for requestId [<id>]".
  if (/logs for requestId \[$/i.test(before)) return { label: 'requestId [ ]', reason: CUSTOM_RESOURCE };
  // The Lambda console's Test result: a "Request ID" heading over the invocation ID.
  if (
    before === '' &&
    /(?:^|\n)[ \t]*Request ID[ \t]*\r?\n[ \t]*$/.test(text.slice(Math.max(0, start - 40), start)) &&
    lambdaConsole(text)
  ) {
    return { label: 'Request ID (Lambda console test result)', reason: `${LAMBDA_INVOCATION} (the console's test result)` };
  }
  // Cheap test first: a key needs a ':' or '=' right before the value.
  let key: RegExpExecArray | null = null;
  if (/[:=]\s*["']?$/.test(before.slice(-8))) {
    key =
      /(["'])([A-Za-z_$][\w$.-]{0,60})\1\s*[:=]\s*["']?$/.exec(before) ??
      /(?<![\w$.-])()([A-Za-z_$][\w$.-]{0,60})\s*[:=]\s*["']?$/.exec(before);
  }
  if (key && (key[1] || FOREIGN_KEY.test(key[2]))) {
    return { label: key[2], reason: `the value of "${key[2]}", not a request ID` };
  }
  return undefined;
}

/** The Lambda console's test-result panel, once per text (memoised: bareContext asks per UUID). */
let consoleMemo: { text: string; yes: boolean } | undefined;
function lambdaConsole(text: string): boolean {
  if (consoleMemo?.text !== text) consoleMemo = { text, yes: /Function Logs|Test Event Name|Execution result/.test(text) };
  return consoleMemo.yes;
}

function collect(text: string): Occurrence[] {
  const occ: Occurrence[] = [];
  for (const { rule, re } of COMPILED) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const raw = m[2];
      const start = m.index + m[0].length - raw.length;
      const id = raw.replace(/[-_]+$/, '');
      if (NOT_AN_ID.test(id)) continue;
      const label = m[1];
      const lineBeforeLabel = rule.reject || /^RequestId$/.test(label) ? lineBefore(text, m.index, 400) : '';
      if (rule.reject && !rule.acceptAfter?.test(lineBeforeLabel)) {
        occ.push({ kind: 'reject', id, start, end: start + id.length, labelStart: m.index, label, reason: rule.reject, score: 0 });
        continue;
      }
      const format = classifyRequestId(id);
      if (!format) continue;
      // cfn-response and similar helpers: "See the details in CloudWatch Log Stream: <stream> (RequestId: <id>)".
      if (/See the details in CloudWatch Log Stream|Message returned:/.test(lineBeforeLabel)) {
        occ.push({ kind: 'reject', id, start, end: start + id.length, labelStart: m.index, label, reason: CUSTOM_RESOURCE, score: 0 });
        continue;
      }
      // "RequestId: <id> Error: Runtime exited …" and similar Lambda platform lines.
      if (/^\s+(?:Error: Runtime|Version: \$LATEST|Duration: )/.test(text.slice(start + id.length, start + id.length + 30))) {
        occ.push({ kind: 'reject', id, start, end: start + id.length, labelStart: m.index, label, reason: LAMBDA_INVOCATION, score: 0 });
        continue;
      }
      occ.push({
        kind: 'accept',
        id,
        start,
        end: start + id.length,
        labelStart: m.index,
        label,
        format,
        score: rule.reject ? 90 : labelledScore(text, m.index),
      });
    }
  }
  S3_STRIPPED.lastIndex = 0;
  for (let m = S3_STRIPPED.exec(text); m; m = S3_STRIPPED.exec(text)) {
    if (!/[0-9]/.test(m[1]) || !/[A-Z]/.test(m[1])) continue;
    const start = m.index;
    const host = start + m[1].length;
    occ.push({
      kind: 'accept',
      id: m[1],
      start,
      end: host,
      labelStart: start,
      label: 'S3 error body without its tags',
      format: 's3',
      score: 70,
    });
    occ.push({
      kind: 'reject',
      id: m[2],
      start: host,
      end: host + m[2].length,
      labelStart: host,
      label: 'HostId (tags stripped)',
      reason: S3_EXTENDED,
      score: 0,
    });
  }
  // One occurrence per token: the longest label (earliest labelStart) decides what it is.
  const byStart = new Map<number, Occurrence>();
  for (const o of occ) {
    const prev = byStart.get(o.start);
    if (!prev || o.labelStart < prev.labelStart) byStart.set(o.start, o);
  }
  const out = [...byStart.values()].sort((a, b) => a.start - b.start);
  const labelled = spanSet();
  for (const o of out) labelled.add(o.start, o.end);

  UUID_IN_TEXT.lastIndex = 0;
  for (let m = UUID_IN_TEXT.exec(text); m; m = UUID_IN_TEXT.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (labelled.overlaps(start, end)) continue;
    const near = lineBefore(text, start, 40);
    const spaced = /(?:id|is|was)\s+$/i.test(near) ? /(?<![A-Za-z0-9_])(request[ _-]?id)\s+(?:is\s+|was\s+)?$/i.exec(near) : null;
    if (spaced) {
      out.push({ kind: 'accept', id: m[0], start, end, labelStart: start - spaced[0].length, label: spaced[1], format: 'uuid', score: 60 });
      continue;
    }
    const ctx = bareContext(text, start, end);
    if (ctx) out.push({ kind: 'reject', id: m[0], start, end, labelStart: start, label: ctx.label, reason: ctx.reason, score: 0 });
    else out.push({ kind: 'accept', id: m[0], start, end, labelStart: start, format: 'uuid', score: 20 });
  }

  // A selection that is exactly one ID of another shape (S3, DynamoDB): the person chose it.
  if (!out.some((o) => o.kind === 'accept') && text.length <= 256) {
    const m = /^[\s"'`([{<]*([A-Za-z0-9][A-Za-z0-9_-]*)[\s"'`)\]}>,;:.]*$/.exec(text);
    const format = m ? classifyRequestId(m[1]) : undefined;
    if (m && format) {
      const start = text.indexOf(m[1]);
      out.push({ kind: 'accept', id: m[1], start, end: start + m[1].length, labelStart: start, format, score: 50 });
    }
  }
  // An ID that is a Lambda invocation, API Gateway or custom-resource request ID on one line is one on every line.
  const known = new Map<string, Occurrence>();
  for (const o of out) if (o.kind === 'reject' && o.reason && sameEverywhere(o.reason)) known.set(normalizeRequestId(o.id), o);
  if (known.size > 0) {
    for (const o of out) {
      const k = o.kind === 'accept' ? known.get(normalizeRequestId(o.id)) : undefined;
      if (!k) continue;
      o.kind = 'reject';
      o.reason = `${k.reason} — the same ID stands as ${k.label ?? 'that'} elsewhere in the text`;
      o.label ??= k.label;
      o.score = 0;
    }
  }
  // Java v1's legacy message is logged once per attempt: the last AWS Request ID is the try whose error surfaced.
  const tries = out.filter((o) => o.kind === 'accept' && o.label === 'AWS Request ID');
  if (tries.length > 1) tries[tries.length - 1].score += 1;
  return out.sort((a, b) => a.start - b.start);
}

function toMatch(o: Occurrence): RequestIdMatch {
  const match: RequestIdMatch = { id: normalizeRequestId(o.id), format: o.format ?? 'other', start: o.start, end: o.end };
  if (o.label !== undefined) match.label = o.label;
  return match;
}

function distance(o: Occurrence, cursor: number): number {
  if (cursor >= o.labelStart && cursor <= o.end) return 0;
  return cursor < o.labelStart ? o.labelStart - cursor : cursor - o.end;
}

/**
 * Picks the request ID in `text`. With a cursor (an offset into text): the ID the cursor is on (its label
 * counts), else the nearest labelled ID on the cursor's line, else the nearest ID anywhere; a cursor on a
 * rejected ID gives no match and the reason in `rejected[0]`. Without a cursor: the downstream
 * `Request ID:` inside `(Service: …)` first, then other labelled IDs, then bare UUIDs, in document order.
 */
export function extractRequestId(given: string, givenCursor?: number): Extraction {
  // Offsets are read on the cleaned text and given back in the text as given (editor positions).
  const clean = cleanText(given);
  const text = clean.text;
  const cursor = givenCursor === undefined ? undefined : clean.toClean(givenCursor);
  const ex = extractClean(text, cursor);
  if (clean.removed.length === 0) return ex;
  const span = <T extends { start: number; end: number }>(x: T): T => ({
    ...x,
    start: clean.toOriginal(x.start),
    end: clean.toOriginal(x.end, true),
  });
  return {
    ...(ex.match ? { match: span(ex.match) } : {}),
    candidates: ex.candidates.map(span),
    rejected: ex.rejected.map(span),
    setAside: ex.setAside.map(span),
    invisible: clean.removed,
  };
}

/**
 * For a person, when invisible characters were removed: "Removed 1 invisible character from the text:
 * U+200B ZERO WIDTH SPACE at offset 22 (inside the request ID)". At most 5 are named.
 */
export function describeInvisibleRemoved(ex: Extraction): string | undefined {
  const n = ex.invisible.length;
  if (n === 0) return undefined;
  const inside = (at: number) => (ex.match && at >= ex.match.start && at < ex.match.end ? ' (inside the request ID)' : '');
  const named = ex.invisible.slice(0, 5).map((c) => `${describeInvisible(c)} at offset ${c.at}${inside(c.at)}`);
  const more = n > 5 ? `, and ${n - 5} more` : '';
  return `Removed ${n} invisible character${n === 1 ? '' : 's'} from the text: ${named.join(', ')}${more}`;
}

/** One line per set-aside ID, for a person: "Set aside 1b6d… (AWS Request ID): an earlier attempt: …". At most `max`. */
export function describeSetAside(ex: Extraction, max = 3): string[] {
  const lines = ex.setAside.slice(0, max).map((s) => `Set aside ${s.id}${s.label ? ` (${s.label})` : ''}: ${s.reason}`);
  if (ex.setAside.length > max) lines.push(`… and ${ex.setAside.length - max} more`);
  return lines;
}

function extractClean(text: string, cursor: number | undefined): Extraction {
  const all = collect(text);
  const accepted = all.filter((o) => o.kind === 'accept');
  let rejected = all.filter((o) => o.kind === 'reject');
  let chosen: Occurrence | undefined;
  let onRejected: Occurrence | undefined;

  if (cursor === undefined) {
    chosen = [...accepted].sort((a, b) => b.score - a.score || a.start - b.start)[0];
  } else {
    const onToken = (o: Occurrence) => cursor >= o.start && cursor <= o.end;
    const onLabel = (o: Occurrence) => cursor >= o.labelStart && cursor <= o.end;
    chosen = accepted.find(onToken);
    onRejected = chosen ? undefined : rejected.find(onToken);
    if (!chosen && !onRejected) chosen = accepted.find(onLabel);
    if (!chosen && !onRejected) onRejected = rejected.find(onLabel);
    if (!chosen && !onRejected) {
      const from = lineStart(text, cursor);
      const nl = text.indexOf('\n', cursor);
      const to = nl < 0 ? text.length : nl;
      const near = (list: Occurrence[]) => [...list].sort((a, b) => distance(a, cursor) - distance(b, cursor) || b.score - a.score)[0];
      chosen = near(accepted.filter((o) => o.score >= 60 && o.start >= from && o.end <= to)) ?? near(accepted);
    }
    if (onRejected) rejected = [onRejected, ...rejected.filter((r) => r !== onRejected)];
  }

  // Candidates: one per distinct ID, the chosen occurrence first, then by rank (or by nearness to the cursor).
  const order =
    cursor === undefined
      ? (a: Occurrence, b: Occurrence) => b.score - a.score || a.start - b.start
      : (a: Occurrence, b: Occurrence) => distance(a, cursor) - distance(b, cursor) || b.score - a.score;
  const seen = new Set<string>();
  const candidates: RequestIdMatch[] = [];
  const setAside: SetAsideId[] = [];
  const match = onRejected || !chosen ? undefined : chosen;
  for (const o of chosen ? [chosen, ...[...accepted].sort(order)] : [...accepted].sort(order)) {
    const key = normalizeRequestId(o.id);
    if (seen.has(key)) continue;
    seen.add(key);
    candidates.push(toMatch(o));
    if (match && o !== match) setAside.push({ ...toMatch(o), reason: whySetAside(o, match, cursor) });
  }
  return {
    match: match ? toMatch(match) : undefined,
    candidates,
    setAside,
    rejected: rejected.map((r) => ({ id: r.id, label: r.label ?? '', reason: r.reason ?? '', start: r.start, end: r.end })),
    invisible: [],
  };
}

/** Why `o` was not taken when `chosen` was: for the person who wonders why the jump searched another ID. */
function whySetAside(o: Occurrence, chosen: Occurrence, cursor: number | undefined): string {
  if (o.label === 'AWS Request ID' && chosen.label === 'AWS Request ID') {
    return o.start < chosen.start
      ? "an earlier attempt: the SDK logs one AWS Request ID per try, and the last try's is the error it reported"
      : 'a later attempt logged after the error that was reported';
  }
  if (cursor !== undefined && distance(o, cursor) > distance(chosen, cursor)) return 'farther from the cursor';
  if (o.score < chosen.score) {
    if (o.label === undefined) return 'a bare ID with no label; a labelled request ID ranks first';
    if (chosen.score >= 95) return "labelled, but outside the SDK error that names the failing call ((Service: …) or Go's operation error)";
    return `labelled "${o.label}", which ranks below "${chosen.label ?? 'the chosen ID'}"`;
  }
  return 'the same rank as the chosen ID, which comes first in the text';
}
