/**
 * The Events view's model for a trail source (a local folder or files, an S3 bucket and prefix):
 * account → Region → delivery day as trailLayout.ts lists them, newest day first, and for each day
 * (or the "files" group of record files outside the layout) the events its files hold, read when
 * the day is opened, each eventID once, newest first, through the view's pattern and noise rules.
 * No `vscode`: the tree (sourceTree.ts) turns these rows into TreeItems; unit tests drive it in Node.
 */
import { TrailLensError } from '../../core/errors';
import { EventIdDedup } from '../../core/dedupe';
import { sortNewestFirst, type CloudTrailRecord } from '../../core/record';
import {
  listTrailAccounts,
  listTrailDays,
  listTrailRegions,
  type FolderLister,
  type TrailAccount,
  type TrailRegion,
} from '../../core/trailLayout';
import { displayRows, type Display } from '../views/eventsSource';

/** Records of one file as the source reads them: `path` is the file or the object's s3:// URL. */
export interface SourceBatch {
  path: string;
  records: CloudTrailRecord[];
}

export interface ReadCallbacks {
  signal: AbortSignal;
  /** Files (or objects) finished so far, of how many. */
  onFile(done: number, total: number): void;
  /** A file that could not be read (all or part of it): the rest go on. */
  onError(name: string, message: string): void;
}

/** What a trail source reads from: local files (localIo.ts) or S3 (s3Io.ts). */
export interface SourceIo {
  /** The source as configured: a path, or s3://bucket/prefix. */
  readonly name: string;
  readonly kind: 'local' | 's3';
  /** The AWSLogs/ folder the layout walk starts from. */
  readonly base: string;
  readonly list: FolderLister;
  /** Record files outside the trail layout (lookup-events output, plain record files); none for S3. */
  looseFiles(signal?: AbortSignal): Promise<string[]>;
  /** What to say when the source holds nothing: where was looked and what is there instead. */
  emptyError(): Promise<TrailLensError>;
  /** The records of one account, Region and delivery day (`YYYY-MM-DD`). */
  readDay(loc: TrailRegion, day: string, cb: ReadCallbacks): AsyncIterable<SourceBatch>;
  readFiles(files: string[], cb: ReadCallbacks): AsyncIterable<SourceBatch>;
}

/** The folder rows of the source, each a node of the tree. */
export type FolderNode =
  | { kind: 'trailAccount'; id: string; account: TrailAccount }
  | { kind: 'trailRegion'; id: string; region: TrailRegion }
  | { kind: 'trailDay'; id: string; region: TrailRegion; day: string }
  | { kind: 'trailFiles'; id: string; files: string[] };

/** What can be read as one list of events: a delivery day, or the files outside the layout. */
export type BucketNode = Extract<FolderNode, { kind: 'trailDay' | 'trailFiles' }>;

/** The rows under a day or the files group. */
export type BucketRow =
  | { kind: 'event'; record: CloudTrailRecord; where: string }
  | { kind: 'warning'; id: string; name: string; message: string }
  | { kind: 'status'; id: string; label: string; description?: string; tooltip?: string; icon: string; action?: 'cancel' | 'retry' };

export type ReadPhase = 'reading' | 'done' | 'cancelled' | 'failed';

/** One day's (or the files group's) read: what came in so far. */
export interface BucketRead {
  phase: ReadPhase;
  records: CloudTrailRecord[];
  /** eventID → the file or object it was read from. */
  where: Map<string, string>;
  warnings: { name: string; message: string }[];
  done: number;
  total: number | undefined;
  duplicates: number;
  error?: TrailLensError;
  abort: AbortController;
  finished: Promise<void>;
}

export interface BucketView {
  rows: BucketRow[];
  /** The node's description: "12 shown of 40 events", "reading 3 of 10 files…". */
  description: string;
  shown: number;
  total: number;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function asError(err: unknown): TrailLensError {
  if (err instanceof TrailLensError) return err;
  return new TrailLensError('Unexpected', err instanceof Error ? err.message : String(err), { cause: err });
}

export class TrailSourceModel {
  private readonly reads = new Map<string, BucketRead>();
  private sorted = new Map<string, { count: number; records: CloudTrailRecord[] }>();
  /** Node IDs carry the source, so another source's rows never inherit these rows' expanded state. */
  private readonly idPrefix: string;

  constructor(
    readonly io: SourceIo,
    /** Called as a read makes progress (the tree re-renders that node) and when it ends. */
    private readonly onChange: (node: BucketNode) => void,
  ) {
    this.idPrefix = `trail:${io.name}:`;
  }

  /** The top rows: accounts of the layout, then the files group; throws when there is nothing at all. */
  async roots(signal?: AbortSignal): Promise<FolderNode[]> {
    const accounts = await listTrailAccounts(this.io.list, this.io.base);
    const out: FolderNode[] = accounts.map((account) => ({
      kind: 'trailAccount',
      id: `${this.idPrefix}account:${account.org ?? ''}/${account.account}`,
      account,
    }));
    const loose = await this.io.looseFiles(signal);
    if (loose.length) out.push({ kind: 'trailFiles', id: `${this.idPrefix}files`, files: loose });
    if (!out.length) throw await this.io.emptyError();
    return out;
  }

  async children(node: FolderNode): Promise<FolderNode[]> {
    if (node.kind === 'trailAccount') {
      return (await listTrailRegions(this.io.list, this.io.base, node.account)).map((region) => ({
        kind: 'trailRegion',
        id: `${this.idPrefix}region:${region.org ?? ''}/${region.account}/${region.region}`,
        region,
      }));
    }
    if (node.kind === 'trailRegion') {
      return (await listTrailDays(this.io.list, this.io.base, node.region)).map((day) => ({
        kind: 'trailDay',
        id: `${this.idPrefix}day:${node.region.org ?? ''}/${node.region.account}/${node.region.region}/${day}`,
        region: node.region,
        day,
      }));
    }
    return [];
  }

  /** The read of a day or the files group, if it has started. */
  read(node: BucketNode): BucketRead | undefined {
    return this.reads.get(node.id);
  }

  /** Starts reading the node's files (once; again after a cancel or failure). */
  start(node: BucketNode): BucketRead {
    const existing = this.reads.get(node.id);
    if (existing && (existing.phase === 'reading' || existing.phase === 'done')) return existing;
    const abort = new AbortController();
    const read: BucketRead = {
      phase: 'reading',
      records: [],
      where: new Map(),
      warnings: [],
      done: 0,
      total: undefined,
      duplicates: 0,
      abort,
      finished: Promise.resolve(),
    };
    this.reads.set(node.id, read);
    this.sorted.delete(node.id);
    read.finished = this.run(node, read);
    return read;
  }

  /** Stops a read in progress: what was read stays, and the node says it is partial. */
  cancel(node: BucketNode): void {
    const read = this.reads.get(node.id);
    if (read?.phase === 'reading') read.abort.abort();
  }

  /** Stops every read (the source is closed). */
  dispose(): void {
    for (const read of this.reads.values()) read.abort.abort();
  }

  /** Every read's event of that eventID, with its file, if one is loaded. */
  find(eventID: string): { node: string; record: CloudTrailRecord; where: string } | undefined {
    for (const [id, read] of this.reads) {
      const where = read.where.get(eventID);
      if (where === undefined) continue;
      const record = read.records.find((r) => r.eventID === eventID);
      if (record) return { node: id, record, where };
    }
    return undefined;
  }

  private async run(node: BucketNode, read: BucketRead): Promise<void> {
    const dedup = new EventIdDedup();
    const cb: ReadCallbacks = {
      signal: read.abort.signal,
      onFile: (done, total) => {
        read.done = done;
        read.total = total;
        this.onChange(node);
      },
      onError: (name, message) => {
        read.warnings.push({ name, message });
        this.onChange(node);
      },
    };
    try {
      const batches = node.kind === 'trailDay' ? this.io.readDay(node.region, node.day, cb) : this.io.readFiles(node.files, cb);
      for await (const batch of batches) {
        for (const r of dedup.keep(batch.records)) {
          read.records.push(r);
          read.where.set(r.eventID, batch.path);
        }
        read.duplicates = dedup.duplicates;
        this.onChange(node);
      }
      read.phase = 'done';
    } catch (err) {
      const error = asError(err);
      read.phase = read.abort.signal.aborted || error.code === 'Cancelled' ? 'cancelled' : 'failed';
      if (read.phase === 'failed') read.error = error;
    }
    this.onChange(node);
  }

  /** The rows of a day or the files group as shown: status, bad files, then events newest first. */
  view(node: BucketNode, display: Display): BucketView {
    const read = this.reads.get(node.id);
    if (!read) return { rows: [], description: '', shown: 0, total: 0 };
    const rows: BucketRow[] = [];
    const files = node.kind === 'trailFiles' ? 'files' : 'files of this day';
    const progress = read.total === undefined ? '' : ` ${read.done.toLocaleString('en-US')} of ${plural(read.total, 'file')}`;
    if (read.phase === 'reading') {
      rows.push({
        kind: 'status',
        id: `${node.id}:reading`,
        label: `Reading${progress || ` the ${files}`}…`,
        description: `${plural(read.records.length, 'event')} so far · click to stop`,
        icon: 'loading~spin',
        action: 'cancel',
      });
    } else if (read.phase === 'cancelled') {
      rows.push({
        kind: 'status',
        id: `${node.id}:cancelled`,
        label: `Stopped after${progress || ' some files'}: these are the events read until then`,
        description: 'click to read them all',
        icon: 'debug-pause',
        action: 'retry',
      });
    } else if (read.phase === 'failed' && read.error) {
      rows.push({ kind: 'status', id: `${node.id}:error`, label: read.error.message, tooltip: read.error.message, icon: 'error' });
      if (read.error.hint) {
        rows.push({ kind: 'status', id: `${node.id}:hint`, label: read.error.hint, tooltip: read.error.hint, icon: 'lightbulb' });
      }
      rows.push({ kind: 'status', id: `${node.id}:retry`, label: 'Retry', icon: 'refresh', action: 'retry' });
    }
    read.warnings.forEach((w, i) => rows.push({ kind: 'warning', id: `${node.id}:warning:${i}`, name: w.name, message: w.message }));
    const all = this.sortedRecords(node.id, read);
    const { shown } = displayRows(all, display, () => false);
    if (read.phase === 'done' && all.length === 0 && read.warnings.length === 0) {
      rows.push({ kind: 'status', id: `${node.id}:empty`, label: `No events in the ${files}`, icon: 'info' });
    } else if (all.length > 0 && shown.length === 0) {
      rows.push({
        kind: 'status',
        id: `${node.id}:allHidden`,
        label: `None of ${plural(all.length, 'event')} match the filter pattern or pass the noise rules`,
        icon: 'filter',
      });
    }
    for (const record of shown) rows.push({ kind: 'event', record, where: read.where.get(record.eventID) ?? this.io.name });
    const count =
      shown.length === all.length
        ? plural(all.length, 'event')
        : `${shown.length.toLocaleString('en-US')} shown of ${plural(all.length, 'event')}`;
    const state =
      read.phase === 'reading'
        ? ` · reading${progress}…`
        : read.phase === 'cancelled'
          ? ' · stopped'
          : read.phase === 'failed'
            ? ' · could not be read'
            : '';
    const bad = read.warnings.length ? ` · ${plural(read.warnings.length, 'unreadable file')}` : '';
    return { rows, description: `${count}${state}${bad}`, shown: shown.length, total: all.length };
  }

  private sortedRecords(id: string, read: BucketRead): CloudTrailRecord[] {
    const cached = this.sorted.get(id);
    if (cached && cached.count === read.records.length) return cached.records;
    const records = sortNewestFirst(read.records);
    this.sorted.set(id, { count: read.records.length, records });
    return records;
  }
}
