// The one way anything runs a function: resolves its compiled code, runs it in the pool on a fresh
// instance (or a reused one, if its manifest allows) and records its logs. HTTP routes, direct, async, queue and schedule invocations all
// come through here.
import { codeSpecOf, type CodeCache } from '../compile/code-cache.js';
import type { LogStore } from '../logs/log-store.js';
import type { QueueStore } from '../queue/queue-store.js';
import type { ActiveFunction } from '../registry/registry.js';
import type { GuestCall } from '../runtime/guest-call.js';
import type { FailureOutcome, GuestRequest, InvocationResult, Outcome } from '../runtime/outcome.js';
import type { InvokeOptions, ResponseStream, WorkerPool } from '../runtime/worker-pool.js';
import type { VersionGrants } from './version-grants.js';

/** What an HTTP call can end in: an answer, or a failure. */
export type HttpOutcome = Extract<Outcome, { kind: 'ok' }> | FailureOutcome;

export class Invoker {
  readonly #code: CodeCache;
  readonly #pool: WorkerPool;
  readonly #logs: LogStore;
  readonly #queues: QueueStore;
  /** Grants and version key per call: secrets in [config] resolved once per change. */
  readonly #versions: VersionGrants;

  constructor(code: CodeCache, pool: WorkerPool, logs: LogStore, queues: QueueStore, versions: VersionGrants) {
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
  async run(fn: ActiveFunction, call: GuestCall, requestId: string, options: InvokeOptions = {}): Promise<InvocationResult> {
    const { manifest, current } = fn;
    let result: InvocationResult;
    try {
      const version = this.#versions.of(manifest, current.bundleHex);
      // A referenced secret deleted or unreadable: a host_error whose log line names the key and the secret.
      if (!version.ok) throw new Error(version.message);
      const code = await this.#code.get(codeSpecOf(current.componentHex, manifest));
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
        },
        call,
        // Queue, schedule and async work is background unless a caller waits on it.
        { lane: 'background', ...options },
      );
    } catch (err) {
      result = { outcome: { kind: 'host_error', message: err instanceof Error ? err.message : String(err) }, logs: [] };
    }
    this.#logs.append(fn.name, requestId, withOutcomeLine(result));
    return result;
  }

  /** An HTTP request (a route or a direct invocation): the guest's messages are durable before the caller answers. */
  async invoke(fn: ActiveFunction, request: GuestRequest, requestId: string, stream?: ResponseStream): Promise<HttpOutcome> {
    const result = await this.run(fn, { kind: 'http', request }, requestId, { lane: 'sync', ...(stream ? { stream } : {}) });
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
      return { kind: 'host_error', message };
    }
  }
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
