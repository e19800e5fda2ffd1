/** Output writers for the CLI: json (an array, streamed), jsonl, csv and an aligned table. */
import type { Writable } from 'node:stream';
import type { CloudTrailRecord } from '../core/record';
import { actorLabel } from '../core/summary';

export const FORMATS = ['json', 'jsonl', 'csv', 'table'] as const;
export type Format = (typeof FORMATS)[number];

export interface RecordWriter {
  write(records: readonly CloudTrailRecord[]): void;
  end(): void;
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

/** RFC 4180 quoting, plus a leading ' on cells a spreadsheet would run as a formula (CSV injection). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Control characters in attacker-controlled fields must not drive the terminal. */
function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

export function createWriter(format: Format, out: Writable): RecordWriter {
  switch (format) {
    case 'json': {
      let first = true;
      return {
        write(records) {
          for (const r of records) {
            out.write((first ? '[\n' : ',\n') + indent(JSON.stringify(r, null, 2)));
            first = false;
          }
        },
        end() {
          out.write(first ? '[]\n' : '\n]\n');
        },
      };
    }
    case 'jsonl':
      return {
        write(records) {
          for (const r of records) out.write(JSON.stringify(r) + '\n');
        },
        end() {},
      };
    case 'csv': {
      out.write(COLUMNS.map(([h]) => h).join(',') + '\n');
      return {
        write(records) {
          for (const r of records) out.write(COLUMNS.map(([, get]) => csvCell(get(r))).join(',') + '\n');
        },
        end() {},
      };
    }
    case 'table': {
      // Column widths from the first batch keep the table streaming; long cells are cut with "…".
      const cols = COLUMNS.filter(([h]) => h !== 'eventID');
      let widths: number[] | undefined;
      return {
        write(records) {
          if (!records.length) return;
          if (!widths) {
            widths = cols.map(([h, get]) => Math.min(48, Math.max(h.length, ...records.map((r) => printable(get(r)).length))));
            out.write(cols.map(([h], i) => h.padEnd(widths![i])).join('  ').trimEnd() + '\n');
          }
          for (const r of records) {
            const cells = cols.map(([, get], i) => {
              const v = printable(get(r));
              return (v.length > widths![i] ? v.slice(0, widths![i] - 1) + '…' : v).padEnd(widths![i]);
            });
            out.write(cells.join('  ').trimEnd() + '\n');
          }
        },
        end() {
          if (!widths) out.write('(no events)\n');
        },
      };
    }
  }
}

function indent(json: string): string {
  return json.replace(/^/gm, '  ');
}
