/**
 * The table of real-world texts for requestId.test.ts: SDK errors, CloudFormation status reasons,
 * dumps, headers, logs (docs/cloudtrail.md §7.1–7.3), each with the ID and hints expected.
 * `‸` in a text marks the cursor.
 */
import type { SearchHints } from '../../src/core/hints';
import type { RequestIdFormat } from '../../src/core/requestId';

export const SEED =
  'Resource handler returned message: "Invalid Key provided by the user. %s (Service: Backup, Status Code: 400, Request ID: abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e)" (RequestToken: a1234bc5-1a23-1234-1234-123456789a01, HandlerErrorCode: InvalidRequest)';
export const HOST_ID = 'wzHcyEWfmOGDIE5QOhTAqFDoDWP3y8IUvpNINCwL9N4TEHbUbwBTQG6jvS8BtVS/YCfoAZDWhLs=';

export interface Row {
  name: string;
  text: string;
  /** Expected match; null = no match. */
  id: string | null;
  format?: RequestIdFormat;
  label?: string;
  /** Labels that must appear in `rejected` (in order of appearance is not required). */
  rejected?: string[];
  /** With a cursor on a rejected ID: the first rejected label and the offered candidate. */
  cursorRejected?: { label: string; reason: RegExp; offered?: string };
  hints?: Partial<Omit<SearchHints, 'times' | 'window'>> & { time?: string };
}

export const rows: Row[] = [
  {
    name: 'seed: CloudFormation status reason (Java v2 inside a resource handler message)',
    text: SEED,
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    format: 'uuid',
    label: 'Request ID',
    rejected: ['RequestToken'],
    hints: {
      service: 'Backup',
      eventSource: 'backup.amazonaws.com',
      caller: 'cloudformation.amazonaws.com',
      statusCode: 400,
      handlerErrorCode: 'InvalidRequest',
      errorCode: undefined,
    },
  },
  {
    name: 'seed: cursor on the RequestToken → refused, the Request ID offered',
    text: SEED.replace('a1234bc5-1a23', 'a1234‸bc5-1a23'),
    id: null,
    cursorRejected: { label: 'RequestToken', reason: /CloudFormation RequestToken/, offered: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e' },
  },
  {
    name: 'seed: cursor on the word "RequestToken" (its label) → refused',
    text: SEED.replace('(RequestToken', '(Request‸Token'),
    id: null,
    cursorRejected: { label: 'RequestToken', reason: /not a CloudTrail request ID/, offered: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e' },
  },
  {
    name: 'seed: cursor inside the Request ID',
    text: SEED.replace('abc1d2e3-a1bc', 'abc1d2e3-a1‸bc'),
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    label: 'Request ID',
  },
  {
    name: 'CloudFormation events tab copy (console time with zone) + seed reason',
    text: `2024-08-08 14:49:02 UTC+0900\tBackupVault\tCREATE_FAILED\t${SEED}`,
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    hints: { eventSource: 'backup.amazonaws.com', time: '2024-08-08T05:49:02.000Z', zoneKnown: true },
  },
  {
    name: 'CloudFormation status reason, Lambda (docs/cloudtrail.md §7.2)',
    text: 'Resource handler returned message: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope (Service: Lambda, Status Code: 404, Request ID: 83bd3112-aaa4-4980-bfcf-3ee2052a0435)" (RequestToken: c91aed31-1a62-9425-c25d-4fc0fccfa45f, HandlerErrorCode: NotFound)',
    id: '83bd3112-aaa4-4980-bfcf-3ee2052a0435',
    rejected: ['RequestToken'],
    hints: {
      eventSource: 'lambda.amazonaws.com',
      region: 'us-east-1',
      statusCode: 404,
      handlerErrorCode: 'NotFound',
      caller: 'cloudformation.amazonaws.com',
    },
  },
  {
    name: 'CloudFormation variant without a Request ID → no match',
    text: 'Resource handler returned message: "The subnet ID \'subnet-0123abcd\' does not exist (Service: Ec2, Status Code: 400)" (RequestToken: 5e7b1c2d-0f3a-4b5c-9d8e-7f6a5b4c3d2e, HandlerErrorCode: NotFound)',
    id: null,
    rejected: ['RequestToken'],
    hints: { service: 'Ec2', eventSource: 'ec2.amazonaws.com', statusCode: 400 },
  },
  {
    name: 'CloudFormation variant with no inner parenthetical → no match',
    text: 'Resource handler returned message: "my-bucket already exists" (RequestToken: 0b6d3c2a-1e4f-4a5b-8c9d-0e1f2a3b4c5d, HandlerErrorCode: AlreadyExists)',
    id: null,
    rejected: ['RequestToken'],
    hints: { caller: 'cloudformation.amazonaws.com', handlerErrorCode: 'AlreadyExists', eventSource: undefined },
  },
  {
    name: 'CloudFormation S3 reason with Extended Request ID: null',
    text: 'Resource handler returned message: "Your previous request to create the named bucket succeeded and you already own it. (Service: S3, Status Code: 409, Request ID: MBHBER1HYTDVJ3RS, Extended Request ID: null)" (RequestToken: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d, HandlerErrorCode: AlreadyExists)',
    id: 'MBHBER1HYTDVJ3RS',
    format: 's3',
    label: 'Request ID',
    rejected: ['RequestToken'],
    hints: { eventSource: 's3.amazonaws.com', statusCode: 409 },
  },
  {
    name: 'CDK transcript with redacted Request ID (;-separated, Proxy: null) → no match',
    text: 'UPDATE_FAILED | AWS::IAM::Policy | MyPolicy Resource handler returned message: "Policy document should not specify a principal. (Service: Iam; Status Code: 400; Error Code: MalformedPolicyDocument; Request ID: ***; Proxy: null)" (RequestToken: ***, HandlerErrorCode: InvalidRequest)',
    id: null,
    hints: { eventSource: 'iam.amazonaws.com', errorCode: 'MalformedPolicyDocument', handlerErrorCode: 'InvalidRequest' },
  },
  {
    name: 'Java v2 KMS error; the UUID in the key ARN is refused',
    text: "software.amazon.awssdk.services.kms.model.NotFoundException: Key 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist (Service: Kms, Status Code: 400, Request ID: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d)",
    id: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    rejected: ['ARN'],
    hints: { eventSource: 'kms.amazonaws.com', errorCode: 'NotFoundException', region: 'us-east-1', statusCode: 400 },
  },
  {
    name: 'Java v2 S3 with Extended Request ID and SDK Attempt Count',
    text: `software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403, Request ID: ZFQ6A0RQV9FWMYZM, Extended Request ID: ${HOST_ID}) (SDK Attempt Count: 1)`,
    id: 'ZFQ6A0RQV9FWMYZM',
    format: 's3',
    rejected: ['Extended Request ID'],
    // S3Exception is the service's base class, not an error code.
    hints: { eventSource: 's3.amazonaws.com', statusCode: 403, errorCode: undefined },
  },
  {
    name: 'Java v2 DynamoDB without extended ID, with attempt count',
    text: 'software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException: Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: 4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG) (SDK Attempt Count: 1)',
    id: '4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG',
    format: 'other',
    hints: { eventSource: 'dynamodb.amazonaws.com', errorCode: 'ResourceNotFoundException' },
  },
  {
    name: 'Java v1 S3 with S3 Extended Request ID',
    text: `com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: 798758DE3F1776DF; S3 Extended Request ID: ${HOST_ID}; Proxy: null), S3 Extended Request ID: ${HOST_ID}`,
    id: '798758DE3F1776DF',
    format: 's3',
    label: 'Request ID',
    rejected: ['S3 Extended Request ID'],
    hints: { service: 'Amazon S3', eventSource: 's3.amazonaws.com', errorCode: 'AccessDenied', statusCode: 403 },
  },
  {
    name: 'Java v1 EC2 (AmazonEC2, dotted error code)',
    text: "com.amazonaws.services.ec2.model.AmazonEC2Exception: The security group 'sg-0abc' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound; Request ID: 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d; Proxy: null)",
    id: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
    hints: { service: 'AmazonEC2', eventSource: 'ec2.amazonaws.com', errorCode: 'InvalidGroup.NotFound' },
  },
  {
    name: 'Java v1 KMS (AWSKMS)',
    text: 'com.amazonaws.services.kms.model.AWSKMSException: User is not authorized (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: 2c3d4e5f-6071-4b8c-9d0e-1f2a3b4c5d6e; Proxy: null)',
    id: '2c3d4e5f-6071-4b8c-9d0e-1f2a3b4c5d6e',
    hints: { eventSource: 'kms.amazonaws.com', errorCode: 'AccessDeniedException' },
  },
  {
    name: 'Go v2 S3 with HostID',
    text: `operation error S3: PutObject, https response error StatusCode: 403, RequestID: MBHBER1HYTDVJ3RS, HostID: ${HOST_ID}, api error AccessDenied: Access Denied`,
    id: 'MBHBER1HYTDVJ3RS',
    format: 's3',
    label: 'RequestID',
    rejected: ['HostID'],
    hints: { service: 'S3', eventSource: 's3.amazonaws.com', eventName: 'PutObject', errorCode: 'AccessDenied', statusCode: 403 },
  },
  {
    name: 'Go v2 with a Go log timestamp (zone-less) and a spaced service ID',
    text: "2024/08/08 14:48:55 operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: 0c0e3a1e-7b2d-4c5f-9a8b-6d7e8f9a0b1c, ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    id: '0c0e3a1e-7b2d-4c5f-9a8b-6d7e8f9a0b1c',
    hints: {
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      statusCode: 400,
      time: '2024-08-08T14:48:55.000Z',
      zoneKnown: false,
    },
  },
  {
    name: 'Go v2 CloudWatch Logs (irregular eventSource)',
    text: 'operation error CloudWatch Logs: PutLogEvents, https response error StatusCode: 400, RequestID: 6e5d4c3b-2a19-4f8e-a7d6-c5b4a3928170, ResourceNotFoundException: The specified log group does not exist.',
    id: '6e5d4c3b-2a19-4f8e-a7d6-c5b4a3928170',
    hints: { eventSource: 'logs.amazonaws.com', eventName: 'PutLogEvents' },
  },
  {
    name: 'Go v1 (request id: lower-case label) with an IAM action',
    text: 'AccessDeniedException: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: kms:CreateKey because no identity-based policy allows the kms:CreateKey action\n\tstatus code: 400, request id: 5f1e2d3c-4b5a-4697-8877-665544332211',
    id: '5f1e2d3c-4b5a-4697-8877-665544332211',
    label: 'request id',
    hints: {
      service: 'kms',
      eventSource: 'kms.amazonaws.com',
      eventName: 'CreateKey',
      errorCode: 'AccessDeniedException',
      statusCode: 400,
    },
  },
  {
    name: 'boto3 ResponseMetadata dump (success) with HTTP Date header',
    text: "{'KeyMetadata': {'AWSAccountId': '123456789012'}, 'ResponseMetadata': {'RequestId': 'e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8', 'HTTPStatusCode': 200, 'HTTPHeaders': {'x-amzn-requestid': 'e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8', 'content-type': 'application/x-amz-json-1.1', 'content-length': '412', 'date': 'Thu, 08 Aug 2024 05:49:02 GMT'}, 'RetryAttempts': 0}}",
    id: 'e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8',
    label: 'RequestId',
    hints: { statusCode: 200, time: '2024-08-08T05:49:02.000Z', zoneKnown: true },
  },
  {
    name: 'boto3 ClientError response dict',
    text: "{'Error': {'Message': 'Invalid Key provided by the user. %s', 'Code': 'InvalidParameterValueException'}, 'ResponseMetadata': {'RequestId': 'f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0', 'HTTPStatusCode': 400, 'HTTPHeaders': {}, 'RetryAttempts': 0}}",
    id: 'f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0',
    hints: { errorCode: 'InvalidParameterValueException', statusCode: 400 },
  },
  {
    name: 'boto3 S3 dump: RequestId wins, HostId and x-amz-id-2 refused',
    text: `{'ResponseMetadata': {'RequestId': 'C9ER4AJX75574TDJ', 'HostId': '${HOST_ID}', 'HTTPStatusCode': 200, 'HTTPHeaders': {'x-amz-id-2': '${HOST_ID}', 'x-amz-request-id': 'C9ER4AJX75574TDJ', 'date': 'Thu, 08 Aug 2024 05:49:02 GMT', 'server': 'AmazonS3'}, 'RetryAttempts': 0}}`,
    id: 'C9ER4AJX75574TDJ',
    format: 's3',
    rejected: ['HostId', 'x-amz-id-2'],
  },
  {
    name: 'boto CLI error line: no request ID in the text (AWS CLI without --debug)',
    text: 'An error occurred (InvalidParameterValueException) when calling the CreateBackupVault operation: Invalid Key provided by the user. %s',
    id: null,
    hints: { eventName: 'CreateBackupVault', errorCode: 'InvalidParameterValueException', eventSource: undefined },
  },
  {
    name: 'JS v3 error dump with $metadata',
    text: `InvalidParameterValueException: Invalid Key provided by the user. %s
    at de_InvalidParameterValueExceptionRes (/app/node_modules/@aws-sdk/client-backup/dist-cjs/index.js:2760:21)
    at de_CreateBackupVaultCommand (/app/node_modules/@aws-sdk/client-backup/dist-cjs/index.js:1404:12) {
  '$fault': 'client',
  '$metadata': {
    httpStatusCode: 400,
    requestId: '0f8e1d2c-3b4a-4596-8877-a6b5c4d3e2f1',
    extendedRequestId: undefined,
    cfId: undefined,
    attempts: 1,
    totalRetryDelay: 0
  },
  Code: 'InvalidParameterValueException'
}`,
    id: '0f8e1d2c-3b4a-4596-8877-a6b5c4d3e2f1',
    label: 'requestId',
    hints: {
      eventSource: 'backup.amazonaws.com',
      eventName: 'CreateBackupVault',
      errorCode: 'InvalidParameterValueException',
      statusCode: 400,
    },
  },
  {
    name: 'JS v3 S3 $metadata with extendedRequestId',
    text: `NoSuchBucket: The specified bucket does not exist
  $metadata: { httpStatusCode: 404, requestId: 'ZFQ6A0RQV9FWMYZM', extendedRequestId: '${HOST_ID}', cfId: undefined, attempts: 1, totalRetryDelay: 0 },
  Code: 'NoSuchBucket', BucketName: 'my-bucket'`,
    id: 'ZFQ6A0RQV9FWMYZM',
    label: 'requestId',
    rejected: ['extendedRequestId'],
    hints: { errorCode: 'NoSuchBucket', statusCode: 404 },
  },
  {
    name: 'JS v2 error object',
    text: "{ message: 'Access Denied', code: 'AccessDenied', region: 'eu-west-1', time: 2024-08-08T05:49:02.511Z, requestId: 'NTX8QW3Z9B2K7C1D', extendedRequestId: 'abcDEF123/+=', statusCode: 403, retryable: false }",
    id: 'NTX8QW3Z9B2K7C1D',
    format: 's3',
    rejected: ['extendedRequestId'],
    hints: { region: 'eu-west-1', statusCode: 403, time: '2024-08-08T05:49:02.511Z', zoneKnown: true },
  },
  {
    name: 'AWS CLI --debug: response headers with the endpoint and operation on earlier lines',
    text: [
      "2024-08-08 14:48:55,101 - MainThread - botocore.endpoint - DEBUG - Making request for OperationModel(name=CreateKey) with params: {'url_path': '/', 'query_string': '', 'method': 'POST', 'headers': {'X-Amz-Target': 'TrentService.CreateKey', 'Content-Type': 'application/x-amz-json-1.1'}, 'url': 'https://kms.us-east-1.amazonaws.com/'}",
      "2024-08-08 14:48:55,388 - MainThread - botocore.parsers - DEBUG - Response headers: {'x-amzn-RequestId': '3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9', 'Cache-Control': 'no-cache', 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': '412', 'Date': 'Thu, 08 Aug 2024 05:48:55 GMT'}",
      '2024-08-08 14:48:55,389 - MainThread - botocore.parsers - DEBUG - Response body: b\'{"KeyMetadata":{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"}}\'',
    ].join('\n'),
    id: '3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9',
    label: 'x-amzn-RequestId',
    rejected: ['KeyId'],
    hints: {
      eventSource: 'kms.amazonaws.com',
      eventName: 'CreateKey',
      region: 'us-east-1',
      time: '2024-08-08T05:48:55.000Z',
      zoneKnown: true,
    },
  },
  {
    name: 'raw HTTP response headers (x-amzn-RequestId, x-amzn-ErrorType)',
    text: 'HTTP/1.1 400 Bad Request\nx-amzn-RequestId: 7d6c5b4a-3928-4170-a6b5-c4d3e2f1a0b9\nx-amzn-ErrorType: InvalidParameterValueException:http://internal.amazon.com/coral/com.amazonaws.backup/\nContent-Type: application/json\nDate: Thu, 08 Aug 2024 05:49:02 GMT',
    id: '7d6c5b4a-3928-4170-a6b5-c4d3e2f1a0b9',
    label: 'x-amzn-RequestId',
    hints: { statusCode: 400, errorCode: 'InvalidParameterValueException', time: '2024-08-08T05:49:02.000Z' },
  },
  {
    name: 'raw S3 headers (x-amz-request-id, x-amz-id-2)',
    text: `HTTP/1.1 403 Forbidden\nx-amz-request-id: 4442587FB7D0A2F9\nx-amz-id-2: ${HOST_ID}\nContent-Type: application/xml`,
    id: '4442587FB7D0A2F9',
    format: 's3',
    label: 'x-amz-request-id',
    rejected: ['x-amz-id-2'],
    hints: { statusCode: 403 },
  },
  {
    name: 'S3 XML error body',
    text: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message><Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId><HostId>${HOST_ID}</HostId></Error>`,
    id: '4442587FB7D0A2F9',
    label: 'RequestId',
    rejected: ['HostId'],
    hints: { errorCode: 'NoSuchKey' },
  },
  {
    name: 'EC2 query XML error (RequestID element)',
    text: '<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID i-1a2b3c4d does not exist</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example1234</RequestID></Response>',
    // Not a valid UUID (the docs' "example" tail), but labelled and ID-shaped.
    id: 'ea966190-f9aa-478e-9ede-example1234',
    format: 'other',
    hints: { errorCode: 'InvalidInstanceID.NotFound' },
  },
  {
    name: 'CloudTrail record JSON: requestID accepted, eventID and sharedEventID refused',
    text: '{"eventVersion":"1.09","eventTime":"2024-08-08T05:49:02Z","eventSource":"backup.amazonaws.com","eventName":"CreateBackupVault","awsRegion":"ap-northeast-1","sourceIPAddress":"cloudformation.amazonaws.com","userAgent":"cloudformation.amazonaws.com","errorCode":"InvalidParameterValueException","requestID":"abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e","eventID":"0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a","sharedEventID":"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"}',
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    label: 'requestID',
    rejected: ['eventID', 'sharedEventID'],
    hints: {
      eventSource: 'backup.amazonaws.com',
      eventName: 'CreateBackupVault',
      errorCode: 'InvalidParameterValueException',
      caller: 'cloudformation.amazonaws.com',
      region: 'ap-northeast-1',
      time: '2024-08-08T05:49:02.000Z',
    },
  },
  {
    name: 'CloudTrail addendum: originalRequestID is a request ID',
    text: '"addendum": {"reason": "UPDATED_DATA", "originalRequestID": "abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e", "originalEventID": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a"}',
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    label: 'originalRequestID',
    rejected: ['originalEventID'],
  },
  {
    name: 'seed requestParameters: cursor on creatorRequestId → refused',
    text: '"requestParameters": {\n  "backupVaultName": "my-backup-vault",\n  "encryptionKeyArn": "9z8yxw7u-987z-98zy-z987-9z87y65x4321",\n  "creatorRequestId": "a0000aa0-0a00-0000-4025-000000‸000a00"\n}',
    id: null,
    cursorRejected: { label: 'creatorRequestId', reason: /idempotency token/ },
  },
  {
    name: 'Lambda START line → refused',
    text: 'START RequestId: 8f5a2c1e-3b4d-4e6f-9a8b-7c6d5e4f3a2b Version: $LATEST',
    id: null,
    rejected: ['START RequestId'],
  },
  {
    name: 'Lambda END and REPORT lines → refused',
    text: 'END RequestId: 8f5a2c1e-3b4d-4e6f-9a8b-7c6d5e4f3a2b\nREPORT RequestId: 8f5a2c1e-3b4d-4e6f-9a8b-7c6d5e4f3a2b\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB',
    id: null,
    rejected: ['END RequestId', 'REPORT RequestId'],
  },
  {
    name: 'Lambda runtime log prefix → refused; the SDK error inside it is found',
    text: '2024-08-08T05:49:02.123Z\t8f5a2c1e-3b4d-4e6f-9a8b-7c6d5e4f3a2b\tERROR\tInvoke Error\t{"errorType":"AccessDeniedException","$metadata":{"httpStatusCode":400,"requestId":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}}',
    id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    rejected: ['Lambda log prefix'],
    hints: { time: '2024-08-08T05:49:02.123Z', zoneKnown: true, statusCode: 400 },
  },
  {
    name: 'CloudFormation stack event: ClientRequestToken refused; the stack ID UUID is part of an ARN',
    text: '{"StackId":"arn:aws:cloudformation:ap-northeast-1:123456789012:stack/my-stack/1a2b3c4d-5e6f-11ef-8c9d-0e1f2a3b4c5d","EventId":"BackupVault-CREATE_FAILED-2024-08-08T05:49:03.021Z","ClientRequestToken":"Console-CreateStack-7f59c3cf-00d3-4ad8-a3c4-1e2f3a4b5c6d","ResourceType":"AWS::Backup::BackupVault","Timestamp":"2024-08-08T05:49:03.021Z"}',
    id: null,
    rejected: ['ARN', 'EventId', 'ClientRequestToken'],
    hints: { eventSource: 'backup.amazonaws.com', region: 'ap-northeast-1', eventName: undefined },
  },
  {
    name: 'LookupEvents output: EventId refused with a pointer to the EventId lookup',
    text: '"EventId": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",',
    id: null,
    cursorRejected: undefined,
    rejected: ['EventId'],
  },
  {
    name: 'Lambda platform lines: "RequestId: … Error: Runtime exited" and "Task timed out" → refused',
    text: 'RequestId: 8f5a2c1e-3b4d-4e6f-9a8b-7c6d5e4f3a2b Error: Runtime exited with error: exit status 1\n2024-08-08T05:49:05.123Z 9e6b3d2f-4c5e-4f70-8b9c-8d7e6f5a4b3c Task timed out after 3.00 seconds',
    id: null,
    rejected: ['RequestId', 'Lambda log prefix'],
  },
  {
    name: 'Japanese console label リクエスト ID with a full-width colon',
    text: 'エラー: リクエスト ID：abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e を確認',
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    label: 'リクエスト ID',
  },
  {
    name: 'prose: "request id <uuid>" without a colon',
    text: 'The deploy failed again, request id 7c9e6679-7425-40de-944b-e07fc1f90ae7, please check',
    id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    label: 'request id',
  },
  {
    name: 'bare UUID selection',
    text: '  abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e\n',
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    format: 'uuid',
    label: undefined,
  },
  {
    name: 'bare S3 ID selection (quoted)',
    text: '"MBHBER1HYTDVJ3RS"',
    id: 'MBHBER1HYTDVJ3RS',
    format: 's3',
  },
  {
    name: 'a 16-uppercase token in prose is not taken',
    text: 'Build ABCD1234EFGH5678 failed at step 3',
    id: null,
  },
  {
    name: 'upper-case UUID is normalised to lower-case (CloudTrail stores them lower-case)',
    text: '(Service: Sts, Status Code: 403, Request ID: 83BD3112-AAA4-4980-BFCF-3EE2052A0435)',
    id: '83bd3112-aaa4-4980-bfcf-3ee2052a0435',
    hints: { eventSource: 'sts.amazonaws.com' },
  },
  {
    name: 'OpenTelemetry attribute aws.request_id',
    text: 'span attributes: rpc.service=DynamoDB rpc.method=GetItem aws.request_id=4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG',
    id: '4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG',
    label: 'request_id',
  },
  {
    name: 'without a cursor the (Service: …) Request ID beats an earlier labelled and a bare UUID',
    text: 'job 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d: RequestId: 11111111-2222-4333-8444-555555555555 retried; final: Invalid parameter (Service: Ssm, Status Code: 400, Request ID: 99999999-8888-4777-8666-555555555555)',
    id: '99999999-8888-4777-8666-555555555555',
    hints: { eventSource: 'ssm.amazonaws.com' },
  },
  {
    name: 'Java v2 CloudWatch (irregular: monitoring.amazonaws.com)',
    text: 'Resource handler returned message: "Invalid metric (Service: CloudWatch, Status Code: 400, Request ID: 2b3c4d5e-6f70-4819-a2b3-c4d5e6f7a8b9)" (RequestToken: 3c4d5e6f-7081-4920-b3c4-d5e6f7a8b9c0, HandlerErrorCode: InvalidRequest)',
    id: '2b3c4d5e-6f70-4819-a2b3-c4d5e6f7a8b9',
    hints: { service: 'CloudWatch', eventSource: 'monitoring.amazonaws.com' },
  },
  {
    name: 'KMS keyId value in JSON is refused, not offered',
    text: '{"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "requestId": "ab12cd34-ef56-4a78-9b0c-d1e2f3a4b5c6"}',
    id: 'ab12cd34-ef56-4a78-9b0c-d1e2f3a4b5c6',
    rejected: ['keyId'],
  },
  {
    name: 'Backup job ID under a foreign JSON key is refused',
    text: '{"BackupJobId": "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f"}',
    id: null,
    rejected: ['BackupJobId'],
  },
];
