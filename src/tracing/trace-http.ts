// The server span of an incoming request (a function route, or the admin API's invoke and publish):
// it continues the caller's trace when the request carries a valid `traceparent`, else starts one.
// Named `METHOD route` once the route is known (OpenTelemetry's HTTP conventions: the route, a
// template, never the path, so names stay few); the path is an attribute, the query is not (it
// may hold secrets).
import { SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { contextOf, parseTraceparent, traceparentName, tracestateName } from './trace-context.js';

export class IncomingRequestTrace {
  readonly #span: Span;
  readonly #method: string;
  /** The parent of what this request runs (an invocation, a published message). */
  readonly context: Context;

  /** `header`: a request header by its lower-case name (Node and hono both join repeats with commas). */
  constructor(tracer: Tracer, method: string, path: string, header: (name: string) => string | undefined, requestId?: string) {
    this.#method = method;
    const parent = contextOf(parseTraceparent(header(traceparentName), header(tracestateName)));
    this.#span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': method, 'url.path': path, ...(requestId !== undefined ? { 'wasmlet.request_id': requestId } : {}) },
      },
      parent,
    );
    this.context = trace.setSpan(parent, this.#span);
  }

  /** The route (template) that matched, and the function serving it (if one does). */
  matched(route: string, functionName?: string): void {
    this.#span.updateName(`${this.#method} ${route}`);
    this.#span.setAttribute('http.route', route);
    if (functionName !== undefined) this.#span.setAttribute('faas.name', functionName);
  }

  /**
   * The answer's status; 5xx marks the span as failed (a 4xx is the client's, per the HTTP
   * conventions for servers). Undefined: the connection closed before a response went out.
   */
  end(status: number | undefined): void {
    if (status === undefined) this.#span.setStatus({ code: SpanStatusCode.ERROR, message: 'closed before a response was sent' });
    else {
      this.#span.setAttribute('http.response.status_code', status);
      if (status >= 500) this.#span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.#span.end();
  }
}
