/** core/trailLayout.ts: keys and paths of the trail layout, delivery times, the window's days and files. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  awsLogsBase,
  dayFoldersFor,
  deliveryMayHold,
  deliveryTimeOfName,
  keyMayHold,
  listTrailAccounts,
  listTrailDays,
  listTrailRegions,
  parseTrailKey,
  regionFolder,
  trailFileKind,
  type FolderLister,
} from '../../src/core/trailLayout';

const KEY =
  'logs/AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz';

describe('parseTrailKey', () => {
  test('reads prefix, account, Region, day and delivery time (AWS’s example name)', () => {
    assert.deepEqual(parseTrailKey(KEY), {
      prefix: 'logs',
      account: '111122223333',
      region: 'us-east-2',
      day: '2015-08-01',
      kind: 'log',
      deliveryTime: new Date('2015-08-01T02:10:00Z'),
    });
  });

  test('organization trails, no prefix, Windows paths, digests and Insights', () => {
    const org = parseTrailKey(
      'AWSLogs/o-exampleorgid/111122223333/CloudTrail/eu-west-1/2026/11/30/111122223333_CloudTrail_eu-west-1_20261130T2355Z_abcdefghijklmnop.json.gz',
    );
    assert.equal(org?.org, 'o-exampleorgid');
    assert.equal(org?.prefix, '');
    assert.equal(parseTrailKey('C:\\sync\\AWSLogs\\111122223333\\CloudTrail\\us-east-1\\2026\\01\\02\\x.json')?.day, '2026-01-02');
    const digest = parseTrailKey(
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/30/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261130T120000Z.json.gz',
    );
    assert.equal(digest?.kind, 'digest');
    assert.deepEqual(digest?.deliveryTime, new Date('2026-11-30T12:00:00Z'));
    assert.equal(trailFileKind('/data/AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/30/f.json.gz'), 'insight');
    assert.equal(trailFileKind('/data/other/f.json'), undefined);
    // Outside the layout (files copied out of the bucket), the name says what a file is.
    assert.equal(trailFileKind('/tmp/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261130T120000Z.json.gz'), 'digest');
    assert.equal(trailFileKind('C:\\tmp\\111122223333_CloudTrail-Insight_us-east-1_20261130T1205Z_abcdefghijklmnop.json.gz'), 'insight');
    assert.equal(trailFileKind('/tmp/111122223333_CloudTrail_us-east-1_20261130T1205Z_abcdefghijklmnop.json.gz'), undefined);
    assert.equal(parseTrailKey('AWSLogs/1234/CloudTrail/us-east-1/2026/11/30/f.json'), undefined, 'an account is 12 digits');
    assert.equal(deliveryTimeOfName('notes.json'), undefined);
  });

  test('awsLogsBase and regionFolder', () => {
    assert.equal(awsLogsBase(''), 'AWSLogs/');
    assert.equal(awsLogsBase('org-trail'), 'org-trail/AWSLogs/');
    assert.equal(awsLogsBase('org-trail/'), 'org-trail/AWSLogs/');
    assert.equal(awsLogsBase('p/AWSLogs/111122223333/CloudTrail/'), 'p/AWSLogs/');
    assert.equal(
      regionFolder('p/AWSLogs/', { org: 'o-exampleorgid', account: '111122223333', region: 'us-east-1' }),
      'p/AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-1/',
    );
  });
});

describe('the window’s days and files (delivery time, 15 minutes of lag)', () => {
  const window = { start: new Date('2026-11-30T23:50:30Z'), end: new Date('2026-11-30T23:55:00Z') };

  test('day folders run from the start’s day to the day of end + lag', () => {
    assert.deepEqual(dayFoldersFor(window), ['2026/11/30', '2026/12/01']);
    assert.deepEqual(dayFoldersFor(window, 0), ['2026/11/30']);
    assert.deepEqual(dayFoldersFor({ start: new Date('2026-11-28T10:00:00Z'), end: new Date('2026-11-30T01:00:00Z') }), [
      '2026/11/28',
      '2026/11/29',
      '2026/11/30',
    ]);
  });

  test('a file can hold the window when delivered from its first minute to end + 15 minutes', () => {
    const at = (t: string) => deliveryMayHold(new Date(t), window);
    assert.equal(at('2026-11-30T23:49:00Z'), false, 'delivered before the window began');
    assert.equal(at('2026-11-30T23:50:00Z'), true, 'named by the minute: may hold 23:50:30');
    assert.equal(at('2026-12-01T00:10:00Z'), true, 'end + 15 minutes');
    assert.equal(at('2026-12-01T00:11:00Z'), false);
    const name = (t: string) =>
      `AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/01/111122223333_CloudTrail_us-east-1_${t}Z_abcdefghijklmnop.json.gz`;
    assert.equal(keyMayHold(name('20261201T0005'), window), true);
    assert.equal(keyMayHold(name('20261201T0030'), window), false);
    assert.equal(
      keyMayHold('AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/12/01/d_20261201T000000Z.json.gz', window),
      false,
      'digests hold no events',
    );
    assert.equal(keyMayHold('exports/events.json', window), true, 'files outside the layout are read');
  });
});

describe('listing account → Region → day over any folder lister', () => {
  const tree: Record<string, string[]> = {
    'AWSLogs/': ['111122223333', 'o-exampleorgid', 'notes'],
    'AWSLogs/o-exampleorgid/': ['444455556666'],
    'AWSLogs/111122223333/CloudTrail/': ['us-east-1', 'eu-west-1', 'not-a-region'],
    'AWSLogs/111122223333/CloudTrail/us-east-1/': ['2026'],
    'AWSLogs/111122223333/CloudTrail/us-east-1/2026/': ['11', '12'],
    'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/': ['29', '30'],
    'AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/': ['01'],
  };
  const list: FolderLister = async (folder) => tree[folder] ?? [];

  test('accounts (organization members too), Regions, days newest first', async () => {
    assert.deepEqual(await listTrailAccounts(list, 'AWSLogs/'), [
      { account: '111122223333' },
      { org: 'o-exampleorgid', account: '444455556666' },
    ]);
    assert.deepEqual(
      (await listTrailRegions(list, 'AWSLogs/', { account: '111122223333' })).map((r) => r.region),
      ['eu-west-1', 'us-east-1'],
    );
    assert.deepEqual(await listTrailDays(list, 'AWSLogs/', { account: '111122223333', region: 'us-east-1' }), [
      '2026-12-01',
      '2026-11-30',
      '2026-11-29',
    ]);
  });
});
