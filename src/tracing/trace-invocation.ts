// The spans of one invocation, whatever triggered it:
//   invoke <fn>                 from the invoker's start to its end (code lookup included)
//   ├─ wait for a slot          queued in the worker pool until dispatched
//   └─ call <fn>                on its thread: from dispatch to the result
//      ├─ instantiate <fn>      only when the instance was created for this call (its timings say how long)
//      └─ GET … (client)        each outbound request (trace-outbound.ts)
// An HTTP call (a route, a direct invoke) has no `invoke` span: its request's server span plays
// that part (`onRequestSpan`), one span fewer per request for what would only repeat it.
// The pool only calls `dispatched()`; the rest is read from what the invocation returns, so the
// worker never learns about tracing. Structural types only: this file imports no runtime/ module.
import { SpanKind, SpanStatusCode, trace, type Context, type Link, type Span, type SpanContext, type SpanOptions, type Tracer } from '@opentelemetry/api';
import type { PoolTrace } from './tracing.js';

/** What the invoker knows once the pool answered (a subset of runtime/outcome.ts's InvocationResult). */
export interface InvocationEnd {
  readonly outcome: { readonly kind: string; readonly response?: { readonly status: number } };
  readonly timings?: { readonly instantiateMicros: number; readonly instance: string } | undefined;
}

/** Outcomes in which the handler returned normally (runtime/outcome.ts's `isSuccess`). */
const successKinds: ReadonlySet<string> = new Set(['ok', 'batch_ok', 'event_ok']);

export class InvocationTrace implements PoolTrace {
  readonly #tracer: Tracer;
  readonly #functionName: string;
  readonly #span: Span;
  /** False when the span is the request's (it ends with the response, not here). */
  readonly #ownSpan: boolean;
  readonly #context: Context;
  #queuedAt: number | undefined;
  #dispatchedAt: number | undefined;
  #call: Span | undefined;
  #callContext: Context | undefined;

  /**
   * `trigger`: what started it (invoke/invocation-observer.ts's labels); `links`: the other messages
   * of a batch (trace-messages.ts); `onRequestSpan`: `parent` holds the server span of the request
   * this call answers, which then stands for the invocation.
   */
  constructor(tracer: Tracer, functionName: string, trigger: string, requestId: string, parent: Context, links?: Link[], onRequestSpan = false) {
    this.#tracer = tracer;
    this.#functionName = functionName;
    const requestSpan = onRequestSpan ? trace.getSpan(parent) : undefined;
    this.#ownSpan = requestSpan === undefined;
    if (requestSpan) {
      requestSpan.setAttribute('faas.trigger', trigger);
      this.#span = requestSpan;
      this.#context = parent;
      return;
    }
    this.#span = tracer.startSpan(
      `invoke ${functionName}`,
      { kind: SpanKind.INTERNAL, attributes: { 'faas.name': functionName, 'faas.trigger': trigger, 'wasmlet.request_id': requestId }, ...(links ? { links } : {}) },
      parent,
    );
    this.#context = trace.setSpan(parent, this.#span);
  }

  /** The context of the invocation's span (or its request's): active while its log lines are recorded (their trace id). */
  get context(): Context {
    return this.#context;
  }

  /** The invocation's span (or its request's): what messages it publishes carry to their consumers. */
  get spanContext(): SpanContext {
    return this.#span.spanContext();
  }

  /** Handed to the pool now: the wait for a slot starts. */
  queued(): void {
    this.#queuedAt = performance.now();
  }

  dispatched(): void {
    this.#dispatchedAt = performance.now();
    this.#call = this.#tracer.startSpan(`call ${this.#functionName}`, { kind: SpanKind.INTERNAL, startTime: this.#dispatchedAt }, this.#context);
    this.#callContext = trace.setSpan(this.#context, this.#call);
  }

  startChild(name: string, options: SpanOptions): Span {
    return this.#tracer.startSpan(name, options, this.#callContext ?? this.#context);
  }

  /** Ends every span, with the wait and instantiation placed from the pool's own timings. */
  finish(result: InvocationEnd): void {
    const now = performance.now();
    const { outcome, timings } = result;
    if (this.#queuedAt !== undefined) {
      this.#tracer.startSpan('wait for a slot', { kind: SpanKind.INTERNAL, startTime: this.#queuedAt }, this.#context).end(this.#dispatchedAt ?? now);
    }
    if (this.#call && this.#callContext && this.#dispatchedAt !== undefined) {
      if (timings && timings.instantiateMicros > 0) {
        this.#tracer
          .startSpan(`instantiate ${this.#functionName}`, { kind: SpanKind.INTERNAL, startTime: this.#dispatchedAt }, this.#callContext)
          .end(Math.min(now, this.#dispatchedAt + timings.instantiateMicros / 1000));
      }
      if (timings) this.#call.setAttribute('wasmlet.instance', timings.instance);
      this.#call.end(now);
    }
    this.#span.setAttribute('wasmlet.outcome', outcome.kind);
    // A request's span gets its status from the HTTP answer, and ends with it.
    if (!this.#ownSpan) return;
    if (outcome.response) this.#span.setAttribute('http.response.status_code', outcome.response.status);
    if (!successKinds.has(outcome.kind)) this.#span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.kind });
    this.#span.end(now);
  }
}
