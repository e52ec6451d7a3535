// The one way anything runs a function: resolves its compiled code, runs it in the pool on a fresh
// instance and records its logs. HTTP routes and direct invocations both come through here.
import type { CodeCache } from '../compile/code-cache.js';
import type { LogStore } from '../logs/log-store.js';
import type { ActiveFunction } from '../registry/registry.js';
import type { GuestRequest, InvocationResult } from './outcome.js';
import type { WorkerPool } from './worker-pool.js';

export class Invoker {
  readonly #code: CodeCache;
  readonly #pool: WorkerPool;
  readonly #logs: LogStore;

  constructor(code: CodeCache, pool: WorkerPool, logs: LogStore) {
    this.#code = code;
    this.#pool = pool;
    this.#logs = logs;
  }

  async invoke(fn: ActiveFunction, request: GuestRequest, requestId: string): Promise<InvocationResult> {
    const { manifest, current } = fn;
    let result: InvocationResult;
    try {
      const code = await this.#code.get(current.componentHex, manifest.limits.memoryMb);
      result = await this.#pool.invoke(
        {
          name: fn.name,
          codeKey: code.codeKey,
          gluePath: code.gluePath,
          modules: code.modules,
          env: manifest.env,
          config: manifest.config,
          timeoutMs: manifest.limits.timeoutMs,
        },
        request,
      );
    } catch (err) {
      result = { outcome: { kind: 'host_error', message: err instanceof Error ? err.message : String(err) }, logs: [] };
    }
    this.#logs.append(fn.name, requestId, withOutcomeLine(result));
    return result;
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
