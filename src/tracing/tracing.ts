// What the layers below the host see of tracing: the OpenTelemetry API's `Tracer` (a pure API
// package; the SDK stays in trace-export.ts, which only host/ imports) and two tiny interfaces.
// Tracing off means no tracer at all: every call site checks for one, so the hot path allocates
// nothing and calls nothing (the API's no-op tracer would still build a span object per call).
import type { Span, SpanOptions } from '@opentelemetry/api';

export type { Context, Link, Span, SpanContext, Tracer } from '@opentelemetry/api';

/** An invocation's trace as a host request handler sees it (outbound HTTP): where its spans go. */
export interface TraceParent {
  /** A span under the invocation's guest call (or the invocation itself, before it has a slot). */
  startChild(name: string, options: SpanOptions): Span;
}

/** What the worker pool tells a traced invocation, besides being its host requests' parent. */
export interface PoolTrace extends TraceParent {
  /** The invocation got a compute slot and a thread: its wait in the pool is over, the guest call begins. */
  dispatched(): void;
}
