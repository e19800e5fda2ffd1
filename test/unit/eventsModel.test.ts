/** The Events view's model in plain Node: paging along one NextToken chain, phases, pinned records, the noise pass and the message. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TrailLensError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import type { LookupQuery, Page } from '../../src/core/lookup';
import type { CloudTrailRecord } from '../../src/core/record';
import type { Session } from '../../src/extension/session';
import { builtInNoiseRules } from '../../src/core/noise';
import { EventsModel, THROTTLED_TEXT, type Display, type EventsSource, type PageOptions } from '../../src/extension/views/eventsModel';

const DAY_START = Date.UTC(2024, 7, 8);
const NONE: Display = { pattern: undefined, rules: [] };
const READ_ONLY_HIDDEN: Display = { pattern: undefined, rules: builtInNoiseRules().filter((r) => r.id === 'readOnly') };

/** What the sources below show: tests set it, as the view state does. */
let display: Display = NONE;
function shownWith(model: EventsModel, d: Display) {
  display = d;
  return model.shown();
}

function rec(id: string, minute: number, over: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  const t = new Date(Date.UTC(2024, 7, 8, 14, minute)).toISOString();
  return { eventID: id, eventTime: t, eventSource: 'backup.amazonaws.com', eventName: 'CreateBackupVault', readOnly: false, ...over };
}

const session = { label: 'dev @ eu-west-1', region: 'eu-west-1', sample: false } as Session;

/** A source whose pages come from `pages` by token ('' for the first); records what the model reported. */
function source(pages: Record<string, Page | TrailLensError>, over: Partial<EventsSource> = {}) {
  const calls: { token: string | undefined; query: LookupQuery }[] = [];
  const outcomes: (string | undefined)[] = [];
  const cached: Page[] = [];
  const answers = { identity: 'dev', view: 'all' };
  const src: EventsSource = {
    log: silentLogger,
    session: async () => session,
    answers: () => ({ ...answers }),
    query: () => ({ start: new Date(DAY_START), end: new Date(DAY_START + 86_400_000), pageSize: 2 }),
    describe: () => ({ range: 'Last 90 days', filters: [] }),
    fetchPage: async (_s, query, token, _opts: PageOptions) => {
      calls.push({ token, query });
      const page = pages[token ?? ''];
      if (page instanceof TrailLensError) throw page;
      assert.ok(page, `no page for token ${token}`);
      return page;
    },
    cachePage: async (_s, page) => {
      cached.push(page);
    },
    reportOutcome: (e) => outcomes.push(e?.code),
    progress: (task) => task(),
    display: () => display,
    ...over,
  };
  return { src, calls, outcomes, cached, answers };
}

function page(records: CloudTrailRecord[], nextToken?: string): Page {
  return { records, nextToken, query: { start: new Date(DAY_START), end: new Date(DAY_START + 86_400_000) } };
}

describe('events model', () => {
  test('the first page loads newest first, is cached and reports a healthy connection', async () => {
    const { src, outcomes, cached } = source({ '': page([rec('a', 1), rec('b', 9)], 't1') });
    const model = new EventsModel(src);
    const changes: string[] = [];
    model.onDidChange((c) => changes.push(c));
    assert.equal(model.phase, 'idle');
    await model.refresh();
    assert.equal(model.phase, 'ready');
    assert.deepEqual(
      model.records().map((r) => r.eventID),
      ['b', 'a'],
    );
    assert.equal(model.hasOlder, true);
    assert.deepEqual(outcomes, [undefined]);
    assert.equal(cached.length, 1);
    assert.ok(changes.includes('phase') && changes.includes('rows'));
  });

  test('"load older" follows the token once, without duplicates, and ignores a second call while loading', async () => {
    const { src, calls } = source({
      '': page([rec('c', 30), rec('b', 20)], 't1'),
      t1: page([rec('b', 20), rec('a', 10)]),
    });
    const model = new EventsModel(src);
    await model.refresh();
    await Promise.all([model.loadOlder(), model.loadOlder()]);
    assert.deepEqual(
      calls.map((c) => c.token),
      [undefined, 't1'],
    );
    assert.equal(calls[1].query, calls[0].query, 'the token is reused only with the query that produced it');
    assert.deepEqual(
      model.records().map((r) => r.eventID),
      ['c', 'b', 'a'],
    );
    assert.equal(model.hasOlder, false);
  });

  test('a failed older page is kept apart from the loaded events', async () => {
    const { src } = source({ '': page([rec('a', 1)], 't1'), t1: new TrailLensError('Network', 'Cannot connect') });
    const model = new EventsModel(src);
    await model.refresh();
    await model.loadOlder();
    assert.equal(model.phase, 'ready');
    assert.equal(model.olderError?.code, 'Network');
    assert.equal(model.error, undefined);
    assert.equal(model.size, 1);
  });

  test('an SSO error is the view error and is reported to the connection with its profile', async () => {
    const sso = new TrailLensError('SsoExpired', 'The AWS SSO session for profile dev has expired.', { profile: 'dev' });
    const { src, outcomes } = source({ '': sso });
    const model = new EventsModel(src);
    await model.refresh();
    assert.equal(model.phase, 'error');
    assert.equal(model.error?.code, 'SsoExpired');
    assert.equal(model.error?.profile, 'dev');
    assert.deepEqual(outcomes, ['SsoExpired']);
  });

  test('no credentials anywhere is a phase of its own, with no error row and no message', async () => {
    const { src, outcomes } = source({ '': new TrailLensError('NoCredentials', 'No AWS credentials were found') });
    const model = new EventsModel(src);
    await model.refresh();
    assert.equal(model.phase, 'noCredentials');
    assert.equal(model.error, undefined);
    assert.equal(shownWith(model, NONE).message, undefined);
    assert.deepEqual(outcomes, ['NoCredentials']);
  });

  test('cancellation is not an error and reports nothing', async () => {
    const { src, outcomes } = source({ '': new TrailLensError('Cancelled', 'Cancelled') });
    const model = new EventsModel(src);
    await model.refresh();
    assert.equal(model.phase, 'idle');
    assert.deepEqual(outcomes, []);
  });

  test('the noise pass hides matching events, never pinned ones, and the message counts them', async () => {
    const { src } = source({ '': page([rec('w', 20), rec('r', 10, { readOnly: true })]) });
    const model = new EventsModel(src);
    await model.refresh();
    const quiet = shownWith(model, READ_ONLY_HIDDEN);
    assert.deepEqual(
      quiet.shown.map((r) => r.eventID),
      ['w'],
    );
    assert.equal(quiet.hidden, 1);
    assert.match(quiet.message ?? '', /^Last 90 days · 1 event loaded: .* UTC · 1 hidden by noise rules$/);
    model.addRecords([rec('jumped', 5, { readOnly: true })]);
    assert.deepEqual(
      shownWith(model, READ_ONLY_HIDDEN).shown.map((r) => r.eventID),
      ['w', 'jumped'],
    );
    assert.equal(shownWith(model, NONE).hidden, 0);
  });

  test('pinned events survive a reload of the same question, and go with another account or question', async () => {
    const { src, answers } = source({ '': page([rec('a', 1)]) });
    const model = new EventsModel(src);
    await model.refresh();
    model.addRecords([rec('jumped', 5)]);
    await model.refresh();
    assert.deepEqual(
      model.records().map((r) => r.eventID),
      ['jumped', 'a'],
    );
    answers.identity = 'prod';
    await model.refresh();
    assert.deepEqual(
      model.records().map((r) => r.eventID),
      ['a'],
    );
  });

  test('throttling shows in the message while the page waits', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const messages: (string | undefined)[] = [];
    const { src } = source(
      {},
      {
        fetchPage: async (_s, query, _token, opts) => {
          opts.onWaiting(true);
          messages.push(shownWith(model, NONE).message);
          await gate;
          opts.onWaiting(false);
          return { records: [rec('a', 1)], query };
        },
      },
    );
    const model = new EventsModel(src);
    const done = model.refresh();
    await new Promise((r) => setImmediate(r));
    assert.equal(model.waiting, true);
    release();
    await done;
    assert.deepEqual(messages, [THROTTLED_TEXT]);
    assert.equal(model.waiting, false);
    assert.match(shownWith(model, NONE).message ?? '', /^Last 90 days · 1 event loaded: /);
  });

  test('a refresh drops an older page still loading for the previous query', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { src } = source(
      {},
      {
        fetchPage: async (_s, query, token) => {
          if (token === 't1') {
            await gate;
            return { records: [rec('stale', 1)], query };
          }
          return { records: [rec('fresh', 30)], nextToken: 't1', query };
        },
      },
    );
    const model = new EventsModel(src);
    await model.refresh();
    const older = model.loadOlder();
    assert.equal(model.loadingOlder, true);
    const reload = model.refresh();
    release();
    await Promise.all([older, reload]);
    await model.whenIdle();
    assert.deepEqual(
      model.records().map((r) => r.eventID),
      ['fresh'],
    );
    assert.equal(model.loadingOlder, false);
  });

  const H = (h: number, m = 0) => Date.UTC(2024, 7, 8, h, m);
  const at = (id: string, h: number, m: number, over: Partial<CloudTrailRecord> = {}) =>
    rec(id, 0, { eventTime: new Date(H(h, m)).toISOString(), ...over });
  /** Pages by the window asked for: a fake CloudTrail over `all`, newest first, `size` per page. */
  function cloudTrail(all: CloudTrailRecord[], size: number, query: () => LookupQuery) {
    const calls: { start: number; end: number; token?: string }[] = [];
    const fetchPage: EventsSource['fetchPage'] = async (_s, q, token) => {
      calls.push({ start: q.start.getTime(), end: q.end.getTime(), token });
      const inWindow = all
        .filter((r) => Date.parse(r.eventTime) >= q.start.getTime() && Date.parse(r.eventTime) <= q.end.getTime())
        .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
      const from = token ? Number(token) : 0;
      const records = inWindow.slice(from, from + size);
      return { records, nextToken: from + size < inWindow.length ? String(from + size) : undefined, query: q };
    };
    return { calls, src: source({}, { fetchPage, query }).src };
  }

  test('a jumped-to event outside the loaded pages gets its neighbourhood loaded, and the gap between is shown, not counted', async () => {
    // 60 events 20:00–20:59 (newest page: 20:10–20:59), and 39 in the 19:00 hour.
    const all = [...Array.from({ length: 60 }, (_, i) => at(`n${i}`, 20, i)), ...Array.from({ length: 39 }, (_, i) => at(`o${i}`, 19, i))];
    const { src, calls } = cloudTrail(all, 50, () => ({ start: new Date(H(0)), end: new Date(H(21)), pageSize: 50 }));
    const model = new EventsModel(src);
    await model.refresh();
    assert.deepEqual(model.loaded, [{ start: H(20, 10), end: H(21) }]);
    await model.addRecords([all.find((r) => r.eventID === 'o16')!]);
    await model.whenIdle();
    // The neighbourhood 19:01–19:31 is its own stretch, asked for with a window of its own.
    assert.deepEqual(calls[1], { start: H(19, 1), end: H(19, 31), token: undefined });
    assert.deepEqual(model.loaded, [
      { start: H(20, 10), end: H(21) },
      { start: H(19, 1), end: H(19, 31) },
    ]);
    assert.deepEqual(model.gaps(), [
      { start: H(19, 31), end: H(20, 10) },
      { start: H(0), end: H(19, 1) },
    ]);
    assert.equal(model.hasOlder, true);
    const message = shownWith(model, NONE).message!;
    assert.equal(message, 'Last 90 days · 81 events loaded: 20:10–21:00, 19:01–19:31 UTC');
    // Loading the gap between continues the first chain (it stopped exactly there).
    await model.loadOlder(H(20, 10));
    assert.deepEqual(calls[2], { start: H(0), end: H(21), token: '50' });
    // Its second page reaches the start of the range: nothing is left unloaded.
    assert.deepEqual(model.gaps(), []);
    assert.equal(model.size, 99);
    assert.equal(shownWith(model, NONE).message, 'Last 90 days · 99 events loaded: 00:00–21:00 UTC');
  });

  test('refresh loads only what is new at the top and keeps what was paged in', async () => {
    const all = Array.from({ length: 6 }, (_, i) => at(`e${i}`, 10, i * 5));
    let end = H(11);
    const { src, calls } = cloudTrail(all, 2, () => ({ start: new Date(H(0)), end: new Date(end), pageSize: 2 }));
    const model = new EventsModel(src);
    await model.refresh();
    await model.loadOlder();
    await model.loadOlder();
    assert.equal(model.size, 6);
    all.push(at('new1', 11, 10), at('new2', 11, 20));
    end = H(12);
    await model.refresh();
    assert.equal(model.size, 8, 'the paged-in events stay');
    // Only the top is asked for: from the delivery lag before the newest loaded time.
    assert.deepEqual(calls.at(-1), { start: H(10, 45), end: H(12), token: undefined });
    assert.deepEqual(
      model
        .records()
        .slice(0, 2)
        .map((r) => r.eventID),
      ['new2', 'new1'],
    );
  });
});
