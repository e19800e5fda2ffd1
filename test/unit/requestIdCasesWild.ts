/**
 * Error texts as people paste them into issue trackers (Terraform, Pulumi, CDK, the AWS SDKs, the
 * consoles), written in each tool's own output format: the label wording and line shapes those tools
 * print. Each row says which ID is the CloudTrail request ID, which were refused (`rejected`, the label
 * or context says they are something else) and which were set aside for a better one (`setAside`).
 * IDs are made up; `‸` marks the cursor.
 */
import { HOST_ID, type Row } from './requestIdCases';

export interface WildRow extends Row {
  /** IDs set aside for the match, each with a pattern its reason must match. */
  setAside?: Array<{ id: string; reason: RegExp }>;
}

const INVOCATION = '8f5a2c1e-3b4d-4e6f-9a8b-7c6d5e4f3a2b';

export const wildRows: WildRow[] = [
  {
    name: 'Java SDK v1 legacy AmazonServiceException, one line per retry: the last attempt is searched',
    text: [
      '2024-08-08 05:48:58,101 INFO  [main] com.amazonaws.http.AmazonHttpClient - Unable to execute HTTP request: Status Code: 400, AWS Service: AmazonDynamoDBv2, AWS Request ID: 1B6DLU3IA2S5P0QJ4C8KNG6F7VV4KQNSO5AEMVJF66Q9ASUAAJG, AWS Error Code: ProvisionedThroughputExceededException, AWS Error Message: The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API',
      '2024-08-08 05:49:00,377 INFO  [main] com.amazonaws.http.AmazonHttpClient - Unable to execute HTTP request: Status Code: 400, AWS Service: AmazonDynamoDBv2, AWS Request ID: 9HQ2M7R0ETCV1K3B5N8XWJ4GSVV4KQNSO5AEMVJF66Q9ASUAAJG, AWS Error Code: ProvisionedThroughputExceededException, AWS Error Message: The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API',
      'Exception in thread "main" Status Code: 400, AWS Service: AmazonDynamoDBv2, AWS Request ID: QK1S4E7UA0M2V5C8P3RNX6TBHFV4KQNSO5AEMVJF66Q9ASUAAJG, AWS Error Code: ProvisionedThroughputExceededException, AWS Error Message: The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API',
      '\tat com.amazonaws.http.AmazonHttpClient.handleErrorResponse(AmazonHttpClient.java:644)',
      '\tat com.amazonaws.http.AmazonHttpClient.executeHelper(AmazonHttpClient.java:338)',
    ].join('\n'),
    id: 'QK1S4E7UA0M2V5C8P3RNX6TBHFV4KQNSO5AEMVJF66Q9ASUAAJG',
    format: 'other',
    label: 'AWS Request ID',
    setAside: [
      { id: '1B6DLU3IA2S5P0QJ4C8KNG6F7VV4KQNSO5AEMVJF66Q9ASUAAJG', reason: /earlier attempt/ },
      { id: '9HQ2M7R0ETCV1K3B5N8XWJ4GSVV4KQNSO5AEMVJF66Q9ASUAAJG', reason: /earlier attempt/ },
    ],
    hints: {
      service: 'AmazonDynamoDBv2',
      eventSource: 'dynamodb.amazonaws.com',
      errorCode: 'ProvisionedThroughputExceededException',
      statusCode: 400,
    },
  },
  {
    name: 'Java SDK v1 legacy S3 message with its S3 Extended Request ID',
    text: `com.amazonaws.services.s3.model.AmazonS3Exception: Status Code: 403, AWS Service: Amazon S3, AWS Request ID: 5E5D1A3B5A6B8C3D, AWS Error Code: AccessDenied, AWS Error Message: Access Denied, S3 Extended Request ID: ${HOST_ID}`,
    id: '5E5D1A3B5A6B8C3D',
    format: 's3',
    label: 'AWS Request ID',
    rejected: ['S3 Extended Request ID'],
    hints: { service: 'Amazon S3', eventSource: 's3.amazonaws.com', errorCode: 'AccessDenied', statusCode: 403 },
  },
  {
    name: '.NET SDK request metrics (AWSConfigs.LoggingConfig.LogMetrics): AWSRequestID, not a Lambda ID; AmzId2 refused',
    text: `Amazon.Runtime.Internal.Util.RequestMetrics|2024-08-08T05:49:02.418Z|INFO|Request metrics: AsyncCall = True; ServiceName = AmazonS3; ServiceEndpoint = https://my-bucket.s3.eu-west-1.amazonaws.com/; MethodName = PutObjectRequest; StatusCode = Forbidden; AWSErrorCode = AccessDenied; AWSRequestID = 7A3E5B0C9D2F4A61; AmzId2 = ${HOST_ID}; BytesProcessed = 0; CredentialsRequestTime = 00:00:00.0000213; RequestSigningTime = 00:00:00.0012871; HttpRequestTime = 00:00:00.1104556; ResponseUnmarshallTime = 00:00:00.0009920; ResponseProcessingTime = 00:00:00.0031021; ClientExecuteTime = 00:00:00.1301349`,
    id: '7A3E5B0C9D2F4A61',
    format: 's3',
    label: 'AWSRequestID',
    rejected: ['AmzId2'],
    hints: { eventSource: 's3.amazonaws.com', region: 'eu-west-1', time: '2024-08-08T05:49:02.418Z', zoneKnown: true },
  },
  {
    name: "Rust SDK error (Debug print): aws_request_id in the error metadata is the service's; s3_extended_request_id refused",
    text: `Error: ServiceError(ServiceError { source: NoSuchKey(NoSuchKey { message: Some("The specified key does not exist."), meta: ErrorMetadata { code: Some("NoSuchKey"), message: Some("The specified key does not exist."), extras: Some({"aws_request_id": "MBHBER1HYTDVJ3RS", "s3_extended_request_id": "${HOST_ID}"}) } }), raw: Response { status: StatusCode(404), headers: Headers { headers: {"x-amz-request-id": HeaderValue { _private: H0("MBHBER1HYTDVJ3RS") }, "x-amz-id-2": HeaderValue { _private: H0("${HOST_ID}") }, "content-type": HeaderValue { _private: H0("application/xml") }, "date": HeaderValue { _private: H0("Thu, 08 Aug 2024 05:49:02 GMT") }, "server": HeaderValue { _private: H0("AmazonS3") }} }, body: SdkBody { inner: Taken, retryable: true }, extensions: Extensions { extensions_02x: Extensions, extensions_1x: Extensions } } })`,
    id: 'MBHBER1HYTDVJ3RS',
    format: 's3',
    label: 'aws_request_id',
    rejected: ['s3_extended_request_id'],
    hints: { statusCode: 404, time: '2024-08-08T05:49:02.000Z', zoneKnown: true },
  },
  {
    name: 'Rust SDK error for a JSON service (DynamoDB), with the x-amzn-requestid header in the raw response',
    text: 'Error: ServiceError(ServiceError { source: ResourceNotFoundException(ResourceNotFoundException { message: Some("Requested resource not found"), meta: ErrorMetadata { code: Some("ResourceNotFoundException"), message: Some("Requested resource not found"), extras: Some({"aws_request_id": "4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG"}) } }), raw: Response { status: StatusCode(400), headers: Headers { headers: {"server": HeaderValue { _private: H0("Server") }, "x-amzn-requestid": HeaderValue { _private: H0("4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG") }, "x-amz-crc32": HeaderValue { _private: H0("1368724161") }} }, body: SdkBody { inner: Once(Some(b"{\\"__type\\":\\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\\",\\"message\\":\\"Requested resource not found\\"}")), retryable: true }, extensions: Extensions { extensions_02x: Extensions, extensions_1x: Extensions } } })',
    id: '4KBNVRGD25RG1KEO9UT4V3FQDJVV4KQNSO5AEMVJF66Q9ASUAAJG',
    label: 'aws_request_id',
    hints: { errorCode: 'ResourceNotFoundException', statusCode: 400 },
  },
  {
    name: "a Lambda function's own aws_request_id (Python context) is still refused",
    text: `logger.info("handled", extra={"aws_request_id": "${INVOCATION}"})`,
    id: null,
    rejected: ['aws_request_id'],
  },
  {
    name: 'CodeDeploy agent wire log (:log_aws_wire:): the x-amzn-RequestId response header',
    text: [
      '2024-08-08T05:49:02 DEBUG [codedeploy-agent(3121)]: opening connection to codedeploy-commands.us-east-1.amazonaws.com:443...',
      '<- "POST / HTTP/1.1\\r\\nContent-Type: application/x-amz-json-1.1\\r\\nX-Amz-Target: CodeDeployCommandService_v20141006.PollHostCommand\\r\\nHost: codedeploy-commands.us-east-1.amazonaws.com\\r\\nX-Amz-Date: 20240808T054902Z\\r\\n\\r\\n"',
      '-> "HTTP/1.1 400 Bad Request\\r\\n"',
      '-> "x-amzn-RequestId: 3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9\\r\\n"',
      '-> "Content-Type: application/x-amz-json-1.1\\r\\n"',
      '-> "Content-Length: 120\\r\\n"',
      '-> "Date: Thu, 08 Aug 2024 05:49:02 GMT\\r\\n"',
      '-> "{\\"__type\\":\\"com.amazon.coral.service#AccessDeniedException\\",\\"message\\":\\"User is not authorized to perform: codedeploy-commands:PollHostCommand\\"}"',
    ].join('\n'),
    id: '3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9',
    label: 'x-amzn-RequestId',
    // The agent's own log time (zone-less, an earlier line) is nearer than the response's Date header.
    hints: { region: 'us-east-1', statusCode: 400, eventName: 'PollHostCommand', time: '2024-08-08T05:49:02.000Z', zoneKnown: false },
  },
  {
    name: 'S3 XML error body with its tags stripped by a mail or chat client',
    text: `aws s3 cp failed, the body was: AccessDeniedAccess DeniedMBHBER1HYTDVJ3RS${HOST_ID}`,
    id: 'MBHBER1HYTDVJ3RS',
    format: 's3',
    rejected: ['HostId (tags stripped)'],
  },
  {
    name: 'S3 XML error body, tags stripped, with a bucket name field',
    text: `NoSuchBucketThe specified bucket does not existmy-app-assetsC9ER4AJX75574TDJ${HOST_ID}`,
    id: 'C9ER4AJX75574TDJ',
    format: 's3',
    rejected: ['HostId (tags stripped)'],
  },
  {
    name: "Lambda log copied from the console (tabs became spaces): START line and the runtime prefix refused, the SDK error's ID found",
    text: [
      `START RequestId: ${INVOCATION} Version: $LATEST`,
      `2024-08-08T05:49:02.123Z ${INVOCATION} INFO Creating backup vault my-vault`,
      `2024-08-08T05:49:02.501Z ${INVOCATION} ERROR Invoke Error {"errorType":"AccessDeniedException","errorMessage":"User is not authorized to perform: backup:CreateBackupVault","$metadata":{"httpStatusCode":403,"requestId":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","attempts":1}}`,
      `END RequestId: ${INVOCATION}`,
      `REPORT RequestId: ${INVOCATION} Duration: 412.08 ms Billed Duration: 413 ms Memory Size: 128 MB Max Memory Used: 84 MB`,
    ].join('\n'),
    id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    label: 'requestId',
    rejected: ['START RequestId', 'Lambda log prefix'],
    hints: { eventName: 'CreateBackupVault', eventSource: 'backup.amazonaws.com', statusCode: 403, time: '2024-08-08T05:49:02.501Z' },
  },
  {
    name: 'Lambda log: the invocation ID alone on later lines (spaces, no level) is refused because START names it',
    text: `START RequestId: ${INVOCATION} Version: $LATEST\n2024-08-08T05:49:02.123Z ${INVOCATION} Task started\nfailed for ${INVOCATION}`,
    id: null,
    rejected: ['START RequestId'],
    cursorRejected: undefined,
  },
  {
    name: 'Python runtime log prefix "[ERROR] <time> <invocation id> …" (spaces)',
    text: `[ERROR] 2024-08-08T05:49:02.123Z ${INVOCATION} ClientError: An error occurred (AccessDeniedException) when calling the CreateBackupVault operation: User is not authorized`,
    id: null,
    rejected: ['Lambda log prefix'],
    hints: { eventName: 'CreateBackupVault', errorCode: 'AccessDeniedException', time: '2024-08-08T05:49:02.123Z' },
  },
  {
    name: 'Python runtime log prefix (tabs), with a boto3 RequestId further on the line',
    text: `[ERROR]\t2024-08-08T05:49:02.123Z\t${INVOCATION}\tfailed: {'Error': {'Code': 'AccessDeniedException'}, 'ResponseMetadata': {'RequestId': 'f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0', 'HTTPStatusCode': 400}}`,
    id: 'f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0',
    label: 'RequestId',
    rejected: ['Lambda log prefix'],
  },
  {
    name: 'Lambda console Test result: the "Request ID" section is the invocation ID',
    text: [
      'Test Event Name',
      'my-test',
      '',
      'Response',
      '{',
      '  "errorType": "AccessDeniedException",',
      '  "errorMessage": "User is not authorized to perform: kms:CreateKey"',
      '}',
      '',
      'Function Logs',
      `START RequestId: ${INVOCATION} Version: $LATEST`,
      `END RequestId: ${INVOCATION}`,
      `REPORT RequestId: ${INVOCATION}\tDuration: 61.51 ms\tBilled Duration: 62 ms\tMemory Size: 128 MB\tMax Memory Used: 75 MB\tInit Duration: 412.38 ms`,
      '',
      'Request ID',
      INVOCATION,
    ].join('\n'),
    id: null,
    rejected: ['START RequestId', 'REPORT RequestId'],
  },
  {
    name: 'Lambda console Test result with the logs cut: the "Request ID" heading alone says it',
    text: ['Execution result: failed', 'Response', '{"errorMessage": "boom"}', '', 'Request ID', INVOCATION].join('\n'),
    id: null,
    rejected: ['Request ID (Lambda console test result)'],
  },
  {
    name: 'CloudFormation custom resource failure via cfn-response: "(RequestId: …)" after the log stream is refused',
    text: `CREATE_FAILED  Custom::Seeder  SeedData  Received response status [FAILED] from custom resource. Message returned: See the details in CloudWatch Log Stream: 2024/08/08/[$LATEST]0f1e2d3c4b5a69788796a5b4c3d2e1f0 (RequestId: 6c2f1a0e-4d3b-4c5a-9e8f-7a6b5c4d3e2f)`,
    id: null,
    rejected: ['RequestId'],
  },
  {
    name: 'CDK deploy output, custom resource timeout: "check your logs for requestId [...]" is refused',
    text: 'MyStack | 3/12 | 05:49:02 | CREATE_FAILED        | Custom::BucketDeployment | Deploy/CustomResource/Default (DeployCustomResourceE1A42A7A) CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [029f4ea5-cd25-4593-b1ee-d805dd94f5e7]. If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.',
    id: null,
    rejected: ['requestId [ ]'],
  },
  {
    name: "API Gateway execution log: the (request id) prefix is refused; the integration's x-amzn-RequestId (Step Functions) is found",
    text: [
      '(e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f) Extended Request Id: Y1aBcD2EFiAFkzw=',
      '(e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f) Verifying Usage Plan for request: e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f. API Key:  API Stage: a1b2c3d4e5/prod',
      '(e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f) Starting execution for request: e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f',
      '(e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f) HTTP Method: POST, Resource Path: /orders',
      '(e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f) Endpoint request URI: https://states.us-east-1.amazonaws.com/?Action=StartExecution',
      '(e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f) Endpoint response headers: {x-amzn-RequestId=2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f, Content-Type=application/x-amz-json-1.0, Content-Length=112, Date=Thu, 08 Aug 2024 05:49:02 GMT}',
      '(e3f1b2a4-1234-4c5d-8e9f-0a1b2c3d4e5f) Method completed with status: 400',
    ].join('\n'),
    id: '2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
    label: 'x-amzn-RequestId',
    rejected: ['API Gateway execution log', 'Extended Request Id'],
    hints: { eventSource: 'states.amazonaws.com', region: 'us-east-1' },
  },
  {
    name: 'API Gateway execution log of a Lambda proxy: nothing in it is a CloudTrail request ID',
    text: [
      '(7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e) Starting execution for request: 7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
      '(7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e) Method completed with status: 502',
    ].join('\n'),
    id: null,
    rejected: ['API Gateway execution log'],
  },
  {
    name: "an API Gateway request ID elsewhere in a client log, even labelled, is the API's",
    text: '(7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e) Method completed with status: 502\nclient got 502, x-amzn-RequestId: 7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
    id: null,
    rejected: ['API Gateway execution log'],
  },
  {
    name: 'Terraform AWS provider (Go v2) error block',
    text: [
      '╷',
      '│ Error: creating Backup Vault (my-vault): operation error Backup: CreateBackupVault, https response error StatusCode: 400, RequestID: abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e, InvalidParameterValueException: Invalid Key provided by the user. %s',
      '│ ',
      '│   with aws_backup_vault.this,',
      '│   on main.tf line 12, in resource "aws_backup_vault" "this":',
      '│   12: resource "aws_backup_vault" "this" {',
      '╵',
    ].join('\n'),
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    label: 'RequestID',
    hints: { eventSource: 'backup.amazonaws.com', eventName: 'CreateBackupVault', statusCode: 400 },
  },
  {
    name: "Pulumi diagnostics: the SDK error's ID beats an earlier labelled one in the update log",
    text: [
      'Diagnostics:',
      '  aws:backup:Vault (my-vault):',
      '    error: 1 error occurred:',
      '    \t* creating urn:pulumi:dev::infra::aws:backup/vault:Vault::my-vault: 1 error occurred:',
      '    \t* creating Backup Vault (my-vault-5f3e2a1): operation error Backup: CreateBackupVault, https response error StatusCode: 400, RequestID: abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e, InvalidParameterValueException: Invalid Key provided by the user. %s',
      '  pulumi:pulumi:Stack (infra-dev):',
      '    error: update failed (request id: 6f5e4d3c-2b1a-4098-8776-655443322110)',
    ].join('\n'),
    id: 'abc1d2e3-a1bc-1ab2-1234-12345ab6cd7e',
    setAside: [{ id: '6f5e4d3c-2b1a-4098-8776-655443322110', reason: /outside the SDK error/ }],
    hints: { eventSource: 'backup.amazonaws.com' },
  },
  {
    name: 'a bare UUID next to a labelled ID is set aside as unlabelled',
    text: 'deploy 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d failed: RequestId: 11111111-2222-4333-8444-555555555555',
    id: '11111111-2222-4333-8444-555555555555',
    setAside: [{ id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', reason: /bare ID with no label/ }],
  },
];
