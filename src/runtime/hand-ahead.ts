// Hand-ahead: with every compute slot busy, the call whose turn is next is sent now to a thread
// computing a short call of the same function, and starts there as soon as that one ends. The
// thread goes from one call to the next without waiting for the main thread to see the result and
// send more, and is not woken from sleep for each call (profiled at 16 connections on 2 cores: 95 %
// of calls found their worker asleep, ~1 ms after it had finished). Fairness is kept: it is the
// fair queue's own pick, committed a few calls early. At most `handAheadDepth` per thread; each
// counts against its function's shares (concurrency, memory) from the moment it is sent; taken back
// (if not started) when the call before it waits, so a waiting guest holds no call behind it, and
// when a blocked call wants to resume, which goes first. The scheduler is worker-pool.ts; the
// shared `decided` cell that makes a take-back safe is in guest-thread.ts and worker-protocol.ts.
import type { Admission } from './admission.js';
import type { FairQueue } from './fair-queue.js';
import type { InvocationResult } from './outcome.js';
import { isPending, type Pending, type Slot, type Turn } from './pool-slot.js';
import { handAheadDepth, handAheadRefillAt } from './worker-pool-options.js';
import type { InvokeMessage } from './worker-protocol.js';

/** What hand-ahead reads and does in the pool. */
export interface HandAheadPool {
  readonly slots: readonly Slot[];
  readonly queue: FairQueue<Turn>;
  readonly admission: Admission;
  /** Every compute slot busy and no resume waiting for one: the only time calls are handed ahead. */
  saturated(): boolean;
  /** May `pending` start now, a slot being free (admission.ts)? */
  mayStart(pending: Pending): boolean;
  /** The message that runs `pending` on `slot`'s thread (takes its `seq`). */
  invokeMessage(slot: Slot, pending: Pending): InvokeMessage;
  /** Back at its function's head in the queue. */
  requeue(pending: Pending): void;
  /** Answers its caller. */
  finish(pending: Pending, result: InvocationResult): void;
}

export interface HandAheadOptions {
  /** Only functions whose calls take under this on average (ms); 0 turns it off. */
  readonly maxCallMs: number;
  /** ...and only behind a call that started computing less than this ago (ms). */
  readonly withinMs: number;
}

export class HandAhead {
  readonly #pool: HandAheadPool;
  readonly #options: HandAheadOptions;
  /** Calls handed ahead now (no new ones past `handAheadDepth` per thread). */
  #count = 0;
  /** Calls handed ahead so far, and those of them taken back before they started. */
  readonly #totals = { handed: 0, takenBack: 0 };

  constructor(pool: HandAheadPool, options: HandAheadOptions) {
    this.#pool = pool;
    this.#options = options;
  }

  /** Calls handed ahead now, on every thread. */
  get count(): number {
    return this.#count;
  }

  /** Calls handed ahead to a busy thread so far, and how many of them were taken back unstarted. */
  get totals(): { readonly handed: number; readonly takenBack: number } {
    return { ...this.#totals };
  }

  /** Hands ahead what the queue's next turns allow; what this pass hands to each thread goes in one message. */
  pass(): void {
    const batches = new Map<Slot, InvokeMessage[]>();
    this.#fill(batches);
    for (const [slot, invocations] of batches) slot.thread.post(invocations.length === 1 ? invocations[0]! : { type: 'invoke-batch', invocations });
  }

  #fill(batches: Map<Slot, InvokeMessage[]>): void {
    const pool = this.#pool;
    while (pool.queue.size > 0 && this.#count < pool.slots.length * handAheadDepth && pool.saturated()) {
      const next = pool.queue.pick((turn) => isPending(turn) && pool.mayStart(turn));
      if (!next || !isPending(next)) return;
      const slot = this.#slotFor(next, batches);
      if (!slot) return;
      pool.queue.take(next);
      pool.admission.counts.queued(next, -1);
      pool.admission.tookThread(next);
      next.slot = slot;
      slot.handed.push(next);
      this.#count++;
      this.#totals.handed++;
      const batch = batches.get(slot) ?? [];
      batch.push(pool.invokeMessage(slot, next));
      batches.set(slot, batch);
    }
  }

  /**
   * A thread computing a call of `next`'s function in the same lane (so the background share holds
   * when one follows the other), started recently, the function's calls being short; with room,
   * the one with the fewest calls handed to it. A thread is topped up once it is down to one call
   * handed (or while this pass fills it), so calls travel several to a message.
   */
  #slotFor(next: Pending, batches: ReadonlyMap<Slot, readonly InvokeMessage[]>): Slot | undefined {
    if (!this.#pool.admission.quota.callsShorterThan(next.functionName, this.#options.maxCallMs)) return undefined;
    const now = performance.now();
    let best: Slot | undefined;
    for (const slot of this.#pool.slots) {
      const running = slot.running;
      if (slot.state !== 'computing' || slot.handed.length >= handAheadDepth || !running || running.functionName !== next.functionName || running.background !== next.background) continue;
      if (now - slot.computingSince >= this.#options.withinMs) continue;
      if (slot.handed.length > handAheadRefillAt && !batches.has(slot)) continue;
      if (!best || slot.handed.length < best.handed.length) best = slot;
    }
    return best;
  }

  /**
   * `slot`'s running call has ended: the first call handed ahead, which the thread starts next (it
   * is the pool's to mark computing). One whose deadline passed and that can still be taken back
   * leaves instead, and the next one is looked at.
   */
  next(slot: Slot): Pending | undefined {
    for (;;) {
      const next = slot.handed.shift();
      if (!next) return undefined;
      this.#count--;
      if (next.expired && slot.thread.takeBack(next.seq!, next.seq!)! < next.seq!) {
        this.#drop(next);
        continue;
      }
      return next;
    }
  }

  /**
   * Takes back `slot`'s handed calls that have not started, and queues them again at their
   * function's head, in order. `going`: the thread is being stopped; those that had started fail.
   */
  takeBack(slot: Slot, going = false): void {
    const { handed } = slot;
    if (handed.length === 0) return;
    const startedUpTo = slot.thread.takeBack(handed[0]!.seq!, handed.at(-1)!.seq!, going);
    if (startedUpTo === undefined) return;
    const stays = going ? 0 : handed.findIndex((pending) => pending.seq! > startedUpTo);
    if (stays < 0) return;
    const leaving = handed.splice(stays);
    this.#count -= leaving.length;
    for (let i = leaving.length - 1; i >= 0; i--) {
      const pending = leaving[i]!;
      const started = pending.seq! <= startedUpTo;
      this.#drop(pending, started);
      if (pending.expired) continue;
      if (!started) this.#pool.requeue(pending);
      else this.#pool.finish(pending, { outcome: { kind: 'trap', message: 'its worker was stopped while it ran (another invocation on the thread timed out or crashed it)' }, logs: [] });
    }
  }

  /** A blocked call wants to resume: the next slot that frees goes to it, not to a call handed ahead. */
  takeBackAll(): void {
    if (this.#count > 0) for (const slot of this.#pool.slots) this.takeBack(slot);
  }

  /**
   * `pending`'s deadline passed: if it is handed ahead, its caller gets `result` now. Next in line
   * and not started, it leaves the thread at once; otherwise when its turn comes there (`next`), by
   * termination if it started meanwhile. False when it is not a handed call.
   */
  expire(pending: Pending, result: InvocationResult): boolean {
    const slot = pending.slot;
    if (!slot || !slot.handed.includes(pending)) return false;
    pending.expired = true;
    this.#pool.finish(pending, result);
    if (slot.handed[0] === pending && slot.thread.takeBack(pending.seq!, pending.seq!) === pending.seq! - 1) {
      slot.handed.shift();
      this.#count--;
      this.#drop(pending);
    }
    return true;
  }

  /** A handed call leaves its thread without having computed: its shares go back. */
  #drop(pending: Pending, started = false): void {
    if (!started) this.#totals.takenBack++;
    this.#pool.admission.leftThread(pending);
    pending.slot = undefined;
  }
}
