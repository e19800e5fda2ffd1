/**
 * The records of a CloudTrail log file as a stream, without the whole inflated file in memory or
 * in one string. A trail log file is one JSON document, `{"Records":[{…},{…},…]}`, up to 50 MB
 * compressed and several hundred MB inflated: more than V8's largest string. RecordSplitter walks
 * the bytes once and hands out the bytes of each record as it closes; only a record's own bytes
 * are ever held, and each is parsed on its own.
 *
 * Also a bare array of records (`[{…},…]`), as `jq -c '.Records'` or other tools save them.
 * Inside strings the walk jumps from quote to quote with indexOf, so the cost is mostly the
 * structure between strings.
 */
import { TrailLensError } from './errors';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const RECORDS_KEY = Buffer.from('"Records"');
/** Deeper than any CloudTrail record; a document this deep is damage or an attack, not a trail file. */
const MAX_DEPTH = 10_000;
/** CloudTrail caps an event at 256 KB; a "record" far beyond that is not one. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Splits one JSON document into the bytes of each record in its `Records` array (or, for a
 * top-level array, of each element). Feed it chunks with `write`; call `end` when the input ends.
 * It checks the structure (nesting, strings, where the records are), not every token: each record
 * is parsed by JSON.parse, which reports what is wrong inside it.
 */
export class RecordSplitter {
  private depth = 0;
  private inString = false;
  /** Backslashes at the very end of the previous chunk, inside a string (an escape may straddle chunks). */
  private trailingBackslashes = 0;
  private started = false;
  /** Depth of the records array's elements minus one, once the array is found. */
  private arrayDepth: number | undefined;
  private arrayClosed = false;
  /** The string being read at depth 1, up to one byte more than `"Records"`, and whether the last one was that key. */
  private key: Buffer | undefined;
  private afterRecordsKey = false;
  private colonAfterRecordsKey = false;
  /** The open record: pieces from earlier chunks, and where it starts in this one (0 when it began earlier). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private recordStart: number | undefined;
  private offset = 0;
  /** Lines outside strings (JSON allows no raw newline inside one), for positions in errors. */
  private line = 1;
  private lineStart = 0;
  private recordLine = 1;
  private recordColumn = 1;
  /** Records handed out so far. */
  records = 0;
  /** Where each record of the last `write` began in the input (1-based line and byte column). */
  starts: { line: number; column: number }[] = [];

  /** Whether the records array has been found: the input is a trail log file (or a bare array). */
  get inRecords(): boolean {
    return this.arrayDepth !== undefined;
  }

  /** A trail log file (`{"Records":[…]}`) or a bare array, once the records array is found. */
  get shape(): 'trail-log' | 'array' | undefined {
    return this.arrayDepth === undefined ? undefined : this.arrayDepth === 1 ? 'array' : 'trail-log';
  }

  constructor(private readonly name: string) {}

  /** The complete records this chunk closed, as the bytes of each. */
  write(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.starts = [];
    if (this.recordStart !== undefined) this.recordStart = 0;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        const q = chunk.indexOf(QUOTE, i);
        const to = q < 0 ? n : q;
        if (this.key && this.key.length <= RECORDS_KEY.length) this.key = Buffer.concat([this.key, chunk.subarray(i, Math.min(to + 1, n))]);
        if (q < 0) break;
        i = q + 1;
        if (this.escapedAt(chunk, q)) continue;
        this.inString = false;
        if (this.key) {
          this.afterRecordsKey = this.key.equals(RECORDS_KEY);
          this.key = undefined;
        }
        continue;
      }
      const c = chunk[i];
      if (c <= 0x20) {
        if (c === 0x0a) {
          this.line++;
          this.lineStart = this.offset + i + 1;
        }
        i++;
        continue;
      }
      if (!this.started && c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
        this.fail(`expected a JSON object or array, found ${JSON.stringify(String.fromCharCode(c))}`, i);
      }
      if (c === QUOTE) {
        if (this.depth === this.arrayDepth && !this.arrayClosed) this.fail(`record ${this.records + 1} is not a JSON object`, i);
        this.inString = true;
        if (this.depth === 1 && this.arrayDepth === undefined) this.key = Buffer.from([QUOTE]);
        this.colonAfterRecordsKey = false;
      } else if (c === COLON) {
        this.colonAfterRecordsKey = this.depth === 1 && this.afterRecordsKey;
        this.afterRecordsKey = false;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        this.open(c, i);
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        const record = this.close(c, chunk, i);
        if (record) {
          out.push(record);
          this.starts.push({ line: this.recordLine, column: this.recordColumn });
        }
      } else {
        if (c !== COMMA && this.depth === this.arrayDepth && !this.arrayClosed)
          this.fail(`record ${this.records + 1} is not a JSON object`, i);
        this.afterRecordsKey = false;
        this.colonAfterRecordsKey = false;
      }
      i++;
    }
    this.trailingBackslashes = this.inString ? this.backslashesAtEnd(chunk) : 0;
    this.carry(chunk);
    this.offset += n;
    return out;
  }

  /** The input ended: anything still open is a truncated file. */
  end(): void {
    if (!this.started) this.fail('the file is empty', 0);
    if (this.inString || this.depth > 0) this.fail('the file ends in the middle of the JSON (truncated?)', 0);
    if (this.arrayDepth === undefined) this.fail('no "Records" array: not a CloudTrail log file', 0);
  }

  private open(c: number, i: number): void {
    const parentDepth = this.depth;
    this.started = true;
    this.depth++;
    if (this.depth > MAX_DEPTH) this.fail(`the JSON nests deeper than ${MAX_DEPTH} levels`, i);
    if (this.arrayDepth === undefined) {
      const topArray = parentDepth === 0 && c === OPEN_ARRAY;
      const recordsArray = parentDepth === 1 && c === OPEN_ARRAY && this.colonAfterRecordsKey;
      if (topArray || recordsArray) this.arrayDepth = this.depth;
    } else if (parentDepth === this.arrayDepth && !this.arrayClosed) {
      if (c !== OPEN_OBJECT) this.fail(`record ${this.records + 1} is not a JSON object`, i);
      this.recordStart = i;
      this.recordLine = this.line;
      this.recordColumn = this.offset + i - this.lineStart + 1;
    }
    this.colonAfterRecordsKey = false;
    this.afterRecordsKey = false;
  }

  private close(c: number, chunk: Buffer, i: number): Buffer | undefined {
    if (this.depth === 0) this.fail(`unexpected ${String.fromCharCode(c)}`, i);
    this.depth--;
    this.afterRecordsKey = false;
    this.colonAfterRecordsKey = false;
    if (this.arrayDepth === undefined || this.arrayClosed) return undefined;
    if (this.depth === this.arrayDepth - 1) {
      this.arrayClosed = true;
      return undefined;
    }
    if (this.depth !== this.arrayDepth || this.recordStart === undefined) return undefined;
    const piece = chunk.subarray(this.recordStart, i + 1);
    const bytes = this.pending.length ? Buffer.concat([...this.pending, piece], this.pendingBytes + piece.length) : Buffer.from(piece);
    this.pending = [];
    this.pendingBytes = 0;
    this.recordStart = undefined;
    this.records++;
    return bytes;
  }

  /** Keeps the open record's part of this chunk for the next one. */
  private carry(chunk: Buffer): void {
    if (this.recordStart === undefined) return;
    const piece = Buffer.from(chunk.subarray(this.recordStart));
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    if (this.pendingBytes > MAX_RECORD_BYTES) {
      this.fail(`record ${this.records + 1} is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB`, chunk.length);
    }
  }

  /** The quote at `q` is escaped when an odd number of backslashes precede it, counting those that ended the previous chunk. */
  private escapedAt(chunk: Buffer, q: number): boolean {
    let k = q - 1;
    while (k >= 0 && chunk[k] === BACKSLASH) k--;
    const count = q - 1 - k + (k < 0 ? this.trailingBackslashes : 0);
    return count % 2 === 1;
  }

  private backslashesAtEnd(chunk: Buffer): number {
    let k = chunk.length - 1;
    while (k >= 0 && chunk[k] === BACKSLASH) k--;
    const count = chunk.length - 1 - k;
    return k < 0 ? this.trailingBackslashes + count : count;
  }

  private fail(what: string, at: number): never {
    throw new TrailLensError('ParseError', `${this.name}: ${what} (at byte ${this.offset + at})`);
  }
}

/**
 * Where `needle` occurs in a stream of chunks: a search per chunk, plus the few bytes that straddle
 * two chunks (a carried tail of needle − 1 bytes; chunks are searched in place, never copied). The
 * fast first pass of a request-ID search: only the records around a hit are split and parsed.
 *
 * Each chunk is searched for a PROBE of up to 7 bytes of the needle and each candidate compared in
 * full. Node's Buffer#indexOf finds a pattern of up to 7 bytes with memchr on its first byte, then
 * compares: its cost is one memchr restart per occurrence of that byte, so the probe starts at the
 * needle's byte that is rarest in the input (counted over the first SAMPLE_BYTES). On trail JSON a
 * request ID's `e` or `a` occurs every 13–20 bytes and its `f` every 170: a probe at `e` costs 70%
 * of zlib's time to inflate the same bytes, at `f` 9%, at a byte the text lacks 4% (bench/files.ts).
 * Patterns of 8 bytes or more get a Boyer–Moore search that reads JSON at 250–600 MB/s, slower than
 * zlib inflates it.
 */
const PROBE = 7;
const SAMPLE_BYTES = 16 * 1024;

/** Where the probe starts in `needle`: at its byte that occurs least in `sample` (the first such, on a tie). */
export function rarestAt(needle: Buffer, sample: Buffer): number {
  const counts = new Uint32Array(256);
  for (let i = 0; i < sample.length; i++) counts[sample[i]]++;
  let best = 0;
  for (let i = 1; i < needle.length; i++) if (counts[needle[i]] < counts[needle[best]]) best = i;
  return best;
}

export class NeedleScanner {
  private tail: Buffer = Buffer.alloc(0);
  private probe: Buffer | undefined;
  private probeAt = 0;
  /** Bytes written so far. */
  private offset = 0;
  found = false;
  /** Where each occurrence completed by the last write starts, as an offset in the whole input. */
  hits: number[] = [];

  constructor(private readonly needle: Buffer) {
    if (needle.length === 0) throw new TrailLensError('InvalidInput', 'Nothing to search for.');
  }

  /** Whether this chunk completed an occurrence (their starts are in `hits`). */
  write(chunk: Buffer): boolean {
    const needle = this.needle;
    const n = needle.length;
    const keep = n - 1;
    const hits: number[] = (this.hits = []);
    if (!this.probe) {
      this.probeAt = rarestAt(needle, chunk.subarray(0, SAMPLE_BYTES));
      this.probe = needle.subarray(this.probeAt, this.probeAt + PROBE);
    }
    if (this.tail.length) {
      // Occurrences that start in the tail end in this chunk (those wholly before were found already).
      const edge = Buffer.concat([this.tail, chunk.subarray(0, keep)]);
      for (let at = edge.indexOf(needle); at >= 0 && at < this.tail.length; at = edge.indexOf(needle, at + 1)) {
        hits.push(this.offset - this.tail.length + at);
      }
    }
    const probe = this.probe;
    const back = this.probeAt;
    for (let at = chunk.indexOf(probe, back); at >= 0; at = chunk.indexOf(probe, at + 1)) {
      const start = at - back;
      if (start + n > chunk.length) break; // runs past this chunk: found with the next one
      if (chunk.compare(needle, 0, n, start, start + n) === 0) hits.push(this.offset + start);
    }
    if (keep) {
      this.tail =
        chunk.length >= keep ? Buffer.from(chunk.subarray(chunk.length - keep)) : Buffer.concat([this.tail, chunk]).subarray(-keep);
    }
    this.offset += chunk.length;
    if (hits.length) this.found = true;
    return hits.length > 0;
  }
}
