// The HTTP trigger: every request is routed to the function serving its path and answered by a
// fresh instance of it. Failures map to statuses (404, 405, 413, 500, 502, 503, 504), all with a request id.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Registry } from '../../registry/registry.js';
import type { Header } from '../../runtime/outcome.js';
import { outcomeError } from '../../runtime/outcome-status.js';
import type { Invoker } from '../../runtime/invoker.js';
import { problemResponse, requestIdHeader } from './problem-response.js';
import { readBodyLimited } from './read-body.js';
import type { RouteTable } from './route-table.js';

export interface HttpTriggerDeps {
  readonly registry: Registry;
  readonly routes: () => RouteTable;
  readonly invoker: Invoker;
}

/** Hop-by-hop and framing headers are the server's business, not the guest's (RFC 9110 §7.6.1). */
const responseHeadersOwnedByHost = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', requestIdHeader]);

export function createHttpApp(deps: HttpTriggerDeps): Hono {
  const app = new Hono();
  app.all('*', async (c) => {
    const requestId = randomUUID();
    const request = c.req.raw;
    const url = new URL(request.url);
    const match = deps.routes().match(request.method, url.pathname);
    if (match.kind === 'not_found') return problemResponse('route_not_found', `no function serves ${url.pathname}`, { requestId });
    if (match.kind === 'method_not_allowed') {
      return problemResponse('method_not_allowed', `${url.pathname} does not accept ${request.method}`, {
        requestId,
        headers: { allow: match.allowed.join(', ') },
      });
    }
    const fn = deps.registry.get(match.entry.functionName);
    if (!fn) return problemResponse('route_not_found', `no function serves ${url.pathname}`, { requestId });
    const functionName = fn.name;

    const maxBodyBytes = fn.manifest.limits.maxBodyBytes;
    const read = await readBodyLimited(request, maxBodyBytes);
    if (!read.ok) {
      return problemResponse('body_too_large', `the body exceeds ${functionName}'s limit of ${maxBodyBytes} bytes`, { requestId, functionName });
    }
    const headers: Header[] = [];
    request.headers.forEach((value, name) => headers.push([name, value]));
    const outcome = await deps.invoker.invoke(
      fn,
      { method: request.method, path: url.pathname, query: url.search.slice(1), headers, body: read.body },
      requestId,
    );
    if (outcome.kind !== 'ok') {
      const { code, message } = outcomeError(outcome, functionName);
      return problemResponse(code, message, { requestId, functionName });
    }
    const responseHeaders = new Headers();
    for (const [name, value] of outcome.response.headers) {
      if (!responseHeadersOwnedByHost.has(name.toLowerCase())) responseHeaders.append(name, value);
    }
    responseHeaders.set(requestIdHeader, requestId);
    const status = outcome.response.status;
    const bodyAllowed = status !== 204 && status !== 304 && request.method !== 'HEAD';
    return new Response(bodyAllowed ? (outcome.response.body as Uint8Array<ArrayBuffer>) : null, { status, headers: responseHeaders });
  });
  return app;
}
