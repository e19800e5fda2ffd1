/**
 * Typed errors with a code a caller can branch on and a message a person can act on.
 * Core throws these; the CLI maps them to exit codes and the extension shows them once (runCommand).
 */
export type ErrorCode =
  | 'NoCredentials' // nothing in env, files, SSO, process
  | 'SsoExpired' // SSO token missing or expired: run `aws sso login --profile X`
  | 'ExpiredCredentials' // session credentials expired (ExpiredToken / RequestExpired)
  | 'InvalidCredentials' // InvalidClientTokenId, SignatureDoesNotMatch, UnrecognizedClient
  | 'AccessDenied' // not allowed to call cloudtrail:LookupEvents
  | 'UnknownRegion' // region missing or not a region
  | 'UnknownProfile'
  | 'Throttled' // gave up after retries while throttled
  | 'Network' // connection refused, DNS, timeout, truncated body, a call past its deadline
  | 'ServiceError' // 5xx: a server fault, worth retrying
  | 'Rejected' // a 4xx no other code covers (OptInRequired, UnsupportedOperation…): not retried
  | 'MalformedResponse' // the endpoint's answer breaks the LookupEvents contract: shape, order or paging
  | 'Unexpected' // an error with no HTTP status that nothing else explains: not retried
  | 'InvalidRequest' // invalid lookup attributes / time range / token
  | 'InvalidInput' // user-supplied text, file or option is not usable
  | 'ParseError' // malformed JSON or gzip in a file
  | 'Cancelled'
  | 'Config'; // bad settings/flags

export class TrailLensError extends Error {
  readonly code: ErrorCode;
  /** A next step the user can take, e.g. "Run: aws sso login --profile dev". */
  readonly hint?: string;
  /** The AWS profile the error is about, when known (SsoExpired: the profile to sign in with). */
  readonly profile?: string;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; hint?: string; profile?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrailLensError';
    this.code = code;
    this.hint = options?.hint;
    this.profile = options?.profile;
  }

  /** Adds context in front of the message, keeping code, hint, profile and cause (AWS Toolkit's `chain`). */
  static chain(err: unknown, context: string): TrailLensError {
    if (err instanceof TrailLensError) {
      return new TrailLensError(err.code, `${context}: ${err.message}`, { cause: err.cause ?? err, hint: err.hint, profile: err.profile });
    }
    if (isAbortError(err)) return new TrailLensError('Cancelled', 'Cancelled', { cause: err });
    const message = err instanceof Error ? err.message : String(err);
    return new TrailLensError('Unexpected', `${context}: ${message}`, { cause: err });
  }
}

export function isAbortError(err: unknown): boolean {
  if (err instanceof TrailLensError) return err.code === 'Cancelled';
  if (!(err instanceof Error)) return false;
  return err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR';
}

/** Throws a Cancelled error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TrailLensError('Cancelled', 'Cancelled', { cause: signal.reason });
}

/** One line for a person: message plus hint, never a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof TrailLensError) return err.hint ? `${err.message}\n${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
