/**
 * The inflated bytes of a file, a stream (stdin) or an S3 object's body, chunk by chunk: gzip is
 * recognised by its magic bytes, not the name (browsers often save S3's .json.gz objects already
 * decompressed under the same name), and nothing is ever held whole.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TrailLensError, isAbortError } from './errors';

const MB = 1024 * 1024;
/** Inflate in large chunks: the per-chunk cost in JavaScript then vanishes beside zlib's. */
export const INFLATE_CHUNK = MB;
/** A file inflating past this is a gzip bomb, not a trail file (CloudTrail's are ≤ 50 MB compressed). */
export const MAX_INFLATED_BYTES = 4096 * MB;

export interface InflateOptions {
  signal?: AbortSignal;
  /** The most raw (compressed or plain) bytes read before refusing: the source is not a trail file. */
  maxRawBytes?: number;
  /** How a read error of the source reads to a person (default: a file-system error). */
  sourceError?: (err: unknown, name: string) => TrailLensError;
  /** Told once, before the first chunk, whether the source is gzip. */
  onFormat?: (gzip: boolean) => void;
}

/** A file-system error as a person reads it: the path, and what is wrong with it. */
export function fsError(err: unknown, path: string): TrailLensError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new TrailLensError('InvalidInput', `${path} does not exist.`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') {
    return new TrailLensError('InvalidInput', `${path} cannot be read (permission denied).`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TrailLensError('InvalidInput', `${path} cannot be read: ${message}`, { cause: err });
}

export function tooLarge(name: string, bytes: number): TrailLensError {
  return new TrailLensError('InvalidInput', `${name} is larger than ${bytes / MB} MB; Trail Lens reads files up to ${bytes / MB} MB.`, {
    hint: 'CloudTrail log files are at most 50 MB compressed. Split the file, or point Trail Lens at the folder of original .json.gz files.',
  });
}

function isGzipHead(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Chunks of `raw` (inflated when gzip), with the limits and errors of InflateOptions. */
async function* run(raw: Readable, gzip: boolean, name: string, opts: InflateOptions): AsyncGenerator<Buffer> {
  opts.onFormat?.(gzip);
  const source = gzip ? raw.pipe(createGunzip({ chunkSize: INFLATE_CHUNK })) : raw;
  if (gzip) raw.on('error', (err) => source.destroy(err));
  const maxRaw = opts.maxRawBytes ?? Infinity;
  let rawBytes = 0;
  // Piped, raw already flows: counting its chunks on the side costs nothing. Plain, the loop counts.
  if (gzip && Number.isFinite(maxRaw)) {
    raw.on('data', (chunk: Buffer) => {
      rawBytes += chunk.length;
      if (rawBytes > maxRaw) raw.destroy(tooLarge(name, maxRaw));
    });
  }
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (!gzip && total > maxRaw) throw tooLarge(name, maxRaw);
      if (total > MAX_INFLATED_BYTES) {
        throw new TrailLensError(
          'ParseError',
          `${name} inflates past ${MAX_INFLATED_BYTES / MB} MB: a gzip bomb, not a CloudTrail log file.`,
        );
      }
      yield chunk;
    }
  } catch (err) {
    if (err instanceof TrailLensError || isAbortError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (gzip && typeof code === 'string' && code.startsWith('Z_')) {
      throw new TrailLensError('ParseError', `${name} is not a readable gzip file: it is truncated or corrupt.`, {
        cause: err,
        hint: 'Download the file again; an interrupted download leaves a truncated .gz.',
      });
    }
    throw (opts.sourceError ?? fsError)(err, name);
  } finally {
    source.destroy();
    raw.destroy();
  }
}

/** The inflated bytes of a local file: opened once, its first two bytes peeked at, then streamed. */
export async function* inflateFile(path: string, opts: InflateOptions = {}): AsyncGenerator<Buffer> {
  let fh: FileHandle;
  let gzip: boolean;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw fsError(err, path);
  }
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    gzip = isGzipHead(head.subarray(0, bytesRead));
  } catch (err) {
    await fh.close();
    throw fsError(err, path);
  }
  // The stream owns the handle from here: it closes it when it ends or is destroyed.
  yield* run(fh.createReadStream({ start: 0, highWaterMark: INFLATE_CHUNK, signal: opts.signal }), gzip, path, opts);
}

/** The inflated bytes of a stream whose start is not known in advance (stdin, an S3 object's body). */
export async function* inflateStream(
  stream: Readable | AsyncIterable<Buffer>,
  name: string,
  opts: InflateOptions = {},
): AsyncGenerator<Buffer> {
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  try {
    while (headBytes < 2) {
      const next = await it.next();
      if (next.done) break;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
      head.push(chunk);
      headBytes += chunk.length;
    }
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw (opts.sourceError ?? fsError)(err, name);
  }
  const first = Buffer.concat(head);
  const rest = Readable.from(
    (async function* () {
      if (first.length) yield first;
      for (let next = await it.next(); !next.done; next = await it.next()) {
        yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
      }
    })(),
    { objectMode: false },
  );
  yield* run(rest, isGzipHead(first), name, opts);
}
