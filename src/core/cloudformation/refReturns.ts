/**
 * What `Ref` returns for a resource type, and which `Fn::GetAtt` attribute gives its ARN: from the
 * "Return values" section of each type's page in the CloudFormation template reference (the page is
 * each entry's `source`). `Ref` returns an ARN for some types (AWS::SNS::Topic) and an ID, a name or
 * a URL for many others (AWS::KMS::Key → key ID), which is how `EncryptionKeyArn: !Ref BackupKey`
 * passes a key ID where an ARN is wanted.
 */

/** What the `Ref` of a resource returns. */
export type RefReturnKind = 'arn' | 'id' | 'name' | 'url';

export interface RefReturn {
  readonly type: string;
  readonly ref: RefReturnKind;
  /** In words, as the documentation says it: "the key ID", "the role name". */
  readonly refValue: string;
  /** The `Fn::GetAtt` attribute that returns the resource's ARN; undefined when there is none (or `Ref` already is the ARN). */
  readonly arnAttribute?: string;
  /** The type's page in the CloudFormation template reference. */
  readonly source: string;
}

const REFERENCE = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference';

/** `AWS::KMS::Key` → its template-reference page, return values section. */
export function typeReferenceUrl(type: string): string {
  const slug = type.toLowerCase().split('::').slice(1).join('-');
  return `${REFERENCE}/aws-resource-${slug}.html#aws-resource-${slug}-return-values`;
}

type Row = [type: string, ref: RefReturnKind, refValue: string, arnAttribute?: string];

// Each row: the type, what Ref returns, and the GetAtt attribute that returns the ARN (from the type's
// "Return values"; the source is typeReferenceUrl(type)).
const ROWS: readonly Row[] = [
  ['AWS::KMS::Key', 'id', 'the key ID', 'Arn'],
  ['AWS::KMS::Alias', 'name', 'the alias name (alias/…)'],
  ['AWS::KMS::ReplicaKey', 'id', 'the key ID', 'Arn'],
  ['AWS::IAM::Role', 'name', 'the role name', 'Arn'],
  ['AWS::IAM::User', 'name', 'the user name', 'Arn'],
  ['AWS::IAM::Group', 'name', 'the group name', 'Arn'],
  ['AWS::IAM::InstanceProfile', 'name', 'the instance profile name', 'Arn'],
  ['AWS::IAM::ManagedPolicy', 'arn', 'the policy ARN'],
  ['AWS::Lambda::Function', 'name', 'the function name', 'Arn'],
  ['AWS::Lambda::Alias', 'arn', 'the alias ARN'],
  ['AWS::Lambda::Version', 'arn', 'the version ARN'],
  ['AWS::Lambda::LayerVersion', 'arn', 'the layer version ARN'],
  ['AWS::SQS::Queue', 'url', 'the queue URL', 'Arn'],
  ['AWS::SNS::Topic', 'arn', 'the topic ARN'],
  ['AWS::SNS::Subscription', 'arn', 'the subscription ARN'],
  ['AWS::S3::Bucket', 'name', 'the bucket name', 'Arn'],
  ['AWS::DynamoDB::Table', 'name', 'the table name', 'Arn'],
  ['AWS::Backup::BackupVault', 'name', 'the backup vault name', 'BackupVaultArn'],
  ['AWS::Backup::BackupPlan', 'id', 'the backup plan ID', 'BackupPlanArn'],
  ['AWS::Logs::LogGroup', 'name', 'the log group name', 'Arn'],
  ['AWS::Events::Rule', 'name', 'the rule name', 'Arn'],
  ['AWS::Events::EventBus', 'name', 'the event bus name', 'Arn'],
  ['AWS::Kinesis::Stream', 'name', 'the stream name', 'Arn'],
  ['AWS::KinesisFirehose::DeliveryStream', 'name', 'the delivery stream name', 'Arn'],
  ['AWS::StepFunctions::StateMachine', 'arn', 'the state machine ARN'],
  ['AWS::SecretsManager::Secret', 'arn', 'the secret ARN'],
  ['AWS::ECS::Cluster', 'name', 'the cluster name', 'Arn'],
  ['AWS::ECR::Repository', 'name', 'the repository name', 'Arn'],
  ['AWS::CodeBuild::Project', 'name', 'the project name', 'Arn'],
  ['AWS::CloudWatch::Alarm', 'name', 'the alarm name', 'Arn'],
  ['AWS::EFS::FileSystem', 'id', 'the file system ID', 'Arn'],
  ['AWS::Cognito::UserPool', 'id', 'the user pool ID', 'Arn'],
  ['AWS::RDS::DBInstance', 'name', 'the DB instance identifier', 'DBInstanceArn'],
  ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'arn', 'the load balancer ARN'],
  ['AWS::ElasticLoadBalancingV2::TargetGroup', 'arn', 'the target group ARN'],
  ['AWS::CertificateManager::Certificate', 'arn', 'the certificate ARN'],
  ['AWS::CloudFormation::Stack', 'arn', 'the stack ID (an ARN)'],
  ['AWS::EC2::VPC', 'id', 'the VPC ID'],
  ['AWS::EC2::SecurityGroup', 'id', 'the security group ID'],
  ['AWS::EC2::Instance', 'id', 'the instance ID'],
  ['AWS::SSM::Parameter', 'name', 'the parameter name'],
  ['AWS::ApiGateway::RestApi', 'id', 'the REST API ID'],
];

const TABLE: ReadonlyMap<string, RefReturn> = new Map(
  ROWS.map(([type, ref, refValue, arnAttribute]) => [type, { type, ref, refValue, arnAttribute, source: typeReferenceUrl(type) }]),
);

/** What `Ref` returns for the type; undefined for a type the table does not hold (nothing is guessed). */
export function refReturn(type: string | undefined): RefReturn | undefined {
  return type === undefined ? undefined : TABLE.get(type);
}

/** Every entry, for documentation and tests. */
export function refReturnTable(): readonly RefReturn[] {
  return [...TABLE.values()];
}
