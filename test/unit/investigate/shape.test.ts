import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudTrailRecord } from '../../../src/core/record';
import { promisesArn, shapeProblems } from '../../../src/core/investigate/shape';
import { isArn, valueKind } from '../../../src/core/investigate/valueKind';

function record(
  requestParameters: Record<string, unknown> | null,
  errorCode: string | null = 'InvalidParameterValueException',
): CloudTrailRecord {
  return {
    eventTime: '2024-08-08T05:49:02Z',
    eventID: 'e1',
    eventSource: 'backup.amazonaws.com',
    eventName: 'CreateBackupVault',
    ...(errorCode ? { errorCode, errorMessage: 'Invalid Key provided by the user. %s' } : {}),
    requestParameters,
  };
}

describe('shapeProblems', () => {
  test('the failed deployment: a KMS key ID in encryptionKeyArn of the failed CreateBackupVault', () => {
    const problems = shapeProblems(
      record({
        backupVaultName: 'my-backup-vault',
        backupVaultTags: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        encryptionKeyArn: '9z8yxw7u-987z-98zy-z987-9z87y65x4321',
        creatorRequestId: 'a0000aa0-0a00-0000-4025-000000000a00',
      }),
    );
    assert.equal(problems.length, 1);
    const [p] = problems;
    assert.deepEqual(p.path, ['requestParameters', 'encryptionKeyArn']);
    assert.equal(p.name, 'encryptionKeyArn');
    assert.equal(p.value, '9z8yxw7u-987z-98zy-z987-9z87y65x4321');
    assert.equal(p.expected, 'ARN');
    assert.equal(p.valueKind, 'kms-key-id');
    assert.equal(
      p.message,
      'encryptionKeyArn expects an ARN, but "9z8yxw7u-987z-98zy-z987-9z87y65x4321" is not an ARN; it looks like a KMS key ID (an ARN looks like arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).',
    );
  });

  test('a successful call is never flagged: the service accepted what it was given', () => {
    assert.deepEqual(shapeProblems(record({ encryptionKeyArn: '9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e6f' }, null)), []);
  });

  test('ARNs pass, in every partition', () => {
    const params = {
      encryptionKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/9z8yxw7u-987z-98zy-z987-9z87y65x4321',
      roleArn: 'arn:aws-cn:iam::123456789012:role/deploy',
      BucketARN: 'arn:aws:s3:::my-bucket',
      topicArn: 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts',
    };
    assert.deepEqual(shapeProblems(record(params)), []);
  });

  test('a role name, a bucket name and an alias each say what they look like', () => {
    const problems = shapeProblems(record({ RoleARN: 'deploy-role', destinationBucketArn: 'my-logs-bucket', kmsKeyArn: 'alias/backup' }));
    assert.deepEqual(
      problems.map((p) => [p.name, p.valueKind]),
      [
        ['RoleARN', 'role-name'],
        ['destinationBucketArn', 'bucket-name'],
        ['kmsKeyArn', 'kms-alias'],
      ],
    );
    assert.match(problems[0].message, /looks like an IAM role name \(an ARN looks like arn:aws:iam::ACCOUNT:role\/NAME\)/);
    assert.match(problems[1].message, /arn:aws:s3:::BUCKET/);
  });

  test('nested parameters and list items give their full path', () => {
    const problems = shapeProblems(
      record({
        BackupPlan: { Rules: [{ CopyActions: [{ DestinationBackupVaultArn: 'other-vault' }] }] },
        ResourceArns: ['arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc', 'vol-0123456789abcdef0'],
      }),
    );
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        ['requestParameters', 'BackupPlan', 'Rules', 0, 'CopyActions', 0, 'DestinationBackupVaultArn'],
        ['requestParameters', 'ResourceArns', 1],
      ],
    );
    assert.equal(problems[1].name, 'ResourceArns');
    assert.equal(problems[1].valueKind, 'resource-id');
  });

  test('redacted values, numbers, objects and null parameters are not judged', () => {
    assert.deepEqual(shapeProblems(record({ roleArn: 'HIDDEN_DUE_TO_SECURITY_REASONS', keyArn: 7, policyArn: { a: 1 } })), []);
    assert.deepEqual(shapeProblems(record(null)), []);
  });

  test('an empty string says so', () => {
    const [p] = shapeProblems(record({ roleArn: '' }));
    assert.equal(p.valueKind, 'empty');
    assert.equal(p.message, 'roleArn expects an ARN, but "" is not an ARN; it looks like an empty string.');
  });

  test('a long value is shortened in the message, kept whole in value', () => {
    const long = 'x'.repeat(200);
    const [p] = shapeProblems(record({ roleArn: long }));
    assert.equal(p.value, long);
    assert.ok(p.message.length < 160, p.message);
  });
});

describe('promisesArn', () => {
  test('names that promise an ARN', () => {
    for (const name of [
      'arn',
      'Arn',
      'ARN',
      'encryptionKeyArn',
      'RoleARN',
      'role_arn',
      'kms-key-arn',
      'resourceArns',
      'TargetARNs',
      'key2Arn',
    ]) {
      assert.ok(promisesArn(name), name);
    }
  });
  test('words that merely end in "arn" do not', () => {
    for (const name of ['warn', 'learn', 'Barn', 'yarn', 'arnold', 'ARNAME', 'keyId']) assert.ok(!promisesArn(name), name);
  });
});

describe('valueKind', () => {
  test('shapes', () => {
    assert.equal(valueKind('arn:aws:kms:us-east-1:123456789012:key/abc'), 'arn');
    assert.equal(valueKind('mrk-1234abcd12ab34cd56ef1234567890ab'), 'kms-key-id');
    assert.equal(valueKind('1234abcd-12ab-34cd-56ef-1234567890ab', 'KeyId'), 'kms-key-id');
    assert.equal(valueKind('1234abcd-12ab-34cd-56ef-1234567890ab', 'jobId'), 'resource-id');
    assert.equal(valueKind('alias/aws/backup'), 'kms-alias');
    assert.equal(valueKind('123456789012'), 'account-id');
    assert.equal(valueKind('sg-0123456789abcdef0'), 'resource-id');
    assert.equal(valueKind('Admin', 'roleName'), 'role-name');
    assert.equal(valueKind('my.bucket', 'bucketName'), 'bucket-name');
    assert.equal(valueKind('My_Bucket', 'bucketName'), 'name');
    assert.equal(valueKind('   '), 'empty');
  });
  test('isArn wants the six parts', () => {
    assert.ok(isArn('arn:aws:s3:::bucket'));
    assert.ok(isArn('arn:aws:iam::aws:policy/ReadOnlyAccess'));
    assert.ok(!isArn('arn:aws:kms'));
    assert.ok(!isArn('ARN:aws:kms:us-east-1:123456789012:key/x'));
    assert.ok(!isArn('arn:aws:kms:us-east-1:123456789012:'));
  });
});
