// Lambda's errors as its clients parse them: the code in `x-amzn-errortype`, the body
// `{"Type":"User","message":…}` (or `Message`, as Lambda's model names it for that shape) plus
// `__type`, and the status Lambda uses. Wasmlet's own errors are translated here, once.
import { WasmletError } from '../../errors/wasmlet-error.js';

/** Lambda's error shapes whose message member is `Message` (capital M) in its service model. */
const capitalMessage: ReadonlySet<string> = new Set(['ResourceNotFoundException', 'ServiceException', 'InvalidZipFileException', 'InvalidRuntimeException']);

export const lambdaErrorStatus = {
  InvalidParameterValueException: 400,
  InvalidRequestContentException: 400,
  InvalidZipFileException: 400,
  ValidationException: 400,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ResourceConflictException: 409,
  PreconditionFailedException: 412,
  RequestTooLargeException: 413,
  RequestEntityTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  TooManyRequestsException: 429,
  ServiceException: 500,
} as const;

export type LambdaErrorCode = keyof typeof lambdaErrorStatus;

/**
 * @example throw new LambdaError('ResourceNotFoundException', 'Function not found: arn:aws:lambda:…:function:nope')
 */
export class LambdaError extends Error {
  readonly code: LambdaErrorCode;
  readonly status: number;
  /** Extra members of the error body (TooManyRequestsException's `Reason`, `retryAfterSeconds`). */
  readonly extra: Readonly<Record<string, string>>;

  constructor(code: LambdaErrorCode, message: string, extra: Record<string, string> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LambdaError';
    this.code = code;
    this.status = lambdaErrorStatus[code];
    this.extra = extra;
  }

  toResponse(requestId: string): Response {
    const messageKey = capitalMessage.has(this.code) ? 'Message' : 'message';
    const body = { Type: this.status >= 500 ? 'Service' : 'User', [messageKey]: this.message, __type: this.code, ...this.extra };
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-errortype': this.code, 'x-amzn-requestid': requestId };
    if (this.extra.retryAfterSeconds !== undefined) headers['retry-after'] = this.extra.retryAfterSeconds;
    return new Response(JSON.stringify(body), { status: this.status, headers });
  }
}

/** Wasmlet's codes as Lambda's: what a deploy or the registry refuses, in the vocabulary the SDK knows. */
const fromWasmlet: Partial<Record<string, LambdaErrorCode>> = {
  bad_request: 'InvalidParameterValueException',
  bundle_invalid: 'InvalidParameterValueException',
  bundle_unsafe: 'InvalidParameterValueException',
  bundle_too_large: 'RequestEntityTooLargeException',
  manifest_missing: 'InvalidParameterValueException',
  manifest_invalid: 'InvalidParameterValueException',
  component_missing: 'InvalidParameterValueException',
  component_invalid: 'InvalidParameterValueException',
  component_world_mismatch: 'InvalidParameterValueException',
  component_import_denied: 'InvalidParameterValueException',
  component_limit_exceeded: 'InvalidParameterValueException',
  snapshot_refused: 'InvalidParameterValueException',
  memory_over_host_limit: 'InvalidParameterValueException',
  secret_unknown: 'InvalidParameterValueException',
  route_conflict: 'ResourceConflictException',
  queue_conflict: 'ResourceConflictException',
  function_quarantined: 'ResourceConflictException',
  no_previous_version: 'ResourceConflictException',
  function_not_found: 'ResourceNotFoundException',
  idempotency_key_reused: 'ResourceConflictException',
  queue_full: 'TooManyRequestsException',
  overloaded: 'TooManyRequestsException',
  body_too_large: 'RequestTooLargeException',
};

/** Anything thrown, as the Lambda error a client should see; unknown failures are a ServiceException with no detail. */
export function toLambdaError(err: unknown): LambdaError {
  if (err instanceof LambdaError) return err;
  if (err instanceof WasmletError) {
    const code = fromWasmlet[err.code];
    if (code) return new LambdaError(code, err.message, {}, { cause: err });
  }
  return new LambdaError('ServiceException', 'An internal error occurred; see the host log.', {}, { cause: err });
}
