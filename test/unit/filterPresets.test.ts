/** The CIS presets parse and find what they say; fieldPaths lists the selectable paths, most common first. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldPaths } from '../../src/core/filter/fieldPaths';
import { parseFilterPattern } from '../../src/core/filter/pattern';
import { FILTER_PRESETS } from '../../src/core/filter/presets';
import { generateSampleAccount } from '../../src/sample/account';

const call = (eventName: string, extra: Record<string, unknown> = {}) => ({
  eventName,
  eventSource: 'ec2.amazonaws.com',
  userIdentity: { type: 'IAMUser', userName: 'alice' },
  eventType: 'AwsApiCall',
  ...extra,
});

/** For each preset: a record it must match and one it must not. */
const CASES: Record<string, [Record<string, unknown>, Record<string, unknown>]> = {
  'cis-root-use': [
    call('CreateUser', { userIdentity: { type: 'Root' } }),
    call('CreateUser', { userIdentity: { type: 'Root', invokedBy: 'support.amazonaws.com' } }),
  ],
  'cis-unauthorized-api-calls': [
    call('RunInstances', { errorCode: 'Client.UnauthorizedOperation' }),
    call('RunInstances', { errorCode: 'Throttling' }),
  ],
  'cis-console-signin-without-mfa': [
    call('ConsoleLogin', { additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } }),
    call('ConsoleLogin', { additionalEventData: { MFAUsed: 'Yes' }, responseElements: { ConsoleLogin: 'Success' } }),
  ],
  'cis-iam-policy-changes': [
    call('AttachRolePolicy', { eventSource: 'iam.amazonaws.com' }),
    call('GetRolePolicy', { eventSource: 'iam.amazonaws.com' }),
  ],
  'cis-cloudtrail-changes': [call('StopLogging'), call('LookupEvents')],
  'cis-console-auth-failures': [call('ConsoleLogin', { errorMessage: 'Failed authentication' }), call('ConsoleLogin')],
  'cis-kms-key-disable-or-deletion': [
    call('ScheduleKeyDeletion', { eventSource: 'kms.amazonaws.com' }),
    call('DisableKey', { eventSource: 'kms.amazonaws.com.evil' }),
  ],
  'cis-s3-bucket-policy-changes': [
    call('PutBucketPolicy', { eventSource: 's3.amazonaws.com' }),
    call('GetBucketPolicy', { eventSource: 's3.amazonaws.com' }),
  ],
  'cis-config-changes': [
    call('StopConfigurationRecorder', { eventSource: 'config.amazonaws.com' }),
    call('StopConfigurationRecorder', { eventSource: 's3.amazonaws.com' }),
  ],
  'cis-security-group-changes': [call('AuthorizeSecurityGroupIngress'), call('DescribeSecurityGroups')],
  'cis-nacl-changes': [call('ReplaceNetworkAclEntry'), call('DescribeNetworkAcls')],
  'cis-network-gateway-changes': [call('AttachInternetGateway'), call('DescribeInternetGateways')],
  'cis-route-table-changes': [call('ReplaceRouteTableAssociation'), call('DescribeRouteTables')],
  'cis-vpc-changes': [call('CreateVpcPeeringConnection'), call('CreateSubnet')],
};

describe('CIS presets', () => {
  test('every preset has a case, ids are unique, and the twelve alarms the issue names are there', () => {
    assert.deepEqual(FILTER_PRESETS.map((p) => p.id).sort(), Object.keys(CASES).sort());
    assert.equal(new Set(FILTER_PRESETS.map((p) => p.label)).size, FILTER_PRESETS.length);
  });

  for (const preset of FILTER_PRESETS) {
    test(`${preset.label}: parses, matches its event, not the other`, () => {
      const p = parseFilterPattern(preset.pattern);
      const [yes, no] = CASES[preset.id];
      assert.equal(p.matches(yes), true, JSON.stringify(yes));
      assert.equal(p.matches(no), false, JSON.stringify(no));
      assert.ok(preset.description.includes('CloudWatch.'), 'names its Security Hub control');
    });
  }

  test('on the sample account the unauthorized-calls preset finds the AccessDenied events and nothing else', () => {
    const account = generateSampleAccount({ now: new Date('2024-08-08T14:30:00Z') });
    const p = parseFilterPattern(FILTER_PRESETS.find((x) => x.id === 'cis-unauthorized-api-calls')!.pattern);
    const found = account.records.filter((r) => p.matches(r));
    const expected = account.records.filter((r) => /^AccessDenied|UnauthorizedOperation$/.test(r.errorCode ?? ''));
    assert.ok(found.length > 0);
    assert.deepEqual(
      found.map((r) => r.eventID),
      expected.map((r) => r.eventID),
    );
  });
});

describe('fieldPaths', () => {
  test('dotted paths with [0] for arrays, most common first, ties by name', () => {
    const paths = fieldPaths([
      { eventName: 'A', userIdentity: { type: 'Root' }, resources: [{ type: 't', ARN: 'a' }, { other: 1 }] },
      { eventName: 'B', errorCode: 'X', requestParameters: null },
      { eventName: 'C', userIdentity: { type: 'IAMUser', sessionContext: { attributes: { mfaAuthenticated: 'false' } } } },
    ]);
    assert.deepEqual(paths, [
      'eventName',
      'userIdentity.type',
      'errorCode',
      'requestParameters',
      'resources[0].ARN',
      'resources[0].type',
      'userIdentity.sessionContext.attributes.mfaAuthenticated',
    ]);
  });

  test('keys a selector cannot name, empty arrays and non-objects are left out; the limit applies', () => {
    const paths = fieldPaths([{ 'cluster.name': 'x', 'ok-key_1': 1, empty: [], deep: { a: [[{ b: true }]] } }, 'text', null, [1, 2]]);
    assert.deepEqual(paths, ['deep.a[0][0].b', 'ok-key_1']);
    assert.deepEqual(fieldPaths([{ a: 1, b: 1, c: 1 }], 2), ['a', 'b']);
  });

  test('every path it lists can be read by a pattern', () => {
    const account = generateSampleAccount({ now: new Date('2024-08-08T14:30:00Z') });
    const paths = fieldPaths(account.records, 2000);
    assert.ok(paths.length > 50 && paths[0] !== undefined);
    for (const path of paths) {
      const p = parseFilterPattern(`{ $.${path} = * || $.${path} IS NULL || $.${path} IS TRUE || $.${path} IS FALSE }`);
      assert.ok(
        account.records.some((r) => p.matches(r)),
        path,
      );
    }
  });

  test('is linear: a 256 KB record is walked quickly', () => {
    const big = { requestParameters: { items: Array.from({ length: 4000 }, (_, i) => ({ name: `n${i}`, value: 'v'.repeat(50) })) } };
    const t0 = performance.now();
    assert.deepEqual(fieldPaths([big]), ['requestParameters.items[0].name', 'requestParameters.items[0].value']);
    assert.ok(performance.now() - t0 < 500);
  });
});
