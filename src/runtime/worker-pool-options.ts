// The worker pool's contract with its callers: its options, how a call is run, where a streamed
// response goes, and the defaults and limits it applies (worker-pool.ts is the scheduler itself).
import type { HostRequestHandler } from '../capabilities/host-link.js';
import type { PoolTrace } from '../tracing/tracing.js';

export interface WorkerPoolOptions {
  /** Compute slots: invocations running guest code at once; about one per core. */
  readonly size: number;
  /** Threads beyond `size` for invocations waiting on the network or a timer. */
  readonly maxWaitingThreads?: number;
  /** Invocations of one function waiting for a compute slot before new ones get `overloaded`. */
  readonly maxQueuedPerFunction?: number;
  /** Largest response body a guest may return. */
  readonly maxResponseBytes?: number;
  /** V8 heap cap of each worker (wasm memory is capped separately, per function). */
  readonly workerHeapMb?: number;
  /**
   * Instantiate each function's next instance in the worker while it is idle, after answering
   * (default true). Isolation is the same either way; off, every instantiation is on the latency path.
   */
  readonly preInstantiate?: boolean;
  /** Serves what guests ask of the main thread (outbound HTTP); without it every request is refused. */
  readonly hostRequests?: HostRequestHandler;
  /** A worker was terminated and replaced: `cause` is a bounded label (metrics), `reason` the sentence (logs). */
  readonly onWorkerReplaced?: (reason: string, cause: WorkerReplaceCause) => void;
  /** Guest linear memory live at once, all functions together (memory-budget.ts); default: a share of the machine's. */
  readonly memoryBudgetMb?: number;
  /** Hand-ahead applies to functions whose calls take under this on average (ms); 0 turns it off. Default `handAheadMaxCallMs`. */
  readonly handAheadMaxCallMs?: number;
  /** ...and only behind a call that started computing less than this ago (ms). Default `handAheadWithinMs`. */
  readonly handAheadWithinMs?: number;
}

/** Why a worker was replaced: its invocation's deadline expired (a spinning guest), or the worker died (crash, heap limit, exit). */
export type WorkerReplaceCause = 'timeout' | 'crash';

/** How a call is run: where a streamed response goes, and whether a caller waits on it. */
export interface InvokeOptions {
  /** With it, a wasi:http guest's response goes there as it is written (see `ResponseStream`). */
  readonly stream?: ResponseStream;
  /** `sync`: a caller waits (HTTP routes, direct invoke); `background`: queues, schedules, async events. */
  readonly lane?: 'sync' | 'background';
  /** At the function's `maxConcurrency`, answer `overloaded` at once instead of queueing (Lambda's throttle). */
  readonly refuseAtConcurrencyLimit?: boolean;
  /** Told when the call gets its slot, and the parent of its host requests' spans; absent when tracing is off. */
  readonly trace?: PoolTrace | undefined;
}

/** Where a streamed (wasi:http) response goes as the guest writes it. */
export interface ResponseStream {
  head(status: number, headers: readonly (readonly [string, string])[]): void;
  chunk(bytes: Uint8Array): void;
}

/** Enough to absorb a burst on 2 cores without letting one function hold the host hostage. */
export const defaultMaxQueuedPerFunction = 64;
/** Lambda's synchronous response limit. */
export const defaultMaxResponseBytes = 6 * 1024 * 1024;
/**
 * Invocations that may wait on the network at once beyond the computing ones. A parked worker
 * costs a V8 isolate (a few MB); 64 lets 64 slow upstream calls overlap on a 2-core host.
 */
export const defaultMaxWaitingThreads = 64;
/** Default `maxConcurrency` of a function that does not set one (manifest-bounds.ts has the manifest's). */
export const defaultMaxConcurrencyPerFunction = 64;
/** A guest computing longer than this without pausing counts as stuck: its slot lends an overflow slot. */
export const stuckComputingMs = 1_000;
/**
 * Hand-ahead (worker-pool.ts): with every slot busy, the next call of a function whose calls take
 * under this long on average may be sent to a thread computing one of them, to start there next.
 */
export const handAheadMaxCallMs = 2;
/** ...provided the call on that thread started computing this recently (it is not a slow one). */
export const handAheadWithinMs = 5;
/**
 * Calls handed ahead to one thread at most: enough to keep it busy while the main thread, busy with
 * HTTP, takes a few calls' time to see a result; few enough that another function's call waits
 * behind at most this many short calls.
 */
export const handAheadDepth = 3;
/** A thread is topped up to `handAheadDepth` once it has this many calls handed or fewer: several calls per message. */
export const handAheadRefillAt = 1;
/** Booted workers held back to replace killed ones (or grow) at once: a burst of timeouts does not wait on boots. */
export const spareWorkers = 2;
/** An extra thread idle this long is stopped (the `size` baseline threads are kept). */
export const idleThreadStopMs = 30_000;
export const defaultWorkerHeapMb = 512;

