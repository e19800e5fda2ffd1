/**
 * From the sample account's failed stack to the template line, through the real CloudFormation and
 * CloudTrail SDK clients against the sample's endpoint: orders-backup-prd's failed BackupVault → its
 * CreateBackupVault event → the wrong-shaped encryptionKeyArn → the demo template's `!Ref BackupKey`
 * → `!GetAtt BackupKey.Arn`. The stack comes from the demo workspace's samconfig.toml.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, type Connection } from '../../src/core/aws';
import { findStackForTemplate } from '../../src/core/cloudformation/association';
import { stackFailures } from '../../src/core/cloudformation/failures';
import { findRefFixes } from '../../src/core/cloudformation/refFix';
import { parseTemplate, templateValue } from '../../src/core/cloudformation/template';
import { shapeProblems } from '../../src/core/investigate/shape';
import { SAMPLE_CREDENTIALS, serveSampleAccount, type SampleEndpoint } from '../../src/sample/serve';
import { writeDemoWorkspace } from '../../scripts/workbench/demoWorkspace';

describe('sample stack failure → template fix (real SDK clients, sample endpoint)', () => {
  let sample: SampleEndpoint;
  let connection: Connection;
  let dir = '';

  before(async () => {
    sample = await serveSampleAccount({ rate: 50 });
    connection = await connect({
      region: sample.region,
      endpointUrl: sample.url,
      cloudFormationEndpointUrl: sample.url,
      credentials: { ...SAMPLE_CREDENTIALS },
      env: {},
    });
    dir = mkdtempSync(join(tmpdir(), 'trail-lens-cfnfix-'));
    writeDemoWorkspace(dir, { records: sample.account.records, story: sample.account.story });
  });

  after(async () => {
    connection?.dispose?.();
    await sample?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the demo template names its stack, whose failure leads to the quick-fix edit', async () => {
    const templatePath = join(dir, 'template.yaml');
    const association = await findStackForTemplate({ templatePath, workspaceRoot: dir });
    assert.deepEqual(association, { stackName: 'orders-backup-prd', source: 'samconfig', file: join(dir, 'samconfig.toml') });

    const failures = await stackFailures(connection, association.stackName);
    const vault = failures.find((f) => f.logicalResourceId === 'BackupVault');
    assert.ok(vault, `BackupVault among ${failures.map((f) => f.logicalResourceId).join(', ')}`);
    assert.equal(vault.matchedBy, 'requestID');
    assert.equal(vault.event?.eventName, 'CreateBackupVault');

    const text = readFileSync(templatePath, 'utf8');
    const template = parseTemplate(text, 'template.yaml');
    const fixes = findRefFixes(template, vault.logicalResourceId, shapeProblems(vault.event!));
    assert.equal(fixes.length, 1);
    const [fix] = fixes;
    assert.equal(text.slice(fix!.edit.range.start, fix!.edit.range.end), '!Ref BackupKey');
    assert.equal(fix!.edit.text, '!GetAtt BackupKey.Arn');
    const fixed = text.slice(0, fix!.edit.range.start) + fix!.edit.text + text.slice(fix!.edit.range.end);
    const props = (templateValue(fixed) as { Resources: { BackupVault: { Properties: { EncryptionKeyArn: unknown } } } }).Resources
      .BackupVault.Properties;
    assert.deepEqual(props.EncryptionKeyArn, { 'Fn::GetAtt': ['BackupKey', 'Arn'] });
    // The other failed resources of the sample (no request ID in their reason) call for no fix.
    for (const f of failures.filter((x) => x !== vault)) {
      assert.deepEqual(f.event ? findRefFixes(template, f.logicalResourceId, shapeProblems(f.event)) : [], []);
    }
  });
});
