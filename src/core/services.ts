/**
 * Service names as they appear in SDK errors, endpoints and package names → CloudTrail eventSource.
 * The eventSource is the one attribute that narrows a LookupEvents scan on the server, so a wrong
 * guess costs a full miss: irregular names come from a curated table (docs/cloudtrail.md §7.4), and only
 * then does the naive rule (`lower-case + ".amazonaws.com"`) apply.
 */
import { isValidRegion } from './awsRegions';

/**
 * Irregular names from docs/cloudtrail.md §7.4 (aws/api-models-aws `aws.api#service`, checked).
 * Keys are normalised (see `normaliseServiceName`).
 */
const IRREGULAR: Readonly<Record<string, string>> = {
  cloudwatch: 'monitoring.amazonaws.com',
  cloudwatchlogs: 'logs.amazonaws.com',
  cloudwatchevents: 'events.amazonaws.com',
  eventbridge: 'events.amazonaws.com',
  elasticloadbalancingv2: 'elasticloadbalancing.amazonaws.com',
  sfn: 'states.amazonaws.com',
  cognitoidentityprovider: 'cognito-idp.amazonaws.com',
  cognitoidentity: 'cognito-identity.amazonaws.com',
  ssoadmin: 'sso.amazonaws.com',
  efs: 'elasticfilesystem.amazonaws.com',
  emr: 'elasticmapreduce.amazonaws.com',
  directory: 'ds.amazonaws.com',
  databasemigration: 'dms.amazonaws.com',
  accessanalyzer: 'access-analyzer.amazonaws.com',
  acmpca: 'acm-pca.amazonaws.com',
  keyspaces: 'cassandra.amazonaws.com',
  customerprofiles: 'profile.amazonaws.com',
  kinesisanalyticsv2: 'kinesisanalytics.amazonaws.com',
  greengrassv2: 'greengrass.amazonaws.com',
  cloudcontrol: 'cloudcontrolapi.amazonaws.com',
  // The model says configservice.amazonaws.com; CIS 3.9 and real records use config.amazonaws.com.
  config: 'config.amazonaws.com',
};

/**
 * Other spellings of the same services: Java SDK v1 client names (`AmazonIdentityManagement`,
 * `AWSSecurityTokenService`), Go SDK v2 service IDs and JS v3 package names that the §7.4 table
 * does not cover. Not checked against the model trait; these follow the services' endpoint prefixes.
 */
const ALIASES: Readonly<Record<string, string>> = {
  stepfunctions: 'states.amazonaws.com',
  states: 'states.amazonaws.com',
  logs: 'logs.amazonaws.com',
  events: 'events.amazonaws.com',
  identitymanagement: 'iam.amazonaws.com',
  securitytoken: 'sts.amazonaws.com',
  simplesystemsmanagement: 'ssm.amazonaws.com',
  simpleemail: 'ses.amazonaws.com',
  simpleemailv2: 'ses.amazonaws.com',
  sesv2: 'ses.amazonaws.com',
  email: 'ses.amazonaws.com',
  certificatemanager: 'acm.amazonaws.com',
  dynamodbv2: 'dynamodb.amazonaws.com',
  dynamodbstreams: 'dynamodb.amazonaws.com',
  apigatewayv2: 'apigateway.amazonaws.com',
  elasticfilesystem: 'elasticfilesystem.amazonaws.com',
  elasticmapreduce: 'elasticmapreduce.amazonaws.com',
  kinesisfirehose: 'firehose.amazonaws.com',
  applicationautoscaling: 'application-autoscaling.amazonaws.com',
  costexplorer: 'ce.amazonaws.com',
  elasticsearch: 'es.amazonaws.com',
  opensearch: 'es.amazonaws.com',
  resourcegroupstaggingapi: 'tagging.amazonaws.com',
  directoryservice: 'ds.amazonaws.com',
  ds: 'ds.amazonaws.com',
  dms: 'dms.amazonaws.com',
  ssm: 'ssm.amazonaws.com',
  lambda: 'lambda.amazonaws.com',
  elb: 'elasticloadbalancing.amazonaws.com',
  elbv2: 'elasticloadbalancing.amazonaws.com',
  // DocumentDB and Neptune are managed through the RDS API.
  docdb: 'rds.amazonaws.com',
  neptune: 'rds.amazonaws.com',
  // Long console names, as people type them.
  elasticcomputecloud: 'ec2.amazonaws.com',
  elasticcontainer: 'ecs.amazonaws.com',
  elasticcontainerregistry: 'ecr.amazonaws.com',
  elastickubernetes: 'eks.amazonaws.com',
  simplestorage: 's3.amazonaws.com',
  simplequeue: 'sqs.amazonaws.com',
  simplenotification: 'sns.amazonaws.com',
  keymanagement: 'kms.amazonaws.com',
  relationaldatabase: 'rds.amazonaws.com',
  // IAM action prefixes that differ from the eventSource ("tag:GetResources").
  tag: 'tagging.amazonaws.com',
};

/** Names that map to more than one eventSource: better no hint than a wrong one. */
const AMBIGUOUS = new Set(['cognito', 'sso', 'amazon', 'aws', 'service', 'custom', 'executeapi']);

/** A curated list of common eventSources, for completion. */
export const KNOWN_EVENT_SOURCES: readonly string[] = [
  'access-analyzer.amazonaws.com',
  'acm.amazonaws.com',
  'acm-pca.amazonaws.com',
  'apigateway.amazonaws.com',
  'application-autoscaling.amazonaws.com',
  'athena.amazonaws.com',
  'autoscaling.amazonaws.com',
  'backup.amazonaws.com',
  'bedrock.amazonaws.com',
  'cassandra.amazonaws.com',
  'cloudcontrolapi.amazonaws.com',
  'cloudformation.amazonaws.com',
  'cloudfront.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'codebuild.amazonaws.com',
  'codepipeline.amazonaws.com',
  'cognito-identity.amazonaws.com',
  'cognito-idp.amazonaws.com',
  'config.amazonaws.com',
  'dms.amazonaws.com',
  'ds.amazonaws.com',
  'dynamodb.amazonaws.com',
  'ec2.amazonaws.com',
  'ecr.amazonaws.com',
  'ecs.amazonaws.com',
  'eks.amazonaws.com',
  'elasticache.amazonaws.com',
  'elasticfilesystem.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'elasticmapreduce.amazonaws.com',
  'events.amazonaws.com',
  'firehose.amazonaws.com',
  'glue.amazonaws.com',
  'greengrass.amazonaws.com',
  'guardduty.amazonaws.com',
  'iam.amazonaws.com',
  'kinesis.amazonaws.com',
  'kinesisanalytics.amazonaws.com',
  'kms.amazonaws.com',
  'lambda.amazonaws.com',
  'logs.amazonaws.com',
  'monitoring.amazonaws.com',
  'organizations.amazonaws.com',
  'profile.amazonaws.com',
  'rds.amazonaws.com',
  'route53.amazonaws.com',
  's3.amazonaws.com',
  'secretsmanager.amazonaws.com',
  'securityhub.amazonaws.com',
  'ses.amazonaws.com',
  'signin.amazonaws.com',
  'sns.amazonaws.com',
  'sqs.amazonaws.com',
  'ssm.amazonaws.com',
  'sso.amazonaws.com',
  'states.amazonaws.com',
  'sts.amazonaws.com',
  'tagging.amazonaws.com',
  'wafv2.amazonaws.com',
];

const KNOWN_PREFIXES = new Set(KNOWN_EVENT_SOURCES.map((s) => s.slice(0, -'.amazonaws.com'.length)));

/**
 * `Amazon S3` → `s3`, `AWSKMS` → `kms`, `Secrets Manager` → `secretsmanager`,
 * `DatabaseMigrationService` → `databasemigration`, `client-cloudwatch-logs` → `cloudwatchlogs`.
 */
export function normaliseServiceName(name: string): string {
  let n = name
    .trim()
    .replace(/^@aws-sdk\//i, '')
    .replace(/^client-/i, '');
  n = n.replace(/[\s_\-.]+/g, '').toLowerCase();
  n = n.replace(/^(amazon|aws)(?=[a-z0-9]{2})/, '');
  n = n.replace(/^(amazon|aws)(?=[a-z0-9]{2})/, ''); // "AWS Amazon…" never occurs, but "AmazonAWS…" might
  if (n.length > 'service'.length + 1) n = n.replace(/service$/, '');
  return n;
}

/**
 * The eventSource for a service name as written in an SDK error or typed by a person:
 * `Backup` → `backup.amazonaws.com`, `CloudWatch` → `monitoring.amazonaws.com`,
 * `Amazon S3` → `s3.amazonaws.com`. Undefined when the name is not usable (empty, ambiguous, prose).
 */
export function serviceToEventSource(name: string): string | undefined {
  const raw = name.trim().toLowerCase();
  if (raw.length === 0 || raw.length > 60) return undefined;
  // Already an eventSource or an endpoint prefix such as `cognito-idp`.
  const asSource = /^([a-z0-9][a-z0-9-]*)\.amazonaws\.com$/.exec(raw);
  if (asSource) return raw;
  if (KNOWN_PREFIXES.has(raw)) return `${raw}.amazonaws.com`;
  const n = normaliseServiceName(name);
  if (!/^[a-z0-9]{2,40}$/.test(n) || AMBIGUOUS.has(n)) return undefined;
  // Every Bedrock client (Agent, Runtime, AgentRuntime, …) records as bedrock.amazonaws.com.
  if (n.startsWith('bedrock')) return 'bedrock.amazonaws.com';
  return IRREGULAR[n] ?? ALIASES[n] ?? `${n}.amazonaws.com`;
}

/**
 * Reads an AWS endpoint host: `backup.ap-northeast-1.amazonaws.com`, `my-bucket.s3.us-east-1.amazonaws.com`,
 * `s3-us-west-2.amazonaws.com`, `api.ecr.us-east-1.amazonaws.com`, `kms-fips.us-east-1.amazonaws.com`.
 * Returns the service label as written, its eventSource and the region when the host names one.
 */
export function parseEndpointHost(host: string): { service: string; eventSource?: string; region?: string } | undefined {
  const m = /^([a-z0-9.-]+?)\.amazonaws\.com(?:\.cn)?$/i.exec(host.trim().toLowerCase());
  if (!m) return undefined;
  let labels = m[1].split('.').filter((l) => l.length > 0);
  let region: string | undefined;
  // The Region is the last label that is one (`bucket.s3.us-east-1`), so a bucket named like one is not taken.
  const regionIdx = labels.findLastIndex((l) => isValidRegion(l));
  if (regionIdx >= 0) {
    region = labels[regionIdx];
    labels = labels.slice(0, regionIdx);
  }
  // Virtual-hosted S3 (`bucket.s3`), legacy `s3-us-west-2` / `s3-external-1`, and `s3.dualstack`.
  const s3 = labels.findIndex((l) => l === 's3' || l.startsWith('s3-'));
  if (s3 >= 0) {
    const legacyRegion = labels[s3].slice(3);
    if (!region && isValidRegion(legacyRegion)) region = legacyRegion;
    return { service: 's3', eventSource: 's3.amazonaws.com', region };
  }
  labels = labels.filter((l) => l !== 'dualstack' && l !== 'api');
  const label = labels[labels.length - 1];
  if (!label) return undefined;
  const service = label.replace(/-fips$/, '');
  // Calls to your own API Gateway stage are not CloudTrail management events.
  if (service === 'execute-api') return { service, region };
  return { service, eventSource: serviceToEventSource(service), region };
}
