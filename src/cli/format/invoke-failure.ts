// Decides what an invocation's status means to the CLI: < 400 succeeded; otherwise the failure to report.
import type { InvokeResult } from '../../client/api-types.js';
import { parseErrorBody } from '../../client/admin-api-error.js';
import type { Failure } from '../failure.js';

export interface InvokeFailure extends Failure {
  /** False when the body is the host's error JSON (already summarised by the failure line). */
  readonly bodyIsOutput: boolean;
}

/**
 * @example invokeFailure('hello', { status: 502, body: '{"error":{"code":"guest_trap",...}}', ... })
 *   // { code: 'guest_trap', message: 'hello trapped: unreachable [request 6b1e…]', bodyIsOutput: false }
 */
export function invokeFailure(name: string, result: InvokeResult): InvokeFailure | undefined {
  if (result.status < 400) return undefined;
  const requestTag = result.requestId ? ` [request ${result.requestId}]` : '';
  const hostError = parseErrorBody(new TextDecoder().decode(result.body));
  if (hostError) return { code: hostError.code, message: `${hostError.message}${requestTag}`, details: hostError.details, bodyIsOutput: false };
  return { code: `http_${result.status}`, message: `${name} answered with status ${result.status}${requestTag}`, bodyIsOutput: true };
}
