// A fixed pool of long-lived guest worker threads. Invocations queue FIFO (bounded per function),
// each runs on a fresh instance in some worker (preferably one holding a ready instance of that
// function, runtime/instance-policy.ts), under a deadline that covers queueing and running.
// On expiry the worker is terminated (the only way to stop a spinning guest) and replaced by an
// already-booted spare (a new worker takes ~77 ms to start); only that invocation fails.
import { LRUCache } from 'lru-cache';
import { Worker } from 'node:worker_threads';
import { defaultInstanceReuse } from '../manifest/manifest-bounds.js';
import type { GuestCall } from './guest-call.js';
import { instanceKey, isInstanceOfCode, maxReadyInstancesPerWorker } from './instance-policy.js';
import type { InvocationResult } from './outcome.js';
import type { RunnableFunction } from './runnable-function.js';
import type { GuestWorkerData, InvokeMessage, ResultMessage, ToWorker } from './worker-protocol.js';

export interface WorkerPoolOptions {
  /** Worker threads; about one per core, since a guest call is synchronous CPU work. */
  readonly size: number;
  /** Invocations of one function waiting for a worker before new ones get `overloaded`. */
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
  readonly onWorkerReplaced?: (reason: string) => void;
}

/** Enough to absorb a burst on 2 cores without letting one function hold the host hostage. */
export const defaultMaxQueuedPerFunction = 64;
/** Lambda's synchronous response limit. */
export const defaultMaxResponseBytes = 6 * 1024 * 1024;
const defaultWorkerHeapMb = 512;
/**
 * Every invocation allocates a fresh instance and its glue objects, all garbage a moment later;
 * a roomier young generation scavenges less often. Measured A/B, alternating, on hello-c over the
 * in-process HTTP app: 1.45–1.70 → 1.04–1.20 ms CPU per request (sequential).
 */
const workerYoungGenerationMb = 64;
/** Code versions a worker keeps loaded; older ones are evicted (the main thread re-sends them on demand). */
const maxLoadedCodePerWorker = 256;

interface Pending {
  readonly id: number;
  readonly fn: RunnableFunction;
  readonly call: GuestCall;
  readonly resolve: (result: InvocationResult) => void;
  timer?: NodeJS.Timeout;
  slot?: Slot;
}

interface Slot {
  worker: Worker;
  loaded: LRUCache<string, true>;
  /**
   * Instance keys this worker said it keeps ready, least recent first; it mirrors the worker's own
   * bound, so it is a routing hint that can be wrong (a failed preparation, an aged-out instance).
   */
  ready: LRUCache<string, true>;
  running: Pending | undefined;
}

export class WorkerPool {
  readonly #options: Required<Omit<WorkerPoolOptions, 'onWorkerReplaced'>> & Pick<WorkerPoolOptions, 'onWorkerReplaced'>;
  readonly #slots: Slot[] = [];
  /** A booted worker held back to replace a killed one at once; refilled in the background. */
  #spare: Slot | undefined;
  readonly #queue: Pending[] = [];
  readonly #queuedPerFunction = new Map<string, number>();
  #nextId = 1;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`worker pool size must be a positive integer, got ${options.size}`);
    this.#options = {
      size: options.size,
      maxQueuedPerFunction: options.maxQueuedPerFunction ?? defaultMaxQueuedPerFunction,
      maxResponseBytes: options.maxResponseBytes ?? defaultMaxResponseBytes,
      workerHeapMb: options.workerHeapMb ?? defaultWorkerHeapMb,
      preInstantiate: options.preInstantiate ?? true,
      onWorkerReplaced: options.onWorkerReplaced,
    };
    for (let i = 0; i < options.size; i++) this.#slots.push(this.#startSlot());
    this.#spare = this.#startSlot();
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Runs `call` on a fresh instance of `fn` (or a reused one, per `fn.instanceReuse`). Never rejects: failures are outcomes. */
  invoke(fn: RunnableFunction, call: GuestCall): Promise<InvocationResult> {
    if (this.#closed) return Promise.resolve({ outcome: { kind: 'overloaded' }, logs: [] });
    const queued = this.#queuedPerFunction.get(fn.name) ?? 0;
    if (queued >= this.#options.maxQueuedPerFunction && !this.#idleSlot()) {
      return Promise.resolve({ outcome: { kind: 'overloaded' }, logs: [] });
    }
    return new Promise((resolve) => {
      const pending: Pending = { id: this.#nextId++, fn, call, resolve };
      pending.timer = setTimeout(() => this.#expire(pending), fn.timeoutMs);
      this.#queue.push(pending);
      this.#queuedPerFunction.set(fn.name, queued + 1);
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) this.#finish(pending, { outcome: { kind: 'overloaded' }, logs: [] });
    const workers = [...this.#slots, ...(this.#spare ? [this.#spare] : [])].map((slot) => slot.worker);
    this.#spare = undefined;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #startSlot(): Slot {
    const worker = new Worker(new URL('./guest-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.#options.workerHeapMb, maxYoungGenerationSizeMb: workerYoungGenerationMb },
      // Guests must never see the host's environment, even by accident through process.env.
      env: {},
      stdout: false,
      stderr: false,
      workerData: { preInstantiate: this.#options.preInstantiate } satisfies GuestWorkerData,
    });
    const slot: Slot = {
      worker,
      running: undefined,
      loaded: new LRUCache<string, true>({
        max: maxLoadedCodePerWorker,
        dispose: (_value, codeKey, reason) => {
          if (reason === 'set') return;
          this.#post(slot, { type: 'evict', codeKey });
          for (const key of [...slot.ready.keys()]) if (isInstanceOfCode(key, codeKey)) slot.ready.delete(key);
        },
      }),
      ready: new LRUCache<string, true>({ max: maxReadyInstancesPerWorker }),
    };
    worker.on('message', (message: ResultMessage) => this.#onResult(slot, message));
    worker.on('error', (err) => this.#onWorkerDied(slot, `worker crashed: ${err.message}`));
    worker.on('exit', (code) => this.#onWorkerDied(slot, `worker exited with code ${code}`));
    worker.unref();
    return slot;
  }

  #idleSlot(): Slot | undefined {
    return this.#slots.find((slot) => !slot.running);
  }

  /** An idle worker, preferably one with a ready instance of `fn` (`peek`: no effect on its recency). */
  #idleSlotFor(fn: RunnableFunction): Slot | undefined {
    const key = instanceKey(fn.name, fn.codeKey);
    let idle: Slot | undefined;
    for (const slot of this.#slots) {
      if (slot.running) continue;
      if (slot.ready.peek(key)) return slot;
      idle ??= slot;
    }
    return idle;
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const slot = this.#idleSlotFor(this.#queue[0]!.fn);
      if (!slot) return;
      const pending = this.#queue.shift()!;
      this.#decrementQueued(pending.fn.name);
      this.#dispatch(slot, pending);
    }
  }

  #dispatch(slot: Slot, pending: Pending): void {
    const { fn, call } = pending;
    slot.running = pending;
    pending.slot = slot;
    const needsLoad = !slot.loaded.has(fn.codeKey);
    if (needsLoad) slot.loaded.set(fn.codeKey, true);
    const message: InvokeMessage = {
      type: 'invoke',
      id: pending.id,
      functionName: fn.name,
      codeKey: fn.codeKey,
      instanceReuse: fn.instanceReuse ?? defaultInstanceReuse,
      ...(needsLoad ? { load: { gluePath: fn.gluePath, modules: fn.modules, memories: fn.memories } } : {}),
      env: fn.env,
      config: fn.config,
      publish: fn.publish,
      call,
      maxResponseBytes: this.#options.maxResponseBytes,
    };
    this.#post(slot, message);
  }

  #post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  #onResult(slot: Slot, message: ResultMessage): void {
    const pending = slot.running;
    if (!pending || pending.id !== message.id) return; // a late answer for an invocation that already timed out
    slot.running = undefined;
    const key = instanceKey(pending.fn.name, pending.fn.codeKey);
    if (message.ready) slot.ready.set(key, true);
    else slot.ready.delete(key);
    this.#finish(pending, message.result);
    this.#pump();
  }

  #expire(pending: Pending): void {
    pending.timer = undefined;
    const result: InvocationResult = { outcome: { kind: 'timeout', timeoutMs: pending.fn.timeoutMs }, logs: [] };
    const queuedAt = this.#queue.indexOf(pending);
    if (queuedAt >= 0) {
      this.#queue.splice(queuedAt, 1);
      this.#decrementQueued(pending.fn.name);
      this.#finish(pending, result);
      return;
    }
    const slot = pending.slot;
    if (slot && slot.running === pending) {
      this.#finish(pending, result);
      this.#replace(slot, `deadline of ${pending.fn.timeoutMs} ms expired in ${pending.fn.name}`);
    }
  }

  #onWorkerDied(slot: Slot, reason: string): void {
    if (this.#closed) return;
    if (slot === this.#spare) {
      this.#spare = this.#startSlot(); // a spare that died idle is simply replaced
      return;
    }
    if (!this.#slots.includes(slot)) return;
    const pending = slot.running;
    if (pending) this.#finish(pending, { outcome: { kind: 'trap', message: reason }, logs: [] });
    this.#replace(slot, reason);
  }

  #replace(slot: Slot, reason: string): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    slot.running = undefined;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {}); // a terminating worker may still report; nobody is listening
    void slot.worker.terminate();
    if (this.#closed) return;
    this.#slots[index] = this.#spare ?? this.#startSlot();
    this.#spare = this.#startSlot();
    this.#options.onWorkerReplaced?.(reason);
    this.#pump();
  }

  #finish(pending: Pending, result: InvocationResult): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = undefined;
    pending.slot = undefined;
    pending.resolve(result);
  }

  #decrementQueued(name: string): void {
    const count = (this.#queuedPerFunction.get(name) ?? 1) - 1;
    if (count <= 0) this.#queuedPerFunction.delete(name);
    else this.#queuedPerFunction.set(name, count);
  }
}
