/**
 * Where the request IDs are in some lines of a document or terminal: core's extractRequestId per
 * line, keeping only what it accepts (a RequestToken, an ID inside an ARN, a Lambda invocation ID
 * are not underlined). No `vscode` and no I/O; the bounds keep a huge file's work small.
 */
import { extractRequestId } from '../../core/requestId';

/** Lines longer than this (minified JSON, binary) are not scanned, like the hover. */
export const MAX_LINE_LENGTH = 20_000;
/** At most this many lines are scanned per call. */
export const MAX_LINES = 2_000;

export interface RequestIdSpan {
  line: number;
  start: number;
  end: number;
  requestId: string;
}

/** Cheap test before the extractor: a UUID's first group, an S3-style 16-character ID or a request-ID label. */
const MAYBE = /[0-9a-fA-F]{8}-|[0-9A-Z]{16}|request[ _-]?id/i;

/** The request IDs in `lines` (line numbers as given), in order; lines past MAX_LINES are left alone. */
export function requestIdSpans(lines: Iterable<{ line: number; text: string }>): RequestIdSpan[] {
  const out: RequestIdSpan[] = [];
  let scanned = 0;
  for (const { line, text } of lines) {
    if (++scanned > MAX_LINES) break;
    if (text.length > MAX_LINE_LENGTH || !MAYBE.test(text)) continue;
    for (const c of extractRequestId(text).candidates) out.push({ line, start: c.start, end: c.end, requestId: c.id });
  }
  return out;
}

/** Line numbers covering `ranges` (inclusive) widened by `margin` on each side, merged, within [0, lineCount). */
export function linesAround(ranges: readonly { start: number; end: number }[], margin: number, lineCount: number): number[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: number[] = [];
  let next = 0;
  for (const r of sorted) {
    const from = Math.max(next, r.start - margin, 0);
    const to = Math.min(r.end + margin, lineCount - 1);
    for (let l = from; l <= to; l++) out.push(l);
    next = Math.max(next, to + 1);
  }
  return out;
}
