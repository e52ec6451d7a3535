// The one way anything runs a function: resolves its compiled code, runs it in the pool on a fresh
// instance (or a reused one, if its manifest allows) and records its logs. HTTP routes, direct, async, queue and schedule invocations all
// come through here.
import { codeSpecOf, type CodeCache } from '../compile/code-cache.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { LogStore } from '../logs/log-store.js';
import type { QueueStore } from '../queue/queue-store.js';
import type { ActiveFunction } from '../registry/registry.js';
import type { GuestCall } from '../runtime/guest-call.js';
import type { FailureOutcome, GuestRequest, InvocationResult, Outcome } from '../runtime/outcome.js';
import type { InvokeOptions, ResponseStream, WorkerPool } from '../runtime/worker-pool.js';
import type { VersionGrants } from './version-grants.js';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { maxAttributesPerMessage } from '../queue/queue-input.js';
import { withActiveTrace, withTraceAttributes } from '../tracing/trace-context.js';
import { InvocationTrace } from '../tracing/trace-invocation.js';
import type { Context, Link, SpanContext, Tracer } from '../tracing/tracing.js';
import { triggerOfCall, type InvocationObserver, type InvocationTrigger } from './invocation-observer.js';

/** How a call is run, and what started it (the trigger a metric counts; implied by the call when absent). */
export interface RunOptions extends InvokeOptions {
  readonly trigger?: InvocationTrigger;
  /** The span this call continues (a request's, a message's); read only when tracing is on. */
  readonly parent?: Context;
  /** Spans it also serves (the other messages of a batch). */
  readonly links?: Link[];
  /** `parent` is the server span of the HTTP request this call answers: it stands for the invocation (no span of its own). */
  readonly parentIsRequest?: boolean;
}

/** What an HTTP call can end in: an answer, or a failure. */
export type HttpOutcome = Extract<Outcome, { kind: 'ok' }> | FailureOutcome;

export class Invoker {
  readonly #code: CodeCache;
  readonly #pool: WorkerPool;
  readonly #logs: LogStore;
  readonly #queues: QueueStore;
  /** Grants and version key per call: secrets in [config] resolved once per change. */
  readonly #versions: VersionGrants;
  /** Metrics and the console's history; absent: nothing is measured. */
  readonly #observer: InvocationObserver | undefined;
  /** Spans of every invocation (tracing/trace-invocation.ts); absent: tracing is off and costs nothing here. */
  readonly #tracer: Tracer | undefined;

  constructor(code: CodeCache, pool: WorkerPool, logs: LogStore, queues: QueueStore, versions: VersionGrants, observer?: InvocationObserver, tracer?: Tracer) {
    this.#observer = observer;
    this.#tracer = tracer;
    this.#code = code;
    this.#pool = pool;
    this.#logs = logs;
    this.#queues = queues;
    this.#versions = versions;
  }

  /**
   * Runs `call` and returns its result with the messages the guest published, **unpublished**:
   * the caller commits them together with its own bookkeeping (queue verdicts, invocation state).
   */
  async run(fn: ActiveFunction, call: GuestCall, requestId: string, options: RunOptions = {}): Promise<InvocationResult> {
    const startedAt = performance.now();
    const { manifest, current } = fn;
    const trace = this.#tracer
      ? new InvocationTrace(this.#tracer, fn.name, options.trigger ?? triggerOfCall(call), requestId, options.parent ?? ROOT_CONTEXT, options.links, options.parentIsRequest)
      : undefined;
    let result: InvocationResult;
    try {
      const version = this.#versions.of(manifest, current.bundleHex);
      // A referenced secret deleted or unreadable: a host_error whose log line names the key and the secret.
      if (!version.ok) throw new Error(version.message);
      const code = await this.#code.get(codeSpecOf(current.componentHex, manifest));
      trace?.queued();
      result = await this.#pool.invoke(
        {
          name: fn.name,
          codeKey: code.codeKey,
          gluePath: code.gluePath,
          modules: code.modules,
          memories: code.memories,
          versionKey: version.versionKey,
          grants: version.grants,
          outbound: { allowedHosts: manifest.allowedOutboundHosts, limits: manifest.limits },
          keyValue: { stores: manifest.keyValueStores, limits: manifest.limits },
          objects: { buckets: manifest.buckets },
          timeoutMs: manifest.limits.timeoutMs,
          instanceReuse: manifest.runtime.instanceReuse,
          maxConcurrency: manifest.limits.maxConcurrency,
          memoryMb: manifest.limits.memoryMb,
        },
        call,
        // Queue, schedule and async work is background unless a caller waits on it.
        { lane: 'background', ...options, trace },
      );
    } catch (err) {
      result = { outcome: { kind: 'host_error', message: err instanceof Error ? err.message : String(err) }, logs: [] };
    }
    if (trace) {
      trace.finish(result);
      result = withTraceContext(result, trace.spanContext);
    }
    // Traced, its lines carry the trace id (no closure when not: this runs on every call).
    if (trace) withActiveTrace(trace.context, () => this.#logs.append(fn.name, requestId, withOutcomeLine(result)));
    else this.#logs.append(fn.name, requestId, withOutcomeLine(result));
    if (this.#observer) {
      try {
        this.#observer.invoked({ functionName: fn.name, trigger: options.trigger ?? triggerOfCall(call), result, totalMs: performance.now() - startedAt });
      } catch {
        // A metrics path never fails a request.
      }
    }
    return result;
  }

  /** An HTTP request (a route or a direct invocation): the guest's messages are durable before the caller answers. */
  async invoke(fn: ActiveFunction, request: GuestRequest, requestId: string, stream?: ResponseStream, trigger: InvocationTrigger = 'http', parent?: Context): Promise<HttpOutcome> {
    const result = await this.run(fn, { kind: 'http', request }, requestId, { lane: 'sync', trigger, parent, parentIsRequest: true, ...(stream ? { stream } : {}) });
    const { outcome } = result;
    if (outcome.kind === 'batch_ok' || outcome.kind === 'event_ok') return { kind: 'host_error', message: `an HTTP call ended in ${outcome.kind}` };
    const published = result.published ?? [];
    if (outcome.kind !== 'ok' || published.length === 0) return outcome;
    try {
      await this.#queues.publish(published);
      return outcome;
    } catch (err) {
      const message = `could not publish ${published.length} message(s): ${err instanceof Error ? err.message : String(err)}`;
      this.#logs.append(fn.name, requestId, [{ time: Date.now(), level: 'error', stream: 'host', message }]);
      // A full queue or disk is back-pressure, not a host fault: the caller should retry later.
      if (err instanceof WasmletError && (err.code === 'queue_full' || err.code === 'storage_full')) return { kind: 'overloaded', retryAfterS: 1, reason: message };
      return { kind: 'host_error', message };
    }
  }
}

/** The guest's messages carry the invocation's span to their consumers (in their attributes: trace-context.ts). */
function withTraceContext(result: InvocationResult, span: SpanContext): InvocationResult {
  if (!result.published || result.published.length === 0) return result;
  const published = result.published.map((m) => {
    const attributes = withTraceAttributes(m.message.attributes, span, maxAttributesPerMessage);
    return attributes === m.message.attributes ? m : { ...m, message: { ...m.message, attributes } };
  });
  return { ...result, published };
}

/** Failures the guest could not log itself (timeouts, overload) still leave a line in its log. */
function withOutcomeLine(result: InvocationResult): InvocationResult['logs'] {
  const { outcome } = result;
  const note =
    outcome.kind === 'timeout' ? `timed out after ${outcome.timeoutMs} ms`
    : outcome.kind === 'overloaded' ? 'rejected: overloaded'
    : outcome.kind === 'response_invalid' || outcome.kind === 'response_too_large' || outcome.kind === 'host_error' ? `${outcome.kind}: ${outcome.message}`
    : undefined;
  return note ? [...result.logs, { time: Date.now(), level: 'error', stream: 'host', message: note }] : result.logs;
}
