/**
 * The two kinds of trail source behind the model (sourceModel.ts): a local folder or file, read
 * through core's streaming reader, and an S3 bucket and prefix, read through the connection's S3
 * client (core/s3Client.ts, same profile, Region and endpoint override as LookupEvents). Both
 * reach core through loadEngine(), so activation loads neither the SDK nor the reader. No `vscode`.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TrailLensError } from '../../core/errors';
import type { S3Api } from '../../core/s3Client';
import type { S3Listing } from '../../core/s3Trail';
import { awsLogsBase, parseTrailKey, regionFolder, type TrailRegion } from '../../core/trailLayout';
import type { Engine } from '../loadEngine';
import type { ReadCallbacks, SourceBatch, SourceIo } from './sourceModel';

/** Whether a configured source is an S3 location (else a local path). */
export function isS3Source(source: string): boolean {
  return source.trim().startsWith('s3://');
}

/** A source in a few words for the view's description: the last part of a path, or the bucket and prefix. */
export function shortSourceName(source: string): string {
  if (isS3Source(source)) return source.replace(/\/+$/, '');
  const parts = source.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] || source;
}

function slashed(path: string): string {
  return path.replace(/\\/g, '/');
}

/** Child folders of a local folder (symlinks to folders included); a missing folder has none. */
async function localFolders(folder: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw new TrailLensError('InvalidInput', `${folder} cannot be listed: ${(err as Error).message}`, { cause: err });
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isDirectory()) out.push(e.name);
    else if (e.isSymbolicLink()) {
      const info = await stat(join(folder, e.name)).catch(() => undefined);
      if (info?.isDirectory()) out.push(e.name);
    }
  }
  return out;
}

/** Reads files through core's reader, reporting each file done and each one that cannot be read. */
async function* readLocal(engine: Engine, files: string[], cb: ReadCallbacks): AsyncGenerator<SourceBatch> {
  let done = 0;
  let current: string | undefined;
  cb.onFile(0, files.length);
  const finish = () => cb.onFile(++done, files.length);
  for await (const batch of engine.readRecordPaths(files, {
    signal: cb.signal,
    onSkip: (path, reason, error) => {
      if (!error) return;
      cb.onError(path, error.message || reason);
      if (path !== current) finish();
    },
  })) {
    if (batch.part === 0) {
      if (current !== undefined) finish();
      current = batch.path;
    }
    yield { path: batch.path, records: batch.records };
  }
  if (current !== undefined) finish();
}

/** A local folder (a synced bucket, an AWSLogs/ tree, any folder of record files) or one file. */
export async function localSource(engine: Engine, path: string): Promise<SourceIo> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw engine.fsError(err, path);
  }
  const root = slashed(path).replace(/\/+$/, '');
  const base = awsLogsBase(root);
  const insideLayout = /(?:^|\/)AWSLogs(?:\/|$)/.test(root);
  return {
    name: path,
    kind: 'local',
    base,
    list: (folder) => (info.isDirectory() ? localFolders(folder) : Promise.resolve([])),
    async looseFiles(signal) {
      if (!info.isDirectory()) return [path];
      if (insideLayout) return [];
      // Everything beside AWSLogs/: lookup-events output and other record files in the folder.
      const names = (await readdir(path, { withFileTypes: true })).filter((e) => e.name !== 'AWSLogs').map((e) => join(path, e.name));
      if (!names.length) return [];
      const files = (await engine.listTrailFiles(names, { signal })).logs;
      return files.filter((f) => !parseTrailKey(f));
    },
    emptyError: async () =>
      new TrailLensError(
        'InvalidInput',
        `No trail log files in ${path}: no AWSLogs/<account>/CloudTrail/<Region>/ folders and no .json or .json.gz files.`,
        {
          hint: 'Open the folder that holds AWSLogs/ (a synced copy of the trail bucket or prefix), or a folder of .json.gz log files.',
        },
      ),
    readDay: (loc: TrailRegion, day: string, cb: ReadCallbacks) => readDayLocal(engine, base, loc, day, cb),
    readFiles: (files, cb) => readLocal(engine, files, cb),
  };
}

async function* readDayLocal(engine: Engine, base: string, loc: TrailRegion, day: string, cb: ReadCallbacks): AsyncGenerator<SourceBatch> {
  const folder = `${regionFolder(base, loc)}${day.replace(/-/g, '/')}/`;
  const files = (await engine.listTrailFiles([folder], { signal: cb.signal })).logs;
  yield* readLocal(engine, files, cb);
}

/** An S3 bucket and prefix, through the connection's S3 client (`s3()` makes the session on first use). */
export function s3Source(engine: Engine, url: string, s3: () => Promise<S3Api>): SourceIo {
  const loc = engine.parseS3Url(url);
  if (!loc) throw new TrailLensError('InvalidInput', `'${url}' is not an S3 URL: expected s3://bucket[/prefix]`);
  const base = awsLogsBase(loc.prefix);
  const readListing = async function* (api: S3Api, listing: S3Listing, cb: ReadCallbacks): AsyncGenerator<SourceBatch> {
    cb.onFile(0, listing.objects.length);
    for await (const batch of engine.readS3Objects(api, listing, {
      signal: cb.signal,
      onError: (name, error) => cb.onError(name, error.message),
      onObject: (_name, done, total) => cb.onFile(done, total),
    })) {
      yield { path: batch.path, records: batch.records };
    }
  };
  const readDay = async function* (prefix: string, cb: ReadCallbacks): AsyncGenerator<SourceBatch> {
    const api = await s3();
    yield* readListing(api, await engine.listTrailObjects(api, { bucket: loc.bucket, prefix }, {}, cb.signal), cb);
  };
  return {
    name: url,
    kind: 's3',
    base,
    list: async (folder) => (await s3()).listFolders(loc.bucket, folder),
    looseFiles: async () => [],
    emptyError: async () => engine.missingPrefix(await s3(), loc, base),
    readDay: (region, day, cb) => readDay(`${regionFolder(base, region)}${day.replace(/-/g, '/')}/`, cb),
    // Named objects (keys), read as a listing of their own.
    readFiles: async function* (keys, cb) {
      const objects = keys.map((key) => ({ key, size: 0 }));
      yield* readListing(await s3(), { bucket: loc.bucket, objects, searched: url, ruledOut: 0 }, cb);
    },
  };
}
