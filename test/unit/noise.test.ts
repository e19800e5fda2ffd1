/** Noise rules in core (src/core/noise.ts): the built-in rules, custom pattern rules, applyNoise's counts. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FilterPatternError } from '../../src/core/filter/pattern';
import { applyNoise, builtInNoiseRules, customNoiseRule, isAwsServiceCall, isNoise } from '../../src/core/noise';
import type { CloudTrailRecord } from '../../src/core/record';
import { generateSampleAccount } from '../../src/sample/account';

let n = 0;
function rec(over: Partial<CloudTrailRecord>): CloudTrailRecord {
  return { eventTime: '2024-08-08T14:20:00Z', eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', eventID: `e${++n}`, ...over };
}

const slr = rec({
  userIdentity: {
    type: 'AssumedRole',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        userName: 'AWSServiceRoleForConfig',
        arn: 'arn:aws:iam::1:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
      },
    },
  },
});
const read = rec({ readOnly: true, userIdentity: { type: 'IAMUser', userName: 'alice' } });
const viaCfn = rec({ readOnly: false, userIdentity: { type: 'AssumedRole', invokedBy: 'cloudformation.amazonaws.com' } });
const service = rec({ readOnly: false, userIdentity: { type: 'AWSService', invokedBy: 'backup.amazonaws.com' } });
const internal = rec({ userIdentity: { type: 'AssumedRole', invokedBy: 'AWS Internal' } });
const person = rec({ readOnly: false, userIdentity: { type: 'IAMUser', userName: 'bob' } });

describe('built-in noise rules', () => {
  test('ids, labels and order', () => {
    assert.deepEqual(
      builtInNoiseRules().map((r) => [r.id, r.label]),
      [
        ['serviceLinkedRoles', 'service-linked roles'],
        ['readOnly', 'read-only calls'],
        ['awsServices', 'calls made by AWS services'],
      ],
    );
  });

  test('calls made by AWS services: invokedBy a service principal, or the AWSService identity type', () => {
    assert.equal(isAwsServiceCall(viaCfn), true);
    assert.equal(isAwsServiceCall(service), true);
    assert.equal(isAwsServiceCall(internal), true);
    assert.equal(isAwsServiceCall(rec({ userIdentity: { type: 'AWSService' } })), true);
    assert.equal(isAwsServiceCall(person), false);
    assert.equal(isAwsServiceCall(rec({})), false);
    // Not a service principal: a lookalike, an IP, a person's text.
    assert.equal(isAwsServiceCall(rec({ userIdentity: { invokedBy: 'evil.example.com' } })), false);
    assert.equal(isAwsServiceCall(rec({ userIdentity: { invokedBy: 'amazonaws.com' } })), false);
    assert.equal(isAwsServiceCall(rec({ userIdentity: { invokedBy: 'x.amazonaws.com.evil.net' } })), false);
    assert.equal(isAwsServiceCall(rec({ userIdentity: { invokedBy: 42 as unknown as string } })), false);
  });

  test('the original switches behave as before (isNoise)', () => {
    assert.equal(isNoise(slr, { hideServiceLinkedRoles: false, hideReadOnly: false }), false);
    assert.equal(isNoise(slr, { hideServiceLinkedRoles: true, hideReadOnly: false }), true);
    assert.equal(isNoise(read, { hideServiceLinkedRoles: true, hideReadOnly: false }), false);
    assert.equal(isNoise(read, { hideServiceLinkedRoles: false, hideReadOnly: true }), true);
    // The new rule is not one of the switches: a service's call stays unless that rule is on.
    assert.equal(isNoise(viaCfn, { hideServiceLinkedRoles: true, hideReadOnly: true }), false);
  });
});

describe('custom noise rules', () => {
  test('a filter pattern as a rule', () => {
    const rule = customNoiseRule('KMS decrypts', '{ $.eventSource = kms.amazonaws.com && $.eventName = Decrypt }');
    assert.equal(rule.id, 'custom:KMS decrypts');
    assert.equal(rule.label, 'KMS decrypts');
    assert.equal(rule.matches(person), true);
    assert.equal(rule.matches(rec({ eventName: 'CreateKey' })), false);
  });

  test('a bad pattern throws FilterPatternError with its column', () => {
    assert.throws(
      () => customNoiseRule('bad', '{ $.eventName = }'),
      (err: unknown) => err instanceof FilterPatternError && err.column === 17,
    );
  });
});

describe('applyNoise', () => {
  test('counts each hidden event for the first rule that matches; kept events are always shown', () => {
    const rules = [...builtInNoiseRules(), customNoiseRule('bob', '{ $.userIdentity.userName = bob }')];
    // The service-linked role is also read-only here: it counts for serviceLinkedRoles, the first rule.
    const slrRead = { ...slr, eventID: 'slr-read', readOnly: true };
    const pinned = { ...read, eventID: 'pinned' };
    const records = [slrRead, read, viaCfn, service, person, pinned];
    const { shown, hidden } = applyNoise(records, rules, (r) => r.eventID === 'pinned');
    assert.deepEqual(
      shown.map((r) => r.eventID),
      ['pinned'],
    );
    assert.deepEqual(
      [...hidden],
      [
        ['serviceLinkedRoles', 1],
        ['readOnly', 1],
        ['awsServices', 2],
        ['custom:bob', 1],
      ],
    );
  });

  test('no rules: everything shown, nothing hidden', () => {
    const { shown, hidden } = applyNoise([person, read], []);
    assert.equal(shown.length, 2);
    assert.equal(hidden.size, 0);
  });

  test('on the sample account each built-in rule hides something, and the counts add up', () => {
    const { records } = generateSampleAccount({ now: new Date('2024-08-08T14:30:00Z') });
    const { shown, hidden } = applyNoise(records, builtInNoiseRules());
    for (const id of ['serviceLinkedRoles', 'readOnly', 'awsServices']) assert.ok((hidden.get(id) ?? 0) > 0, id);
    assert.equal(shown.length + [...hidden.values()].reduce((a, b) => a + b, 0), records.length);
    // CloudFormation's calls in the seed-000 story are calls made by an AWS service.
    assert.ok(records.some((r) => r.userIdentity?.invokedBy === 'cloudformation.amazonaws.com' && !shown.includes(r)));
  });
});
