/**
 * The records of one input (a file, stdin, an S3 object), read from its inflated chunks in batches.
 *
 * A trail log file (`{"Records":[…]}`) or a bare array of records is split by RecordSplitter and
 * each record parsed on its own: no whole-file string, so a file may inflate far past V8's largest
 * string (up to MAX_INFLATED_BYTES), and only one batch of records is held. Every other shape
 * (saved lookup-events output, a single record, an EventBridge event, a digest) is small and is
 * read whole, up to `maxTextBytes` (default and cap MAX_TEXT_BYTES, 500 MB), then parsed as today.
 */
import { TrailLensError } from './errors';
import { invalidJson, parseRecordsText, recordFromItem, type CloudTrailRecord, type InputKind } from './record';
import { RecordSplitter } from './recordStream';

const MB = 1024 * 1024;
/**
 * The most text an input that is not a trail log may hold once inflated, by default and at most:
 * V8's largest string is just over 512 MiB.
 */
export const MAX_TEXT_BYTES = 500 * MB;
/** Records per batch handed out; a file's first batch may be smaller (the file is small). */
export const BATCH_RECORDS = 2000;
/**
 * A trail file this small is also kept whole until its end: when its structure breaks (truncated,
 * a stray byte between records), JSON.parse of the whole text names the line and column.
 */
const KEEP_WHOLE_BYTES = 4 * MB;

export interface RecordBatch {
  kind: InputKind;
  records: CloudTrailRecord[];
}

export interface RecordReadOptions {
  /** The most text a whole-read shape may hold (default and cap MAX_TEXT_BYTES). */
  maxTextBytes?: number;
  /** Whether the input was gzip (from inflate's onFormat): says "gzip bomb" rather than "too large". */
  gzip?: () => boolean;
}

function tooMuchText(name: string, max: number, gzip: boolean): TrailLensError {
  if (!gzip) {
    return new TrailLensError('InvalidInput', `${name} is larger than ${max / MB} MB; Trail Lens reads files up to ${max / MB} MB.`, {
      hint: 'CloudTrail log files are at most 50 MB compressed. Split the file, or point Trail Lens at the folder of original .json.gz files.',
    });
  }
  return new TrailLensError('ParseError', `${name} inflates past ${max / MB} MB: a gzip bomb or not a CloudTrail log file.`, {
    hint: `CloudTrail log files are at most 50 MB compressed, and they are read as a stream whatever their size. Other shapes (lookup-events output, one record) are read whole: if this file is genuine, raise the limit (--max-file-mb, at most ${MAX_TEXT_BYTES / MB}).`,
  });
}

/** Yields the records of one input in batches (at least one batch, maybe empty, unless it fails). */
export async function* readRecordBatches(
  chunks: AsyncIterable<Buffer>,
  name: string,
  opts: RecordReadOptions = {},
): AsyncGenerator<RecordBatch> {
  const maxText = Math.min(opts.maxTextBytes ?? MAX_TEXT_BYTES, MAX_TEXT_BYTES);
  const splitter = new RecordSplitter(name);
  let splitting = true;
  let head: Buffer[] = [];
  let headBytes = 0;
  let batch: CloudTrailRecord[] = [];
  let yielded = false;
  let index = 0;
  // The whole input, while it is small and nothing has been handed out (see KEEP_WHOLE_BYTES).
  let whole: Buffer[] | undefined = [];
  let wholeBytes = 0;
  const positioned = (err: unknown): unknown => {
    if (!whole || yielded) return err;
    try {
      parseRecordsText(Buffer.concat(whole, wholeBytes).toString('utf8'), name);
    } catch (better) {
      return better;
    }
    return err;
  };
  const take = (parts: Buffer[]): void => {
    const label = splitter.shape === 'array' ? 'item' : 'Records';
    for (let k = 0; k < parts.length; k++) {
      const text = parts[k].toString('utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw invalidJson(text, name, err, splitter.starts[k]);
      }
      batch.push(recordFromItem(value, name, label, index++));
    }
  };
  for await (const chunk of chunks) {
    if (whole) {
      wholeBytes += chunk.length;
      if (wholeBytes > KEEP_WHOLE_BYTES) whole = undefined;
      else whole.push(chunk);
    }
    if (splitting && splitter.inRecords) {
      try {
        take(splitter.write(chunk));
      } catch (err) {
        throw positioned(err);
      }
    } else if (splitting) {
      let parts: Buffer[] = [];
      try {
        parts = splitter.write(chunk);
      } catch {
        splitting = false; // not a records document: read whole, parsed with positions below
      }
      if (splitting && splitter.inRecords) {
        head = [];
        headBytes = 0;
        try {
          take(parts);
        } catch (err) {
          throw positioned(err);
        }
      } else {
        if (headBytes + chunk.length > maxText) throw tooMuchText(name, maxText, opts.gzip?.() ?? false);
        head.push(chunk);
        headBytes += chunk.length;
      }
    } else {
      if (headBytes + chunk.length > maxText) throw tooMuchText(name, maxText, opts.gzip?.() ?? false);
      head.push(chunk);
      headBytes += chunk.length;
    }
    while (batch.length >= BATCH_RECORDS) {
      const out = batch.length === BATCH_RECORDS ? batch : batch.slice(0, BATCH_RECORDS);
      batch = batch.length === BATCH_RECORDS ? [] : batch.slice(BATCH_RECORDS);
      yielded = true;
      yield { kind: splitter.shape ?? 'trail-log', records: out };
    }
  }
  if (splitting && splitter.inRecords) {
    try {
      splitter.end();
    } catch (err) {
      throw positioned(err);
    }
    if (batch.length || !yielded) yield { kind: splitter.shape ?? 'trail-log', records: batch };
    return;
  }
  const parsed = parseRecordsText(Buffer.concat(head, headBytes).toString('utf8'), name);
  head = [];
  yield { kind: parsed.kind, records: parsed.records };
}
