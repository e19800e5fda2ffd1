/** S3, DynamoDB, RDS, SQS, SNS and AWS Backup operations as they appear in CloudTrail. */
import { awsDate } from './build';
import type { Json } from './build';
import type { Catalog, OpCtx } from './catalogTypes';

const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * S3 bucket calls: the subresource as an empty parameter, the virtual-host Host, transfer sizes
 * and x-amz-id-2 in additionalEventData, and the bucket in resources (real S3 data events carry all of these).
 */
export function s3Call(c: OpCtx, sub: string, opts: { bucket?: string; req?: Json; bytesIn?: number; bytesOut?: number } = {}) {
  const { rng, region, accountId, inv } = c.env;
  const bucket = opts.bucket ?? rng.pick(inv.buckets);
  const host = `${bucket}.s3.${region}.amazonaws.com`;
  return {
    req: { [sub]: '', bucketName: bucket, Host: host, ...opts.req },
    add: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
      bytesTransferredIn: opts.bytesIn ?? 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': `${rng.base64(75)}=`,
      bytesTransferredOut: opts.bytesOut ?? rng.int(120, 900),
    },
    resources: [{ accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
    host,
  };
}

function table(c: OpCtx) {
  const name = c.env.rng.pick(c.env.inv.tables);
  const arn = `arn:aws:dynamodb:${c.env.region}:${c.env.accountId}:table/${name}`;
  return { name, arn, resources: [{ accountId: c.env.accountId, type: 'AWS::DynamoDB::Table', ARN: arn }] };
}

function db(c: OpCtx): string {
  return c.env.rng.pick(c.env.inv.dbInstances);
}

function queueUrl(c: OpCtx): string {
  return `https://sqs.${c.env.region}.amazonaws.com/${c.env.accountId}/${c.env.rng.pick(c.env.inv.queues)}`;
}

function topicArn(c: OpCtx): string {
  return `arn:aws:sns:${c.env.region}:${c.env.accountId}:${c.env.rng.pick(c.env.inv.topics)}`;
}

function vault(c: OpCtx): string {
  return c.env.rng.pick(c.env.inv.vaults);
}

export const DATA: Catalog = {
  's3:ListBuckets': {
    ro: true,
    make: (c) => ({ req: { Host: `s3.${c.env.region}.amazonaws.com` }, host: `s3.${c.env.region}.amazonaws.com` }),
  },
  's3:GetBucketLocation': { ro: true, make: (c) => s3Call(c, 'location') },
  's3:GetBucketPolicy': {
    ro: true,
    make: (c) => s3Call(c, 'policy'),
    miss: [0.4, 'NoSuchBucketPolicy', 'The bucket policy does not exist'],
  },
  's3:GetBucketAcl': { ro: true, make: (c) => s3Call(c, 'acl') },
  's3:GetBucketVersioning': { ro: true, make: (c) => s3Call(c, 'versioning') },
  's3:GetBucketEncryption': { ro: true, make: (c) => s3Call(c, 'encryption') },
  's3:GetBucketTagging': { ro: true, make: (c) => s3Call(c, 'tagging'), miss: [0.3, 'NoSuchTagSet', 'The TagSet does not exist'] },
  's3:GetBucketPublicAccessBlock': { ro: true, make: (c) => s3Call(c, 'publicAccessBlock') },
  's3:GetBucketLogging': { ro: true, make: (c) => s3Call(c, 'logging') },
  's3:GetBucketOwnershipControls': { ro: true, make: (c) => s3Call(c, 'ownershipControls') },
  's3:GetBucketLifecycle': {
    ro: true,
    make: (c) => s3Call(c, 'lifecycle'),
    miss: [0.5, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
  },
  's3:PutBucketTagging': {
    ro: false,
    make: (c) =>
      s3Call(c, 'tagging', {
        req: {
          Tagging: {
            xmlns: S3_XMLNS,
            TagSet: {
              Tag: [
                { Key: 'Project', Value: 'orders' },
                { Key: 'Env', Value: 'prd' },
              ],
            },
          },
        },
        bytesIn: 214,
        bytesOut: 0,
      }),
  },
  's3:PutBucketVersioning': {
    ro: false,
    make: (c) =>
      s3Call(c, 'versioning', { req: { VersioningConfiguration: { Status: 'Enabled', xmlns: S3_XMLNS } }, bytesIn: 124, bytesOut: 0 }),
  },
  's3:PutBucketPolicy': {
    ro: false,
    make: (c) => {
      const call = s3Call(c, 'policy', { bytesOut: 0 });
      const bucket = call.req.bucketName as string;
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      };
      return { ...call, req: { bucketPolicy: policy, ...call.req }, add: { ...call.add, bytesTransferredIn: 312 } };
    },
  },

  'dynamodb:ListTables': { ro: true },
  'dynamodb:DescribeTable': {
    ro: true,
    make: (c) => {
      const t = table(c);
      return { req: { tableName: t.name }, resources: t.resources };
    },
  },
  'dynamodb:DescribeContinuousBackups': {
    ro: true,
    make: (c) => {
      const t = table(c);
      return { req: { tableName: t.name }, resources: t.resources };
    },
  },
  'dynamodb:DescribeTimeToLive': {
    ro: true,
    make: (c) => {
      const t = table(c);
      return { req: { tableName: t.name }, resources: t.resources };
    },
  },
  'dynamodb:ListTagsOfResource': {
    ro: true,
    make: (c) => {
      const t = table(c);
      return { req: { resourceArn: t.arn }, resources: t.resources };
    },
  },
  'dynamodb:CreateBackup': {
    ro: false,
    make: (c) => {
      const t = table(c);
      const backupName = `${t.name}-${c.env.rng.hex(8)}`;
      return {
        req: { tableName: t.name, backupName },
        res: {
          backupDetails: {
            backupArn: `${t.arn}/backup/0${c.t}-${c.env.rng.hex(8)}`,
            backupName,
            backupSizeBytes: c.env.rng.int(1e5, 9e8),
            backupStatus: 'CREATING',
            backupType: 'AWS_BACKUP',
            backupCreationDateTime: awsDate(c.t),
          },
        },
        resources: t.resources,
      };
    },
  },

  'rds:DescribeDBInstances': { ro: true, make: (c) => ({ req: c.env.rng.chance(0.5) ? { dBInstanceIdentifier: db(c) } : null }) },
  'rds:DescribeDBClusters': { ro: true, make: () => ({ req: { includeShared: false } }) },
  'rds:DescribeDBSnapshots': {
    ro: true,
    make: (c) => ({ req: { dBInstanceIdentifier: db(c), includeShared: false, includePublic: false } }),
  },
  'rds:DescribeEvents': { ro: true, make: () => ({ req: { sourceType: 'db-instance', duration: 60 } }) },
  'rds:DescribeDBLogFiles': { ro: true, make: (c) => ({ req: { dBInstanceIdentifier: db(c) } }) },
  'rds:ListTagsForResource': {
    ro: true,
    make: (c) => ({ req: { resourceName: `arn:aws:rds:${c.env.region}:${c.env.accountId}:db:${db(c)}` } }),
  },
  'rds:CreateDBSnapshot': {
    ro: false,
    make: (c) => {
      const id = db(c);
      const snap = `awsbackup:job-${c.env.rng.uuid()}`;
      return {
        req: { dBSnapshotIdentifier: snap, dBInstanceIdentifier: id, tags: [] },
        res: {
          dBSnapshotIdentifier: snap,
          dBInstanceIdentifier: id,
          engine: 'postgres',
          allocatedStorage: 100,
          status: 'creating',
          port: 5432,
          availabilityZone: `${c.env.region}a`,
          vpcId: c.env.inv.vpcs[0],
          masterUsername: 'orders_admin',
          engineVersion: '16.3',
          licenseModel: 'postgresql-license',
          snapshotType: 'awsbackup',
          percentProgress: 0,
          storageType: 'gp3',
          encrypted: true,
          kmsKeyId: c.env.inv.keys[0].arn,
          dBSnapshotArn: `arn:aws:rds:${c.env.region}:${c.env.accountId}:snapshot:${snap}`,
          iAMDatabaseAuthenticationEnabled: false,
          dedicatedLogVolume: false,
        },
      };
    },
  },

  'sqs:ListQueues': { ro: true },
  'sqs:GetQueueUrl': { ro: true, make: (c) => ({ req: { queueName: c.env.rng.pick(c.env.inv.queues) } }) },
  'sqs:GetQueueAttributes': { ro: true, make: (c) => ({ req: { queueUrl: queueUrl(c), attributeNames: ['All'] } }) },
  'sqs:ListQueueTags': { ro: true, make: (c) => ({ req: { queueUrl: queueUrl(c) } }) },
  'sqs:SetQueueAttributes': { ro: false, make: (c) => ({ req: { queueUrl: queueUrl(c), attributes: { VisibilityTimeout: '90' } } }) },

  'sns:ListTopics': { ro: true },
  'sns:GetTopicAttributes': { ro: true, make: (c) => ({ req: { topicArn: topicArn(c) } }) },
  'sns:ListSubscriptionsByTopic': { ro: true, make: (c) => ({ req: { topicArn: topicArn(c) } }) },
  'sns:Subscribe': {
    ro: false,
    make: (c) => ({
      req: { topicArn: topicArn(c), protocol: 'email', endpoint: 'oncall@example.com', returnSubscriptionArn: false },
      res: { subscriptionArn: 'pending confirmation' },
    }),
  },

  'backup:ListBackupVaults': { ro: true, make: () => ({ req: { maxResults: 1000 } }) },
  'backup:ListBackupPlans': { ro: true, make: () => ({ req: { includeDeleted: false } }) },
  'backup:ListBackupJobs': { ro: true, make: (c) => ({ req: c.env.rng.chance(0.5) ? { byState: 'FAILED' } : { maxResults: 100 } }) },
  'backup:ListProtectedResources': { ro: true },
  'backup:DescribeBackupVault': { ro: true, make: (c) => ({ req: { backupVaultName: vault(c) } }) },
  'backup:GetBackupPlan': { ro: true, make: (c) => ({ req: { backupPlanId: c.env.inv.backupPlanId } }) },
  'backup:ListRecoveryPointsByBackupVault': { ro: true, make: (c) => ({ req: { backupVaultName: vault(c), maxResults: 100 } }) },
  'backup:GetBackupVaultAccessPolicy': {
    ro: true,
    make: (c) => ({ req: { backupVaultName: vault(c) } }),
    miss: [0.9, 'ResourceNotFoundException', 'Backup Vault Policy is not found'],
  },
  'backup:StartBackupJob': {
    ro: false,
    make: (c) => {
      const { region, accountId, inv, rng } = c.env;
      return {
        req: {
          backupVaultName: 'orders-prd-vault',
          resourceArn: `arn:aws:dynamodb:${region}:${accountId}:table/${rng.pick(inv.tables)}`,
          iamRoleArn: inv.roles.backup.arn,
          idempotencyToken: rng.uuid(),
          startWindowMinutes: 60,
          completeWindowMinutes: 10080,
          lifecycle: { deleteAfterDays: 35 },
        },
        res: { backupJobId: rng.uuid(), creationDate: awsDate(c.t), isParent: false },
      };
    },
  },
};
