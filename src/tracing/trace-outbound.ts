// The client span of a guest's outbound request, and the context it carries upstream: the request
// leaves with this span's `traceparent` (replacing any the guest set: the host is the tracing
// system of this hop, and a guest forwarding its incoming headers would otherwise cut the trace).
// A followed redirect is part of the same span, and carries the same headers.
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { traceFieldsOf, traceparentName, tracestateName } from './trace-context.js';
import type { TraceParent } from './tracing.js';

type HeaderPair = readonly [name: string, value: string];

/** The shape of an outbound request (capabilities/host-link.ts's OutboundRequestData). */
export interface OutboundRequestShape {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly HeaderPair[];
}

/** The events that matter to the span (capabilities/host-link.ts's HostEvent). */
export type OutboundEventShape =
  | { readonly kind: 'head'; readonly status: number }
  | { readonly kind: 'fail'; readonly code: string; readonly message: string }
  | { readonly kind: string };

export interface TracedOutbound<R extends OutboundRequestShape> {
  /** The request with this span's context in its headers. */
  readonly request: R;
  /** Call with every event of the exchange: a head records the status, an end or a failure ends the span. */
  readonly onEvent: (event: OutboundEventShape) => void;
}

export function traceOutbound<R extends OutboundRequestShape>(parent: TraceParent, request: R): TracedOutbound<R> {
  const method = request.method.toUpperCase();
  const span = parent.startChild(method, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, ...urlAttributes(request.url) } });
  const fields = traceFieldsOf(span.spanContext());
  const headers: HeaderPair[] = request.headers.filter(([name]) => {
    const lower = name.toLowerCase();
    return lower !== traceparentName && lower !== tracestateName;
  });
  headers.push(...fields);
  return { request: { ...request, headers }, onEvent: (event) => record(span, event) };
}

function record(span: Span, event: OutboundEventShape): void {
  if (event.kind === 'head' && 'status' in event) {
    span.setAttribute('http.response.status_code', event.status);
    if (event.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
  } else if (event.kind === 'fail' && 'code' in event) {
    span.setAttribute('error.type', event.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: event.message });
    span.end();
  } else if (event.kind === 'end') span.end();
}

/** Where the request goes; the query and any credentials are left out (they may hold secrets). */
function urlAttributes(raw: string): Record<string, string | number> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {}; // the request is refused as invalid; its span says only that it failed
  }
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { 'url.full': `${url.origin}${url.pathname}`, 'server.address': url.hostname, 'server.port': port };
}
