// The worker pool's threads (worker-pool.ts): `size` of them always, extra ones on demand up to
// `size + maxWaitingThreads` while guests wait (each stopped after `idleThreadStopMs` idle), and
// `spareWorkers` booted ones held back, so that a killed thread is replaced, or the pool grows, at
// once (a new worker takes ~77 ms to start).
import { GuestThread } from './guest-thread.js';
import { instanceKey } from './instance-policy.js';
import type { Slot } from './pool-slot.js';
import type { RunnableFunction } from './runnable-function.js';
import { idleThreadStopMs, spareWorkers } from './worker-pool-options.js';
import type { FromWorker } from './worker-protocol.js';

export interface PoolThreadsOptions {
  /** Compute slots: the threads always kept. */
  readonly size: number;
  readonly maxWaitingThreads: number;
  readonly preInstantiate: boolean;
  readonly workerHeapMb: number;
  /** The pool is closed: no thread is added any more. */
  closed(): boolean;
  onMessage(slot: Slot, message: FromWorker): void;
  onDied(slot: Slot, reason: string): void;
}

export class PoolThreads {
  /** The threads running now (computing, waiting or idle), the spares not counted. */
  readonly slots: Slot[] = [];
  /** Booted workers held back to replace a killed one, or to grow, at once; refilled in the background. */
  readonly #spares: Slot[] = [];
  readonly #options: PoolThreadsOptions;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: PoolThreadsOptions) {
    this.#options = options;
    for (let i = 0; i < options.size; i++) this.slots.push(this.#startSlot());
    for (let i = 0; i < spareWorkers; i++) this.#spares.push(this.#startSlot());
    this.#sweeper = setInterval(() => this.#stopIdleExtraThreads(), idleThreadStopMs / 2).unref();
  }

  get maxThreads(): number {
    return this.#options.size + this.#options.maxWaitingThreads;
  }

  /** An idle thread, preferably one with a ready instance of `fn` (`peek`: no effect on its recency). */
  idleSlotFor(fn: RunnableFunction): Slot | undefined {
    const key = instanceKey(fn.name, fn.codeKey);
    let idle: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.state !== 'idle') continue;
      if (slot.thread.ready.peek(key)) return slot;
      idle ??= slot;
    }
    return idle;
  }

  /** A new thread for a queued invocation while the others wait (or are stuck); none past the bound. */
  addSlot(): Slot | undefined {
    if (this.#options.closed() || this.slots.length >= this.maxThreads) return undefined;
    const slot = this.takeSpare();
    this.slots.push(slot);
    return slot;
  }

  /** A booted spare (one boots in the background to take its place), or a new worker when none is left. */
  takeSpare(): Slot {
    const spare = this.#spares.shift();
    this.#spares.push(this.#startSlot());
    return spare ?? this.#startSlot();
  }

  /** A spare that died idle is simply replaced: true when `slot` was one. */
  replaceSpare(slot: Slot): boolean {
    const spareAt = this.#spares.indexOf(slot);
    if (spareAt < 0) return false;
    this.#spares[spareAt] = this.#startSlot();
    return true;
  }

  /** Stops the idle sweep and hands over every thread, the spares included, for the pool to end. */
  close(): Slot[] {
    clearInterval(this.#sweeper);
    return [...this.slots, ...this.#spares.splice(0)];
  }

  #startSlot(): Slot {
    const slot: Slot = {
      thread: new GuestThread(
        { preInstantiate: this.#options.preInstantiate, workerHeapMb: this.#options.workerHeapMb },
        { onMessage: (message) => this.#options.onMessage(slot, message), onDied: (reason) => this.#options.onDied(slot, reason) },
      ),
      state: 'idle',
      running: undefined,
      computingSince: 0,
      eventsSent: 0,
      resumeEntry: undefined,
      wakeTimer: undefined,
      idleSince: performance.now(),
      handed: [],
    };
    return slot;
  }

  #stopIdleExtraThreads(): void {
    const now = performance.now();
    for (const slot of [...this.slots]) {
      if (this.slots.length <= this.#options.size) return;
      if (slot.state === 'idle' && now - slot.idleSince >= idleThreadStopMs) {
        this.slots.splice(this.slots.indexOf(slot), 1);
        void slot.thread.terminate();
      }
    }
  }
}
