/**
 * The rules that say what an ID in text is (docs/cloudtrail.md §7): the shapes of request IDs
 * (UUID, S3's 16 characters) and of IDs that never are one (access keys, EC2 resource IDs,
 * placeholders), and the table of labels: those that name a CloudTrail request ID (`Request ID:`,
 * `x-amzn-RequestId`, `AWS Request ID`) and those that name something else (RequestToken, Lambda's
 * invocation IDs, eventID, x-amz-id-2, …), each with the reason a person is shown. requestId.ts
 * applies them to text.
 */

/** A UUID request ID (most services), as a whole string and anywhere in text. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const UUID_IN_TEXT =
  /(?<![0-9A-Za-z_-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z_-])/g;
/** S3's x-amz-request-id. */
export const S3 = /^[0-9A-Z]{16}$/;
/** Placeholders a log writes where an ID would stand. */
export const NOT_AN_ID = /^(?:null|nil|none|undefined|unknown|n\/a|redacted|hidden|\*+)$/i;
/** IAM unique IDs, access keys and EC2 resource IDs look like IDs but never are request IDs. */
export const OTHER_AWS_ID =
  /^(?:(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA|ANVA|AIPA|APKA|ABIA|ACCA)[A-Z0-9]{12,}|(?:i|vol|sg|subnet|vpc|ami|snap|eni|igw|rtb|acl|nat|lt|r)-[0-9a-f]{8,17})$/;

/** An unquoted key that is an identifier (jobId, stack_id, ID), not a word of prose ("failed:"). */
export const FOREIGN_KEY =
  /^(?:id|Id|ID|uuid|UUID|guid|GUID|arn|Arn|ARN)$|[a-z0-9](?:Id|ID|Arn|ARN|Token|Key|Name|Uuid|UUID)$|_(?:id|arn|token|key|name|uuid)$|[a-z][A-Z]/;

// Reasons shown for IDs that are something else, each used by more than one rule.
export const LAMBDA_INVOCATION = 'a Lambda invocation ID; Invoke is a data event, so LookupEvents never returns it';
export const S3_EXTENDED =
  "the S3 extended request ID (x-amz-id-2, host ID) names the S3 host that served the call; CloudTrail's requestID holds the x-amz-request-id";
export const CUSTOM_RESOURCE =
  "a custom resource request's RequestId, which CloudFormation sends to the function and the response echoes; it is not a CloudTrail request ID (look in the function's logs)";
export const API_GATEWAY = 'an API Gateway request ID (execution log): calls to your API are not CloudTrail events';
/** Reasons that say what an ID is wherever else it stands: a Lambda invocation ID is one on every line. */
export function sameEverywhere(reason: string): boolean {
  return reason.startsWith(LAMBDA_INVOCATION) || reason === CUSTOM_RESOURCE || reason === API_GATEWAY;
}

interface Rule {
  /** Regex source for the label. */
  label: string;
  /** Present for labels that are not CloudTrail request IDs. */
  reject?: string;
  caseSensitive?: boolean;
  /** A rejected label is accepted after all when the line before it matches this. */
  acceptAfter?: RegExp;
}

/** Longest labels win over the shorter ones they contain ("S3 Extended Request ID" over "Request ID"). */
const RULES: readonly Rule[] = [
  { label: 'x-amzn-Request-?Id' },
  { label: 'x-amz-request-id' },
  // CloudTrail's addendum names the event an update replaces by its request ID.
  { label: 'original[ _-]?Request[ _-]?ID' },
  // Java SDK v1's legacy message ("AWS Service: AmazonS3, AWS Request ID: …") and the .NET SDK's request metrics ("AWSRequestID = …").
  { label: 'AWS ?Request ?ID', caseSensitive: true },
  // Also the Japanese console's "リクエスト ID" (the seed story is Japanese).
  { label: 'Request[ _-]?ID|リクエスト\\s?ID' },
  {
    label: '(?:S3 )?Extended[ _-]?Request[ _-]?ID|s3_extended_request_id|x-amz-id-2|Host[ _-]?ID|AmzId2',
    reject: S3_EXTENDED,
  },
  { label: '(?:START|END|REPORT) RequestId', caseSensitive: true, reject: `${LAMBDA_INVOCATION} (START/END/REPORT lines)` },
  {
    // Lambda's context (awsRequestId, aws_request_id) and Powertools' function_request_id. The Rust SDK
    // also names the service's request ID aws_request_id, in its error metadata: that one is accepted.
    label: 'awsRequestId|AwsRequestId|aws_request_id|function_request_id|[Ii]nvocation[ _-]?I[Dd]',
    caseSensitive: true,
    reject: LAMBDA_INVOCATION,
    acceptAfter: /extras: Some\(\{[^}]*$/,
  },
  {
    label: 'Client[ _-]?Request[ _-]?Token',
    reject: 'a CloudFormation ClientRequestToken tags one stack operation; it is not a CloudTrail request ID',
  },
  {
    label: 'Request[ _-]?Token',
    reject: "a CloudFormation RequestToken groups a resource handler's calls; it is not a CloudTrail request ID",
  },
  {
    label: 'creator[ _-]?Request[ _-]?Id|Client[ _-]?Token|Idempotency[ _-]?Token',
    reject: "an idempotency token the caller chose (a request parameter), not the service's request ID",
  },
  {
    label: 'shared[ _-]?Event[ _-]?ID',
    reject: 'a CloudTrail sharedEventID links copies of one event across accounts; it is not a request ID',
  },
  {
    label: '(?:original)?Event[ _-]?ID',
    reject: 'a CloudTrail event ID is made by CloudTrail, not by the service; look it up by EventId instead',
  },
  { label: 'x-amz-cf-id|cfId', reject: 'a CloudFront request ID (x-amz-cf-id), not a CloudTrail request ID' },
  { label: 'x-amzn-trace-id|trace[ _-]?id', reject: 'an X-Ray trace ID, not a request ID' },
  { label: '(?:kms[ _-]?)?Key[ _-]?ID', reject: 'a KMS key ID, not a request ID' },
];

// A label, a separator (`:`, `=`, `=>`, a full-width colon, maybe quoted), then the ID.
const SEP = `["']?\\s*(?:=>|[:=>：])\\s*["']?`;
const ACCEPT_TOKEN = '([A-Za-z0-9][A-Za-z0-9_-]{3,199})';
const REJECT_TOKEN = '([A-Za-z0-9+/=_-]{4,300})';

/** Each rule as a regex: group 1 the label as written, group 2 the token after it. */
export const COMPILED = RULES.map((rule) => ({
  rule,
  re: new RegExp(
    `(?<![A-Za-z0-9_])(${rule.label})(?![A-Za-z0-9_])${SEP}${rule.reject ? REJECT_TOKEN : ACCEPT_TOKEN}(?![A-Za-z0-9_])`,
    rule.caseSensitive ? 'g' : 'gi',
  ),
}));

/**
 * An S3 XML error body whose tags a mail or chat client stripped: "AccessDeniedAccess Denied" then the
 * 16-character request ID glued to the base64 host ID. The ID starts after a lower-case letter or
 * punctuation (the message's end); the host ID is 40–120 base64 characters to the end of the token.
 */
export const S3_STRIPPED = /(?<=[a-z.!)\]])([0-9A-Z]{16})([A-Za-z0-9+/]{40,120}={0,2})(?![A-Za-z0-9+/=])/g;
