/** Output writers for the CLI (json, jsonl, csv, an aligned table), streamed with backpressure. */
import type { Writable } from 'node:stream';
import { jsonForTerminal } from '../core/json';
import type { CloudTrailRecord } from '../core/record';
import { actorLabel } from '../core/summary';
import { printable, printableLines } from '../core/text';

export const FORMATS = ['json', 'jsonl', 'csv', 'table'] as const;
export type Format = (typeof FORMATS)[number];

export interface RecordWriter {
  /** Resolves once the output has room again (or is gone). */
  write(records: readonly CloudTrailRecord[]): Promise<void>;
  /** Closes the document (the json array); safe to call on every exit path, once or more. */
  end(): Promise<void>;
}

/** A line or lines for stderr; text from outside in it is made printable. */
export function say(text: string): void {
  process.stderr.write(printableLines(text) + '\n');
}

const COLUMNS: [string, (r: CloudTrailRecord) => string][] = [
  ['eventTime', (r) => r.eventTime],
  ['eventSource', (r) => r.eventSource ?? ''],
  ['eventName', (r) => r.eventName ?? ''],
  ['user', actorLabel],
  ['sourceIPAddress', (r) => r.sourceIPAddress ?? ''],
  ['errorCode', (r) => r.errorCode ?? ''],
  ['requestID', (r) => r.requestID ?? ''],
  ['eventID', (r) => r.eventID ?? ''],
];

/** A field as text whatever CloudTrail (or a forged file) put there. */
function cellText(get: (r: CloudTrailRecord) => unknown, r: CloudTrailRecord): string {
  const v = get(r);
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/**
 * One CSV cell: control characters made printable, a leading ' on cells a spreadsheet would run as
 * a formula (=, +, -, @, tab or CR first: CSV injection), then RFC 4180 quoting.
 */
export function csvCell(value: string): string {
  const safe = printable(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
  return /[",]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Writes text; resolves when the stream has room again, has failed or has closed. */
function send(out: Writable, text: string): Promise<void> {
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

function lines(out: Writable, records: readonly CloudTrailRecord[], line: (r: CloudTrailRecord) => string): Promise<void> {
  return records.length ? send(out, records.map((r) => line(r) + '\n').join('')) : Promise.resolve();
}

export function createWriter(format: Format, out: Writable): RecordWriter {
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
      return { write: (records) => lines(out, records, (r) => jsonForTerminal(r)), end: once(async () => {}) };
    case 'csv': {
      let header = false;
      const writeHeader = () => {
        if (header) return '';
        header = true;
        return COLUMNS.map(([h]) => h).join(',') + '\n';
      };
      return {
        write: (records) =>
          send(out, writeHeader() + records.map((r) => COLUMNS.map(([, get]) => csvCell(cellText(get, r))).join(',') + '\n').join('')),
        end: once(() => (header ? Promise.resolve() : send(out, writeHeader()))),
      };
    }
    case 'table': {
      // Column widths from the first batch keep the table streaming; long cells are cut with "…".
      const cols = COLUMNS.filter(([h]) => h !== 'eventID');
      let widths: number[] | undefined;
      return {
        write(records) {
          if (!records.length) return Promise.resolve();
          let text = '';
          if (!widths) {
            widths = cols.map(([h, get]) =>
              Math.min(
                48,
                records.reduce((w, r) => Math.max(w, printable(cellText(get, r)).length), h.length),
              ),
            );
            text +=
              cols
                .map(([h], i) => h.padEnd(widths![i]))
                .join('  ')
                .trimEnd() + '\n';
          }
          for (const r of records) {
            const cells = cols.map(([, get], i) => {
              const v = printable(cellText(get, r));
              return (v.length > widths![i] ? v.slice(0, widths![i] - 1) + '…' : v).padEnd(widths![i]);
            });
            text += cells.join('  ').trimEnd() + '\n';
          }
          return send(out, text);
        },
        end: once(() => (widths ? Promise.resolve() : send(out, '(no events)\n'))),
      };
    }
  }
}

function indent(json: string): string {
  return json.replace(/^/gm, '  ');
}
