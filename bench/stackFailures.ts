/**
 * Stack failure → CloudTrail event: Trail Lens against two peers' rules, measured in the same run on
 * the same sample stacks (the fake endpoint at LookupEvents' real 2 requests/s), quiet and busy.
 * - console: "Detect root cause" as awslabs' IaC MCP server mirrors it: the failure time ±60 s,
 *   ReadOnly = false, ONE page of 50, keep sourceIPAddress = cloudformation.amazonaws.com with an error.
 * - cdk diagnose: 5 min before to 2 min after, one unfiltered sweep of at most 10 pages, keep the
 *   events whose caller ARN (userIdentity.arn / sessionIssuer.arn) matches the deployment role.
 * A peer "finds" a failure when the true event is among what it keeps. Busy: 900 other write calls
 * from 30 s before each failure to 2 minutes after, so one page of 50 and ten pages of 50 no longer cover the window.
 * Run: node --import tsx bench/stackFailures.ts
 */
import { connect, type Connection } from '../src/core/aws';
import { stackFailures } from '../src/core/cloudformation/failures';
import { sharedLimiter } from '../src/core/limiter';
import { lookupPages, type LookupQuery } from '../src/core/lookup';
import type { CloudTrailRecord } from '../src/core/record';
import { generateSampleAccount, type SampleAccount } from '../src/sample/account';
import { startFakeCloudTrail, type FakeCloudTrail } from '../test/fake-cloudtrail/server';
import { makeRecord, assumedRole } from '../test/fake-cloudtrail/fixtures';
import { table } from './common';

interface Outcome {
  found: boolean;
  calls: number;
  seconds: number;
  truncated: boolean;
}

const STACKS = ['orders-backup-prd', 'orders-events-stg'];

/** Reads up to maxPages pages of one query; says whether more were left. */
async function pages(
  c: Connection,
  q: LookupQuery,
  maxPages: number,
): Promise<{ records: CloudTrailRecord[]; calls: number; truncated: boolean }> {
  const records: CloudTrailRecord[] = [];
  let calls = 0;
  let truncated = false;
  for await (const page of lookupPages(c.lookupEvents, q, { limiter: sharedLimiter(c.sharedKey) })) {
    calls++;
    records.push(...page.records);
    if (calls >= maxPages) {
      truncated = !!page.nextToken;
      break;
    }
  }
  return { records, calls, truncated };
}

async function consoleRule(c: Connection, at: number, truth: string): Promise<Outcome> {
  const t0 = performance.now();
  const r = await pages(
    c,
    { attribute: { key: 'ReadOnly', value: 'false' }, start: new Date(at - 60_000), end: new Date(at + 60_000), pageSize: 50 },
    1,
  );
  const kept = r.records.filter((x) => x.sourceIPAddress === 'cloudformation.amazonaws.com' && x.errorCode);
  return { found: kept.some((x) => x.eventID === truth), calls: r.calls, seconds: (performance.now() - t0) / 1000, truncated: r.truncated };
}

async function cdkRule(c: Connection, at: number, roleArn: string, truth: string): Promise<Outcome> {
  const t0 = performance.now();
  const r = await pages(c, { start: new Date(at - 5 * 60_000), end: new Date(at + 2 * 60_000), pageSize: 50 }, 10);
  const kept = r.records.filter((x) => x.userIdentity?.arn === roleArn || x.userIdentity?.sessionContext?.sessionIssuer?.arn === roleArn);
  return { found: kept.some((x) => x.eventID === truth), calls: r.calls, seconds: (performance.now() - t0) / 1000, truncated: r.truncated };
}

/** 900 write calls by a CI role (no error) from 30 s before each failure to 2 min after: a busy account's deploy minutes. */
function busyRecords(at: number): CloudTrailRecord[] {
  return Array.from({ length: 900 }, (_, i) =>
    makeRecord({
      at: at - 30_000 + Math.floor((i * 150_000) / 900),
      eventSource: 'ec2.amazonaws.com',
      eventName: 'CreateTags',
      readOnly: false,
      userIdentity: assumedRole('ci-runner', `job-${i % 7}`),
    }),
  );
}

async function run(account: SampleAccount, busy: boolean): Promise<string[][]> {
  const rows: string[][] = [];
  const extra: CloudTrailRecord[] = [];
  const failing = account.stacks.filter((s) => STACKS.includes(s.stackName));
  const failAt = (name: string) =>
    failing
      .find((s) => s.stackName === name)
      ?.events.find((e) => e.status.endsWith('_FAILED'))
      ?.timestamp.getTime() ?? 0;
  if (busy) for (const name of STACKS) extra.push(...busyRecords(failAt(name)));
  const fake: FakeCloudTrail = await startFakeCloudTrail({
    records: [...account.records, ...extra],
    stacks: account.stacks,
    rate: 2,
    region: account.region,
  });
  const c = await connect({
    endpointUrl: fake.url,
    cloudFormationEndpointUrl: fake.url,
    region: account.region,
    credentials: { accessKeyId: 'BENCH', secretAccessKey: 'x' },
  });
  try {
    for (const name of STACKS) {
      const t0 = performance.now();
      const [f] = await stackFailures(c, name, { now: account.end });
      const ours: Outcome = { found: !!f.event, calls: f.calls, seconds: (performance.now() - t0) / 1000, truncated: false };
      const truth = f.event?.eventID ?? '';
      const at = f.timestamp.getTime();
      const role = account.stacks.find((s) => s.stackName === name)?.roleArn ?? '';
      const session = f.event?.userIdentity?.arn ?? role;
      const peers: [string, Outcome][] = [
        ['Trail Lens', ours],
        ['console ±60 s, 1 page', await consoleRule(c, at, truth)],
        ['cdk diagnose −5/+2 min, ≤10 pages', await cdkRule(c, at, session, truth)],
      ];
      for (const [who, o] of peers)
        rows.push([
          busy ? 'busy' : 'quiet',
          `${name} (${f.matchedBy ?? 'none'})`,
          who,
          o.found ? 'found' : 'NOT FOUND',
          String(o.calls),
          o.seconds.toFixed(2),
          o.truncated ? 'truncated' : '',
          who === 'Trail Lens' ? '1.00×' : `${(o.calls / Math.max(1, ours.calls)).toFixed(2)}× calls`,
        ]);
    }
  } finally {
    c.dispose();
    await fake.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const account = generateSampleAccount({ now: new Date('2026-11-21T12:00:00Z') });
  const rows = [...(await run(account, false)), ...(await run(account, true))];
  console.log(
    table([
      ['account', 'failure (how Trail Lens matched)', 'rule', 'result', 'LookupEvents calls', 'seconds', '', 'calls vs Trail Lens'],
      ...rows,
    ]),
  );
  const missed = rows.filter((r) => r[2] === 'Trail Lens' && r[3] !== 'found');
  if (missed.length) {
    console.error(`Trail Lens missed ${missed.length} failure(s)`);
    process.exitCode = 1;
  }
}

void main();
