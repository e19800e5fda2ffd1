/** CloudFormation templates with positions (YAML short forms, JSON), the Ref table, stack association and the Ref → GetAtt fix. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  findStackForTemplate,
  stackFromSamconfig,
  stackFromSetting,
  stacksFromCdkManifest,
} from '../../src/core/cloudformation/association';
import { shortStatusReason } from '../../src/core/cloudformation/reason';
import { findRefFixes } from '../../src/core/cloudformation/refFix';
import { shapeProblems, type ShapeProblem } from '../../src/core/investigate/shape';
import { refReturn, refReturnTable } from '../../src/core/cloudformation/refReturns';
import { looksLikeTemplate } from '../../src/core/cloudformation/templateText';
import { lineColumn, parseTemplate, pathText, templateValue } from '../../src/core/cloudformation/template';
import { TrailLensError } from '../../src/core/errors';
import { samconfigToml, TEMPLATE_YAML } from '../../scripts/workbench/demoWorkspace';

const at = (text: string, r: { start: number; end: number }): string => text.slice(r.start, r.end);

const YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  BackupKey:
    Type: AWS::KMS::Key
  BackupVault:
    Type: AWS::Backup::BackupVault
    Properties:
      EncryptionKeyArn: !Ref BackupKey # the bug
      Seq: !GetAtt [BackupKey, Arn]
      Joined: !Join ['', [!Ref BackupKey, !GetAtt BackupKey.Arn]]
      Long:
        Ref: BackupKey
      Flow: { "Fn::GetAtt": [BackupKey, KeyId] }
      Subbed: !Sub "\${BackupKey}"
      Cond: !If [IsPrd, !Select [0, !Split [",", !ImportValue Names]], !FindInMap [M, !Ref "AWS::Region", K]]
      Azs: !GetAZs ""
      B64: !Base64 x
      Cidr: !Cidr [10.0.0.0/16, 2, 8]
      Tr: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
Conditions:
  IsPrd: !And [!Equals [!Ref Stage, prd], !Not [!Condition Other], !Or [true, false]]
Outputs:
  O:
    Value: !Ref "BackupVault"
`;

describe('parseTemplate (YAML, short-form tags)', () => {
  const t = parseTemplate(YAML);

  test('resources with their type and the range of the logical ID key', () => {
    assert.equal(t.format, 'yaml');
    assert.deepEqual(
      t.resources.map((r) => [r.logicalId, r.type, at(YAML, r.keyRange)]),
      [
        ['BackupKey', 'AWS::KMS::Key', 'BackupKey'],
        ['BackupVault', 'AWS::Backup::BackupVault', 'BackupVault'],
      ],
    );
    const line = lineColumn(YAML, t.resources[1]!.keyRange.start);
    assert.deepEqual(line, { line: 5, column: 3 });
  });

  test('every Ref and GetAtt with the whole expression range and its property path', () => {
    const rows = t.references.map((r) => [r.kind, r.target, r.attribute, r.form, pathText(r.path), at(YAML, r.range)]);
    assert.deepEqual(rows, [
      ['Ref', 'BackupKey', undefined, 'short', 'Resources.BackupVault.Properties.EncryptionKeyArn', '!Ref BackupKey'],
      ['GetAtt', 'BackupKey', 'Arn', 'short', 'Resources.BackupVault.Properties.Seq', '!GetAtt [BackupKey, Arn]'],
      ['Ref', 'BackupKey', undefined, 'short', 'Resources.BackupVault.Properties.Joined.Fn::Join.1.0', '!Ref BackupKey'],
      ['GetAtt', 'BackupKey', 'Arn', 'short', 'Resources.BackupVault.Properties.Joined.Fn::Join.1.1', '!GetAtt BackupKey.Arn'],
      ['Ref', 'BackupKey', undefined, 'long', 'Resources.BackupVault.Properties.Long', 'Ref: BackupKey'],
      ['GetAtt', 'BackupKey', 'KeyId', 'long', 'Resources.BackupVault.Properties.Flow', '{ "Fn::GetAtt": [BackupKey, KeyId] }'],
      ['Ref', 'AWS::Region', undefined, 'short', 'Resources.BackupVault.Properties.Cond.Fn::If.2.Fn::FindInMap.1', '!Ref "AWS::Region"'],
      ['Ref', 'Stage', undefined, 'short', 'Conditions.IsPrd.Fn::And.0.Fn::Equals.0', '!Ref Stage'],
      ['Ref', 'BackupVault', undefined, 'short', 'Outputs.O.Value', '!Ref "BackupVault"'],
    ]);
  });

  test('every short form converts to its long form', () => {
    const v = templateValue(YAML) as { Resources: { BackupVault: { Properties: Record<string, unknown> } }; Conditions: unknown };
    const p = v.Resources.BackupVault.Properties;
    assert.deepEqual(p.EncryptionKeyArn, { Ref: 'BackupKey' });
    assert.deepEqual(p.Seq, { 'Fn::GetAtt': ['BackupKey', 'Arn'] });
    assert.deepEqual(p.Joined, { 'Fn::Join': ['', [{ Ref: 'BackupKey' }, { 'Fn::GetAtt': ['BackupKey', 'Arn'] }]] });
    assert.deepEqual(p.Subbed, { 'Fn::Sub': '${BackupKey}' });
    assert.deepEqual(p.Cond, {
      'Fn::If': [
        'IsPrd',
        { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::ImportValue': 'Names' }] }] },
        { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'K'] },
      ],
    });
    assert.deepEqual(p.Azs, { 'Fn::GetAZs': '' });
    assert.deepEqual(p.B64, { 'Fn::Base64': 'x' });
    assert.deepEqual(p.Cidr, { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] });
    assert.deepEqual(p.Tr, { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } });
    assert.deepEqual(v.Conditions, {
      IsPrd: {
        'Fn::And': [{ 'Fn::Equals': [{ Ref: 'Stage' }, 'prd'] }, { 'Fn::Not': [{ Condition: 'Other' }] }, { 'Fn::Or': [true, false] }],
      },
    });
  });

  test('the demo template: the one Ref to BackupKey in the vault, a line a person can find', () => {
    const demo = parseTemplate(TEMPLATE_YAML);
    const refs = demo.references.filter((r) => pathText(r.path) === 'Resources.BackupVault.Properties.EncryptionKeyArn');
    assert.equal(refs.length, 1);
    assert.equal(at(TEMPLATE_YAML, refs[0]!.range), '!Ref BackupKey');
    assert.equal(
      TEMPLATE_YAML.split('\n')[lineColumn(TEMPLATE_YAML, refs[0]!.range.start).line - 1]!.trim(),
      'EncryptionKeyArn: !Ref BackupKey',
    );
  });
});

describe('parseTemplate (JSON)', () => {
  const JSON_TEXT = JSON.stringify(
    {
      Resources: {
        K: { Type: 'AWS::KMS::Key' },
        V: { Type: 'AWS::Backup::BackupVault', Properties: { EncryptionKeyArn: { Ref: 'K' }, Other: { 'Fn::GetAtt': ['K', 'Arn'] } } },
      },
    },
    null,
    2,
  );

  test('positions of resources and of Ref / Fn::GetAtt maps', () => {
    const t = parseTemplate(JSON_TEXT);
    assert.equal(t.format, 'json');
    assert.deepEqual(
      t.resources.map((r) => [r.logicalId, r.type, at(JSON_TEXT, r.keyRange)]),
      [
        ['K', 'AWS::KMS::Key', '"K"'],
        ['V', 'AWS::Backup::BackupVault', '"V"'],
      ],
    );
    const rows = t.references.map((r) => [r.kind, r.target, r.attribute, pathText(r.path), JSON.parse(at(JSON_TEXT, r.range))]);
    assert.deepEqual(rows, [
      ['Ref', 'K', undefined, 'Resources.V.Properties.EncryptionKeyArn', { Ref: 'K' }],
      ['GetAtt', 'K', 'Arn', 'Resources.V.Properties.Other', { 'Fn::GetAtt': ['K', 'Arn'] }],
    ]);
  });
});

describe('malformed templates: a clear error, never a crash', () => {
  const cases: Array<[string, RegExp]> = [
    ['Resources:\n  A: [\n', /not valid YAML \(line \d+, column \d+\)/],
    ['{"Resources": {"A": ', /not valid JSON \(line 1, column \d+\)/],
    ['- just\n- a list\n', /its top level is not a mapping/],
    ['Resources:\n  A: 1\n  A: 2\n', /not valid YAML.*unique/i],
  ];
  for (const [text, message] of cases) {
    test(JSON.stringify(text), () => {
      assert.throws(
        () => parseTemplate(text, 'template.yaml'),
        (e: unknown) =>
          e instanceof TrailLensError && e.code === 'ParseError' && message.test(e.message) && e.message.startsWith('template.yaml'),
      );
    });
  }
  test('looksLikeTemplate tells templates from other YAML and JSON', () => {
    assert.equal(looksLikeTemplate(TEMPLATE_YAML), true);
    assert.equal(looksLikeTemplate('{\n  "Resources": {}\n}'), true);
    assert.equal(looksLikeTemplate('name: build\non: push\n'), false);
  });
});

describe('Ref return table', () => {
  test('the documented return values of the common types', () => {
    const row = (type: string) => {
      const r = refReturn(type);
      return r && [r.ref, r.arnAttribute];
    };
    assert.deepEqual(row('AWS::KMS::Key'), ['id', 'Arn']);
    assert.deepEqual(row('AWS::IAM::Role'), ['name', 'Arn']);
    assert.deepEqual(row('AWS::Lambda::Function'), ['name', 'Arn']);
    assert.deepEqual(row('AWS::SQS::Queue'), ['url', 'Arn']);
    assert.deepEqual(row('AWS::S3::Bucket'), ['name', 'Arn']);
    assert.deepEqual(row('AWS::SNS::Topic'), ['arn', undefined]);
    assert.deepEqual(row('AWS::KMS::Alias'), ['name', undefined]);
    assert.deepEqual(row('AWS::Backup::BackupVault'), ['name', 'BackupVaultArn']);
    assert.equal(refReturn('Custom::Thing'), undefined);
    assert.equal(refReturn(undefined), undefined);
  });
  test('every entry names its page in the template reference', () => {
    for (const r of refReturnTable()) {
      assert.match(
        r.source,
        /^https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-resource-[a-z0-9-]+\.html#/,
      );
      assert.ok(r.ref === 'arn' ? r.arnAttribute === undefined : true, `${r.type}: Ref is the ARN, no attribute needed`);
    }
    assert.equal(
      refReturn('AWS::KMS::Key')?.source.split('#')[0],
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html',
    );
  });
});

describe('Ref → GetAtt fix', () => {
  // The seed's failed call, as CloudTrail recorded it.
  const [problem] = shapeProblems({
    eventVersion: '1.09',
    eventTime: '2024-08-08T05:49:10Z',
    eventSource: 'backup.amazonaws.com',
    eventName: 'CreateBackupVault',
    awsRegion: 'ap-northeast-1',
    eventID: 'e0000000-0000-4000-8000-000000000000',
    sourceIPAddress: 'cloudformation.amazonaws.com',
    errorCode: 'InvalidParameterValueException',
    errorMessage: 'Invalid Key provided by the user. %s',
    requestParameters: { backupVaultName: 'my-backup-vault', encryptionKeyArn: '9z8yxw7u-987z-98zy-z987-9z87y65x4321' },
  }) as [ShapeProblem];

  test('YAML: the vault property found case-insensitively; the edit writes !GetAtt BackupKey.Arn', () => {
    const t = parseTemplate(TEMPLATE_YAML);
    const fixes = findRefFixes(t, 'BackupVault', [problem]);
    assert.equal(fixes.length, 1);
    const fix = fixes[0]!;
    assert.equal(fix.edit.text, '!GetAtt BackupKey.Arn');
    const fixed = TEMPLATE_YAML.slice(0, fix.edit.range.start) + fix.edit.text + TEMPLATE_YAML.slice(fix.edit.range.end);
    assert.match(fixed, /\n {6}EncryptionKeyArn: !GetAtt BackupKey\.Arn\n/);
    assert.deepEqual((templateValue(fixed) as { Resources: { BackupVault: { Properties: unknown } } }).Resources.BackupVault.Properties, {
      BackupVaultName: { 'Fn::Sub': '${AWS::StackName}-vault' },
      EncryptionKeyArn: { 'Fn::GetAtt': ['BackupKey', 'Arn'] },
    });
    assert.match(
      fix.message,
      /^EncryptionKeyArn wants an ARN, but Ref BackupKey returns the key ID \(AWS::KMS::Key\)\.\nThe failed call got encryptionKeyArn = "[0-9a-z-]{36}"\. Use !GetAtt BackupKey\.Arn\.$/,
    );
    // Once fixed there is nothing left to fix.
    assert.deepEqual(findRefFixes(parseTemplate(fixed), 'BackupVault', [problem]), []);
  });

  test('JSON: the edit writes the long form', () => {
    const text =
      '{\n  "Resources": {\n    "K": {"Type": "AWS::KMS::Key"},\n    "V": {"Type": "AWS::Backup::BackupVault", "Properties": {"EncryptionKeyArn": {"Ref": "K"}}}\n  }\n}\n';
    const [fix] = findRefFixes(parseTemplate(text), 'V', [problem]);
    assert.ok(fix);
    const fixed = text.slice(0, fix.edit.range.start) + fix.edit.text + text.slice(fix.edit.range.end);
    assert.deepEqual(JSON.parse(fixed).Resources.V.Properties, { EncryptionKeyArn: { 'Fn::GetAtt': ['K', 'Arn'] } });
  });

  test('no fix for another resource, a Ref that is already an ARN, a type without an ARN attribute, or a Ref inside a function', () => {
    const text = `Resources:
  T: { Type: AWS::SNS::Topic }
  A: { Type: AWS::KMS::Alias }
  K: { Type: AWS::KMS::Key }
  V:
    Type: AWS::Backup::BackupVault
    Properties:
      EncryptionKeyArn: !Ref T
      NotificationArn: !Ref A
      Other: !Join ['', [!Ref K]]
`;
    const t = parseTemplate(text);
    const shapes: ShapeProblem[] = ['encryptionKeyArn', 'notificationArn', 'other'].map((name) => ({
      ...problem,
      name,
      path: ['requestParameters', name],
    }));
    assert.deepEqual(findRefFixes(t, 'V', shapes), []);
    assert.deepEqual(findRefFixes(parseTemplate(TEMPLATE_YAML), 'BackupKey', [problem]), []);
  });
});

describe('shortStatusReason', () => {
  test("a handler's message without the service and token parentheses; other reasons as they are", () => {
    const seed =
      'Resource handler returned message: "Invalid Key provided by the user. %s (Service: Backup, Status Code: 400, Request ID: abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e)" (RequestToken: a1234bc5-1a23-1234-1234-123456789a01, HandlerErrorCode: InvalidRequest)';
    assert.equal(shortStatusReason(seed), 'Invalid Key provided by the user. %s');
    assert.equal(shortStatusReason('Internal Failure'), 'Internal Failure');
    assert.equal(shortStatusReason('Resource handler returned message: "Role is invalid"'), 'Role is invalid');
  });
});

describe('stack association', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trail-lens-assoc-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('samconfig.toml: deploy parameters, then global ones, per environment', async () => {
    assert.equal(await stackFromSamconfig(samconfigToml('orders-backup-prd')), 'orders-backup-prd');
    assert.equal(await stackFromSamconfig('version = 0.1\n[default.global.parameters]\nstack_name = "g"\n'), 'g');
    assert.equal(await stackFromSamconfig('version = 0.1\n[prod.deploy.parameters]\nstack_name = "p"\n', 'prod'), 'p');
    assert.equal(await stackFromSamconfig('version = 0.1\n[prod.deploy.parameters]\nstack_name = "p"\n'), undefined);
    assert.equal(await stackFromSamconfig('this is [not toml'), undefined);
  });

  test('cdk.out manifest: stack artifacts by template file, stackName or the artifact ID', () => {
    const manifest = JSON.stringify({
      version: '36.0.0',
      artifacts: {
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
        OrdersStack: {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: 'OrdersStack.template.json', stackName: 'orders-prd' },
        },
        Plain: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Plain.template.json' } },
      },
    });
    assert.deepEqual(
      [...stacksFromCdkManifest(manifest)],
      [
        ['OrdersStack.template.json', 'orders-prd'],
        ['Plain.template.json', 'Plain'],
      ],
    );
    assert.equal(stacksFromCdkManifest('{').size, 0);
  });

  test('the setting matches relative (either slash) or absolute paths', () => {
    const tpl = join(dir, 'infra', 'template.yaml');
    assert.equal(stackFromSetting({ 'infra/template.yaml': 'a' }, tpl, dir), 'a');
    assert.equal(stackFromSetting({ './infra/template.yaml': 'a' }, tpl, dir), 'a');
    assert.equal(stackFromSetting({ [tpl]: 'b' }, tpl), 'b');
    assert.equal(stackFromSetting({ 'other.yaml': 'c', 'infra/template.yaml': 7 }, tpl, dir), undefined);
  });

  test('order: setting, samconfig.toml up the folders, cdk manifest, the remembered pick', async () => {
    mkdirSync(join(dir, 'app', 'infra'), { recursive: true });
    mkdirSync(join(dir, 'cdk.out'), { recursive: true });
    const tpl = join(dir, 'app', 'infra', 'template.yaml');
    writeFileSync(tpl, TEMPLATE_YAML);
    const base = { templatePath: tpl, workspaceRoot: dir };
    assert.equal(await findStackForTemplate(base), undefined);
    assert.deepEqual(await findStackForTemplate({ ...base, remembered: 'picked-one' }), { stackName: 'picked-one', source: 'picked' });
    writeFileSync(join(dir, 'app', 'samconfig.toml'), samconfigToml('from-sam'));
    assert.deepEqual(await findStackForTemplate(base), {
      stackName: 'from-sam',
      source: 'samconfig',
      file: join(dir, 'app', 'samconfig.toml'),
    });
    assert.deepEqual(await findStackForTemplate({ ...base, setting: { 'app/infra/template.yaml': 'from-setting' } }), {
      stackName: 'from-setting',
      source: 'setting',
    });
    const cdkTpl = join(dir, 'cdk.out', 'OrdersStack.template.json');
    writeFileSync(cdkTpl, '{"Resources": {}}');
    writeFileSync(
      join(dir, 'cdk.out', 'manifest.json'),
      JSON.stringify({
        artifacts: { OrdersStack: { type: 'aws:cloudformation:stack', properties: { templateFile: 'OrdersStack.template.json' } } },
      }),
    );
    assert.deepEqual(await findStackForTemplate({ templatePath: cdkTpl, workspaceRoot: dir }), {
      stackName: 'OrdersStack',
      source: 'cdk',
      file: join(dir, 'cdk.out', 'manifest.json'),
    });
  });
});
