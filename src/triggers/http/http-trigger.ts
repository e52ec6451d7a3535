// The HTTP trigger: every request is routed to the function serving its path and answered by a
// fresh instance of it. Failures map to statuses (400, 404, 405, 408, 413, 431, 500, 502, 503, 504),
// all with a request id.
//
// A plain node:http listener, not a hono app: this path runs once per function call, and building
// a WHATWG Request, Headers, AbortSignal and Response around each one cost more host CPU than the
// guest's own instantiate + call (bench http: hello-rust at 16 connections).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { HostLog } from '../../logs/host-log.js';
import type { Registry } from '../../registry/registry.js';
import type { Header } from '../../runtime/outcome.js';
import { outcomeError } from '../../runtime/outcome-status.js';
import type { Invoker } from '../../invoke/invoker.js';
import type { ResponseStream } from '../../runtime/worker-pool.js';
import { answerClientError, type ClientError } from './client-error.js';
import { HttpConnection } from './http-connection.js';
import { problem, requestIdHeader, type Problem } from './problem-response.js';
import { readBodyLimited, refuseBody } from './request-body.js';
import { parseRequestTarget } from './request-target.js';
import type { RouteTable } from './route-table.js';
import { IncomingRequestTrace } from '../../tracing/trace-http.js';
import { withActiveTrace } from '../../tracing/trace-context.js';
import type { Tracer } from '../../tracing/tracing.js';

export interface HttpTriggerDeps {
  readonly registry: Registry;
  readonly routes: () => RouteTable;
  readonly invoker: Invoker;
  /** A failure of the host itself (never the guest's): logged, answered with a 500. */
  readonly log?: HostLog;
  /** Present when traces are exported: each request gets a server span (tracing/trace-http.ts). */
  readonly tracer?: Tracer | undefined;
}

/** Hop-by-hop and framing headers are the server's business, not the guest's (RFC 9110 §7.6.1). */
const responseHeadersOwnedByHost = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', requestIdHeader]);

/** What the function port's server runs: `request` per request; `connection` and `clientError` as Node's server events. */
export interface HttpTrigger {
  readonly request: RequestListener;
  readonly connection: (socket: Socket) => void;
  readonly clientError: (err: ClientError, socket: Duplex) => void;
}

export function createHttpTrigger(deps: HttpTriggerDeps): HttpTrigger {
  const connections = new WeakMap<Duplex, HttpConnection>();
  return {
    request(req, res) {
      const requestId = randomUUID();
      const connection = connections.get(req.socket);
      if (connection) connection.response = res;
      const trace = deps.tracer ? traceRequest(deps.tracer, req, res, requestId) : undefined;
      answer(deps, req, res, requestId, connection, trace).catch((err: unknown) => {
        // The client left mid-body (or a timeout closed it): no one to answer, and nothing failed here.
        if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') return void res.destroy();
        withActiveTrace(trace?.context, () => deps.log?.(`request ${requestId}: ${err instanceof Error ? err.message : String(err)}`, { requestId, level: 'error' }));
        if (!res.headersSent) send(res, problem('internal', 'the host failed to answer this request', { requestId }));
        else res.destroy();
      });
    },
    connection(socket) {
      connections.set(socket, new HttpConnection(socket));
    },
    clientError(err, socket) {
      answerClientError(err, socket, connections.get(socket)?.responding ?? false);
    },
  };
}

async function answer(deps: HttpTriggerDeps, req: IncomingMessage, res: ServerResponse, requestId: string, connection: HttpConnection | undefined, trace: IncomingRequestTrace | undefined): Promise<void> {
  const method = req.method ?? 'GET';
  // One spelling for the route and the guest; any other reading of the target is refused (request-target.ts).
  const target = parseRequestTarget(req.url ?? '');
  if (!target.ok) return send(res, problem('path_ambiguous', `the request target ${JSON.stringify(req.url)} has ${target.reason}`, { requestId }));
  const { path, query } = target;
  const match = deps.routes().match(method, path);
  if (match.kind === 'not_found') return send(res, problem('route_not_found', `no function serves ${path}`, { requestId }));
  if (match.kind === 'method_not_allowed') {
    const allow: Header = ['allow', match.allowed.join(', ')];
    return send(res, problem('method_not_allowed', `${path} does not accept ${method}`, { requestId, headers: [allow] }));
  }
  const fn = deps.registry.get(match.entry.functionName);
  if (!fn) return send(res, problem('route_not_found', `no function serves ${path}`, { requestId }));
  const functionName = fn.name;
  trace?.matched(match.entry.route, functionName);

  const maxBodyBytes = fn.manifest.limits.maxBodyBytes;
  const read = await readBodyLimited(req, maxBodyBytes, connection);
  if (!read.ok) {
    return refuseBody(req, res, read, problem('body_too_large', `the body exceeds ${functionName}'s limit of ${maxBodyBytes} bytes`, { requestId, functionName }));
  }
  const headers: Header[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  const bodyAllowed = (status: number) => status !== 204 && status !== 304 && method !== 'HEAD';
  // A wasi:http guest's response streams: the head goes out when the guest sets it, each chunk as written.
  let streamed = 'no' as 'no' | 'yes' | 'refused';
  let streamStatus = 200;
  const stream: ResponseStream = {
    head(status, responseHeaders) {
      streamStatus = status;
      const problemOrNull = writeHead(res, status, responseHeaders, requestId, functionName);
      if (problemOrNull) {
        streamed = 'refused';
        send(res, problemOrNull);
      } else streamed = 'yes';
    },
    chunk(bytes) {
      if (streamed === 'yes' && bodyAllowed(streamStatus)) res.write(bytes);
    },
  };
  const request = { method, path, query, headers, body: read.body };
  const outcome = await deps.invoker.invoke(fn, request, requestId, stream, 'http', trace?.context);
  if (streamed === 'refused') return;
  if (streamed === 'yes') {
    // Status and part of the body are out: a failure now can only cut the response short.
    if (outcome.kind === 'ok') res.end();
    else res.destroy();
    return;
  }
  if (outcome.kind !== 'ok') {
    const { code, message } = outcomeError(outcome, functionName);
    const retryAfter: Header[] = outcome.kind === 'overloaded' && outcome.retryAfterS !== undefined ? [['retry-after', String(outcome.retryAfterS)]] : [];
    return send(res, problem(code, message, { requestId, functionName, headers: retryAfter }));
  }
  const { status, body } = outcome.response;
  const refused = writeHead(res, status, outcome.response.headers, requestId, functionName);
  if (refused) return send(res, refused);
  res.end(bodyAllowed(status) ? body : undefined);
}

/** Writes the guest's status and headers (less those the host owns); a problem when Node refuses them. */
function writeHead(res: ServerResponse, status: number, responseHeaders: readonly Header[], requestId: string, functionName: string): Problem | undefined {
  const flatHeaders: string[] = [];
  for (const [name, value] of responseHeaders) {
    if (!responseHeadersOwnedByHost.has(name.toLowerCase())) flatHeaders.push(name, value);
  }
  flatHeaders.push(requestIdHeader, requestId);
  try {
    res.writeHead(status, flatHeaders);
    return undefined;
  } catch (err) {
    // Node refuses header values that are not visible ASCII / Latin-1: the guest's answer, not ours.
    const message = `invalid response header: ${err instanceof Error ? err.message : String(err)}`;
    return problem('response_invalid', `${functionName} returned an ${message}`, { requestId, functionName });
  }
}

/** The request's server span, continuing the caller's `traceparent`; it ends when the response does (or the connection). */
function traceRequest(tracer: Tracer, req: IncomingMessage, res: ServerResponse, requestId: string): IncomingRequestTrace {
  const trace = new IncomingRequestTrace(tracer, req.method ?? 'GET', (req.url ?? '').split('?', 1)[0]!, (name) => req.headers[name] as string | undefined, requestId);
  res.once('close', () => trace.end(res.headersSent ? res.statusCode : undefined));
  return trace;
}

function send(res: ServerResponse, answer: Problem): void {
  const flat: string[] = [];
  for (const [name, value] of answer.headers) flat.push(name, value);
  res.writeHead(answer.status, flat);
  res.end(answer.body);
}
