/**
 * The Events view's filter pattern and noise counts in plain Node: reading on until a page of
 * matches is shown or the window is read, Stop, "N shown of M scanned", per-rule hidden counts,
 * custom noise rules from settings, and the picker's helpers.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { builtInNoiseRules, customNoiseRule } from '../../src/core/noise';
import { silentLogger } from '../../src/core/logger';
import type { LookupQuery } from '../../src/core/lookup';
import type { CloudTrailRecord } from '../../src/core/record';
import { TrailLensError } from '../../src/core/errors';
import type { Session } from '../../src/extension/session';
import { viewMessage } from '../../src/extension/views/eventFormat';
import { EventsModel, type Display, type EventsSource } from '../../src/extension/views/eventsModel';
import { overridesFor, resolveNoise, withoutOverrides } from '../../src/extension/views/noiseSettings';
import { atProblem, fieldTemplate, patternProblemText, pushHistory } from '../../src/extension/views/patternChoices';

const H = (h: number, m = 0) => Date.UTC(2024, 7, 8, h, m);
const session = { label: 'dev @ eu-west-1', region: 'eu-west-1', sample: false } as Session;

function rec(id: string, minute: number, over: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  return {
    eventID: id,
    eventTime: new Date(H(10) + minute * 60_000).toISOString(),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    readOnly: true,
    ...over,
  };
}

/** `count` events one a minute from 10:00, every `every`-th one a failed AccessDenied call. */
function history(count: number, every: number): CloudTrailRecord[] {
  return Array.from({ length: count }, (_, i) =>
    rec(`e${i}`, i, i % every === 0 ? { errorCode: 'AccessDenied', eventName: 'PutBucketPolicy', readOnly: false } : {}),
  );
}

/** A fake CloudTrail over `all` paging `size` at a time, and a view whose display tests set. */
function world(all: CloudTrailRecord[], size: number, over: Partial<EventsSource> = {}) {
  const calls: { start: number; end: number; token?: string }[] = [];
  const view: { display: Display } = { display: { pattern: undefined, rules: [] } };
  let progressRuns = 0;
  const src: EventsSource = {
    log: silentLogger,
    session: async () => session,
    answers: () => ({ identity: 'dev', view: 'all' }),
    query: (): LookupQuery => ({ start: new Date(H(10)), end: new Date(H(12)), pageSize: size }),
    describe: () => ({ range: 'Last 90 days', filters: [] }),
    fetchPage: async (_s, q, token) => {
      calls.push({ start: q.start.getTime(), end: q.end.getTime(), token });
      const inWindow = all
        .filter((r) => Date.parse(r.eventTime) >= q.start.getTime() && Date.parse(r.eventTime) <= q.end.getTime())
        .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
      const from = token ? Number(token) : 0;
      const records = inWindow.slice(from, from + size);
      return { records, nextToken: from + size < inWindow.length ? String(from + size) : undefined, query: q };
    },
    cachePage: async () => {},
    reportOutcome: () => {},
    progress: (task) => {
      progressRuns++;
      return task();
    },
    display: () => view.display,
    ...over,
  };
  return { src, calls, view, progressRuns: () => progressRuns };
}

const denied = parseFilterPattern('{ $.errorCode = "AccessDenied*" }');

describe('filter pattern in the events model', () => {
  test('reads on until a page of matches is shown, leaving the rest of the window a gap', async () => {
    // 40 events, every 5th a match; pages of 4: two matches need 6 pages (24 events, matches e39…e15 by time).
    const { src, calls, view, progressRuns } = world(history(40, 5), 4);
    view.display = { pattern: denied, rules: [] };
    const model = new EventsModel(src);
    await model.refresh();
    const s = model.shown();
    assert.equal(s.shown.length, 4, 'a page (4) of matches');
    assert.ok(
      s.shown.every((r) => r.errorCode === 'AccessDenied'),
      'only matches are shown',
    );
    assert.equal(s.scanned, model.size);
    assert.equal(calls.length, Math.ceil(model.size / 4));
    assert.ok(
      calls.slice(1).every((c, i) => c.token === String((i + 1) * 4)),
      'one NextToken chain',
    );
    assert.equal(model.hasOlder, true, 'what was not read stays a gap');
    assert.equal(model.scanning, false);
    assert.ok(progressRuns() >= 2, 'the scan runs under the view progress');
    assert.match(
      s.message ?? '',
      new RegExp(`^Last 90 days · \\{ \\$\\.errorCode = "AccessDenied\\*" \\} · 4 shown of ${model.size} scanned: .+ UTC$`),
    );
  });

  test('a pattern that matches nothing reads the whole window and says so', async () => {
    const { src } = world(history(12, 100).slice(1), 4);
    const model = new EventsModel(src);
    await model.refresh();
    assert.equal(model.size, 4);
    // The pattern changes after the first page: the loaded events stay, the rest of the window is read.
    src.display = () => ({ pattern: denied, rules: [] });
    await model.patternChanged();
    assert.equal(model.size, 11);
    assert.deepEqual(model.gaps(), []);
    assert.equal(model.shown().shown.length, 0);
    assert.match(model.shown().message ?? '', /· 0 shown of 11 scanned: 10:00–12:00 UTC$/);
  });

  test('"Load older" with a pattern reads a page of matches more; without one, one page', async () => {
    const { src, calls, view } = world(history(60, 3), 3);
    view.display = { pattern: denied, rules: [] };
    const model = new EventsModel(src);
    await model.refresh();
    assert.equal(model.shown().shown.length, 3);
    await model.loadOlder();
    assert.equal(model.shown().shown.length, 6);
    const before = calls.length;
    view.display = { pattern: undefined, rules: [] };
    await model.loadOlder();
    assert.equal(calls.length, before + 1);
  });

  test('Stop ends the scan after the page in flight; the rest stays a gap to load', async () => {
    const { src, calls, view } = world(history(40, 40), 4);
    view.display = { pattern: denied, rules: [] };
    const model = new EventsModel(src);
    const inner = src.fetchPage;
    src.fetchPage = async (s, q, token, opts) => {
      if (calls.length === 2) model.stopScan();
      return inner(s, q, token, opts);
    };
    await model.refresh();
    assert.equal(calls.length, 3, 'the page in flight completes, no other is asked for');
    assert.equal(model.scanning, false);
    assert.equal(model.hasOlder, true);
    assert.match(model.shown().message ?? '', /· 0 shown of 12 scanned: 10:28–12:00 UTC$/);
  });

  test('a later page failing while scanning is that gap’s error; the first page stays', async () => {
    const { src, view } = world(history(20, 50), 4);
    view.display = { pattern: denied, rules: [] };
    const inner = src.fetchPage;
    src.fetchPage = async (s, q, token, opts) => {
      if (token === '8') throw new TrailLensError('Network', 'Cannot connect');
      return inner(s, q, token, opts);
    };
    const model = new EventsModel(src);
    await model.refresh();
    assert.equal(model.phase, 'ready');
    assert.equal(model.olderError?.code, 'Network');
    assert.equal(model.size, 8);
  });

  test('per-rule hidden counts among the matches; pinned events are never hidden', async () => {
    const all = [
      rec('a', 1, { errorCode: 'AccessDenied', readOnly: true }),
      rec('b', 2, {
        errorCode: 'AccessDenied',
        readOnly: false,
        userIdentity: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
      }),
      rec('c', 3, { errorCode: 'AccessDenied', readOnly: false }),
      rec('d', 4, { readOnly: true }),
    ];
    const { src, view } = world(all, 50);
    const rules = builtInNoiseRules().filter((r) => r.id !== 'serviceLinkedRoles');
    view.display = { pattern: denied, rules };
    const model = new EventsModel(src);
    await model.refresh();
    const s = model.shown();
    assert.deepEqual(
      s.shown.map((r) => r.eventID),
      ['c'],
    );
    assert.deepEqual(s.hiddenBy, [
      { id: 'readOnly', label: 'read-only calls', count: 1 },
      { id: 'awsServices', label: 'calls made by AWS services', count: 1 },
    ]);
    assert.equal(s.hidden, 2);
    assert.match(s.message ?? '', /· 1 shown of 4 scanned: .+ · 2 hidden by noise rules$/);
    // A jumped-to event shows whatever the pattern and rules say.
    await model.addRecords([rec('jumped', 5, { readOnly: true })]);
    assert.ok(model.shown().shown.some((r) => r.eventID === 'jumped'));
  });
});

describe('noise rules from settings', () => {
  test('built-in rules follow their settings, custom rules are on, the workspace overrides both', () => {
    const { choices, problems } = resolveNoise({
      builtIn: { serviceLinkedRoles: true, readOnly: false, awsServices: false },
      custom: [{ label: 'Config recorder', pattern: '{ $.sourceIPAddress = config.amazonaws.com }' }],
      overrides: { hideReadOnly: true, 'custom:Config recorder': false },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      choices.map((c) => [c.rule.id, c.on]),
      [
        ['serviceLinkedRoles', true],
        ['readOnly', true],
        ['awsServices', false],
        ['custom:Config recorder', false],
      ],
    );
    assert.ok(choices[3].rule.matches(rec('x', 1, { sourceIPAddress: 'config.amazonaws.com' })));
    // Only what differs from the defaults is stored.
    assert.deepEqual(overridesFor(choices, new Map([['readOnly', false]])), { 'custom:Config recorder': false });
    assert.deepEqual(
      withoutOverrides({ hideReadOnly: true, 'custom:x': false }, (id) => id === 'readOnly'),
      { 'custom:x': false },
    );
  });

  test('an unusable custom rule is skipped with a sentence naming it and the column', () => {
    const { choices, problems } = resolveNoise({
      builtIn: {},
      custom: [
        { label: 'Broken', pattern: '{ $.errorCode = }' },
        { label: 'Fine', pattern: '{ $.errorCode = "x" }' },
        { label: 'Fine', pattern: '{ $.errorCode = "y" }' },
        { pattern: '{ $.a = 1 }' },
      ],
      overrides: {},
    });
    assert.deepEqual(
      choices.filter((c) => c.pattern).map((c) => c.rule.label),
      ['Fine'],
    );
    assert.equal(problems.length, 3);
    assert.match(
      problems[0],
      /^The custom noise rule "Broken" \(trailLens\.noise\.customRules\[0\]\) is skipped: its pattern has an error at column 17: expected a value/,
    );
    assert.match(problems[1], /customRules\[3\] is skipped: it needs a "label" and a "pattern"/);
    assert.match(problems[2], /^The custom noise rule "Fine" is skipped: another rule has the same label/);
    assert.match(resolveNoise({ builtIn: {}, custom: 'oops', overrides: {} }).problems[0], /must be a list/);
  });

  test('a custom rule is core’s filter-pattern rule', () => {
    const rule = customNoiseRule('KMS decrypts', '{ $.eventName = Decrypt }');
    assert.equal(rule.matches(rec('x', 1, { eventName: 'Decrypt' })), true);
    assert.equal(rule.matches(rec('x', 1)), false);
  });
});

describe('pattern picker helpers', () => {
  test('the input box says the column and what was expected; a valid or empty pattern says nothing', () => {
    assert.equal(patternProblemText('{ $.errorCode = "AccessDenied" }'), undefined);
    assert.equal(patternProblemText('   '), undefined);
    assert.match(patternProblemText('{ $.errorCode = ') ?? '', /^Column 17: expected a value after '='/);
    assert.match(patternProblemText('$.errorCode = x') ?? '', /^Column 1: expected '\{'/);
    // The text to fix opens with the cursor where it stops parsing.
    assert.deepEqual(atProblem('{ $.errorCode = '), { value: '{ $.errorCode = ', selection: [16, 16] });
    assert.deepEqual(atProblem('{ $.a = 1 } x').selection, [12, 12]);
  });

  test('a field becomes a template with the cursor between the quotes, joined to the pattern in effect', () => {
    const t = fieldTemplate('errorCode');
    assert.deepEqual(t, { value: '{ $.errorCode = "" }', selection: [17, 17] });
    const narrowed = fieldTemplate('userIdentity.type', '{ $.eventSource = s3.amazonaws.com || $.eventSource = kms.amazonaws.com }');
    assert.equal(narrowed.value, '{ ($.eventSource = s3.amazonaws.com || $.eventSource = kms.amazonaws.com) && $.userIdentity.type = "" }');
    assert.equal(narrowed.value.slice(narrowed.selection[0], narrowed.selection[0] + 1), '"');
    // Filled in, it parses.
    const filled = narrowed.value.slice(0, narrowed.selection[0]) + 'Root' + narrowed.value.slice(narrowed.selection[0]);
    assert.equal(patternProblemText(filled), undefined);
  });

  test('history: most recent first, no duplicates, ten at most', () => {
    let h: string[] = [];
    for (let i = 0; i < 12; i++) h = pushHistory(h, `{ $.n = ${i} }`);
    h = pushHistory(h, '{ $.n = 5 }');
    assert.equal(h.length, 10);
    assert.equal(h[0], '{ $.n = 5 }');
    assert.equal(h.filter((x) => x === '{ $.n = 5 }').length, 1);
  });

  test('the message with a pattern says what was shown of what was scanned', () => {
    assert.equal(
      viewMessage({
        range: 'Last 90 days',
        filters: ['EventSource = s3.amazonaws.com'],
        pattern: '{ $.errorCode = "AccessDenied" }',
        shown: 3,
        scanned: 1250,
        hidden: 0,
        loaded: [{ start: H(10, 5), end: H(14, 20) }],
      }),
      'Last 90 days · EventSource = s3.amazonaws.com · { $.errorCode = "AccessDenied" } · 3 shown of 1,250 scanned: 10:05–14:20 UTC',
    );
  });
});
