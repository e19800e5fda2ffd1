/**
 * What exists in the sample account: resources with stable, readable names (so a demo user can
 * follow a bucket or a function across events) and random-looking IDs where AWS uses IDs.
 */
import type { Rng } from './random';

export interface Role {
  name: string;
  /** AROA… unique ID, the principalId prefix of its sessions. */
  id: string;
  arn: string;
}

export interface IamUser {
  name: string;
  id: string;
  arn: string;
  accessKeyId: string;
}

export interface KmsKey {
  id: string;
  arn: string;
  alias: string;
}

export interface Inventory {
  accountId: string;
  region: string;
  buckets: string[];
  /** Buckets that do have a CORS / website configuration (AWS Config's reads of the others fail). */
  corsBuckets: string[];
  websiteBuckets: string[];
  instances: string[];
  volumes: string[];
  vpcs: string[];
  subnets: string[];
  securityGroups: string[];
  amis: string[];
  functions: string[];
  tables: string[];
  dbInstances: string[];
  queues: string[];
  topics: string[];
  logGroups: string[];
  secrets: string[];
  parameters: string[];
  keys: KmsKey[];
  repos: string[];
  cluster: string;
  ecsServices: string[];
  rules: string[];
  alarms: string[];
  vaults: string[];
  backupPlans: string[];
  backupPlanId: string;
  stacks: string[];
  users: Record<'hiro' | 'ci' | 'batch' | 'auditor', IamUser>;
  roles: Record<
    'ssoAdmin' | 'ssoReadOnly' | 'github' | 'cfn' | 'config' | 'backup' | 'datadog' | 'ecsTask' | 'ecsExec' | 'ssmInstance',
    Role
  >;
  /** Lambda execution roles, by function name. */
  lambdaRoles: Record<string, Role>;
  vpcEndpointS3: string;
  vpcEndpointSsm: string;
  trailBucket: string;
}

const FUNCTIONS = [
  'orders-api-handler',
  'orders-event-processor',
  'payments-webhook',
  'thumbnail-generator',
  'nightly-report',
  'cognito-pre-signup',
  'log-forwarder',
  'slack-notifier',
];

export function buildInventory(rng: Rng, accountId: string, region: string): Inventory {
  const a = accountId;
  const role = (name: string, path = '/'): Role => ({ name, id: `AROA${rng.upper(17)}`, arn: `arn:aws:iam::${a}:role${path}${name}` });
  const user = (name: string): IamUser => ({
    name,
    id: `AIDA${rng.upper(17)}`,
    arn: `arn:aws:iam::${a}:user/${name}`,
    accessKeyId: `AKIA${rng.upper(16)}`,
  });
  const key = (alias: string): KmsKey => {
    const id = rng.uuid();
    return { id, arn: `arn:aws:kms:${region}:${a}:key/${id}`, alias: `alias/${alias}` };
  };
  const ssoPath = `/aws-reserved/sso.amazonaws.com/${region}/`;
  const buckets = [
    `orders-prd-artifacts-${a}`,
    'orders-prd-static-assets',
    `cf-templates-${rng.alnum(12).toLowerCase()}-${region}`,
    `cdk-hnb659fds-assets-${a}-${region}`,
    'orders-data-lake-raw',
    `terraform-state-${a}`,
    `aws-cloudtrail-logs-${a}-${rng.hex(8)}`,
  ];
  const lambdaRoles: Record<string, Role> = {};
  for (const fn of FUNCTIONS) lambdaRoles[fn] = role(`${fn}-role-${rng.alnum(8).toLowerCase()}`, '/service-role/');
  return {
    accountId,
    region,
    buckets,
    corsBuckets: ['orders-prd-static-assets'],
    websiteBuckets: ['orders-prd-static-assets'],
    instances: Array.from({ length: 6 }, () => `i-0${rng.hex(16)}`),
    volumes: Array.from({ length: 8 }, () => `vol-0${rng.hex(16)}`),
    vpcs: [`vpc-0${rng.hex(16)}`, `vpc-0${rng.hex(16)}`],
    subnets: Array.from({ length: 6 }, () => `subnet-0${rng.hex(16)}`),
    securityGroups: Array.from({ length: 5 }, () => `sg-0${rng.hex(16)}`),
    amis: [`ami-0${rng.hex(16)}`, `ami-0${rng.hex(16)}`],
    functions: FUNCTIONS,
    tables: ['orders', 'customers', 'sessions', 'idempotency-keys'],
    dbInstances: ['orders-prd-db', 'analytics-db'],
    queues: ['orders-events', 'orders-events-dlq', 'email-outbox'],
    topics: ['orders-alerts', 'budget-alerts', 'deploy-notifications'],
    logGroups: [...FUNCTIONS.map((f) => `/aws/lambda/${f}`), '/ecs/orders-api', '/ecs/orders-worker'],
    secrets: ['prd/orders/db-credentials', 'prd/payments/stripe-api-key', 'prd/slack/webhook-url'],
    parameters: ['/orders/prd/feature-flags', '/orders/prd/api-base-url', '/orders/prd/db-host', '/cdk-bootstrap/hnb659fds/version'],
    keys: [key('orders-prd-data'), key('orders-prd-secrets'), key('terraform-state')],
    repos: ['orders-api', 'orders-worker'],
    cluster: 'orders-prd',
    ecsServices: ['orders-api', 'orders-worker'],
    rules: ['nightly-report-schedule', 'orders-dlq-alarm-forwarder', 'guardduty-findings-to-slack'],
    alarms: ['orders-api-5xx', 'orders-db-cpu-high', 'orders-events-dlq-depth', 'payments-webhook-errors'],
    vaults: ['Default', 'orders-prd-vault'],
    backupPlans: ['orders-daily-backup'],
    backupPlanId: rng.uuid(),
    stacks: ['orders-network', 'orders-api-prd', 'orders-monitoring', 'CDKToolkit'],
    users: { hiro: user('hiro.yamada'), ci: user('ci-deployer'), batch: user('legacy-batch'), auditor: user('readonly-auditor') },
    roles: {
      ssoAdmin: role(`AWSReservedSSO_AdministratorAccess_${rng.hex(16)}`, ssoPath),
      ssoReadOnly: role(`AWSReservedSSO_ReadOnlyAccess_${rng.hex(16)}`, ssoPath),
      github: role('GitHubActionsDeployRole'),
      cfn: role('cfn-exec-role'),
      config: role('AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/'),
      backup: role('AWSBackupDefaultServiceRole', '/service-role/'),
      datadog: role('DatadogIntegrationRole'),
      ecsTask: role('orders-api-task-role'),
      ecsExec: role('ecsTaskExecutionRole'),
      ssmInstance: role('orders-ec2-ssm-role'),
    },
    lambdaRoles,
    vpcEndpointS3: `vpce-0${rng.hex(16)}`,
    vpcEndpointSsm: `vpce-0${rng.hex(16)}`,
    trailBucket: buckets[6],
  };
}
