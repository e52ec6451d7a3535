// Invocations waiting for a compute slot, one FIFO per function, served round-robin: a function
// with a deep backlog gets one turn in N, not the whole pool, while the others get theirs.

export interface Queued {
  readonly functionName: string;
}

export class FairQueue<T extends Queued> {
  readonly #byFunction = new Map<string, T[]>();
  /** Functions with something queued, in turn order; `#turn` is the next one's index. */
  readonly #ring: string[] = [];
  #turn = 0;
  #size = 0;

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
    }
    return queue;
  }

  /** The item whose turn it is, without taking it. */
  peek(): T | undefined {
    if (this.#ring.length === 0) return undefined;
    if (this.#turn >= this.#ring.length) this.#turn = 0;
    return this.#byFunction.get(this.#ring[this.#turn]!)![0];
  }

  /** Takes the item `peek` returned and passes the turn to the next function. */
  shift(): T | undefined {
    const item = this.peek();
    if (!item) return undefined;
    this.#take(item.functionName, 0);
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
    for (let i = 0; i < count; i++) {
      const head = this.#byFunction.get(this.#ring[(this.#turn + i) % count]!)![0]!;
      if (eligible(head)) return head;
    }
    return undefined;
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
