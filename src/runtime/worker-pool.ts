// The scheduler of guest invocations. Two resources are managed apart:
// - compute slots (`size`, about one per core): only this many invocations run guest code at once;
// - threads: a guest waiting on the network (or a timer) blocks its thread (a guest call is
//   synchronous), but gives its compute slot back, so another invocation computes meanwhile on
//   another thread (its host requests and their events: host-request-relay.ts). Threads grow on
//   demand up to `size + maxWaitingThreads` and the extra ones are stopped after a while idle
//   (pool-threads.ts).
// Invocations waiting for a slot are queued per function and served by compute time used, least
// first, round-robin on ties (fair-queue.ts);
// a blocked invocation whose event arrived goes ahead of its own function's new calls, not ahead
// of other functions (a function with many slow upstreams cannot crowd out a CPU-bound one).
// Fair shares beyond the rotation: a function has at most `maxConcurrency` invocations in flight;
// background work (queues, schedules, async events) leaves synchronous callers a slot whenever
// they are waiting; when every slot is held by a guest computing for more than a second (a loop,
// a long job), other functions get an overflow slot per stuck one, so they slow down instead of
// stopping; a function whose calls are long gets a compute quota while others want the host
// (compute-quota.ts); and a function whose calls keep costing a worker is refused for a cool-down
// (circuit-breaker.ts). A deadline covers queueing,
// computing and waiting: on expiry the thread is terminated (the only way to stop a spinning
// guest) and replaced by an already-booted spare (a new worker takes ~77 ms to start).
// Memory: an invocation on a thread reserves its function's `memory_mb` from the host budget
// (memory-budget.ts); one that does not fit waits in its queue like one over its concurrency.
// Hand-ahead: with every slot busy, the call whose turn is next may be sent to a thread computing
// a short call of its function, to start there the moment that one ends (hand-ahead.ts).
import { Admission } from './admission.js';
import { FairQueue } from './fair-queue.js';
import { HandAhead } from './hand-ahead.js';
import { HostRequestRelay } from './host-request-relay.js';
import { defaultMemoryBudgetMb } from './memory-budget.js';
import {
  defaultMaxQueuedPerFunction,
  defaultMaxResponseBytes,
  defaultMaxWaitingThreads,
  defaultWorkerHeapMb,
  handAheadMaxCallMs,
  handAheadWithinMs,
  type InvokeOptions,
  type WorkerPoolOptions,
  type WorkerReplaceCause,
} from './worker-pool-options.js';
import type { GuestCall } from './guest-call.js';
import { instanceKey } from './instance-policy.js';
import type { InvocationResult } from './outcome.js';
import { isPending, type Pending, type Slot, type Turn } from './pool-slot.js';
import { PoolThreads } from './pool-threads.js';
import { StuckWatch, stuckFunctions } from './stuck-guests.js';
import type { RunnableFunction } from './runnable-function.js';
import type { FromWorker, InvokeMessage, ResultMessage } from './worker-protocol.js';

export * from './worker-pool-options.js';

export class WorkerPool {
  readonly #options: Required<Omit<WorkerPoolOptions, 'onWorkerReplaced' | 'hostRequests' | 'memoryBudgetMb'>> & Pick<WorkerPoolOptions, 'onWorkerReplaced' | 'hostRequests'>;
  /** The threads, their spares and their idle sweep (pool-threads.ts). */
  readonly #threads: PoolThreads;
  /** A running call's host requests and streamed response (host-request-relay.ts). */
  readonly #hostRequests: HostRequestRelay;
  /** Per-function FIFOs served round-robin; a resuming invocation goes ahead of its own function's new ones. */
  readonly #queue = new FairQueue<Turn>();
  /** May a call start now: breakers, concurrency, memory budget, compute quota, shares (admission.ts). */
  readonly #admission: Admission;
  /** Re-runs the pump when a long-running function's compute balance turns positive again. */
  #quotaTimer: NodeJS.Timeout | undefined;
  /** Re-runs the pump when the earliest computing guest becomes stuck (it may lend an overflow slot then). */
  readonly #stuckWatch = new StuckWatch(() => this.#pump());
  #computing = 0;
  /** Resumes waiting for a slot (no hand-ahead while any wait). */
  #resumesQueued = 0;
  readonly #handAhead: HandAhead;
  #nextId = 1;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`worker pool size must be a positive integer, got ${options.size}`);
    this.#options = {
      size: options.size,
      maxWaitingThreads: options.maxWaitingThreads ?? defaultMaxWaitingThreads,
      maxQueuedPerFunction: options.maxQueuedPerFunction ?? defaultMaxQueuedPerFunction,
      maxResponseBytes: options.maxResponseBytes ?? defaultMaxResponseBytes,
      workerHeapMb: options.workerHeapMb ?? defaultWorkerHeapMb,
      preInstantiate: options.preInstantiate ?? true,
      handAheadMaxCallMs: options.handAheadMaxCallMs ?? handAheadMaxCallMs,
      handAheadWithinMs: options.handAheadWithinMs ?? handAheadWithinMs,
      hostRequests: options.hostRequests,
      onWorkerReplaced: options.onWorkerReplaced,
    };
    this.#admission = new Admission({ slots: options.size, memoryBudgetMb: options.memoryBudgetMb ?? defaultMemoryBudgetMb(), maxQueuedPerFunction: this.#options.maxQueuedPerFunction });
    this.#hostRequests = new HostRequestRelay(this.#options.hostRequests, (slot) => this.#queueResume(slot));
    this.#threads = new PoolThreads({
      size: this.#options.size,
      maxWaitingThreads: this.#options.maxWaitingThreads,
      preInstantiate: this.#options.preInstantiate,
      workerHeapMb: this.#options.workerHeapMb,
      closed: () => this.#closed,
      onMessage: (slot, message) => this.#onMessage(slot, message),
      onDied: (slot, reason) => this.#onWorkerDied(slot, reason),
    });
    this.#handAhead = new HandAhead(
      {
        slots: this.#threads.slots,
        queue: this.#queue,
        admission: this.#admission,
        saturated: () => this.#computing >= this.#options.size && this.#resumesQueued === 0,
        mayStart: (pending) => this.#mayStart(pending),
        invokeMessage: (slot, pending) => this.#invokeMessage(slot, pending),
        requeue: (pending) => this.#requeue(pending),
        finish: (pending, result) => this.#finish(pending, result),
      },
      { maxCallMs: this.#options.handAheadMaxCallMs, withinMs: this.#options.handAheadWithinMs },
    );
  }

  /** Compute slots. */
  get size(): number {
    return this.#options.size;
  }

  /** The host memory budget and what running invocations reserve of it now. */
  get memory(): { readonly budgetMb: number; readonly reservedMb: number; readonly peakMb: number; readonly refused: number } {
    const { budgetMb, reservedMb, peakMb, refused } = this.#admission.memory;
    return { budgetMb, reservedMb, peakMb, refused };
  }

  /** Calls handed ahead to a busy thread so far, and how many of them were taken back unstarted. */
  get handAhead(): { readonly handed: number; readonly takenBack: number } {
    return this.#handAhead.totals;
  }

  /** Threads running now (computing, waiting or idle), the spare not counted. */
  get threads(): number {
    return this.#threads.slots.length;
  }

  /**
   * Runs `call` on a fresh instance of `fn` (or a reused one, per `fn.instanceReuse`). Never
   * rejects: failures are outcomes. With `stream`, a wasi:http guest's response goes there as it
   * is written and the result's response body is empty (`streamed`).
   */
  invoke(fn: RunnableFunction, call: GuestCall, options: InvokeOptions = {}): Promise<InvocationResult> {
    if (this.#closed) return Promise.resolve({ outcome: { kind: 'overloaded' }, logs: [] });
    const refused = this.#admission.refusal(fn, options, () => this.#canStartNow(), this.#retryIn);
    if (refused) return Promise.resolve({ outcome: refused, logs: [] });
    const { stream } = options;
    const background = options.lane === 'background';
    const effectiveCall: GuestCall = stream && call.kind === 'http' ? { ...call, streamResponse: true } : call;
    return new Promise((resolve) => {
      const pending: Pending = {
        id: this.#nextId++,
        functionName: fn.name,
        fn,
        call: effectiveCall,
        stream,
        background,
        resolve,
        scope: { functionName: fn.name, versionKey: fn.versionKey, grants: fn, deadlineAt: performance.now() + fn.timeoutMs, state: new Map(), trace: options.trace },
        requests: new Map(),
        trace: options.trace,
        queuedAt: performance.now(),
        computedMs: 0,
        responseBytes: 0,
      };
      pending.timer = setTimeout(() => this.#expire(pending), fn.timeoutMs);
      this.#queue.push(pending);
      this.#admission.counts.queued(pending, 1);
      this.#admission.quota.arrived(fn.name, performance.now());
      this.#pump();
    });
  }

  /** Every thread drops the code loaded under `codeKey` (superseded: compile/code-cache.ts); a call still made with it loads it again. */
  forgetCode(codeKey: string): void {
    for (const slot of this.#threads.slots) slot.thread.loaded.delete(codeKey);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const turn of this.#queue.drain()) if (isPending(turn)) this.#finish(turn, { outcome: { kind: 'overloaded' }, logs: [] });
    this.#admission.counts.clearQueued();
    this.#stuckWatch.stop();
    if (this.#quotaTimer) clearTimeout(this.#quotaTimer);
    const slots = this.#threads.close();
    for (const slot of slots) {
      if (slot.running) this.#finish(slot.running, { outcome: { kind: 'overloaded' }, logs: [] });
      for (const handed of slot.handed) this.#finish(handed, { outcome: { kind: 'overloaded' }, logs: [] });
      if (slot.wakeTimer) clearTimeout(slot.wakeTimer);
    }
    await Promise.all(slots.map((slot) => slot.thread.terminate()));
  }

  #canStartNow(): boolean {
    return this.#computing < this.#options.size && (this.#threads.slots.some((slot) => slot.state === 'idle') || this.#threads.slots.length < this.#threads.maxThreads);
  }

  /** Hands free compute slots out round-robin by function; within one, resuming invocations first. */
  #pump(): void {
    for (;;) {
      if (this.#queue.size === 0) break;
      const overflow = this.#computing >= this.#options.size;
      // Past the slots, only a stuck guest's slot is lent, and only to a function that is not stuck
      // (looked for only then: the common case, a free slot, scans no threads).
      const stuck = overflow ? stuckFunctions(this.#threads.slots, performance.now()) : undefined;
      if (stuck && this.#computing >= this.#options.size + stuck.count) break;
      const next = this.#queue.pick((turn) => !stuck?.functions.has(turn.functionName) && (!isPending(turn) || this.#mayStart(turn)));
      if (!next) break;
      if (!isPending(next)) {
        this.#queue.take(next);
        this.#wakeUp(next.slot);
        continue;
      }
      const slot = this.#threads.idleSlotFor(next.fn) ?? this.#threads.addSlot();
      if (!slot) break;
      this.#queue.take(next);
      this.#admission.counts.queued(next, -1);
      this.#dispatch(slot, next);
    }
    this.#handAhead.pass();
    this.#watchForStuck();
  }

  /** `running` has ended: the first call handed ahead is now the one computing on `slot`. */
  #promoteHanded(slot: Slot): void {
    const next = this.#handAhead.next(slot);
    if (!next) return;
    slot.running = next;
    next.trace?.dispatched();
    next.queueWaitMs = performance.now() - next.queuedAt;
    this.#startComputing(slot);
    // Started before its deadline passed, and now past it: only terminating the thread stops it.
    if (next.expired) this.#replace(slot, `deadline of ${next.fn.timeoutMs} ms expired in ${next.fn.name}`, 'timeout');
  }

  #requeue(pending: Pending): void {
    this.#queue.pushFront(pending);
    this.#admission.counts.queued(pending, 1);
  }

  /** May `pending` start now, a slot being free (admission.ts)? */
  #mayStart(pending: Pending): boolean {
    return this.#admission.mayStart(pending, this.#retryIn);
  }

  /** Admission holds a call back for `ms` (its compute quota): pump again then. */
  readonly #retryIn = (ms: number): void => this.#pumpIn(ms);

  /** Pumps again in `ms` (the earliest such timer wins; a later one is not needed). */
  #pumpIn(ms: number): void {
    if (this.#quotaTimer) return;
    this.#quotaTimer = setTimeout(() => {
      this.#quotaTimer = undefined;
      this.#pump();
    }, ms);
    this.#quotaTimer.unref();
  }

  /** With work queued and every slot busy, pump again when the earliest computing guest turns stuck. */
  #watchForStuck(): void {
    if (this.#queue.size > 0 && this.#computing >= this.#options.size) this.#stuckWatch.watch(this.#threads.slots);
  }

  #dispatch(slot: Slot, pending: Pending): void {
    pending.trace?.dispatched();
    slot.running = pending;
    pending.queueWaitMs = performance.now() - pending.queuedAt;
    this.#startComputing(slot);
    this.#admission.tookThread(pending);
    pending.slot = slot;
    this.#send(slot, pending);
  }

  /** Posts `pending` to `slot`'s thread, with its code and grants when the thread lacks them. */
  #send(slot: Slot, pending: Pending): void {
    slot.thread.post(this.#invokeMessage(slot, pending));
  }

  /** The message that runs `pending` on `slot`'s thread (its `seq` taken now: messages go in this order). */
  #invokeMessage(slot: Slot, pending: Pending): InvokeMessage {
    const message = slot.thread.invokeMessage(pending.id, pending.fn, pending.call, this.#options.maxResponseBytes);
    pending.seq = message.seq;
    return message;
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'result':
        return this.#onResult(slot, message);
      case 'host-request':
        return this.#hostRequests.start(slot, message.id, message.request);
      case 'host-cancel':
        return this.#hostRequests.cancel(slot, message.id);
      case 'blocked':
        return this.#onBlocked(slot, message.delivered, message.wakeInMs);
      case 'response':
        return this.#hostRequests.response(slot, message.message);
    }
  }

  #onResult(slot: Slot, message: ResultMessage): void {
    const pending = slot.running;
    if (!pending || pending.id !== message.id) return; // a late answer for an invocation that already timed out
    const { outcome, timings } = message.result;
    if (outcome.kind === 'ok') pending.responseBytes += outcome.response.body.byteLength;
    if (timings) pending.workerMs = (timings.instantiateMicros + timings.callMicros) / 1000;
    this.#release(slot);
    this.#admission.breakers.record(pending.functionName, false);
    const key = instanceKey(pending.fn.name, pending.fn.codeKey);
    if (message.ready) slot.thread.ready.set(key, true);
    else slot.thread.ready.delete(key);
    this.#promoteHanded(slot);
    this.#finish(pending, pending.queueWaitMs === undefined ? message.result : { ...message.result, queueWaitMs: pending.queueWaitMs });
    this.#pump();
  }

  #onBlocked(slot: Slot, delivered: number, wakeInMs: number | undefined): void {
    if (!slot.running || slot.state !== 'computing') return;
    this.#stopComputing(slot);
    slot.state = 'blocked';
    this.#handAhead.takeBack(slot); // it would wait behind a waiting guest
    if (delivered < slot.eventsSent || wakeInMs === 0) this.#queueResume(slot);
    else if (wakeInMs !== undefined) slot.wakeTimer = setTimeout(() => this.#queueResume(slot), Math.ceil(wakeInMs));
    this.#pump();
  }

  #queueResume(slot: Slot): void {
    if (slot.resumeEntry || slot.state !== 'blocked' || !slot.running) return;
    if (slot.wakeTimer) clearTimeout(slot.wakeTimer);
    slot.wakeTimer = undefined;
    // The next slot that frees goes to the resume, not to a call handed ahead.
    this.#handAhead.takeBackAll();
    slot.resumeEntry = { functionName: slot.running.functionName, slot };
    this.#resumesQueued++;
    this.#queue.pushFront(slot.resumeEntry);
    this.#pump();
  }

  #wakeUp(slot: Slot): void {
    slot.resumeEntry = undefined;
    this.#resumesQueued--;
    this.#startComputing(slot);
    slot.thread.wake();
  }

  #startComputing(slot: Slot): void {
    slot.state = 'computing';
    slot.computingSince = performance.now();
    this.#computing++;
    if (slot.running) {
      this.#admission.counts.computing(slot.running, 1);
      this.#admission.quota.started(slot.running.functionName, slot.computingSince);
    }
  }

  #stopComputing(slot: Slot): void {
    this.#computing--;
    const running = slot.running;
    if (!running) return;
    this.#admission.counts.computing(running, -1);
    const now = performance.now();
    const computedMs = now - slot.computingSince;
    running.computedMs += computedMs;
    // Slots go to the function that used the least compute lately (fair-queue.ts).
    this.#queue.charge(running.functionName, computedMs);
    this.#admission.quota.stopped(running.functionName, now);
  }

  /** The slot's invocation is over (answered, expired, or its worker died): its compute slot and requests go. */
  #release(slot: Slot): void {
    const pending = slot.running;
    if (slot.state === 'computing') this.#stopComputing(slot);
    if (pending) {
      this.#admission.leftThread(pending);
      // The worker's own timing, when it answered: the main thread's view adds its message delays
      // (ms on a busy host) and would make a short function look long. A call that waited counts
      // only its computing spells, so the smaller of the two is the call's compute.
      const computedMs = Math.min(pending.computedMs, pending.workerMs ?? Infinity);
      this.#admission.quota.callEnded(pending.functionName, computedMs, performance.now(), pending.responseBytes);
    }
    if (slot.wakeTimer) clearTimeout(slot.wakeTimer);
    if (slot.resumeEntry && this.#queue.remove(slot.resumeEntry)) this.#resumesQueued--;
    slot.state = 'idle';
    slot.running = undefined;
    slot.resumeEntry = undefined;
    slot.wakeTimer = undefined;
    slot.idleSince = performance.now();
    if (pending) {
      for (const cancel of pending.requests.values()) cancel();
      pending.requests.clear();
    }
  }

  #expire(pending: Pending): void {
    pending.timer = undefined;
    const result: InvocationResult = { outcome: { kind: 'timeout', timeoutMs: pending.fn.timeoutMs }, logs: [] };
    if (this.#queue.remove(pending)) {
      this.#admission.counts.queued(pending, -1);
      this.#finish(pending, result);
      this.#pump(); // its function's place in the rotation may have changed
      return;
    }
    // Handed ahead: its caller has the timeout now (hand-ahead.ts says when it leaves its thread).
    if (this.#handAhead.expire(pending, result)) {
      this.#pump();
      return;
    }
    const slot = pending.slot;
    if (slot && slot.running === pending) {
      this.#admission.breakers.record(pending.functionName, true);
      this.#finish(pending, result);
      this.#replace(slot, `deadline of ${pending.fn.timeoutMs} ms expired in ${pending.fn.name}`, 'timeout');
    }
  }

  #onWorkerDied(slot: Slot, reason: string): void {
    if (this.#closed) return;
    if (this.#threads.replaceSpare(slot)) return; // a spare that died idle is simply replaced
    if (!this.#threads.slots.includes(slot)) return;
    const pending = slot.running;
    if (pending) {
      this.#admission.breakers.record(pending.functionName, true);
      this.#finish(pending, { outcome: { kind: 'trap', message: reason }, logs: [] });
    }
    this.#replace(slot, reason, 'crash');
  }

  /** Terminates `slot`'s worker; a baseline thread is replaced by the spare, an extra one just goes. */
  #replace(slot: Slot, reason: string, cause: WorkerReplaceCause): void {
    const index = this.#threads.slots.indexOf(slot);
    if (index < 0) return;
    this.#release(slot);
    this.#handAhead.takeBack(slot, true);
    void slot.thread.terminate();
    if (this.#closed) return;
    if (this.#threads.slots.length > this.#options.size) this.#threads.slots.splice(index, 1);
    else this.#threads.slots[index] = this.#threads.takeSpare();
    this.#options.onWorkerReplaced?.(reason, cause);
    this.#pump();
  }


  #finish(pending: Pending, result: InvocationResult): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = undefined;
    pending.slot = undefined;
    pending.resolve(result);
  }
}
