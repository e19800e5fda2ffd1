import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudTrailRecord } from '../../../src/core/record';
import { arnForm, formIn, formsAmong, formsOf, FormsIndex, mentions, shortForm } from '../../../src/core/investigate/valueForms';
import { generateSampleAccount } from '../../../src/sample/account';

const KEY_ID = '9z8yxw7u-987z-98zy-z987-9z87y65x4321';
const KEY_ARN = `arn:aws:kms:ap-northeast-1:123456789012:key/${KEY_ID}`;
const ALIAS = 'alias/orders-backup';
const ALIAS_ARN = `arn:aws:kms:ap-northeast-1:123456789012:${ALIAS}`;

function rec(id: string, name: string, fields: Partial<CloudTrailRecord>): CloudTrailRecord {
  return { eventTime: '2024-08-08T05:48:55Z', eventID: id, eventSource: 'kms.amazonaws.com', eventName: name, ...fields };
}

const createKey = rec('k1', 'CreateKey', { responseElements: { keyMetadata: { keyId: KEY_ID, arn: KEY_ARN, enabled: true } } });
const createAlias = rec('a1', 'CreateAlias', { requestParameters: { aliasName: ALIAS, targetKeyId: KEY_ID } });

describe('shortForm: what an ARN stands for', () => {
  test('key, alias, role (with a path) and bucket ARNs', () => {
    assert.deepEqual(shortForm(KEY_ARN), { short: KEY_ID, shortKind: 'key ID', arnKind: 'key ARN' });
    assert.deepEqual(shortForm(ALIAS_ARN), { short: ALIAS, shortKind: 'alias', arnKind: 'alias ARN' });
    assert.equal(shortForm('arn:aws:iam::123456789012:role/service-role/deploy')?.short, 'deploy');
    assert.equal(shortForm('arn:aws:s3:::my-bucket')?.short, 'my-bucket');
  });
  test('an S3 object, a user, a non-ARN have no short form here', () => {
    assert.equal(shortForm('arn:aws:s3:::my-bucket/key.txt'), undefined);
    assert.equal(shortForm('arn:aws:iam::123456789012:user/alice'), undefined);
    assert.equal(shortForm(KEY_ID), undefined);
  });
});

describe('formsOf', () => {
  test('a key ID alone knows only itself; the CreateKey response teaches its ARN', () => {
    assert.deepEqual([...formsOf(KEY_ID).forms.keys()], [KEY_ID]);
    const forms = formsOf(KEY_ID, [createKey]);
    assert.equal(forms.forms.get(KEY_ID), 'key ID');
    assert.equal(forms.forms.get(KEY_ARN), 'key ARN');
    assert.equal(arnForm(forms), KEY_ARN);
  });

  test('the alias joins the class through CreateAlias, in both directions', () => {
    const index = new FormsIndex().learnAll([createKey, createAlias]);
    const fromId = index.formsOf(KEY_ID);
    assert.equal(fromId.forms.get(ALIAS), 'alias');
    const fromArn = index.formsOf(KEY_ARN);
    assert.ok(fromArn.forms.has(KEY_ID) && fromArn.forms.has(ALIAS));
    // An alias ARN is derived from the value alone, then joined to the key through the alias name.
    const fromAliasArn = index.formsOf(ALIAS_ARN);
    assert.equal(fromAliasArn.forms.get(ALIAS), 'alias');
    assert.ok(fromAliasArn.forms.has(KEY_ID));
  });

  test('a failed CreateAlias teaches nothing', () => {
    const failed = rec('a2', 'CreateAlias', {
      errorCode: 'NotFoundException',
      requestParameters: { aliasName: 'alias/x', targetKeyId: KEY_ID },
    });
    assert.ok(!formsOf(KEY_ID, [failed]).forms.has('alias/x'));
  });

  test('any key ARN seen anywhere (resources) ties the key ID to it', () => {
    const describe = rec('d1', 'DescribeKey', { resources: [{ ARN: KEY_ARN, type: 'AWS::KMS::Key' }] });
    assert.equal(arnForm(formsOf(KEY_ID, [describe])), KEY_ARN);
  });

  test('a role name and its ARN; a bucket name and its ARN', () => {
    const role = rec('r1', 'CreateRole', {
      eventSource: 'iam.amazonaws.com',
      responseElements: { role: { roleName: 'deploy', arn: 'arn:aws:iam::123456789012:role/ci/deploy' } },
    });
    assert.equal(arnForm(formsOf('deploy', [role])), 'arn:aws:iam::123456789012:role/ci/deploy');
    assert.equal(formsOf('arn:aws:iam::123456789012:role/ci/deploy').forms.get('deploy'), 'role name');
    assert.equal(formsOf('arn:aws:s3:::my-logs').forms.get('my-logs'), 'bucket name');
  });
});

describe('formIn: which form a string holds', () => {
  const forms = formsOf(KEY_ID, [createKey, createAlias]);
  test('equal, an ARN standing for a form, or containing a long form', () => {
    assert.equal(formIn(KEY_ID, forms), KEY_ID);
    assert.equal(formIn(ALIAS_ARN, forms), ALIAS_ARN);
    assert.equal(formIn(`{"Resource":"${KEY_ARN}"}`, forms), KEY_ARN);
  });
  test('short values must be equal: "true" is not in "untrue"', () => {
    const t = formsOf('true');
    assert.equal(formIn('true', t), 'true');
    assert.equal(formIn('untrue', t), undefined);
    assert.equal(formIn('another-key', forms), undefined);
  });
});

describe('formsAmong: learning only from the records that mention a form', () => {
  test('gives what learning from every record gives, on the sample week', () => {
    const { records, story } = generateSampleAccount({ now: new Date('2024-08-08T07:49:00Z') });
    const all = formsOf(story.keyId, records);
    const among = formsAmong(records, story.keyId);
    assert.deepEqual([...among.forms.entries()].sort(), [...all.forms.entries()].sort());
    assert.deepEqual([...among.forms.values()].sort(), ['alias', 'alias ARN', 'key ARN', 'key ID']);
  });
  test('mentions looks into nested strings only', () => {
    const forms = formsOf(KEY_ID);
    assert.ok(mentions({ a: [{ b: `x${KEY_ID}y` }] }, forms));
    assert.ok(!mentions({ a: [1, true, null, { b: 'other' }] }, forms));
  });
});
