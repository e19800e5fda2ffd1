/**
 * Output writers for the CLI: json, jsonl and csv are core's export writers
 * (core/investigate/export.ts, shared with the extension's export); the aligned table is the CLI's own.
 */
import type { Writable } from 'node:stream';
import { CSV_COLUMNS, cellText, createRecordWriter, send, type RecordWriter } from '../core/investigate/export';
import type { CloudTrailRecord } from '../core/record';
import { printable, printableLines } from '../core/text';

export { csvCell, type RecordWriter } from '../core/investigate/export';

export const FORMATS = ['json', 'jsonl', 'csv', 'table'] as const;
export type Format = (typeof FORMATS)[number];

/** A line or lines for stderr; text from outside in it is made printable. */
export function say(text: string): void {
  process.stderr.write(printableLines(text) + '\n');
}

/** The table's columns: the CSV's key columns that fit a terminal. */
const TABLE_COLUMNS = ['eventTime', 'eventSource', 'eventName', 'caller', 'sourceIPAddress', 'errorCode', 'requestID'];
const COLUMNS = CSV_COLUMNS.filter(([h]) => TABLE_COLUMNS.includes(h));

export function createWriter(format: Format, out: Writable): RecordWriter {
  return format === 'table' ? tableWriter(out) : createRecordWriter(format, out);
}

/** Column widths from the first batch keep the table streaming; long cells are cut with "…". */
function tableWriter(out: Writable): RecordWriter {
  let ended = false;
  let widths: number[] | undefined;
  const text = (get: (r: CloudTrailRecord) => unknown, r: CloudTrailRecord) => printable(cellText(get(r)));
  return {
    write(records) {
      if (!records.length) return Promise.resolve();
      let chunk = '';
      if (!widths) {
        widths = COLUMNS.map(([h, get]) =>
          Math.min(
            48,
            records.reduce((w, r) => Math.max(w, text(get, r).length), h.length),
          ),
        );
        chunk +=
          COLUMNS.map(([h], i) => h.padEnd(widths![i]))
            .join('  ')
            .trimEnd() + '\n';
      }
      for (const r of records) {
        const cells = COLUMNS.map(([, get], i) => {
          const v = text(get, r);
          return (v.length > widths![i] ? v.slice(0, widths![i] - 1) + '…' : v).padEnd(widths![i]);
        });
        chunk += cells.join('  ').trimEnd() + '\n';
      }
      return send(out, chunk);
    },
    end() {
      if (ended) return Promise.resolve();
      ended = true;
      return widths ? Promise.resolve() : send(out, '(no events)\n');
    },
  };
}
