/** The Events view's model in plain Node: paging along one NextToken chain, phases, pinned records, the noise pass and the message. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TrailLensError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import type { LookupQuery, Page } from '../../src/core/lookup';
import type { CloudTrailRecord } from '../../src/core/record';
import type { Session } from '../../src/extension/session';
import { EventsModel, THROTTLED_TEXT, type EventsSource, type PageOptions } from '../../src/extension/views/eventsModel';

const NONE = { hideServiceLinkedRoles: false, hideReadOnly: false };
const READ_ONLY_HIDDEN = { hideServiceLinkedRoles: false, hideReadOnly: true };

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
    query: () => ({ start: new Date(0), end: new Date(1), pageSize: 2 }),
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
    ...over,
  };
  return { src, calls, outcomes, cached, answers };
}

function page(records: CloudTrailRecord[], nextToken?: string): Page {
  return { records, nextToken, query: { start: new Date(0), end: new Date(1) } };
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
    assert.deepEqual(model.records().map((r) => r.eventID), ['b', 'a']);
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
    assert.deepEqual(calls.map((c) => c.token), [undefined, 't1']);
    assert.equal(calls[1].query, calls[0].query, 'the token is reused only with the query that produced it');
    assert.deepEqual(model.records().map((r) => r.eventID), ['c', 'b', 'a']);
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
    assert.equal(model.shown(NONE).message, undefined);
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
    const quiet = model.shown(READ_ONLY_HIDDEN);
    assert.deepEqual(quiet.shown.map((r) => r.eventID), ['w']);
    assert.equal(quiet.hidden, 1);
    assert.match(quiet.message ?? '', /^1 event, .* · 1 hidden by noise rules$/);
    model.addRecords([rec('jumped', 5, { readOnly: true })]);
    assert.deepEqual(model.shown(READ_ONLY_HIDDEN).shown.map((r) => r.eventID), ['w', 'jumped']);
    assert.equal(model.shown(NONE).hidden, 0);
  });

  test('pinned events survive a reload of the same question, and go with another account or question', async () => {
    const { src, answers } = source({ '': page([rec('a', 1)]) });
    const model = new EventsModel(src);
    await model.refresh();
    model.addRecords([rec('jumped', 5)]);
    await model.refresh();
    assert.deepEqual(model.records().map((r) => r.eventID), ['jumped', 'a']);
    answers.identity = 'prod';
    await model.refresh();
    assert.deepEqual(model.records().map((r) => r.eventID), ['a']);
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
          messages.push(model.shown(NONE).message);
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
    assert.match(model.shown(NONE).message ?? '', /^1 event, /);
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
    assert.deepEqual(model.records().map((r) => r.eventID), ['fresh']);
    assert.equal(model.loadingOlder, false);
  });
});
