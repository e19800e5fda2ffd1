/**
 * Filter-pattern matching (src/core/filter/pattern.ts) over the sample account's events and over a
 * 256 KB record: events per second and µs per event for representative patterns, next to two floors
 * measured in the same run on the same records — JSON.parse of each record's text (what reading the
 * event costs at all: LookupEvents hands every record over as a JSON string) and, for the simple
 * patterns, a hand-written JavaScript predicate doing the same test.
 *
 * Run: npm run bench -- filter   (BENCH_SECONDS=0.5 per measurement by default)
 * Exits 1 when a goal is missed (SAMPLE_GOAL, BIG_GOAL): µs per event ("well under a millisecond"),
 * and the share of what JSON.parse of the same record costs in the same run (the ratio that does
 * not depend on how loaded the machine is).
 */
import { parseFilterPattern } from '../src/core/filter/pattern';
import { FILTER_PRESETS } from '../src/core/filter/presets';
import type { CloudTrailRecord } from '../src/core/record';
import { generateSampleAccount } from '../src/sample/account';
import { table } from './common';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.5);
/**
 * Goals: µs per sample event and its share of JSON.parse; for the 256 KB record (JSON.parse alone
 * takes 1–3 ms) under a millisecond and never more than parsing the record.
 */
const SAMPLE_GOAL = { us: 20, share: 0.5 };
const BIG_GOAL = { us: 1000, share: 1 };

/** Runs `fn` over `items` until `SECONDS` have passed; returns µs per item and the number of matches in one pass. */
function measure<T>(items: readonly T[], fn: (x: T) => unknown): { us: number; matched: number } {
  let matched = 0;
  for (const x of items) if (fn(x)) matched++;
  // Warm up, then time whole passes.
  for (let k = 0; k < 3; k++) for (const x of items) fn(x);
  let passes = 0;
  let sink = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (const x of items) if (fn(x)) sink++;
    passes++;
    elapsed = performance.now() - t0;
  } while (elapsed < SECONDS * 1000);
  if (sink < 0) console.log(sink);
  return { us: (elapsed * 1000) / (passes * items.length), matched };
}

const preset = (id: string) => FILTER_PRESETS.find((p) => p.id === id)!.pattern;

interface Case {
  name: string;
  pattern: string;
  /** The same test written by hand, when it is short enough to write. */
  hand?: (r: CloudTrailRecord) => boolean;
}

const SAMPLE_CASES: Case[] = [
  { name: 'one equality', pattern: '{ $.errorCode = "AccessDenied" }', hand: (r) => r.errorCode === 'AccessDenied' },
  {
    name: 'CIS unauthorized (wildcards)',
    pattern: preset('cis-unauthorized-api-calls'),
    hand: (r) =>
      typeof r.errorCode === 'string' && (r.errorCode.endsWith('UnauthorizedOperation') || r.errorCode.startsWith('AccessDenied')),
  },
  {
    name: 'CIS root use (NOT EXISTS, !=)',
    pattern: preset('cis-root-use'),
    hand: (r) =>
      r.userIdentity?.type === 'Root' &&
      r.userIdentity.invokedBy === undefined &&
      typeof r.eventType === 'string' &&
      r.eventType !== 'AwsServiceEvent',
  },
  { name: 'CIS IAM policy changes (16 ||)', pattern: preset('cis-iam-policy-changes') },
  {
    name: 'deep path + IS FALSE',
    pattern: '{ $.userIdentity.sessionContext.sessionIssuer.userName = "AWSServiceRole*" && $.readOnly IS FALSE }',
  },
  { name: 'array index', pattern: '{ $.resources[0].type = "AWS::KMS::Key" }' },
  { name: '%regex% on eventName (2 terms)', pattern: '{ $.eventName = %^Put[A-Z]% || $.eventName = %^Delete[A-Z]% }' },
  { name: '%regex% on userAgent', pattern: '{ $.userAgent = %aws-cli/2\\.[0-9]+% }' },
];

/** A CloudTrail record of about 256 KB (the largest CloudTrail delivers): a big policy and many tags. */
function bigRecord(base: CloudTrailRecord): CloudTrailRecord {
  const statement = Array.from({ length: 1500 }, (_, i) => ({
    Sid: `Allow${i}`,
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: `arn:aws:s3:::bucket-${i}/*`,
  }));
  const tags = Array.from({ length: 800 }, (_, i) => ({ key: `tag-${i}`, value: 'v'.repeat(40) }));
  const r = {
    ...base,
    eventName: 'PutBucketPolicy',
    eventSource: 's3.amazonaws.com',
    requestParameters: { bucketName: 'bucket-0', policy: JSON.stringify({ Version: '2012-10-17', Statement: statement }), tags },
  };
  const size = JSON.stringify(r).length;
  if (size < 240_000 || size > 262_144) throw new Error(`the big record is ${size} bytes`);
  return r;
}

const BIG_CASES: Case[] = [
  { name: 'one equality', pattern: '{ $.eventName = "PutBucketPolicy" }', hand: (r) => r.eventName === 'PutBucketPolicy' },
  { name: 'CIS S3 bucket policy changes', pattern: preset('cis-s3-bucket-policy-changes') },
  { name: 'wildcard on the policy string', pattern: '{ $.requestParameters.policy = "*Deny*" }' },
  // Its literal "Deny" is nowhere in the policy: the search ends at once.
  { name: '%regex% on the policy string', pattern: '{ $.requestParameters.policy = %Effect.{3}Deny% }' },
  // Worst case: its literals are everywhere, so the automaton runs at each of the 1,500 statements.
  { name: '%regex% near-misses ×1500', pattern: '{ $.requestParameters.policy = %Effect.{3}Allow[0-9]% }' },
  { name: '%regex% anchored on the policy', pattern: '{ $.requestParameters.policy = %^\\{[A-Za-z]% }' },
  { name: 'deep array index', pattern: '{ $.requestParameters.tags[399].key = "tag-399" }' },
];

function run(title: string, records: CloudTrailRecord[], cases: Case[], goal: { us: number; share: number }): boolean {
  const texts = records.map((r) => JSON.stringify(r));
  const parse = measure(texts, (t) => JSON.parse(t));
  const rows = [
    ['pattern', 'matched', 'µs/event', 'events/s', '× JSON.parse', '× hand-written', `goal < ${goal.us} µs and < ${goal.share}× parse`],
  ];
  let ok = true;
  for (const c of cases) {
    const p = parseFilterPattern(c.pattern);
    const m = measure(records, (r) => p.matches(r));
    let versusHand = '';
    if (c.hand) {
      const h = measure(records, c.hand);
      if (h.matched !== m.matched) throw new Error(`${c.name}: the pattern matched ${m.matched}, the hand-written test ${h.matched}`);
      versusHand = (m.us / h.us).toFixed(1);
    }
    const pass = m.us < goal.us && m.us / parse.us < goal.share;
    ok &&= pass;
    rows.push([
      c.name,
      String(m.matched),
      m.us.toFixed(3),
      Math.round(1e6 / m.us).toLocaleString('en-US'),
      (m.us / parse.us).toFixed(3),
      versusHand,
      pass ? 'ok' : 'MISSED',
    ]);
  }
  console.log(
    `\n${title}: ${records.length} record(s); JSON.parse of each takes ${parse.us.toFixed(2)} µs (${Math.round(1e6 / parse.us).toLocaleString('en-US')}/s)`,
  );
  console.log(table(rows));
  return ok;
}

function main(): void {
  const account = generateSampleAccount({ now: new Date('2024-08-08T14:30:00Z') });
  const okSample = run('Sample account', account.records, SAMPLE_CASES, SAMPLE_GOAL);
  const okBig = run('A 256 KB record', [bigRecord(account.records[0])], BIG_CASES, BIG_GOAL);
  if (!okSample || !okBig) {
    console.log('\nA goal was missed.');
    process.exitCode = 1;
  }
}

main();
