/**
 * classifyAwsError over the error objects the SDK really throws: its exception classes, the
 * credential-provider errors with the messages copied from the installed providers
 * (@aws-sdk/credential-provider-node, -sso, token-providers), and the shapes node-http-handler
 * produces for dropped, refused and half-delivered responses.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccessDeniedException,
  CloudTrailServiceException,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { CredentialsProviderError, TokenProviderError } from '@smithy/core/config';
import { classifyAwsError, retryClass, safeText } from '../../src/core/awsErrors';
import { TrailLensError, type ErrorCode } from '../../src/core/errors';

const meta = (httpStatusCode: number) => ({
  httpStatusCode,
  requestId: 'f1e2d3c4-0000-4000-8000-000000000000',
  attempts: 1,
  totalRetryDelay: 0,
});

/** An unmodelled code, as the SDK builds it: a CloudTrailServiceException named after the code. */
function serviceError(name: string, status: number, message: string, fault: 'client' | 'server' = 'client') {
  return new CloudTrailServiceException({ name, $fault: fault, $metadata: meta(status), message });
}

/** What node-http-handler rejects with: a Node error carrying `code` plus the SDK's $metadata. */
function nodeError(message: string, code: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { code, $metadata: {} }, extra);
}

/** A response body cut in half: JSON.parse's SyntaxError with the SDK's deserialization footer. */
function truncatedBody(status: number): Error {
  let err: Error;
  try {
    JSON.parse('{"Events":[{"EventId":"a');
    throw new Error('unreachable');
  } catch (e) {
    err = e as Error;
  }
  err.message += '\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';
  return Object.assign(err, { $metadata: { httpStatusCode: status } });
}

const ctx = { profile: 'dev', region: 'eu-west-1', operation: 'LookupEvents', endpoint: 'http://127.0.0.1:4566' };

interface Row {
  what: string;
  err: unknown;
  code: ErrorCode;
  message?: RegExp;
  hint?: RegExp;
}

const rows: Row[] = [
  {
    what: 'no credentials anywhere (credential-provider-node)',
    err: new CredentialsProviderError('Could not load credentials from any providers', { tryNextLink: false }),
    code: 'NoCredentials',
    hint: /aws configure.*aws configure sso.*AWS_PROFILE/,
  },
  {
    what: 'legacy SSO token cache missing (credential-provider-sso)',
    err: new CredentialsProviderError(
      'The SSO session associated with this profile is invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      { tryNextLink: false },
    ),
    code: 'SsoExpired',
    hint: /^Run: aws sso login --profile dev$/,
  },
  {
    what: 'legacy SSO token expired (credential-provider-sso)',
    err: new CredentialsProviderError(
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
      { tryNextLink: false },
    ),
    code: 'SsoExpired',
    message: /has expired/,
    hint: /aws sso login --profile dev/,
  },
  {
    what: 'sso-session token file missing (token-providers, rewrapped by fromSSO)',
    err: new CredentialsProviderError(
      new TokenProviderError(
        "The SSO session token associated with profile=dev was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
        false,
      ).message,
      { tryNextLink: false },
    ),
    code: 'SsoExpired',
    hint: /aws sso login --profile dev/,
  },
  {
    what: 'sso-session token expired and not refreshable (token-providers)',
    err: new TokenProviderError(
      "Value not present for 'clientId' in SSO Token. Cannot refresh. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
      false,
    ),
    code: 'SsoExpired',
  },
  {
    what: 'sso-session token expired (token-providers)',
    err: new TokenProviderError("Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.", false),
    code: 'SsoExpired',
    message: /has expired/,
  },
  {
    what: 'SSO portal rejects the token (GetRoleCredentials UnauthorizedException, wrapped)',
    err: new CredentialsProviderError(
      Object.assign(new Error('Session token not found or invalid'), { name: 'UnauthorizedException' }).toString(),
      { tryNextLink: false },
    ),
    code: 'SsoExpired',
  },
  {
    what: 'incomplete SSO profile',
    err: new CredentialsProviderError(
      'Profile is configured with invalid SSO credentials. Required parameters "sso_account_id", "sso_region", "sso_role_name", "sso_start_url". Got sso_start_url',
      { tryNextLink: false },
    ),
    code: 'Config',
  },
  {
    what: 'credential_process failure keeps only the first line',
    err: new CredentialsProviderError('Command failed: /opt/bin/creds --profile dev\nsecret-ish stderr line', true),
    code: 'NoCredentials',
    message: /^Could not get AWS credentials for profile dev: Command failed: \/opt\/bin\/creds --profile dev$/,
  },
  {
    what: 'ExpiredTokenException (unmodelled)',
    err: serviceError('ExpiredTokenException', 400, 'The security token included in the request is expired'),
    code: 'ExpiredCredentials',
    hint: /aws sso login --profile dev/,
  },
  {
    what: 'ExpiredToken (STS query code)',
    err: serviceError('ExpiredToken', 400, 'The security token included in the request is expired'),
    code: 'ExpiredCredentials',
  },
  { what: 'RequestExpired', err: serviceError('RequestExpired', 400, 'Request has expired.'), code: 'ExpiredCredentials' },
  {
    what: 'InvalidClientTokenId',
    err: serviceError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
    code: 'InvalidCredentials',
  },
  {
    what: 'UnrecognizedClientException',
    err: serviceError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.'),
    code: 'InvalidCredentials',
  },
  {
    what: 'SignatureDoesNotMatch',
    err: serviceError(
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    ),
    code: 'InvalidCredentials',
    message: /SignatureDoesNotMatch/,
  },
  {
    what: 'AccessDeniedException on LookupEvents (modelled class) names the action and caller',
    err: new AccessDeniedException({
      $metadata: meta(400),
      message:
        'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action',
    }),
    code: 'AccessDenied',
    message:
      /arn:aws:iam::123456789012:user\/bob is not allowed to call cloudtrail:LookupEvents in eu-west-1 \(no identity-based policy allows/,
    hint: /cloudtrail:LookupEvents/,
  },
  {
    what: 'AccessDenied without an ARN still names cloudtrail:<operation>',
    err: serviceError('AccessDenied', 403, 'Access Denied'),
    code: 'AccessDenied',
    message: /the identity for profile dev is not allowed to call cloudtrail:LookupEvents/,
  },
  {
    what: 'AccessDenied from sts:AssumeRole names that action',
    err: serviceError(
      'AccessDenied',
      403,
      'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/Audit',
    ),
    code: 'AccessDenied',
    message: /call sts:AssumeRole/,
  },
  {
    what: 'ThrottlingException (modelled class)',
    err: new ThrottlingException({ $metadata: meta(400), message: 'Rate exceeded' }),
    code: 'Throttled',
  },
  { what: 'Throttling (query code)', err: serviceError('Throttling', 400, 'Rate exceeded'), code: 'Throttled' },
  { what: 'TooManyRequestsException', err: serviceError('TooManyRequestsException', 429, 'Too Many Requests'), code: 'Throttled' },
  {
    what: 'bare HTTP 429 the SDK calls Unknown',
    err: serviceError('Unknown', 429, 'UnknownError'),
    code: 'Throttled',
    message: /HTTP 429/,
  },
  {
    what: 'InvalidLookupAttributesException',
    err: new InvalidLookupAttributesException({ $metadata: meta(400), message: 'Only one lookup attribute is allowed.' }),
    code: 'InvalidRequest',
    message: /\(InvalidLookupAttributesException\): Only one lookup attribute/,
  },
  {
    what: 'InvalidTimeRangeException',
    err: new InvalidTimeRangeException({ $metadata: meta(400), message: 'Start time must be before end time.' }),
    code: 'InvalidRequest',
  },
  {
    what: 'InvalidNextTokenException',
    err: new InvalidNextTokenException({ $metadata: meta(400), message: 'Invalid token' }),
    code: 'InvalidRequest',
  },
  {
    what: 'InvalidMaxResultsException',
    err: new InvalidMaxResultsException({ $metadata: meta(400), message: 'MaxResults must be 1-50' }),
    code: 'InvalidRequest',
  },
  {
    what: 'ECONNREFUSED',
    err: nodeError('connect ECONNREFUSED 127.0.0.1:4566', 'ECONNREFUSED', { syscall: 'connect' }),
    code: 'Network',
    message: /http:\/\/127\.0\.0\.1:4566.*ECONNREFUSED/,
  },
  {
    what: 'ENOTFOUND',
    err: nodeError('getaddrinfo ENOTFOUND cloudtrail.eu-west-1.amazonaws.com', 'ENOTFOUND'),
    code: 'Network',
    message: /host not found/,
  },
  {
    what: 'ETIMEDOUT (requestTimeout with throwOnRequestTimeout)',
    err: nodeError('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.', 'ETIMEDOUT', {
      name: 'TimeoutError',
    }),
    code: 'Network',
  },
  {
    what: 'socket hang up (the SDK names it TimeoutError)',
    err: nodeError('socket hang up', 'ECONNRESET', { name: 'TimeoutError' }),
    code: 'Network',
    message: /ECONNRESET/,
  },
  {
    what: 'connection dropped mid-body',
    err: nodeError(
      'aborted\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      'ECONNRESET',
      { $metadata: { httpStatusCode: 200 } },
    ),
    code: 'Network',
  },
  {
    what: 'a body cut in half (SyntaxError from the JSON parser)',
    err: truncatedBody(200),
    code: 'Network',
    message: /cut off or was not valid JSON \(HTTP 200\)/,
  },
  { what: 'HTTP 500 with an HTML body', err: truncatedBody(500), code: 'ServiceError', message: /HTTP 500/ },
  {
    what: 'InternalFailure 500',
    err: serviceError('InternalFailure', 500, 'An internal error occurred', 'server'),
    code: 'ServiceError',
    message: /HTTP 500, InternalFailure/,
  },
  { what: 'ServiceUnavailable 503', err: serviceError('ServiceUnavailable', 503, 'Service unavailable', 'server'), code: 'ServiceError' },
  { what: 'AbortError from the SDK', err: Object.assign(new Error('Request aborted'), { name: 'AbortError' }), code: 'Cancelled' },
  {
    what: 'any other 4xx keeps the AWS code and message',
    err: serviceError('OperationNotPermittedException', 400, 'Operation not permitted'),
    code: 'Rejected',
    message: /^CloudTrail refused the LookupEvents request \(OperationNotPermittedException\): Operation not permitted$/,
  },
  {
    what: 'OptInRequiredException (a 4xx no rule covers)',
    err: serviceError('OptInRequiredException', 403, 'The AWS Access Key Id needs a subscription for the service'),
    code: 'Rejected',
    message: /\(OptInRequiredException\): The AWS Access Key Id needs a subscription/,
    hint: /Retrying will not help/,
  },
  {
    what: 'a bare 4xx the SDK calls Unknown',
    err: serviceError('Unknown', 418, 'UnknownError'),
    code: 'Rejected',
    message: /\(HTTP 418\)/,
  },
  { what: 'an HTML 403 from a proxy (not JSON)', err: truncatedBody(403), code: 'Rejected', message: /HTTP 403/ },
  {
    what: 'valid JSON the SDK cannot read (a timestamp that is not a number)',
    err: Object.assign(
      new TypeError(
        'Expected real number, got implicit NaN\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
      { $metadata: { httpStatusCode: 200 } },
    ),
    code: 'MalformedResponse',
    message:
      /^The endpoint at http:\/\/127\.0\.0\.1:4566 returned a malformed LookupEvents response: Expected real number, got implicit NaN\.$/,
  },
  {
    what: 'an error with no HTTP status that nothing explains',
    err: new Error('something odd'),
    code: 'Unexpected',
    message: /^LookupEvents failed: Error: something odd$/,
  },
];

describe('classifyAwsError', () => {
  for (const row of rows) {
    test(`${row.what} → ${row.code}`, () => {
      const mapped = classifyAwsError(row.err, ctx);
      assert.ok(mapped instanceof TrailLensError);
      assert.equal(mapped.code, row.code, mapped.message);
      if (row.message) assert.match(mapped.message, row.message);
      if (row.hint) assert.match(mapped.hint ?? '', row.hint);
      assert.equal(mapped.cause, row.err, 'the original error is kept as cause for the log');
      assert.doesNotMatch(mapped.message, /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(mapped.message, /Deserialization error/);
    });
  }

  test('a TrailLensError passes through unchanged', () => {
    const original = new TrailLensError('UnknownRegion', 'No region');
    assert.equal(classifyAwsError(original, ctx), original);
  });

  test('without an endpoint the Network message names the Regional endpoint', () => {
    const mapped = classifyAwsError(nodeError('connect ECONNREFUSED', 'ECONNREFUSED'), { region: 'ap-northeast-1' });
    assert.match(mapped.message, /https:\/\/cloudtrail\.ap-northeast-1\.amazonaws\.com/);
  });

  test('SSO hint without a profile is plain aws sso login', () => {
    const mapped = classifyAwsError(
      new TokenProviderError("Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.", false),
      {},
    );
    assert.equal(mapped.hint, 'Run: aws sso login');
  });

  test('messages never carry secrets', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const err = serviceError('SomethingOdd', 400, `bad credentials AKIAIOSFODNN7EXAMPLE ${secret} and token ${'FwoGZXIvYXdzE'.repeat(10)}`);
    const mapped = classifyAwsError(err, ctx);
    assert.doesNotMatch(mapped.message, /wJalrXUtnFEMI/);
    assert.doesNotMatch(mapped.message, /FwoGZXIvYXdzE/);
    assert.doesNotMatch(mapped.message, /AKIAIOSFODNN7EXAMPLE/);
    assert.match(mapped.message, /AKIAIOSF…MPLE/);
  });

  test('only throttling, server faults and network faults are worth retrying', () => {
    const classOf = (err: unknown) => retryClass(classifyAwsError(err, ctx));
    assert.equal(classOf(new ThrottlingException({ $metadata: meta(400), message: 'Rate exceeded' })), 'throttled');
    assert.equal(classOf(serviceError('InternalFailure', 500, 'x', 'server')), 'transient');
    assert.equal(classOf(serviceError('ServiceUnavailable', 503, 'x', 'server')), 'transient');
    assert.equal(classOf(nodeError('socket hang up', 'ECONNRESET')), 'transient');
    assert.equal(classOf(truncatedBody(200)), 'transient');
    for (const fatal of [
      serviceError('OptInRequiredException', 403, 'subscribe first'),
      serviceError('UnsupportedOperationException', 400, 'no'),
      new AccessDeniedException({ $metadata: meta(400), message: 'User: x is not authorized to perform: cloudtrail:LookupEvents' }),
      new InvalidNextTokenException({ $metadata: meta(400), message: 'Invalid token' }),
      new Error('something odd'),
    ]) {
      assert.equal(classOf(fatal), 'fatal', (fatal as Error).name);
    }
  });

  test('safeText caps long messages', () => {
    assert.ok(safeText('x '.repeat(1000)).length <= 300);
  });
});
