/**
 * `find-request --regions/--profiles` through the built CLI (dist/cli.js): the sample account's
 * request ID in us-west-2 found from a search of all Regions, profiles in a temporary HOME against a
 * fake serving several Regions, per-Region failures named, exit codes 0 / 1 / 3.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OTHER_REGION, OTHER_REGION_REQUEST_ID, generateSampleAccount } from '../../src/sample/account';
import { makeRecord } from '../fake-cloudtrail/fixtures';
import { startFakeCloudTrail, type FakeCloudTrail } from '../fake-cloudtrail/server';
import { scratchDir } from '../harness/scratch';
import { cli, homeWithProfile } from './cliRun';

const ID = '6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a';

describe('trail-lens find-request across Regions', () => {
  let fake: FakeCloudTrail;
  let home: string;

  before(async () => {
    const now = Date.now();
    fake = await startFakeCloudTrail({
      rate: 2,
      perRegion: true,
      region: 'eu-west-1',
      records: [
        makeRecord({ awsRegion: 'eu-west-1', at: now - 3_600_000 }),
        makeRecord({ awsRegion: 'eu-west-2', at: now - 3_600_000 }),
        makeRecord({ awsRegion: 'eu-west-2', at: now - 7_200_000, requestID: ID, eventName: 'PutBucketPolicy' }),
      ],
    });
    home = homeWithProfile('eu-west-1');
  });
  after(() => fake.close());

  test('--sample --regions all finds the request ID placed in another Region and names it', async () => {
    assert.notEqual(generateSampleAccount().region, OTHER_REGION);
    const home = scratchDir('tl-cli-regions-');
    const r = await cli(['find-request', '--sample', '--regions', 'all', OTHER_REGION_REQUEST_ID], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).requestID, OTHER_REGION_REQUEST_ID);
    assert.match(r.stderr, /Searching 17 targets in parallel/);
    assert.match(r.stderr, new RegExp(`Found in Region ${OTHER_REGION}\\n`));
    assert.match(r.stderr, /ap-northeast-1: (stopped|not found)/);
    // The home Region alone does not have it: exit 1, saying where it looked.
    const alone = await cli(['find-request', '--sample', '--source', 'lambda.amazonaws.com', '--max-days', '1', OTHER_REGION_REQUEST_ID], {
      home,
    });
    assert.equal(alone.code, 1, alone.stderr);
  });

  test('--profiles × --regions: found with the profile named; missing everywhere says where it looked (exit 1)', async () => {
    const args = [
      'find-request',
      '--no-cache',
      '--endpoint-url',
      fake.url,
      '--profiles',
      'default,other',
      '--regions',
      'eu-west-1,eu-west-2',
    ];
    const r = await cli([...args, ID], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).eventName, 'PutBucketPolicy');
    assert.match(r.stderr, /Found in Region eu-west-2 with profile (default|other)/);
    const miss = await cli([...args, '--max-days', '1', '0a1b2c3d-0000-4000-8000-00000000abcd'], { home });
    assert.equal(miss.code, 1, miss.stderr);
    assert.match(miss.stderr, /searched 4 of 4 targets/);
    for (const t of ['eu-west-1 \\(default\\)', 'eu-west-1 \\(other\\)', 'eu-west-2 \\(default\\)', 'eu-west-2 \\(other\\)'])
      assert.match(miss.stderr, new RegExp(`\\n  ${t}: searched all events`));
    assert.doesNotMatch(miss.stderr, /AKIDCLITEST|secret|at .*\.js:\d+/);
  });

  test('a Region that fails is named and the others go on; exit 3 only when every target failed', async () => {
    fake.addFault({ kind: 'accessDenied', operation: 'LookupEvents', region: 'eu-west-1' });
    fake.addFault({ kind: 'unrecognizedClient', operation: 'LookupEvents', region: 'me-south-1' });
    // The Region that has the event answers late, so the failures elsewhere are in before the hit
    // cancels what is left (otherwise they may be reported as stopped, correctly, on a busy machine).
    fake.addFault({ kind: 'latency', latencyMs: 2000, operation: 'LookupEvents', region: 'eu-west-2' });
    try {
      const base = ['find-request', '--no-cache', '--endpoint-url', fake.url];
      const some = await cli([...base, '--regions', 'eu-west-1,me-south-1,eu-west-2', ID], { home });
      assert.equal(some.code, 0, some.stderr);
      assert.match(some.stderr, /eu-west-1: failed — Access denied.*cloudtrail:LookupEvents/);
      assert.match(some.stderr, /me-south-1: not enabled for this account — skipped/);
      const none = await cli([...base, '--regions', 'eu-west-1,me-south-1', ID], { home });
      assert.equal(none.code, 3, none.stderr);
      assert.match(none.stderr, /could not search eu-west-1: Access denied/);
      assert.match(none.stderr, /not enabled for the account \(skipped\): me-south-1/);
    } finally {
      fake.clearFaults();
    }
  });

  test('usage: a typo in --regions suggests the Region; --region with --regions is refused; --help lists both', async () => {
    const typo = await cli(['find-request', '--regions', 'eu-wset-1', ID], { home });
    assert.equal(typo.code, 2, typo.stderr);
    assert.match(typo.stderr, /'eu-wset-1' is not an AWS Region\. Did you mean .*eu-west-1/);
    const both = await cli(['find-request', '--region', 'eu-west-1', '--regions', 'all', ID], { home });
    assert.equal(both.code, 2, both.stderr);
    assert.match(both.stderr, /either --region or --regions/);
    const lookup = await cli(['lookup', '--regions', 'all'], { home });
    assert.equal(lookup.code, 2);
    assert.match(lookup.stderr, /'--regions' is not an option of lookup/);
    const help = await cli(['find-request', '--help'], { home });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--regions LIST +search these Regions at once: 'all'/);
    assert.match(help.stdout, /--profiles NAMES +search these profiles/);
    assert.match(help.stdout, /searched in us-east-1 first/);
  });
});
