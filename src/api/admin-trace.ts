// Server spans for the admin requests that start work in functions: a direct or async invoke, and a
// publish to a queue. Each continues the caller's `traceparent`, so a trace begun by a client (a
// deploy script, another service) reaches the guest, through a queue if need be. The other admin
// paths (deploys, listings) are not traced.
import type { Context as RequestContext, MiddlewareHandler } from 'hono';
import { trace } from '@opentelemetry/api';
import { maxAttributesPerMessage } from '../queue/queue-input.js';
import type { OutgoingMessage } from '../queue/queue-store.js';
import { traceFieldsOf, withTraceAttributes } from '../tracing/trace-context.js';
import { IncomingRequestTrace } from '../tracing/trace-http.js';
import type { Context, Tracer } from '../tracing/tracing.js';

/** Each traced request's span context, by the request (hono's own variables are typed per app). */
const parents = new WeakMap<Request, Context>();

/** A middleware that traces `method` requests on its path as `METHOD route`; other methods pass untouched. */
export function traceAdminRoute(tracer: Tracer, method: string, route: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== method) return next();
    const span = new IncomingRequestTrace(tracer, method, c.req.path, (name) => c.req.header(name));
    span.matched(route, c.req.param('name'));
    parents.set(c.req.raw, span.context);
    try {
      await next();
    } finally {
      // A thrown error has been answered by the app's error handler by now: its status is in c.res.
      span.end(c.res.status);
    }
  };
}

/** The context what this request runs continues; undefined when it is not traced. */
export function traceParentOf(c: RequestContext): Context | undefined {
  return parents.get(c.req.raw);
}

/** `messages` carrying this request's span to their consumers (unchanged when it is not traced). */
export function withRequestTrace(c: RequestContext, messages: OutgoingMessage[]): OutgoingMessage[] {
  const parent = traceParentOf(c);
  const span = parent && trace.getSpanContext(parent);
  if (!span) return messages;
  return messages.map((m) => {
    const attributes = withTraceAttributes(m.attributes, span, maxAttributesPerMessage);
    return attributes === m.attributes ? m : { ...m, attributes };
  });
}

/** The attributes that carry this request's span to a message's consumer; undefined when it is not traced. */
export function traceAttributesOf(c: RequestContext): Readonly<Record<string, string>> | undefined {
  const parent = traceParentOf(c);
  const span = parent && trace.getSpanContext(parent);
  return span ? Object.fromEntries(traceFieldsOf(span)) : undefined;
}
