// The OpenTelemetry API's context manager, synchronous: `context.with(ctx, fn)` makes `ctx` active
// while `fn` runs and restores the previous one when it returns; nothing crosses an `await`.
// That is all the host asks of it (log lines read the invocation's trace id as the active span
// while they are recorded, tracing/active-trace-id.ts), and it costs nothing elsewhere: the SDK's
// AsyncLocalStorage manager enables async hooks that tax every promise in the process, and
// measured so it cost more than the spans themselves (bench/tracing-overhead.ts).
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

export class SyncContextManager implements ContextManager {
  #active: Context = ROOT_CONTEXT;

  active(): Context {
    return this.#active;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.#active;
    this.#active = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#active = previous;
    }
  }

  /** Binding would need the context to outlive the call: not supported, the target is returned as it is. */
  bind<T>(_context: Context, target: T): T {
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#active = ROOT_CONTEXT;
    return this;
  }
}
