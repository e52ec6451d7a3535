// Invocations waiting for a compute slot, one FIFO per function, served by compute time used
// (start-time fair queueing): the next slot goes to the function that has used the least compute
// lately, so a function whose calls take 200 ms gets about as much CPU as one whose calls take
// 0.2 ms, not as many calls. A function that becomes backlogged starts level with the least served
// one (no credit saved up while idle); ties go round-robin.

export interface Queued {
  readonly functionName: string;
}

export class FairQueue<T extends Queued> {
  readonly #byFunction = new Map<string, T[]>();
  /** Functions with something queued, in turn order; `#turn` is the next one's index. */
  readonly #ring: string[] = [];
  #turn = 0;
  #size = 0;
  /** Compute milliseconds charged per function; the least goes first. Kept only while it matters. */
  readonly #used = new Map<string, number>();
  /** The least `#used` among backlogged functions when last looked at: where a newcomer starts. */
  #floor = 0;

  get size(): number {
    return this.#size;
  }

  queuedFor(functionName: string): number {
    return this.#byFunction.get(functionName)?.length ?? 0;
  }

  push(item: T): void {
    this.#queueOf(item.functionName).push(item);
    this.#size++;
  }

  /** Ahead of its function's other items (work already under way goes before new work), still taking its function's turn. */
  pushFront(item: T): void {
    this.#queueOf(item.functionName).unshift(item);
    this.#size++;
  }

  #queueOf(functionName: string): T[] {
    let queue = this.#byFunction.get(functionName);
    if (!queue) {
      queue = [];
      this.#byFunction.set(functionName, queue);
      this.#ring.push(functionName);
      // A debt is kept (it used more than its share); a credit is not (it was idle).
      this.#used.set(functionName, Math.max(this.#used.get(functionName) ?? 0, this.#floor));
    }
    return queue;
  }

  /** `ms` of compute `functionName` just used (queued or not). */
  charge(functionName: string, ms: number): void {
    const used = (this.#used.get(functionName) ?? this.#floor) + ms;
    // An idle function owing nothing beyond the floor needs no entry: it would start at the floor anyway.
    if (!this.#byFunction.has(functionName) && used <= this.#floor) this.#used.delete(functionName);
    else this.#used.set(functionName, used);
  }

  /** The item whose turn it is, without taking it. */
  peek(): T | undefined {
    return this.pick(() => true);
  }

  /** Takes the item `peek` returned and passes the turn to the next function. */
  shift(): T | undefined {
    const item = this.peek();
    if (!item) return undefined;
    this.take(item);
    return item;
  }

  /**
   * The first function's head, in turn order from the current turn, that `eligible` accepts
   * (functions at their concurrency limit, or background work over its share, are passed over
   * without losing their place). Take it with `take`.
   */
  pick(eligible: (item: T) => boolean): T | undefined {
    const count = this.#ring.length;
    if (count === 0) return undefined;
    if (this.#turn >= count) this.#turn = 0;
    let best: T | undefined;
    let bestUsed = Infinity;
    let floor = Infinity;
    for (let i = 0; i < count; i++) {
      const name = this.#ring[(this.#turn + i) % count]!;
      const used = this.#used.get(name) ?? this.#floor;
      floor = Math.min(floor, used);
      if (used >= bestUsed) continue;
      const head = this.#byFunction.get(name)![0]!;
      if (!eligible(head)) continue;
      best = head;
      bestUsed = used;
    }
    this.#floor = Math.max(this.#floor, floor);
    return best;
  }

  /** Takes the head `pick` returned, and passes the turn to the function after its own. */
  take(item: T): void {
    const queue = this.#byFunction.get(item.functionName);
    if (queue?.[0] !== item) throw new Error('take: not the head of its function (scheduler bug)');
    this.#take(item.functionName, 0);
  }

  /** Removes `item` wherever it is (its deadline expired while queued). */
  remove(item: T): boolean {
    const index = this.#byFunction.get(item.functionName)?.indexOf(item) ?? -1;
    if (index < 0) return false;
    this.#take(item.functionName, index, false);
    return true;
  }

  drain(): T[] {
    const all = [...this.#byFunction.values()].flat();
    this.#byFunction.clear();
    this.#ring.length = 0;
    this.#turn = 0;
    this.#size = 0;
    this.#used.clear();
    return all;
  }

  #take(functionName: string, index: number, passTurn = true): void {
    const queue = this.#byFunction.get(functionName)!;
    queue.splice(index, 1);
    this.#size--;
    const at = this.#ring.indexOf(functionName);
    if (queue.length === 0) {
      this.#byFunction.delete(functionName);
      this.#ring.splice(at, 1);
      // The next function slid into this index: it keeps its turn.
      if (at < this.#turn) this.#turn--;
      return;
    }
    if (passTurn) this.#turn = at + 1;
  }
}
