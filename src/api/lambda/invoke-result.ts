// An invocation's outcome as Lambda answers it: the guest's answer is the payload (status 200); a
// failure of the function (error, trap, timeout, an answer over the limit, a 5xx) is still a 200, with
// `X-Amz-Function-Error: Unhandled` and an error payload; only the platform's refusals are HTTP errors.
import type { HttpOutcome } from '../../invoke/invoker.js';
import { LambdaError } from './lambda-error.js';

export interface LambdaPayload {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** `Unhandled` for a function error; undefined on success. */
  readonly functionError: 'Unhandled' | undefined;
}

/** Lambda's error payload, as its runtimes write it. */
function errorPayload(errorType: string, errorMessage: string): LambdaPayload {
  return { body: new TextEncoder().encode(JSON.stringify({ errorType, errorMessage, stackTrace: [] })), contentType: 'application/json', functionError: 'Unhandled' };
}

/**
 * @param reserved the function's reserved concurrency, if any: which throttle Reason a refusal names.
 * @throws LambdaError TooManyRequestsException (429) for a throttle, ServiceException for a host failure
 */
export function lambdaPayloadOf(outcome: HttpOutcome, functionName: string, requestId: string, reserved: number | undefined): LambdaPayload {
  switch (outcome.kind) {
    case 'ok': {
      const { status, headers, body } = outcome.response;
      if (status >= 500) {
        const text = new TextDecoder().decode(body.subarray(0, 512));
        return errorPayload('Function.HttpError', `${functionName} answered HTTP ${status}: ${text}`);
      }
      const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? 'application/json';
      return { body, contentType, functionError: undefined };
    }
    case 'guest_error':
      return errorPayload('Function.Error', outcome.message);
    case 'trap':
      return errorPayload('Runtime.Trap', `RequestId: ${requestId} Error: ${functionName} trapped: ${outcome.message}`);
    case 'timeout':
      return errorPayload('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${(outcome.timeoutMs / 1000).toFixed(2)} seconds`);
    case 'response_too_large':
      return errorPayload('Function.ResponseSizeTooLarge', outcome.message);
    case 'response_invalid':
      return errorPayload('Runtime.InvalidResponse', outcome.message);
    case 'overloaded':
      throw new LambdaError('TooManyRequestsException', 'Rate Exceeded.', {
        Reason: reserved !== undefined ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded',
        ...(outcome.retryAfterS !== undefined ? { retryAfterSeconds: String(outcome.retryAfterS) } : {}),
      });
    case 'host_error':
      throw new LambdaError('ServiceException', `The host could not run ${functionName} (request ${requestId}); see the host log.`);
  }
}
