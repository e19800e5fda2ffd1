/**
 * Maps whatever the AWS SDK throws (service exceptions, credential-provider errors, Node socket
 * errors, half-parsed responses) to a TrailLensError a person can act on. Imports no SDK code: it
 * reads the shapes (name, code, $metadata, $fault) so it stays cheap to load and easy to test.
 * Messages never carry secrets or stack traces; see safeText.
 */
import { TrailLensError, isAbortError } from './errors';
import { printable } from './text';

export interface AwsErrorContext {
  profile?: string;
  region?: string;
  /** The API operation, e.g. 'LookupEvents'; names the IAM action in AccessDenied. */
  operation?: string;
  /** The endpoint in use (an override or the Regional default); named in Network errors. */
  endpoint?: string;
  /** The service called (default CloudTrail): CloudFormation calls name it in their messages and IAM actions. */
  service?: 'CloudTrail' | 'CloudFormation' | 'S3' | 'Athena' | 'CloudWatch Logs';
}

/** Error codes the AWS SDKs (JavaScript v3 and botocore) treat as throttling, whatever the HTTP status. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const INVALID_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidSignatureException',
  'InvalidAccessKeyId',
  'AuthFailure',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorized']);
const INVALID_REQUEST = new Set([
  'InvalidLookupAttributesException',
  'InvalidTimeRangeException',
  'InvalidNextTokenException',
  'InvalidMaxResultsException',
  'InvalidEventCategoryException',
  'ValidationException',
  'ValidationError',
  'SerializationException',
]);
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EPROTO: 'TLS protocol error',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
};

interface ErrorShape {
  name?: string;
  code?: string;
  message: string;
  status?: number;
  fault?: string;
}

function shape(err: unknown): ErrorShape {
  if (typeof err !== 'object' || err === null) return { message: String(err) };
  const e = err as Record<string, unknown>;
  const meta = e.$metadata as { httpStatusCode?: number } | undefined;
  const response = e.$response as { statusCode?: number } | undefined;
  return {
    name: typeof e.name === 'string' ? e.name : undefined,
    code: typeof e.code === 'string' ? e.code : typeof e.Code === 'string' ? e.Code : undefined,
    message: typeof e.message === 'string' ? e.message : '',
    status: meta?.httpStatusCode ?? response?.statusCode,
    fault: typeof e.$fault === 'string' ? e.$fault : undefined,
  };
}

/** The AWS error code: the SDK names service exceptions after it; plain JS errors have no code. */
function awsCode(s: ErrorShape): string | undefined {
  const generic = new Set([
    'Error',
    'TypeError',
    'SyntaxError',
    'RangeError',
    'Unknown',
    'TimeoutError',
    'CloudTrailServiceException',
    'CloudFormationServiceException',
  ]);
  if (s.name && !generic.has(s.name)) return s.name;
  if (s.code && /^[A-Z][a-z][A-Za-z]+$/.test(s.code)) return s.code;
  return undefined;
}

export function classifyAwsError(err: unknown, ctx: AwsErrorContext = {}): TrailLensError {
  if (err instanceof TrailLensError) return err;
  if (isAbortError(err)) return new TrailLensError('Cancelled', 'Cancelled', { cause: err });
  const s = shape(err);
  const cause = { cause: err };
  const forProfile = ctx.profile ? ` for profile ${ctx.profile}` : '';
  const inRegion = ctx.region ? ` in ${ctx.region}` : '';
  const svc = ctx.service ?? 'CloudTrail';
  const prefix = svc.toLowerCase();
  const endpoint = ctx.endpoint ?? (ctx.region ? `https://${prefix}.${ctx.region}.amazonaws.com` : undefined);
  const where = endpoint ?? `the ${svc} endpoint`;
  const op = ctx.operation ?? 'LookupEvents';

  if (s.name === 'CredentialsProviderError' || s.name === 'TokenProviderError' || s.name === 'ProviderError') {
    return classifyProviderError(s, ctx, err);
  }

  const code = awsCode(s);
  const detail = safeText(s.message);
  if ((code && THROTTLING_CODES.has(code)) || s.status === 429) {
    return new TrailLensError(
      'Throttled',
      svc === 'CloudTrail'
        ? `CloudTrail is throttling requests${inRegion} (${code ?? 'HTTP 429'}). LookupEvents allows 2 requests per second per account and Region.`
        : `${svc} is throttling ${op} requests${inRegion} (${code ?? 'HTTP 429'}).`,
      {
        ...cause,
        hint: 'Wait a moment and retry, or narrow the time range or add a filter so fewer pages are needed.',
      },
    );
  }
  if (code && EXPIRED.has(code)) {
    return new TrailLensError('ExpiredCredentials', `The AWS credentials${forProfile} have expired (${code}).`, {
      ...cause,
      hint: ctx.profile
        ? `Refresh them and retry: for an SSO profile run: aws sso login --profile ${ctx.profile}; otherwise re-run whatever issued the session credentials.`
        : 'Refresh them and retry: sign in again (aws sso login) or export fresh AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.',
    });
  }
  if (code && INVALID_CREDENTIALS.has(code)) {
    return new TrailLensError('InvalidCredentials', `AWS rejected the credentials${forProfile} (${code}): ${detail}`, {
      ...cause,
      hint: 'Check the access key ID and secret (aws configure list shows which are in use), that the key is still active in IAM, and that the system clock is correct.',
    });
  }
  if (code && ACCESS_DENIED.has(code)) {
    const action = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(s.message)?.[1] ?? `${prefix}:${op}`;
    const caller = /\b(arn:aws[a-z-]*:[a-z0-9-]+::\d{12}:[^\s,]+)/.exec(s.message)?.[1];
    const reason = /\bbecause ([^.]+)/.exec(s.message)?.[1];
    return new TrailLensError(
      'AccessDenied',
      `Access denied: ${caller ?? `the identity${forProfile}`} is not allowed to call ${action}${inRegion}${reason ? ` (${safeText(reason)})` : ''}.`,
      {
        ...cause,
        hint: `Ask an administrator to allow the IAM action ${action} (for ${svc} reads, the ${svc === 'CloudTrail' ? 'AWSCloudTrail_ReadOnlyAccess' : svc === 'Athena' ? 'AmazonAthenaFullAccess' : svc === 'CloudWatch Logs' ? 'CloudWatchLogsReadOnlyAccess' : 'AWSCloudFormationReadOnlyAccess'} managed policy covers it), or choose another profile.`,
      },
    );
  }
  if (code && INVALID_REQUEST.has(code)) {
    return new TrailLensError('InvalidRequest', `${svc} rejected the ${op} request (${code}): ${detail}`, cause);
  }
  if ((s.status !== undefined && s.status >= 500) || s.fault === 'server') {
    return new TrailLensError(
      'ServiceError',
      `${svc} returned a server error${s.status ? ` (HTTP ${s.status}${code ? `, ${code}` : ''})` : code ? ` (${code})` : ''} at ${where}.`,
      {
        ...cause,
        hint: 'This is usually temporary: retry in a moment.',
      },
    );
  }
  const net = networkReason(s);
  if (net) {
    return new TrailLensError('Network', `Could not reach ${where} (${net}).`, {
      ...cause,
      hint: 'Check the network connection, proxy or VPN, and the endpoint URL if one is configured.',
    });
  }
  const clientFault = (s.status !== undefined && s.status >= 400 && s.status < 500) || s.fault === 'client';
  if (s.name === 'SyntaxError' && !clientFault) {
    return new TrailLensError(
      'Network',
      `The response from ${where} was cut off or was not valid ${svc === 'CloudFormation' ? 'XML' : 'JSON'}${s.status ? ` (HTTP ${s.status})` : ''}.`,
      {
        ...cause,
        hint: 'Retry; if it keeps happening, check for a proxy rewriting responses or a wrong endpoint URL.',
      },
    );
  }
  if (/Deserialization error/.test(s.message) && !clientFault) {
    // Valid JSON whose values the SDK cannot read (a timestamp that is not a number, …).
    return malformedResponse(op, detail || 'the SDK could not read it', endpoint, err);
  }
  const label = code ?? (s.status ? `HTTP ${s.status}` : undefined) ?? s.name ?? 'Error';
  if (clientFault) {
    return new TrailLensError('Rejected', `${svc} refused the ${op} request (${label})${detail ? `: ${detail}` : ''}`, {
      ...cause,
      hint: 'Retrying will not help: the message says what the account, Region or endpoint needs.',
    });
  }
  return new TrailLensError('Unexpected', `${op} failed: ${label}${detail ? `: ${detail}` : ''}`, cause);
}

/** The endpoint answered 200 with something that is not a LookupEvents response (or the paging breaks its contract). */
export function malformedResponse(op: string, what: string, endpoint?: string, cause?: unknown): TrailLensError {
  return new TrailLensError(
    'MalformedResponse',
    `The endpoint${endpoint ? ` at ${endpoint}` : ''} returned a malformed ${op} response: ${what}.`,
    {
      ...(cause === undefined ? {} : { cause }),
      hint: 'Check the endpoint URL: it may point at a proxy or a service that only looks like CloudTrail. Retrying will not help.',
    },
  );
}

/**
 * What a caller may do about an error: wait and retry ('throttled'), retry after a pause
 * ('transient': server faults and network faults), or give up at once ('fatal', everything else,
 * so an error nobody recognises is never retried as if it were a 5xx).
 */
export function retryClass(err: TrailLensError): 'throttled' | 'transient' | 'fatal' {
  if (err.code === 'Throttled') return 'throttled';
  if (err.code === 'ServiceError' || err.code === 'Network') return 'transient';
  return 'fatal';
}

function networkReason(s: ErrorShape): string | undefined {
  if (s.code && NETWORK_CODES[s.code]) return `${s.code}: ${NETWORK_CODES[s.code]}`;
  if (s.code?.startsWith('UND_ERR_')) return s.code;
  if (s.name === 'TimeoutError') return 'timed out';
  if (/socket hang up/i.test(s.message)) return 'socket hang up: the connection was dropped';
  if (/^aborted\b/.test(s.message)) return 'the connection was dropped mid-response';
  return undefined;
}

const SSO_TOKEN = /aws sso login|SSO session|SSO Token|sso-oidc|UnauthorizedException/i;

function classifyProviderError(s: ErrorShape, ctx: AwsErrorContext, err: unknown): TrailLensError {
  const cause = { cause: err };
  const forProfile = ctx.profile ? ` for profile ${ctx.profile}` : '';
  if (/Could not load credentials from any providers/.test(s.message)) {
    return new TrailLensError('NoCredentials', `No AWS credentials found${forProfile}.`, {
      ...cause,
      hint:
        'Checked: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, the shared config and credentials files ' +
        '(~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE), web identity and instance metadata. ' +
        'Configure with: aws configure (access keys), aws configure sso (IAM Identity Center), or set AWS_PROFILE to an existing profile.',
    });
  }
  if (/invalid SSO credentials|Conflicting SSO|Incomplete configuration|is missing required property/.test(s.message)) {
    return new TrailLensError('Config', `The SSO settings${forProfile} are incomplete: ${safeText(s.message)}`, {
      ...cause,
      hint: `Re-run: aws configure sso${ctx.profile ? ` --profile ${ctx.profile}` : ''}`,
    });
  }
  if (SSO_TOKEN.test(s.message)) {
    const expired = /expired/i.test(s.message);
    return new TrailLensError(
      'SsoExpired',
      `The AWS SSO session${forProfile} ${expired ? 'has expired' : 'is not signed in or is no longer valid'}.`,
      {
        ...cause,
        hint: `Run: aws sso login${ctx.profile ? ` --profile ${ctx.profile}` : ''}`,
        profile: ctx.profile,
      },
    );
  }
  if (/multi-factor authentication/.test(s.message)) {
    return new TrailLensError(
      'Config',
      `Profile ${ctx.profile ?? ''} needs an MFA code, which Trail Lens cannot prompt for.`.replace('  ', ' '),
      {
        ...cause,
        hint: 'Use a profile without mfa_serial, or export temporary credentials (aws sts get-session-token) first.',
      },
    );
  }
  return new TrailLensError('NoCredentials', `Could not get AWS credentials${forProfile}: ${safeText(s.message)}`, {
    ...cause,
    hint: 'Check the profile in ~/.aws/config (aws configure list shows what is in use).',
  });
}

/**
 * One readable line from an SDK message: drops the SDK's "Deserialization error" footer, keeps the
 * first line of a command failure (credential_process stderr can follow), masks access key IDs and
 * anything shaped like a secret key or session token, makes control characters printable, and caps the length.
 */
export function safeText(message: string): string {
  let text = message.replace(/\s*Deserialization error:[\s\S]*$/, '');
  text = text.split('\n')[0] ?? '';
  text = text
    .replace(/\b((?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{4})[A-Z0-9]{8,}([A-Z0-9]{4})\b/g, '$1…$2')
    .replace(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40,}={0,2}(?![A-Za-z0-9/+=])/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  // An endpoint's message is outside text: no escape sequences reach a terminal or a notification.
  text = printable(text);
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}
