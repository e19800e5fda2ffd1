/**
 * The CIS AWS Foundations Benchmark's CloudWatch alarms as filter-pattern presets: the metric-filter
 * patterns AWS Security Hub's controls CloudWatch.1–14 check for (docs/filter-patterns.md, Presets;
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html).
 */

export interface FilterPreset {
  /** Stable id, e.g. 'cis-root-use'. */
  readonly id: string;
  /** Short name for a picker, e.g. "Root account use". */
  readonly label: string;
  /** One line: what it finds and which control it is. */
  readonly description: string;
  readonly pattern: string;
}

/** `($.eventName=A) || ($.eventName=B) …`, as the CIS patterns write a list of API calls. */
function anyEventName(names: readonly string[]): string {
  return names.map((n) => `($.eventName=${n})`).join(' || ');
}

export const FILTER_PRESETS: readonly FilterPreset[] = [
  {
    id: 'cis-root-use',
    label: 'Root account use',
    description: 'Calls made with the root user, not by an AWS service on its behalf (CIS 1.7, Security Hub CloudWatch.1)',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    id: 'cis-unauthorized-api-calls',
    label: 'Unauthorized API calls',
    description: 'Calls refused with an UnauthorizedOperation or AccessDenied error (CIS 3.1, Security Hub CloudWatch.2)',
    pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  },
  {
    id: 'cis-console-signin-without-mfa',
    label: 'Console sign-in without MFA',
    description: 'Successful IAM-user console sign-ins that did not use MFA (CIS 3.2, Security Hub CloudWatch.3)',
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  {
    id: 'cis-iam-policy-changes',
    label: 'IAM policy changes',
    description: 'Inline and managed IAM policies created, changed, attached or detached (CIS 3.4, Security Hub CloudWatch.4)',
    pattern: `{ ${anyEventName([
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
    ])} }`,
  },
  {
    id: 'cis-cloudtrail-changes',
    label: 'CloudTrail configuration changes',
    description: 'Trails created, updated or deleted, logging started or stopped (CIS 3.5, Security Hub CloudWatch.5)',
    pattern: `{ ${anyEventName(['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'])} }`,
  },
  {
    id: 'cis-console-auth-failures',
    label: 'Console authentication failures',
    description: 'Console sign-ins that failed authentication (CIS 3.6, Security Hub CloudWatch.6)',
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  {
    id: 'cis-kms-key-disable-or-deletion',
    label: 'KMS key disabled or scheduled for deletion',
    description: 'Customer managed KMS keys disabled or scheduled for deletion (CIS 3.7, Security Hub CloudWatch.7)',
    pattern: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
  },
  {
    id: 'cis-s3-bucket-policy-changes',
    label: 'S3 bucket policy changes',
    description: 'Bucket ACLs, policies, CORS, lifecycle and replication changed (CIS 3.8, Security Hub CloudWatch.8)',
    pattern: `{ ($.eventSource = s3.amazonaws.com) && (${anyEventName([
      'PutBucketAcl',
      'PutBucketPolicy',
      'PutBucketCors',
      'PutBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketPolicy',
      'DeleteBucketCors',
      'DeleteBucketLifecycle',
      'DeleteBucketReplication',
    ])}) }`,
  },
  {
    id: 'cis-config-changes',
    label: 'AWS Config configuration changes',
    description: 'The Config recorder stopped or changed, delivery channels changed (CIS 3.9, Security Hub CloudWatch.9)',
    pattern: `{ ($.eventSource = config.amazonaws.com) && (${anyEventName([
      'StopConfigurationRecorder',
      'DeleteDeliveryChannel',
      'PutDeliveryChannel',
      'PutConfigurationRecorder',
    ])}) }`,
  },
  {
    id: 'cis-security-group-changes',
    label: 'Security group changes',
    description: 'Security groups created, deleted, or their rules changed (CIS 3.10, Security Hub CloudWatch.10)',
    pattern: `{ ${anyEventName([
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
    ])} }`,
  },
  {
    id: 'cis-nacl-changes',
    label: 'Network ACL changes',
    description: 'Network ACLs, their entries or associations changed (CIS 3.11, Security Hub CloudWatch.11)',
    pattern: `{ ${anyEventName([
      'CreateNetworkAcl',
      'CreateNetworkAclEntry',
      'DeleteNetworkAcl',
      'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry',
      'ReplaceNetworkAclAssociation',
    ])} }`,
  },
  {
    id: 'cis-network-gateway-changes',
    label: 'Network gateway changes',
    description: 'Customer and internet gateways created, deleted, attached or detached (CIS 3.12, Security Hub CloudWatch.12)',
    pattern: `{ ${anyEventName([
      'CreateCustomerGateway',
      'DeleteCustomerGateway',
      'AttachInternetGateway',
      'CreateInternetGateway',
      'DeleteInternetGateway',
      'DetachInternetGateway',
    ])} }`,
  },
  {
    id: 'cis-route-table-changes',
    label: 'Route table changes',
    description: 'Route tables and routes created, replaced, deleted or disassociated (CIS 3.13, Security Hub CloudWatch.13)',
    pattern: `{ ${anyEventName([
      'CreateRoute',
      'CreateRouteTable',
      'ReplaceRoute',
      'ReplaceRouteTableAssociation',
      'DeleteRouteTable',
      'DeleteRoute',
      'DisassociateRouteTable',
    ])} }`,
  },
  {
    id: 'cis-vpc-changes',
    label: 'VPC changes',
    description: 'VPCs, their attributes, peering and ClassicLink changed (CIS 3.14, Security Hub CloudWatch.14)',
    pattern: `{ ${anyEventName([
      'CreateVpc',
      'DeleteVpc',
      'ModifyVpcAttribute',
      'AcceptVpcPeeringConnection',
      'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection',
      'RejectVpcPeeringConnection',
      'AttachClassicLinkVpc',
      'DetachClassicLinkVpc',
      'DisableVpcClassicLink',
      'EnableVpcClassicLink',
    ])} }`,
  },
];
