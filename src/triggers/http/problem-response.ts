// Error responses of the HTTP trigger: RFC 9457 problem+json naming the function and request id,
// never a stack trace.
import { errorCatalog, type ErrorCode } from '../../errors/error-catalog.js';
import type { Header } from '../../runtime/outcome.js';

export const requestIdHeader = 'x-wasmlet-request-id';

export interface Problem {
  readonly status: number;
  readonly headers: readonly Header[];
  readonly body: string;
}

export function problem(
  code: ErrorCode,
  detail: string,
  context: { readonly requestId: string; readonly functionName?: string; readonly headers?: readonly Header[] },
): Problem {
  const { status, message } = errorCatalog[code];
  const body = {
    type: `https://wasmlet.dev/errors/${code}`,
    title: message,
    status,
    code,
    detail,
    ...(context.functionName ? { function: context.functionName } : {}),
    requestId: context.requestId,
  };
  return {
    status,
    headers: [['content-type', 'application/problem+json'], [requestIdHeader, context.requestId], ...(context.headers ?? [])],
    body: JSON.stringify(body),
  };
}
