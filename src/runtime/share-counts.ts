// The counts behind the pool's fair-share rules (worker-pool.ts): calls queued and in flight per
// function, synchronous calls waiting, background calls computing. Kept apart so each rule reads
// as one line in the pool and the bookkeeping has one home.

/** What the counts need to know of an invocation. */
export interface Counted {
  readonly functionName: string;
  /** Queue, schedule or async work: nobody waits on it. */
  readonly background: boolean;
}

export class ShareCounts {
  /** New invocations queued per function (resumes not counted): the `maxQueuedPerFunction` bound. */
  readonly #queued = new Map<string, number>();
  /** Invocations on a thread per function (computing or blocked): the `maxConcurrency` bound. */
  readonly #inFlight = new Map<string, number>();
  /** Synchronous invocations queued: while any wait, background work keeps to its share. */
  #syncQueued = 0;
  #backgroundComputing = 0;

  queuedFor(functionName: string): number {
    return this.#queued.get(functionName) ?? 0;
  }

  inFlightFor(functionName: string): number {
    return this.#inFlight.get(functionName) ?? 0;
  }

  get syncQueued(): number {
    return this.#syncQueued;
  }

  get backgroundComputing(): number {
    return this.#backgroundComputing;
  }

  queued(call: Counted, delta: 1 | -1): void {
    addTo(this.#queued, call.functionName, delta);
    if (!call.background) this.#syncQueued += delta;
  }

  inFlight(call: Counted, delta: 1 | -1): void {
    addTo(this.#inFlight, call.functionName, delta);
  }

  computing(call: Counted, delta: 1 | -1): void {
    if (call.background) this.#backgroundComputing += delta;
  }

  clearQueued(): void {
    this.#queued.clear();
    this.#syncQueued = 0;
  }
}

function addTo(counts: Map<string, number>, key: string, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta;
  if (count <= 0) counts.delete(key);
  else counts.set(key, count);
}
