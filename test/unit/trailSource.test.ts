/**
 * The Events view's trail-source model (src/extension/trailFiles/sourceModel.ts) and its request-ID
 * search (sourceSearch.ts) in plain Node, on the sample account written in the trail layout with
 * core's real reader: account → Region → day newest first, a truncated .json.gz reported by name
 * while the rest of the day shows, a duplicate delivery shown once, the pattern's "N shown of M",
 * a cancelled read, lookup-events output outside the layout as the files group.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { rmSync } from 'node:fs';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import type { CloudTrailRecord } from '../../src/core/record';
import { generateSampleAccount, writeTrailLogs, type SampleAccount } from '../../src/sample/account';
import { loadEngine, type Engine } from '../../src/extension/loadEngine';
import { localSource } from '../../src/extension/trailFiles/sourceIo';
import { TrailSourceModel, type BucketNode, type FolderNode } from '../../src/extension/trailFiles/sourceModel';
import { searchSource } from '../../src/extension/trailFiles/sourceSearch';
import { scratchDir } from '../harness/scratch';

const NO_FILTER = { pattern: undefined, rules: [] };

async function logsOfDay(dayFolder: string): Promise<string[]> {
  return (await readdir(dayFolder)).filter((n) => n.endsWith('.json.gz')).map((n) => join(dayFolder, n));
}

describe('trail source model (local files)', () => {
  let dir: string;
  let engine: Engine;
  let account: SampleAccount;
  let dayFolder: string;
  let truncated: string;
  let newestDay: string;
  const lookupRecords: CloudTrailRecord[] = [];

  before(async () => {
    engine = await loadEngine();
    dir = scratchDir('trail-source-');
    account = generateSampleAccount({ days: 2, eventsPerDay: 300 });
    // Every 5 minutes, as CloudTrail delivers: each file within the 15 minutes of lag a window allows.
    await writeTrailLogs(account, dir, { filesPerHour: 12 });
    const regionDir = join(dir, 'AWSLogs', account.accountId, 'CloudTrail', account.region);
    const years = await readdir(regionDir);
    const y = years.sort().at(-1) as string;
    const m = (await readdir(join(regionDir, y))).sort().at(-1) as string;
    const d = (await readdir(join(regionDir, y, m))).sort().at(-1) as string;
    newestDay = `${y}-${m}-${d}`;
    dayFolder = join(regionDir, y, m, d);
    const files = await logsOfDay(dayFolder);
    // A second delivery of one file (CloudTrail may deliver an event twice) and a file cut short.
    await copyFile(files[0], files[0].replace(/_([A-Za-z0-9]{16})\.json\.gz$/, '_DUPLICATEDELIVRY.json.gz'));
    const body = await readFile(files[1]);
    truncated = join(dayFolder, `${account.accountId}_CloudTrail_${account.region}_${d}T2359Z_TRUNCATEDFILE0001.json.gz`);
    await writeFile(truncated, body.subarray(0, Math.floor(body.length / 2)));
    // lookup-events output beside AWSLogs/: the "files" group.
    lookupRecords.push(...account.records.slice(0, 5));
    await mkdir(join(dir, 'exports'));
    await writeFile(
      join(dir, 'exports', 'lookup.json'),
      JSON.stringify({
        Events: lookupRecords.map((r) => ({ EventId: r.eventID, EventName: r.eventName, CloudTrailEvent: JSON.stringify(r) })),
      }),
    );
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  async function open(onChange: (n: BucketNode) => void = () => {}) {
    return new TrailSourceModel(await localSource(engine, dir), onChange);
  }

  async function dayNode(model: TrailSourceModel): Promise<FolderNode & { kind: 'trailDay' }> {
    const [acct] = await model.roots();
    const regions = await model.children(acct);
    const region = regions.find((r) => r.kind === 'trailRegion' && r.region.region === account.region) as FolderNode;
    const days = await model.children(region);
    return days[0] as FolderNode & { kind: 'trailDay' };
  }

  test('lists account → Region → day, newest day first, and the files outside the layout as one group', async () => {
    const model = await open();
    const roots = await model.roots();
    assert.deepEqual(
      roots.map((r) => r.kind),
      ['trailAccount', 'trailFiles'],
    );
    assert.equal(roots[0].kind === 'trailAccount' && roots[0].account.account, account.accountId);
    const files = roots[1];
    assert.ok(files.kind === 'trailFiles' && files.files.length === 1 && files.files[0].endsWith('lookup.json'));
    const regions = await model.children(roots[0]);
    assert.ok(regions.some((r) => r.kind === 'trailRegion' && r.region.region === account.region));
    const region = regions.find((r) => r.kind === 'trailRegion' && r.region.region === account.region) as FolderNode;
    const days = (await model.children(region)).map((d) => (d.kind === 'trailDay' ? d.day : ''));
    assert.equal(days[0], newestDay);
    assert.deepEqual([...days].sort().reverse(), days);
    assert.ok(days.length >= 2, `two days of logs: ${days.join(', ')}`);
  });

  test('a day: every event once, newest first, the truncated file named in a warning and the rest shown', async () => {
    let changes = 0;
    const model = await open(() => changes++);
    const day = await dayNode(model);
    const read = model.start(day);
    await read.finished;
    assert.equal(read.phase, 'done');
    const view = model.view(day, NO_FILTER);
    const warnings = view.rows.filter((r) => r.kind === 'warning');
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].kind === 'warning' && warnings[0].name === truncated, JSON.stringify(warnings));
    assert.match(warnings[0].kind === 'warning' ? warnings[0].message : '', /TRUNCATEDFILE0001|truncated|end of|unexpected/i);
    const events = view.rows.flatMap((r) => (r.kind === 'event' ? [r] : []));
    // Expected: the distinct records of the day's intact files (the duplicate delivery adds none).
    const expected = new Map<string, CloudTrailRecord>();
    for (const f of await logsOfDay(dayFolder)) {
      if (f === truncated) continue;
      for (const r of (JSON.parse(gunzipSync(await readFile(f)).toString('utf8')) as { Records: CloudTrailRecord[] }).Records)
        expected.set(r.eventID, r);
    }
    assert.ok(read.duplicates > 0, 'the duplicate delivery was seen');
    // The truncated file's records before the cut may be read too; never any record twice.
    assert.equal(new Set(events.map((e) => e.record.eventID)).size, events.length);
    for (const id of expected.keys())
      assert.ok(
        events.some((e) => e.record.eventID === id),
        `event ${id} shown`,
      );
    const times = events.map((e) => Date.parse(e.record.eventTime));
    assert.deepEqual(
      [...times].sort((a, b) => b - a),
      times,
    );
    for (const e of events) assert.ok(e.where.startsWith(dayFolder), e.where);
    assert.match(view.description, /^[\d,]+ events · 1 unreadable file$/);
    assert.ok(changes > 0, 'progress was reported');
    assert.equal(read.done, read.total);
  });

  test('the filter pattern applies to the day: "N shown of M"', async () => {
    const model = await open();
    const day = await dayNode(model);
    await model.start(day).finished;
    const all = model.view(day, NO_FILTER);
    const some = all.rows.find((r) => r.kind === 'event');
    assert.ok(some && some.kind === 'event');
    const pattern = parseFilterPattern(`{ $.eventName = "${some.record.eventName}" }`);
    const view = model.view(day, { pattern, rules: [] });
    const events = view.rows.flatMap((r) => (r.kind === 'event' ? [r.record] : []));
    assert.ok(events.length > 0 && events.length < all.total);
    assert.ok(events.every((r) => r.eventName === some.record.eventName));
    assert.equal(view.description, `${events.length} shown of ${all.total.toLocaleString('en-US')} events · 1 unreadable file`);
    const none = model.view(day, { pattern: parseFilterPattern('{ $.eventName = "NoSuchCall" }'), rules: [] });
    assert.ok(none.rows.some((r) => r.kind === 'status' && /^None of [\d,]+ events match/.test(r.label)));
  });

  test('a read can be stopped: what was read stays and the row offers to read the rest', async () => {
    const model = await open();
    const day = await dayNode(model);
    const read = model.start(day);
    model.cancel(day);
    await read.finished;
    assert.equal(read.phase, 'cancelled');
    const view = model.view(day, NO_FILTER);
    assert.ok(view.rows.some((r) => r.kind === 'status' && r.action === 'retry' && /^Stopped after/.test(r.label)));
    const again = model.start(day);
    await again.finished;
    assert.equal(again.phase, 'done');
  });

  test('the files group reads lookup-events output', async () => {
    const model = await open();
    const group = (await model.roots()).find((r) => r.kind === 'trailFiles') as BucketNode;
    await model.start(group).finished;
    const view = model.view(group, NO_FILTER);
    const ids = view.rows.flatMap((r) => (r.kind === 'event' ? [r.record.eventID] : []));
    assert.deepEqual(new Set(ids), new Set(lookupRecords.map((r) => r.eventID)));
    assert.equal(model.find(lookupRecords[0].eventID)?.where, join(dir, 'exports', 'lookup.json'));
  });

  test('a folder with no trail files says where it looked', async () => {
    const empty = scratchDir('trail-source-empty-');
    try {
      const model = new TrailSourceModel(await localSource(engine, empty), () => {});
      await assert.rejects(model.roots(), (err: Error) => err.message.startsWith(`No trail log files in ${empty}`));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    await assert.rejects(localSource(engine, join(dir, 'missing')), /missing/);
  });

  test('request-ID search over the source: the hit and its file, what was searched, windows by delivery time', async () => {
    const target = account.records.find((r) => r.requestID && Date.parse(r.eventTime) < Date.parse(`${newestDay}T00:00:00Z`) - 3600_000);
    assert.ok(target?.requestID);
    let progress = 0;
    const found = await searchSource(engine, dir, target.requestID, undefined, { onFile: (done) => (progress = done) });
    assert.deepEqual(
      found.records.map((r) => r.eventID),
      [target.eventID],
    );
    assert.match(found.where[0], /\.json\.gz$/);
    assert.ok(found.where[0].startsWith(join(dir, 'AWSLogs')));
    assert.match(
      found.searched,
      /^[\d,]+ files \([\d,.]+ [KM]B inflated\) of .+, delivery days \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(\d+\), in [\d.]+ s; 1 file could not be read/,
    );
    assert.ok(progress > 0);
    // A window around the event reads only the files delivered in it (+15 min).
    const t = Date.parse(target.eventTime);
    const inWindow = await searchSource(engine, dir, target.requestID, { start: new Date(t - 600_000), end: new Date(t + 600_000) });
    assert.equal(inWindow.records[0]?.eventID, target.eventID);
    assert.match(inWindow.searched, /ruled out by delivery time/);
    const before = await searchSource(engine, dir, target.requestID, { start: new Date(t - 7200_000), end: new Date(t - 3600_000) });
    assert.equal(before.records.length, 0);
    const missing = await searchSource(engine, dir, '00000000-0000-4000-8000-000000000000', undefined);
    assert.equal(missing.records.length, 0);
    assert.match(missing.searched, /^[\d,]+ files/);
  });
});
