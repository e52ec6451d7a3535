// Error responses of the HTTP trigger: RFC 9457 problem+json naming the function and request id,
// never a stack trace.
import { errorCatalog, type ErrorCode } from '../../errors/error-catalog.js';

export const requestIdHeader = 'x-wasmlet-request-id';

export function problemResponse(
  code: ErrorCode,
  detail: string,
  context: { readonly requestId: string; readonly functionName?: string; readonly headers?: Record<string, string> },
): Response {
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
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', [requestIdHeader]: context.requestId, ...context.headers },
  });
}
