/** Service → eventSource mapping (docs/cloudtrail.md §7.4, every row) and the hints read around a request ID. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectHints } from '../../src/core/hints';
import { KNOWN_EVENT_SOURCES, parseEndpointHost, serviceToEventSource } from '../../src/core/services';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('serviceToEventSource', () => {
  // docs/cloudtrail.md §7.4 irregular table, row by row.
  const irregular: Array<[string, string]> = [
    ['CloudWatch', 'monitoring.amazonaws.com'],
    ['CloudWatchLogs', 'logs.amazonaws.com'],
    ['CloudWatchEvents', 'events.amazonaws.com'],
    ['EventBridge', 'events.amazonaws.com'],
    ['ElasticLoadBalancingV2', 'elasticloadbalancing.amazonaws.com'],
    ['Sfn', 'states.amazonaws.com'],
    ['CognitoIdentityProvider', 'cognito-idp.amazonaws.com'],
    ['CognitoIdentity', 'cognito-identity.amazonaws.com'],
    ['SsoAdmin', 'sso.amazonaws.com'],
    ['Efs', 'elasticfilesystem.amazonaws.com'],
    ['Emr', 'elasticmapreduce.amazonaws.com'],
    ['Directory', 'ds.amazonaws.com'],
    ['DatabaseMigration', 'dms.amazonaws.com'],
    ['AccessAnalyzer', 'access-analyzer.amazonaws.com'],
    ['AcmPca', 'acm-pca.amazonaws.com'],
    ['Keyspaces', 'cassandra.amazonaws.com'],
    ['CustomerProfiles', 'profile.amazonaws.com'],
    ['KinesisAnalyticsV2', 'kinesisanalytics.amazonaws.com'],
    ['GreengrassV2', 'greengrass.amazonaws.com'],
    ['BedrockAgent', 'bedrock.amazonaws.com'],
    ['BedrockRuntime', 'bedrock.amazonaws.com'],
    ['BedrockAgentRuntime', 'bedrock.amazonaws.com'],
    ['Bedrock', 'bedrock.amazonaws.com'],
    ['CloudControl', 'cloudcontrolapi.amazonaws.com'],
    ['Config', 'config.amazonaws.com'],
  ];
  for (const [name, source] of irregular) test(`irregular: ${name} → ${source}`, () => assert.equal(serviceToEventSource(name), source));

  // §7.4's regular list: the naive rule is right for these.
  const regular = [
    'Backup',
    'Ec2',
    'Iam',
    'Kms',
    'S3',
    'Lambda',
    'Rds',
    'Sns',
    'Sqs',
    'Sts',
    'Ssm',
    'SecretsManager',
    'DynamoDb',
    'ApiGateway',
    'Ecs',
    'Ecr',
    'Acm',
    'Route53',
    'CloudFront',
    'CloudFormation',
    'Organizations',
    'AutoScaling',
    'ElasticLoadBalancing',
    'GuardDuty',
    'Wafv2',
  ];
  for (const name of regular) {
    test(`regular: ${name}`, () => assert.equal(serviceToEventSource(name), `${name.toLowerCase()}.amazonaws.com`));
  }

  // The same services as other SDKs and tools write them.
  const spellings: Array<[string, string]> = [
    ['Amazon S3', 's3.amazonaws.com'], // Java v1
    ['AmazonEC2', 'ec2.amazonaws.com'],
    ['AWSKMS', 'kms.amazonaws.com'],
    ['AmazonDynamoDBv2', 'dynamodb.amazonaws.com'],
    ['AmazonIdentityManagement', 'iam.amazonaws.com'],
    ['AWSSecurityTokenService', 'sts.amazonaws.com'],
    ['AWSSimpleSystemsManagement', 'ssm.amazonaws.com'],
    ['AWSLogs', 'logs.amazonaws.com'],
    ['AWSStepFunctions', 'states.amazonaws.com'],
    ['AmazonCloudWatch', 'monitoring.amazonaws.com'],
    ['AWSCertificateManager', 'acm.amazonaws.com'],
    ['Secrets Manager', 'secretsmanager.amazonaws.com'], // Go v2 service IDs
    ['CloudWatch Logs', 'logs.amazonaws.com'],
    ['Elastic Load Balancing v2', 'elasticloadbalancing.amazonaws.com'],
    ['Config Service', 'config.amazonaws.com'],
    ['Database Migration Service', 'dms.amazonaws.com'],
    ['Cognito Identity Provider', 'cognito-idp.amazonaws.com'],
    ['Route 53', 'route53.amazonaws.com'],
    ['SFN', 'states.amazonaws.com'],
    ['client-cloudwatch-logs', 'logs.amazonaws.com'], // JS v3 packages
    ['@aws-sdk/client-sso-admin', 'sso.amazonaws.com'],
    ['client-backup', 'backup.amazonaws.com'],
    ['cognito-idp', 'cognito-idp.amazonaws.com'], // endpoint prefixes / IAM prefixes
    ['elasticloadbalancing', 'elasticloadbalancing.amazonaws.com'],
    ['states', 'states.amazonaws.com'],
    ['tag', 'tagging.amazonaws.com'],
    ['StepFunctions', 'states.amazonaws.com'], // CloudFormation AWS::X namespaces
    ['EFS', 'elasticfilesystem.amazonaws.com'],
    ['Logs', 'logs.amazonaws.com'],
    ['Events', 'events.amazonaws.com'],
    ['backup.amazonaws.com', 'backup.amazonaws.com'], // already an eventSource
  ];
  for (const [name, source] of spellings) test(`spelling: ${name} → ${source}`, () => assert.equal(serviceToEventSource(name), source));

  test('unusable names give no eventSource rather than a wrong one', () => {
    for (const name of [
      '',
      '   ',
      'Cognito',
      'AWS',
      'Amazon',
      'Service',
      'execute-api',
      'the service is down today, please retry later ok',
      'S3; DROP',
    ]) {
      assert.equal(serviceToEventSource(name), undefined, JSON.stringify(name));
    }
  });

  test('KNOWN_EVENT_SOURCES: distinct eventSources covering every irregular target', () => {
    assert.equal(new Set(KNOWN_EVENT_SOURCES).size, KNOWN_EVENT_SOURCES.length);
    for (const s of KNOWN_EVENT_SOURCES) assert.match(s, /^[a-z0-9-]+\.amazonaws\.com$/);
    for (const [, source] of irregular) assert.ok(KNOWN_EVENT_SOURCES.includes(source), source);
  });
});

describe('parseEndpointHost', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['backup.ap-northeast-1.amazonaws.com', 'backup.amazonaws.com', 'ap-northeast-1'],
    ['kms.us-east-1.amazonaws.com', 'kms.amazonaws.com', 'us-east-1'],
    ['kms-fips.us-east-1.amazonaws.com', 'kms.amazonaws.com', 'us-east-1'],
    ['my-bucket.s3.eu-west-1.amazonaws.com', 's3.amazonaws.com', 'eu-west-1'],
    ['s3-us-west-2.amazonaws.com', 's3.amazonaws.com', 'us-west-2'],
    ['s3.amazonaws.com', 's3.amazonaws.com', undefined],
    ['api.ecr.us-east-1.amazonaws.com', 'ecr.amazonaws.com', 'us-east-1'],
    ['monitoring.us-east-1.amazonaws.com', 'monitoring.amazonaws.com', 'us-east-1'],
    ['bedrock-runtime.us-west-2.amazonaws.com', 'bedrock.amazonaws.com', 'us-west-2'],
    ['email.us-east-1.amazonaws.com', 'ses.amazonaws.com', 'us-east-1'],
    ['iam.amazonaws.com', 'iam.amazonaws.com', undefined],
    ['ec2.cn-north-1.amazonaws.com.cn', 'ec2.amazonaws.com', 'cn-north-1'],
    ['abc123.execute-api.us-east-1.amazonaws.com', undefined, 'us-east-1'],
  ];
  for (const [host, source, region] of cases) {
    test(host, () => {
      const r = parseEndpointHost(host);
      assert.equal(r?.eventSource, source);
      assert.equal(r?.region, region);
    });
  }
  test('not an AWS host', () => assert.equal(parseEndpointHost('example.com'), undefined));
  test('a bucket named like a Region is not the Region', () => {
    assert.deepEqual(parseEndpointHost('my-east-1.s3.eu-west-1.amazonaws.com'), {
      service: 's3',
      eventSource: 's3.amazonaws.com',
      region: 'eu-west-1',
    });
  });
});

describe('collectHints', () => {
  const now = new Date('2024-08-09T00:00:00Z');
  const seed =
    'Resource handler returned message: "Invalid Key provided by the user. %s (Service: Backup, Status Code: 400, Request ID: abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e)" (RequestToken: a1234bc5-1a23-1234-1234-123456789a01, HandlerErrorCode: InvalidRequest)';

  test("seed: HandlerErrorCode is CloudFormation's, not the API errorCode", () => {
    const h = collectHints(seed, { around: seed.indexOf('abc1d2e3'), now });
    assert.equal(h.errorCode, undefined);
    assert.equal(h.handlerErrorCode, 'InvalidRequest');
    assert.equal(h.eventSource, 'backup.amazonaws.com');
    assert.equal(h.caller, 'cloudformation.amazonaws.com');
    assert.deepEqual(h.times, []);
    assert.equal(h.window, undefined);
  });

  test('a zone-stated time gives [t − 30 min, t + 5 min] by default, [t − aroundMinutes, t + 5 min] when asked', () => {
    const text = `2024-08-08T05:49:02Z ${seed}`;
    const h = collectHints(text, { around: text.indexOf('abc1d2e3'), now });
    assert.equal(h.zoneKnown, true);
    assert.deepEqual(h.window, { start: new Date('2024-08-08T05:19:02Z'), end: new Date('2024-08-08T05:54:02Z') });
    assert.match(h.windowNote ?? '', /^30 min before to 5 min after 2024-08-08 05:49:02 UTC$/);
    const wide = collectHints(text, { around: text.indexOf('abc1d2e3'), now, aroundMinutes: 90 });
    assert.deepEqual(wide.window, { start: new Date('2024-08-08T04:19:02Z'), end: new Date('2024-08-08T05:54:02Z') });
    assert.match(wide.windowNote ?? '', /^1 h 30 min before to 5 min after /);
    const tight = collectHints(text, { now, aroundMinutes: 1 });
    assert.deepEqual(tight.window, { start: new Date('2024-08-08T05:48:02Z'), end: new Date('2024-08-08T05:54:02Z') });
  });

  test('a zone-less time is read as UTC and the window widened to every zone (UTC−12 … UTC+14)', () => {
    const text = `2024-08-08 05:49:02,123 ERROR ${seed}`;
    const h = collectHints(text, { around: text.indexOf('abc1d2e3'), now });
    const t = Date.parse('2024-08-08T05:49:02.123Z');
    assert.equal(h.times[0].getTime(), t);
    assert.equal(h.zoneKnown, false);
    assert.deepEqual(h.window, { start: new Date(t - 14 * HOUR - 30 * MIN), end: new Date(t + 12 * HOUR + 5 * MIN) });
    assert.match(h.windowNote ?? '', /^14 h 30 min before to 12 h 5 min after .*no time zone/);
    const wide = collectHints(text, { around: text.indexOf('abc1d2e3'), now, aroundMinutes: 120 });
    assert.equal(wide.window?.start.getTime(), t - 16 * HOUR);
  });

  test('a zone-less time is not widened when the caller says how to read it', () => {
    const text = `2024-08-08 05:49:02 ERROR ${seed}`;
    const utc = collectHints(text, { now, timeZone: 'UTC' });
    assert.equal(utc.zoneKnown, true);
    assert.deepEqual(utc.window, { start: new Date('2024-08-08T05:19:02Z'), end: new Date('2024-08-08T05:54:02Z') });
    const local = collectHints(text, { now, timeZone: 'local' });
    const t = new Date(2024, 7, 8, 5, 49, 2).getTime();
    assert.equal(local.times[0].getTime(), t);
    assert.equal(local.window?.end.getTime(), Math.min(t + 5 * MIN, now.getTime()));
  });

  test('the window never reaches past now nor beyond 90 days back', () => {
    const recent = collectHints('2024-08-08T23:58:00Z Request ID: x', { now });
    assert.equal(recent.window?.end.getTime(), now.getTime());
    assert.equal(recent.window?.start.getTime(), Date.parse('2024-08-08T23:28:00Z'));

    const edge = new Date(now.getTime() - 90 * DAY + 5 * MIN);
    const old = collectHints(`${edge.toISOString()} failed`, { now });
    assert.equal(old.window?.start.getTime(), now.getTime() - 90 * DAY);

    const tooOld = collectHints('2024-01-01T00:00:00Z failed', { now });
    assert.equal(tooOld.window, undefined);
    assert.match(tooOld.windowNote ?? '', /older than the 90 days/);

    const future = collectHints('2024-08-10T12:00:00Z failed', { now });
    assert.equal(future.window, undefined);
    assert.match(future.windowNote ?? '', /future/);
  });

  test('times: same line first, then earlier lines, then later ones', () => {
    const text = [
      '2024-08-08T05:40:00Z start',
      '2024-08-08T05:49:00Z ERROR call failed',
      '    at something (Service: Kms, Status Code: 400, Request ID: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d)',
      '2024-08-08T05:50:00Z next record',
    ].join('\n');
    const h = collectHints(text, { around: text.indexOf('5a6b7c8d'), now });
    assert.deepEqual(
      h.times.map((t) => t.toISOString().slice(11, 16)),
      ['05:49', '05:40', '05:50'],
    );
    const same = '2024-08-08T05:50:00Z x\n2024-08-08T05:49:00Z Request ID: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
    assert.equal(collectHints(same, { around: same.indexOf('5a6b'), now }).times[0].toISOString(), '2024-08-08T05:49:00.000Z');
  });

  test('with several errors, the hints nearest the ID win', () => {
    const text =
      'first: (Service: Kms, Status Code: 400, Request ID: 11111111-2222-4333-8444-555555555555)\n' +
      'second: (Service: Sqs, Status Code: 403, Request ID: 99999999-8888-4777-8666-555555555555)';
    const first = collectHints(text, { around: text.indexOf('11111111'), now });
    const second = collectHints(text, { around: text.indexOf('99999999'), now });
    assert.equal(first.eventSource, 'kms.amazonaws.com');
    assert.equal(first.statusCode, 400);
    assert.equal(second.eventSource, 'sqs.amazonaws.com');
    assert.equal(second.statusCode, 403);
  });

  test('an explicit service beats an endpoint and a CloudFormation resource type', () => {
    const text =
      'CREATE_FAILED AWS::Logs::LogGroup https://sts.us-east-1.amazonaws.com/ (Service: CloudWatchLogs, Status Code: 400, Request ID: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d)';
    assert.equal(collectHints(text, { now }).eventSource, 'logs.amazonaws.com');
    assert.equal(collectHints('CREATE_FAILED AWS::Logs::LogGroup MyGroup', { now }).eventSource, 'logs.amazonaws.com');
    // A bare principal host (no scheme, no Region) is a caller, not the service called.
    assert.equal(collectHints('invoked by cloudformation.amazonaws.com', { now }).eventSource, undefined);
  });

  test('error codes: explicit codes beat exception class names; SDK base classes are not codes', () => {
    assert.equal(
      collectHints('botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the ListKeys operation', { now })
        .errorCode,
      'ThrottlingException',
    );
    assert.equal(
      collectHints('software.amazon.awssdk.services.backup.model.BackupException: boom (Service: Backup, Status Code: 500)', { now })
        .errorCode,
      undefined,
    );
    assert.equal(collectHints('com.amazonaws.AmazonServiceException: boom', { now }).errorCode, undefined);
    assert.equal(
      collectHints('{"__type":"com.amazonaws.backup#InvalidParameterValueException","message":"x"}', { now }).errorCode,
      'InvalidParameterValueException',
    );
  });

  test('regions from ARNs, endpoints and labels', () => {
    assert.equal(collectHints('arn:aws:backup:ap-northeast-1:123456789012:backup-vault:v', { now }).region, 'ap-northeast-1');
    assert.equal(collectHints("region: 'eu-central-1'", { now }).region, 'eu-central-1');
    assert.equal(collectHints('aws kms create-key --region us-west-2', { now }).region, 'us-west-2');
    assert.equal(
      collectHints('arn:aws-us-gov:iam::123456789012:role/x https://logs.us-gov-west-1.amazonaws.com', { now }).region,
      'us-gov-west-1',
    );
    assert.equal(collectHints('no region here: us-east-one', { now }).region, undefined);
    // One Region shape for every partition (core/awsRegions), here and in --region.
    assert.equal(collectHints('arn:aws-eusc:s3:eusc-de-east-1:123456789012:accesspoint/x', { now }).region, 'eusc-de-east-1');
    assert.equal(collectHints('https://sqs.us-isob-east-1.sc2s.sgov.gov', { now }).region, undefined);
    assert.equal(collectHints('https://logs.us-isob-east-1.amazonaws.com/', { now }).region, 'us-isob-east-1');
  });

  test('caller from the record fields', () => {
    assert.equal(collectHints('"sourceIPAddress": "cloudformation.amazonaws.com"', { now }).caller, 'cloudformation.amazonaws.com');
    assert.equal(collectHints('"invokedBy": "backup.amazonaws.com"', { now }).caller, 'backup.amazonaws.com');
    assert.equal(collectHints('"sourceIPAddress": "203.0.113.5"', { now }).caller, undefined);
  });

  test('eventName sources', () => {
    assert.equal(
      collectHints('Making request for OperationModel(name=CreateBackupVault) with params: {}', { now }).eventName,
      'CreateBackupVault',
    );
    assert.equal(collectHints("'X-Amz-Target': 'TrentService.CreateKey'", { now }).eventName, 'CreateKey');
    assert.equal(collectHints('await client.send(new SendCommandCommand(input))', { now }).eventName, 'SendCommand');
    assert.equal(
      collectHints('is not authorized to perform: backup:CreateBackupVault on resource', { now }).eventName,
      'CreateBackupVault',
    );
  });
});
