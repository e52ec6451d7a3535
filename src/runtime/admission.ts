// "May this call start now?" — the worker pool's admission rules in one place: a function's circuit
// breaker, its concurrency limit, the host memory budget, the compute quota of long-running
// functions, background work's share, and the bound on what one function may queue. The pool
// (worker-pool.ts) asks; it keeps the turns (fair-queue.ts), the threads and the deadlines. The
// counts behind the rules are kept here too (share-counts.ts, memory-budget.ts, compute-quota.ts,
// circuit-breaker.ts), told by the pool as calls queue, take a thread, compute and end.
import { defaultMemoryMb } from '../manifest/manifest-bounds.js';
import { CircuitBreakers } from './circuit-breaker.js';
import { ComputeQuota } from './compute-quota.js';
import { MemoryBudget } from './memory-budget.js';
import type { Outcome } from './outcome.js';
import type { RunnableFunction } from './runnable-function.js';
import { ShareCounts, type Counted } from './share-counts.js';
import { defaultMaxConcurrencyPerFunction, type InvokeOptions } from './worker-pool-options.js';

/** A call as admission sees it: its function and its lane. */
export interface Admitted extends Counted {
  readonly fn: RunnableFunction;
}

export function memoryMbOf(fn: RunnableFunction): number {
  return fn.memoryMb ?? defaultMemoryMb;
}

export class Admission {
  readonly counts = new ShareCounts();
  readonly breakers = new CircuitBreakers();
  readonly quota: ComputeQuota;
  readonly memory: MemoryBudget;
  readonly #slots: number;
  readonly #maxQueuedPerFunction: number;

  constructor(options: { readonly slots: number; readonly memoryBudgetMb: number; readonly maxQueuedPerFunction: number }) {
    this.#slots = options.slots;
    this.#maxQueuedPerFunction = options.maxQueuedPerFunction;
    this.quota = new ComputeQuota(options.slots);
    this.memory = new MemoryBudget(options.memoryBudgetMb);
  }

  /**
   * Why a new call of `fn` is refused before it queues (an `overloaded` outcome), or undefined.
   * `startsAtOnce` tells whether a compute slot and a thread are free this instant.
   */
  refusal(fn: RunnableFunction, options: InvokeOptions, startsAtOnce: () => boolean, retryIn: (ms: number) => void): Extract<Outcome, { kind: 'overloaded' }> | undefined {
    const retryAfterS = this.breakers.refusal(fn.name);
    if (retryAfterS !== undefined) return { kind: 'overloaded', retryAfterS, reason: `${fn.name} keeps timing out or crashing its worker: refused for a cool-down` };
    // At the function's concurrency limit, a caller that would rather be told than wait (Lambda's
    // sync Invoke: 429) is refused at once, and so is every call of a function whose limit is 0.
    const concurrencyLimit = fn.maxConcurrency ?? defaultMaxConcurrencyPerFunction;
    if ((options.refuseAtConcurrencyLimit || concurrencyLimit === 0) && this.counts.inFlightFor(fn.name) + this.counts.queuedFor(fn.name) >= concurrencyLimit) {
      return { kind: 'overloaded', reason: `${fn.name} is at its concurrency limit (${concurrencyLimit})` };
    }
    if (!this.memory.canEverFit(memoryMbOf(fn))) {
      return { kind: 'overloaded', reason: `${fn.name} has memory_mb = ${memoryMbOf(fn)}, more than this host's whole memory budget (${this.memory.budgetMb} MiB)` };
    }
    // Past its queue bound a call is refused, unless it could start at once: a slot is free and none
    // of its function's shares (concurrency, memory, compute quota) holds it back.
    const call: Admitted = { fn, functionName: fn.name, background: options.lane === 'background' };
    if (this.counts.queuedFor(fn.name) >= this.#maxQueuedPerFunction && !(startsAtOnce() && this.mayStart(call, retryIn))) return { kind: 'overloaded' };
    return undefined;
  }

  /**
   * Per-function and background shares: may `call` start now, a slot being free? When its compute
   * quota holds it back for a known time, `retryIn` is told when to ask again.
   */
  mayStart(call: Admitted, retryIn: (ms: number) => void): boolean {
    const limit = call.fn.maxConcurrency ?? defaultMaxConcurrencyPerFunction;
    if (this.counts.inFlightFor(call.functionName) >= limit) return false;
    if (!this.memory.fits(memoryMbOf(call.fn))) return false;
    const waitMs = this.quota.waitBeforeStart(call.functionName, performance.now());
    if (waitMs !== undefined) {
      if (waitMs > 0) retryIn(waitMs);
      return false;
    }
    // Background work may fill every slot while nobody waits on a synchronous call; then it keeps to all but one.
    return !call.background || this.counts.syncQueued === 0 || this.counts.backgroundComputing < Math.max(1, this.#slots - 1);
  }

  /** `call` is on a thread now (computing, waiting, or handed ahead): it counts against its concurrency and reserves its memory. */
  tookThread(call: Admitted): void {
    this.counts.inFlight(call, 1);
    this.memory.reserve(memoryMbOf(call.fn));
  }

  /** `call` left its thread (over, or taken back before it started). */
  leftThread(call: Admitted): void {
    this.counts.inFlight(call, -1);
    this.memory.release(memoryMbOf(call.fn));
  }
}
