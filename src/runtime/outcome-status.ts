// Maps a failed outcome to the error catalog: one place decides what each failure looks like to clients.
import type { ErrorCode } from '../errors/error-catalog.js';
import { isSuccess, type FailureOutcome, type Outcome } from './outcome.js';

export interface OutcomeError {
  readonly code: ErrorCode;
  readonly message: string;
}

export function outcomeError(outcome: FailureOutcome, functionName: string): OutcomeError {
  switch (outcome.kind) {
    case 'guest_error':
      return { code: 'guest_error', message: `${functionName} returned an error: ${outcome.message}` };
    case 'trap':
      return { code: 'guest_trap', message: `${functionName} trapped: ${outcome.message}` };
    case 'response_invalid':
      return { code: 'response_invalid', message: `${functionName} returned an invalid response: ${outcome.message}` };
    case 'response_too_large':
      return { code: 'response_too_large', message: `${functionName}: ${outcome.message}` };
    case 'timeout':
      return { code: 'timeout', message: `${functionName} exceeded its deadline of ${outcome.timeoutMs} ms` };
    case 'overloaded':
      return { code: 'overloaded', message: outcome.reason ?? `${functionName} is at capacity; retry later` };
    case 'host_error':
      return { code: 'internal', message: `the host could not run ${functionName}` };
  }
}

/** Why a call did not succeed, in one line. A success of another kind than the call asked for (an
 * HTTP answer to a queue call) cannot come from the guest: the glue checks types; it is a host bug. */
export function failureText(outcome: Outcome, functionName: string): string {
  return isSuccess(outcome) ? `unexpected ${outcome.kind} outcome (host bug)` : outcomeError(outcome, functionName).message;
}
