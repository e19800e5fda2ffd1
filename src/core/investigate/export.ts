/**
 * Writing records out: JSON (one array), JSONL and CSV, streamed with backpressure. The CLI's
 * `--format` and the extension's "Export Shown Events" both write through here, so CSV escaping is
 * defined once (`csvCell`). CSV cells a spreadsheet would run as formulas are defused as the OWASP
 * CSV-injection guidance says (docs/cloudtrail.md §8).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { TrailLensError, throwIfAborted } from '../errors';
import { jsonForTerminal } from '../json';
import type { CloudTrailRecord } from '../record';
import { actorLabel } from '../summary';
import { printable } from '../text';

export const EXPORT_FORMATS = ['json', 'jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RecordWriter {
  /** Resolves once the output has room again (or is gone). */
  write(records: readonly CloudTrailRecord[]): Promise<void>;
  /** Closes the document (the json array); safe to call on every exit path, once or more. */
  end(): Promise<void>;
}

/** A field as text whatever CloudTrail (or a forged file) put there. */
export function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? jsonForTerminal(v) : String(v);
}

/** The CSV columns: the fields a person sorts and filters on in a spreadsheet, in this order. */
export const CSV_COLUMNS: readonly [string, (r: CloudTrailRecord) => unknown][] = [
  ['eventTime', (r) => r.eventTime],
  ['eventSource', (r) => r.eventSource],
  ['eventName', (r) => r.eventName],
  ['errorCode', (r) => r.errorCode],
  ['errorMessage', (r) => r.errorMessage],
  ['caller', actorLabel],
  ['userIdentityArn', (r) => r.userIdentity?.arn],
  ['accessKeyId', (r) => r.userIdentity?.accessKeyId],
  ['invokedBy', (r) => r.userIdentity?.invokedBy],
  ['sourceIPAddress', (r) => r.sourceIPAddress],
  ['userAgent', (r) => r.userAgent],
  ['awsRegion', (r) => r.awsRegion],
  ['readOnly', (r) => r.readOnly],
  ['requestID', (r) => r.requestID],
  ['eventID', (r) => r.eventID],
];

/** What a spreadsheet takes as the start of a formula (OWASP CSV injection): =, +, -, @, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. A cell a spreadsheet would run as a formula gets a leading `'` and is always
 * quoted (OWASP); control characters are made printable (a line break cannot start a new row); a
 * cell holding a quote or a separator (`,`, or `;` for spreadsheets that split on it) is quoted
 * with its quotes doubled (RFC 4180).
 */
export function csvCell(value: string): string {
  const formula = FORMULA_START.test(value);
  const safe = printable(formula ? `'${value}` : value);
  return formula || /[",;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvHeader(): string {
  return CSV_COLUMNS.map(([h]) => h).join(',') + '\n';
}

export function csvRow(r: CloudTrailRecord): string {
  return CSV_COLUMNS.map(([, get]) => csvCell(cellText(get(r)))).join(',') + '\n';
}

/** Writes text; resolves when the stream has room again, has failed or has closed. */
export function send(out: Writable, text: string): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.resolve();
  if (out.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('error', done);
    out.on('close', done);
  });
}

function indent(json: string): string {
  return json.replace(/^/gm, '  ');
}

/** The writer for one format; `end` closes the document but not the stream. */
export function createRecordWriter(format: ExportFormat, out: Writable): RecordWriter {
  let ended = false;
  const once = (close: () => Promise<void>) => () => {
    if (ended) return Promise.resolve();
    ended = true;
    return close();
  };
  switch (format) {
    case 'json': {
      let first = true;
      return {
        write(records) {
          let text = '';
          for (const r of records) {
            text += (first ? '[\n' : ',\n') + indent(jsonForTerminal(r, 2));
            first = false;
          }
          return text ? send(out, text) : Promise.resolve();
        },
        end: once(() => send(out, first ? '[]\n' : '\n]\n')),
      };
    }
    case 'jsonl':
      return {
        write: (records) => (records.length ? send(out, records.map((r) => jsonForTerminal(r) + '\n').join('')) : Promise.resolve()),
        end: once(async () => {}),
      };
    case 'csv': {
      let header = false;
      const head = () => {
        if (header) return '';
        header = true;
        return csvHeader();
      };
      return {
        write: (records) => send(out, head() + records.map(csvRow).join('')),
        end: once(() => (header ? Promise.resolve() : send(out, head()))),
      };
    }
  }
}

/** The format a file name asks for (`.csv`, `.jsonl`/`.ndjson`, else json). */
export function formatForPath(path: string): ExportFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return 'json';
}

export interface ExportOptions {
  signal?: AbortSignal;
  /** After each batch: records written so far. */
  onProgress?: (written: number) => void;
  /** Records per write (default 500). */
  batch?: number;
}

/**
 * Streams the records to `path` in `format`. On cancel or failure the partial file is removed, so
 * a file that exists is a whole export. Resolves to the number of records written.
 */
export async function exportRecords(
  path: string,
  format: ExportFormat,
  records: readonly CloudTrailRecord[],
  opts: ExportOptions = {},
): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let failure: Error | undefined;
  out.on('error', (err) => (failure ??= err));
  const writer = createRecordWriter(format, out);
  const batch = Math.max(1, opts.batch ?? 500);
  let written = 0;
  try {
    for (let i = 0; i < records.length; i += batch) {
      throwIfAborted(opts.signal);
      const part = records.slice(i, i + batch);
      await writer.write(part);
      if (failure) throw failure;
      written += part.length;
      opts.onProgress?.(written);
    }
    throwIfAborted(opts.signal);
    await writer.end();
    await new Promise<void>((resolve, reject) => {
      out.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (failure) throw failure;
    return written;
  } catch (err) {
    out.destroy();
    await rm(path, { force: true }).catch(() => undefined);
    if (err instanceof TrailLensError) throw err;
    throw TrailLensError.chain(err, `Could not write ${path}`);
  }
}
