import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudTrailRecord } from '../../../src/core/record';
import { classify, holdersIn, hitsIn, roleOf, shouldHaveBeen } from '../../../src/core/investigate/provenance';
import { shapeProblems } from '../../../src/core/investigate/shape';
import { formsOf } from '../../../src/core/investigate/valueForms';
import { generateSampleAccount } from '../../../src/sample/account';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}`;

function rec(id: string, time: string, name: string, fields: Partial<CloudTrailRecord>): CloudTrailRecord {
  return { eventTime: time, eventID: id, eventSource: 'kms.amazonaws.com', eventName: name, ...fields };
}

const createKey = rec('k1', '2024-08-08T05:48:55Z', 'CreateKey', { responseElements: { keyMetadata: { keyId: KEY_ID, arn: KEY_ARN } } });
const failed = rec('v1', '2024-08-08T05:49:02Z', 'CreateBackupVault', {
  eventSource: 'backup.amazonaws.com',
  errorCode: 'InvalidParameterValueException',
  requestParameters: { backupVaultName: 'v', encryptionKeyArn: KEY_ID },
});
const schedule = rec('s1', '2024-08-08T05:50:00Z', 'ScheduleKeyDeletion', {
  requestParameters: { keyId: KEY_ID, pendingWindowInDays: 7 },
  responseElements: { keyId: KEY_ARN },
});
const describeKey = rec('d1', '2024-08-08T05:49:00Z', 'DescribeKey', { resources: [{ ARN: KEY_ARN }] });

describe('provenance', () => {
  test('hits give the path, the form found there and the ARN beside it', () => {
    const hits = hitsIn(createKey, formsOf(KEY_ID, [createKey]));
    assert.deepEqual(hits, [
      {
        path: 'responseElements.keyMetadata.keyId',
        form: KEY_ID,
        formKind: 'key ID',
        beside: { path: 'responseElements.keyMetadata.arn', arn: KEY_ARN },
      },
      { path: 'responseElements.keyMetadata.arn', form: KEY_ARN, formKind: 'key ARN' },
    ]);
  });

  test('roles: returned only → produced; passed in (even echoed back) → consumed; elsewhere → mentioned', () => {
    assert.equal(roleOf(['responseElements.keyMetadata.keyId']), 'produced');
    assert.equal(roleOf(['requestParameters.keyId', 'responseElements.keyId']), 'consumed');
    assert.equal(roleOf(['resources[0].ARN']), 'mentioned');
    const forms = formsOf(KEY_ID, [createKey]);
    const p = classify(holdersIn([schedule, describeKey, createKey, failed], forms, failed.eventID), Date.parse(failed.eventTime));
    assert.deepEqual(
      p.produced.map((h) => h.record.eventName),
      ['CreateKey'],
    );
    assert.deepEqual(
      p.consumed.map((h) => [h.record.eventName, h.hits.map((x) => `${x.path}=${x.formKind}`)]),
      [['ScheduleKeyDeletion', ['requestParameters.keyId=key ID', 'responseElements.keyId=key ARN']]],
    );
    assert.deepEqual(
      p.mentioned.map((h) => h.record.eventName),
      ['DescribeKey'],
    );
  });

  test('the producer nearest before the event comes first, later ones after', () => {
    const at = Date.parse('2024-08-08T06:00:00Z');
    const mk = (id: string, time: string) => rec(id, time, 'CreateKey', { responseElements: { keyId: KEY_ID } });
    const p = classify(
      holdersIn(
        [mk('late', '2024-08-08T06:30:00Z'), mk('old', '2024-08-08T04:00:00Z'), mk('near', '2024-08-08T05:59:00Z')],
        formsOf(KEY_ID),
      ),
      at,
    );
    assert.deepEqual(
      p.produced.map((h) => h.record.eventID),
      ['near', 'old', 'late'],
    );
  });

  test('shouldHaveBeen: the ARN the producer returned beside the value', () => {
    const [problem] = shapeProblems(failed);
    const forms = formsOf(KEY_ID, [createKey]);
    const [producer] = classify(holdersIn([createKey], forms)).produced;
    assert.equal(shouldHaveBeen(problem, producer, forms), KEY_ARN);
    assert.equal(shouldHaveBeen(problem, undefined, formsOf(KEY_ID)), undefined);
    assert.equal(shouldHaveBeen(problem, undefined, formsOf(KEY_ID, [describeKey])), KEY_ARN);
  });

  test('the sample account: encryptionKeyArn is flagged, its producer is the story CreateKey with the key ARN beside', () => {
    const { records, story } = generateSampleAccount({ now: new Date('2024-08-08T07:49:00Z') });
    const vault = records.find((r) => r.eventID === story.failedEventId) as CloudTrailRecord;
    const [problem] = shapeProblems(vault);
    assert.equal(problem.name, 'encryptionKeyArn');
    assert.equal(problem.valueKind, 'kms-key-id');
    const forms = formsOf(problem.value, records);
    const p = classify(holdersIn(records, forms, vault.eventID), Date.parse(vault.eventTime));
    assert.equal(p.produced[0].record.eventID, story.createKeyEventId);
    assert.equal(p.produced[0].hits[0].beside?.arn, story.keyArn);
    assert.equal(shouldHaveBeen(problem, p.produced[0], forms), story.keyArn);
    assert.ok(p.consumed.length > 0, 'DescribeKey, EnableKeyRotation … passed it in');
  });
});
