// The scheduler of guest invocations. Two resources are managed apart:
// - compute slots (`size`, about one per core): only this many invocations run guest code at once;
// - threads: a guest waiting on the network (or a timer) blocks its thread (a guest call is
//   synchronous), but gives its compute slot back, so another invocation computes meanwhile on
//   another thread. Threads grow on demand up to `size + maxWaitingThreads` and the extra ones
//   are stopped after a while idle.
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
// a short call of its function, to start there the moment that one ends (see `#handAhead`).
import { isFinalEvent, type HostEvent, type HostRequest, type HostRequestHandler, type InvocationScope, type ResponseStreamMessage } from '../capabilities/host-link.js';
import { defaultInstanceReuse } from '../manifest/manifest-bounds.js';
import { Admission } from './admission.js';
import { FairQueue } from './fair-queue.js';
import { GuestThread } from './guest-thread.js';
import { defaultMemoryBudgetMb } from './memory-budget.js';
import {
  defaultMaxQueuedPerFunction,
  defaultMaxResponseBytes,
  defaultMaxWaitingThreads,
  defaultWorkerHeapMb,
  handAheadDepth,
  handAheadRefillAt,
  handAheadMaxCallMs,
  handAheadWithinMs,
  idleThreadStopMs,
  spareWorkers,
  stuckComputingMs,
  type InvokeOptions,
  type ResponseStream,
  type WorkerPoolOptions,
  type WorkerReplaceCause,
} from './worker-pool-options.js';

export * from './worker-pool-options.js';
import type { PoolTrace } from '../tracing/tracing.js';
import type { GuestCall } from './guest-call.js';
import { instanceKey } from './instance-policy.js';
import type { InvocationResult } from './outcome.js';
import type { RunnableFunction } from './runnable-function.js';
import type { FromWorker, InvokeMessage, ResultMessage } from './worker-protocol.js';

interface Pending {
  readonly id: number;
  readonly functionName: string;
  readonly fn: RunnableFunction;
  readonly call: GuestCall;
  readonly stream: ResponseStream | undefined;
  readonly background: boolean;
  readonly resolve: (result: InvocationResult) => void;
  readonly scope: InvocationScope;
  /** Cancel functions of its host requests under way, by the worker's request id. */
  readonly requests: Map<number, () => void>;
  /** Told when it is dispatched (tracing on only). */
  readonly trace: PoolTrace | undefined;
  timer?: NodeJS.Timeout;
  slot?: Slot;
  /** `performance.now()` when queued; the wait until dispatch goes back in the result (`queueWaitMs`). */
  readonly queuedAt: number;
  queueWaitMs?: number;
  /** Compute time so far (all its computing spells): its function's mean call length. */
  computedMs: number;
  /** Response bytes it sent (streamed chunks and the final body): main-thread work charged to its quota. */
  responseBytes: number;
  /** Instantiation and call as the worker timed them (its result's timings), when it answered. */
  workerMs?: number;
  /** Its `seq` on the thread it was sent to (worker-protocol.ts). */
  seq?: number;
  /** Handed ahead and its deadline passed: its caller has the timeout; it only has to leave its thread. */
  expired?: boolean;
}

type SlotState = 'idle' | 'computing' | 'blocked';

/** A blocked invocation ready to compute again: queued with its function, ahead of its new calls. */
interface ResumeEntry {
  readonly functionName: string;
  readonly slot: Slot;
}

/** What waits for a compute slot: a new invocation, or one resuming after a wait. */
type Turn = Pending | ResumeEntry;

/** A thread and what the scheduler knows of it. */
interface Slot {
  readonly thread: GuestThread;
  state: SlotState;
  running: Pending | undefined;
  /** `performance.now()` when it last started computing (dispatch or wake-up). */
  computingSince: number;
  /** Events sent to it (compared with what the worker says it read when it blocks). */
  eventsSent: number;
  /** Blocked, its event (or timer) came, and it waits in the queue for a compute slot. */
  resumeEntry: ResumeEntry | undefined;
  wakeTimer: NodeJS.Timeout | undefined;
  idleSince: number;
  /** Sent to this thread to start, in order, when `running` ends (hand-ahead): in flight, not computing yet. */
  readonly handed: Pending[];
}

function isPending(turn: Turn): turn is Pending {
  return 'call' in turn;
}

export class WorkerPool {
  readonly #options: Required<Omit<WorkerPoolOptions, 'onWorkerReplaced' | 'hostRequests' | 'memoryBudgetMb'>> & Pick<WorkerPoolOptions, 'onWorkerReplaced' | 'hostRequests'>;
  readonly #slots: Slot[] = [];
  /** Booted workers held back to replace a killed one, or to grow, at once; refilled in the background. */
  readonly #spares: Slot[] = [];
  /** Per-function FIFOs served round-robin; a resuming invocation goes ahead of its own function's new ones. */
  readonly #queue = new FairQueue<Turn>();
  /** May a call start now: breakers, concurrency, memory budget, compute quota, shares (admission.ts). */
  readonly #admission: Admission;
  /** Re-runs the pump when a long-running function's compute balance turns positive again. */
  #quotaTimer: NodeJS.Timeout | undefined;
  /** Re-runs the pump when the earliest computing guest becomes stuck (it may lend an overflow slot then). */
  #stuckTimer: NodeJS.Timeout | undefined;
  #computing = 0;
  /** Calls handed ahead now, and resumes waiting for a slot (no hand-ahead while any wait). */
  #handedCount = 0;
  #resumesQueued = 0;
  /** Calls handed ahead so far, and those of them taken back before they started. */
  readonly #handAheadTotals = { handed: 0, takenBack: 0 };
  #nextId = 1;
  #closed = false;
  readonly #sweeper: NodeJS.Timeout;

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
    for (let i = 0; i < options.size; i++) this.#slots.push(this.#startSlot());
    for (let i = 0; i < spareWorkers; i++) this.#spares.push(this.#startSlot());
    this.#sweeper = setInterval(() => this.#stopIdleExtraThreads(), idleThreadStopMs / 2).unref();
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
    return { ...this.#handAheadTotals };
  }

  /** Threads running now (computing, waiting or idle), the spare not counted. */
  get threads(): number {
    return this.#slots.length;
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
    for (const slot of this.#slots) slot.thread.loaded.delete(codeKey);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    for (const turn of this.#queue.drain()) if (isPending(turn)) this.#finish(turn, { outcome: { kind: 'overloaded' }, logs: [] });
    this.#admission.counts.clearQueued();
    if (this.#stuckTimer) clearTimeout(this.#stuckTimer);
    if (this.#quotaTimer) clearTimeout(this.#quotaTimer);
    const slots = [...this.#slots, ...this.#spares.splice(0)];
    for (const slot of slots) {
      if (slot.running) this.#finish(slot.running, { outcome: { kind: 'overloaded' }, logs: [] });
      for (const handed of slot.handed) this.#finish(handed, { outcome: { kind: 'overloaded' }, logs: [] });
      if (slot.wakeTimer) clearTimeout(slot.wakeTimer);
    }
    await Promise.all(slots.map((slot) => slot.thread.terminate()));
  }

  #startSlot(): Slot {
    const slot: Slot = {
      thread: new GuestThread(
        { preInstantiate: this.#options.preInstantiate, workerHeapMb: this.#options.workerHeapMb },
        { onMessage: (message) => this.#onMessage(slot, message), onDied: (reason) => this.#onWorkerDied(slot, reason) },
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


  #canStartNow(): boolean {
    return this.#computing < this.#options.size && (this.#slots.some((slot) => slot.state === 'idle') || this.#slots.length < this.#maxThreads);
  }

  get #maxThreads(): number {
    return this.#options.size + this.#options.maxWaitingThreads;
  }

  /** An idle thread, preferably one with a ready instance of `fn` (`peek`: no effect on its recency). */
  #idleSlotFor(fn: RunnableFunction): Slot | undefined {
    const key = instanceKey(fn.name, fn.codeKey);
    let idle: Slot | undefined;
    for (const slot of this.#slots) {
      if (slot.state !== 'idle') continue;
      if (slot.thread.ready.peek(key)) return slot;
      idle ??= slot;
    }
    return idle;
  }

  /** Hands free compute slots out round-robin by function; within one, resuming invocations first. */
  #pump(): void {
    for (;;) {
      if (this.#queue.size === 0) break;
      const overflow = this.#computing >= this.#options.size;
      // Past the slots, only a stuck guest's slot is lent, and only to a function that is not stuck
      // (looked for only then: the common case, a free slot, scans no threads).
      const stuck = overflow ? this.#stuckFunctions(performance.now()) : undefined;
      if (stuck && this.#computing >= this.#options.size + stuck.count) break;
      const next = this.#queue.pick((turn) => !stuck?.functions.has(turn.functionName) && (!isPending(turn) || this.#mayStart(turn)));
      if (!next) break;
      if (!isPending(next)) {
        this.#queue.take(next);
        this.#wakeUp(next.slot);
        continue;
      }
      const slot = this.#idleSlotFor(next.fn) ?? this.#addSlot();
      if (!slot) break;
      this.#queue.take(next);
      this.#admission.counts.queued(next, -1);
      this.#dispatch(slot, next);
    }
    this.#handAhead();
    this.#watchForStuck();
  }

  /**
   * With every compute slot busy, the call whose turn is next is sent now to a thread computing a
   * short call of the same function, and starts there as soon as that one ends: the thread goes from
   * one call to the next without waiting for the main thread to see the result and send more, and is
   * not woken from sleep for each call (profiled at 16 connections on 2 cores: 95 % of calls found
   * their worker asleep, ~1 ms after it had finished). Fairness is kept: it is the fair queue's own
   * pick, committed a few calls early. At most `handAheadDepth` per thread; each counts against its function's shares
   * (concurrency, memory) from the moment it is sent; taken back (if not started) when the call
   * before it waits, so a waiting guest holds no call behind it, and when a blocked call wants to
   * resume, which goes first.
   */
  #handAhead(): void {
    // What this pass hands to each thread goes in one message.
    const batches = new Map<Slot, InvokeMessage[]>();
    this.#fillHandAhead(batches);
    for (const [slot, invocations] of batches) slot.thread.post(invocations.length === 1 ? invocations[0]! : { type: 'invoke-batch', invocations });
  }

  #fillHandAhead(batches: Map<Slot, InvokeMessage[]>): void {
    while (this.#queue.size > 0 && this.#resumesQueued === 0 && this.#handedCount < this.#slots.length * handAheadDepth && this.#computing >= this.#options.size) {
      const next = this.#queue.pick((turn) => isPending(turn) && this.#mayStart(turn));
      if (!next || !isPending(next)) return;
      const slot = this.#slotToHandAhead(next, batches);
      if (!slot) return;
      this.#queue.take(next);
      this.#admission.counts.queued(next, -1);
      this.#admission.tookThread(next);
      next.slot = slot;
      slot.handed.push(next);
      this.#handedCount++;
      this.#handAheadTotals.handed++;
      const batch = batches.get(slot) ?? [];
      batch.push(this.#invokeMessage(slot, next));
      batches.set(slot, batch);
    }
  }

  /**
   * A thread computing a call of `next`'s function in the same lane (so the background share holds
   * when one follows the other), started recently, the function's calls being short; with room,
   * the one with the fewest calls handed to it. A thread is topped up once it is down to one call
   * handed (or while this pass fills it), so calls travel several to a message.
   */
  #slotToHandAhead(next: Pending, batches: ReadonlyMap<Slot, readonly InvokeMessage[]>): Slot | undefined {
    if (!this.#admission.quota.callsShorterThan(next.functionName, this.#options.handAheadMaxCallMs)) return undefined;
    const now = performance.now();
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      const running = slot.running;
      if (slot.state !== 'computing' || slot.handed.length >= handAheadDepth || !running || running.functionName !== next.functionName || running.background !== next.background) continue;
      if (now - slot.computingSince >= this.#options.handAheadWithinMs) continue;
      if (slot.handed.length > handAheadRefillAt && !batches.has(slot)) continue;
      if (!best || slot.handed.length < best.handed.length) best = slot;
    }
    return best;
  }

  /** `running` has ended: the first call handed ahead is now the one computing on `slot` (or leaves it, expired). */
  #promoteHanded(slot: Slot): void {
    const next = slot.handed.shift();
    if (!next) return;
    this.#handedCount--;
    if (next.expired && slot.thread.takeBack(next.seq!, next.seq!)! < next.seq!) {
      this.#dropHanded(next);
      return this.#promoteHanded(slot);
    }
    slot.running = next;
    next.trace?.dispatched();
    next.queueWaitMs = performance.now() - next.queuedAt;
    this.#startComputing(slot);
    // Started before its deadline passed, and now past it: only terminating the thread stops it.
    if (next.expired) this.#replace(slot, `deadline of ${next.fn.timeoutMs} ms expired in ${next.fn.name}`, 'timeout');
  }

  /**
   * Takes back `slot`'s handed calls that have not started, and queues them again at their
   * function's head, in order. `going`: the thread is being stopped; those that had started fail.
   */
  #takeBackHanded(slot: Slot, going = false): void {
    const { handed } = slot;
    if (handed.length === 0) return;
    const startedUpTo = slot.thread.takeBack(handed[0]!.seq!, handed.at(-1)!.seq!, going);
    if (startedUpTo === undefined) return;
    const stays = going ? 0 : handed.findIndex((pending) => pending.seq! > startedUpTo);
    if (stays < 0) return;
    const leaving = handed.splice(stays);
    this.#handedCount -= leaving.length;
    for (let i = leaving.length - 1; i >= 0; i--) {
      const pending = leaving[i]!;
      const started = pending.seq! <= startedUpTo;
      this.#dropHanded(pending, started);
      if (pending.expired) continue;
      if (!started) this.#requeue(pending);
      else this.#finish(pending, { outcome: { kind: 'trap', message: 'its worker was stopped while it ran (another invocation on the thread timed out or crashed it)' }, logs: [] });
    }
  }

  /** A handed call leaves its thread without having computed: its shares go back. */
  #dropHanded(pending: Pending, started = false): void {
    if (!started) this.#handAheadTotals.takenBack++;
    this.#admission.leftThread(pending);
    pending.slot = undefined;
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

  /** Computing slots whose guest has not paused for `stuckComputingMs`, and their functions. */
  #stuckFunctions(now: number): { count: number; functions: Set<string> } {
    const functions = new Set<string>();
    let count = 0;
    for (const slot of this.#slots) {
      if (slot.state !== 'computing' || !slot.running || now - slot.computingSince < stuckComputingMs) continue;
      count++;
      functions.add(slot.running.functionName);
    }
    return { count, functions };
  }

  /** With work queued and every slot busy, pump again when the earliest computing guest turns stuck. */
  #watchForStuck(): void {
    if (this.#stuckTimer || this.#queue.size === 0 || this.#computing < this.#options.size) return;
    let earliest = Infinity;
    for (const slot of this.#slots) if (slot.state === 'computing') earliest = Math.min(earliest, slot.computingSince);
    if (earliest === Infinity) return;
    const dueInMs = Math.max(0, earliest + stuckComputingMs - performance.now()) + 1;
    this.#stuckTimer = setTimeout(() => {
      this.#stuckTimer = undefined;
      this.#pump();
    }, dueInMs);
    this.#stuckTimer.unref();
  }



  /** A new thread for a queued invocation while the others wait (or are stuck); none past the bound. */
  #addSlot(): Slot | undefined {
    if (this.#closed || this.#slots.length >= this.#maxThreads) return undefined;
    const slot = this.#takeSpare();
    this.#slots.push(slot);
    return slot;
  }

  /** A booted spare (one boots in the background to take its place), or a new worker when none is left. */
  #takeSpare(): Slot {
    const spare = this.#spares.shift();
    this.#spares.push(this.#startSlot());
    return spare ?? this.#startSlot();
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
    const { fn, call } = pending;
    pending.seq = slot.thread.nextSeq();
    // `get` marks them recently used: building a later message of the same batch must not evict
    // the code or grants of an earlier one (the eviction would reach the worker before the batch).
    const needsLoad = slot.thread.loaded.get(fn.codeKey) === undefined;
    if (needsLoad) slot.thread.loaded.set(fn.codeKey, true);
    const needsGrants = slot.thread.versions.get(fn.versionKey) === undefined;
    if (needsGrants) slot.thread.versions.set(fn.versionKey, true);
    const message: InvokeMessage = {
      type: 'invoke',
      id: pending.id,
      seq: pending.seq,
      functionName: fn.name,
      codeKey: fn.codeKey,
      versionKey: fn.versionKey,
      instanceReuse: fn.instanceReuse ?? defaultInstanceReuse,
      ...(needsLoad ? { load: { gluePath: fn.gluePath, modules: fn.modules, memories: fn.memories } } : {}),
      ...(needsGrants ? { grants: fn.grants } : {}),
      call,
      maxResponseBytes: this.#options.maxResponseBytes,
    };
    return message;
  }


  #onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'result':
        return this.#onResult(slot, message);
      case 'host-request':
        return this.#onHostRequest(slot, message.id, message.request);
      case 'host-cancel': {
        const cancel = slot.running?.requests.get(message.id);
        slot.running?.requests.delete(message.id);
        cancel?.();
        return;
      }
      case 'blocked':
        return this.#onBlocked(slot, message.delivered, message.wakeInMs);
      case 'response':
        return this.#onResponse(slot, message.message);
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

  #onHostRequest(slot: Slot, id: number, request: HostRequest): void {
    const pending = slot.running;
    if (!pending) return;
    const emit = (event: HostEvent): void => this.#sendEvent(slot, pending, id, event);
    const handler = this.#options.hostRequests;
    if (!handler) {
      emit({ kind: 'fail', code: 'denied', message: 'this host serves no outbound requests' });
      return;
    }
    // Registered before it starts: a request refused at once reports from inside `start`.
    let cancel: (() => void) | undefined;
    pending.requests.set(id, () => cancel?.());
    cancel = handler.start(pending.scope, request, emit);
  }

  #sendEvent(slot: Slot, pending: Pending, id: number, event: HostEvent): void {
    if (slot.running !== pending || !pending.requests.has(id)) return; // over, or cancelled
    if (isFinalEvent(event)) pending.requests.delete(id);
    slot.thread.sendEvent({ id, event });
    slot.eventsSent++;
    if (slot.state === 'blocked') this.#queueResume(slot);
  }

  #onBlocked(slot: Slot, delivered: number, wakeInMs: number | undefined): void {
    if (!slot.running || slot.state !== 'computing') return;
    this.#stopComputing(slot);
    slot.state = 'blocked';
    this.#takeBackHanded(slot); // it would wait behind a waiting guest
    if (delivered < slot.eventsSent || wakeInMs === 0) this.#queueResume(slot);
    else if (wakeInMs !== undefined) slot.wakeTimer = setTimeout(() => this.#queueResume(slot), Math.ceil(wakeInMs));
    this.#pump();
  }

  #queueResume(slot: Slot): void {
    if (slot.resumeEntry || slot.state !== 'blocked' || !slot.running) return;
    if (slot.wakeTimer) clearTimeout(slot.wakeTimer);
    slot.wakeTimer = undefined;
    // The next slot that frees goes to the resume, not to a call handed ahead.
    if (this.#handedCount > 0) for (const other of this.#slots) this.#takeBackHanded(other);
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

  #onResponse(slot: Slot, message: ResponseStreamMessage): void {
    const running = slot.running;
    const stream = running?.stream;
    if (!running || !stream) return;
    if (message.kind === 'response-head') stream.head(message.status, message.headers);
    else {
      running.responseBytes += message.bytes.byteLength;
      stream.chunk(message.bytes);
    }
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
    const slot = pending.slot;
    if (slot && slot.handed.includes(pending)) {
      // Handed ahead: its caller has the timeout now. Next in line and not started, it leaves the
      // thread at once; otherwise when its turn comes there (#promoteHanded), by termination if it
      // started meanwhile.
      pending.expired = true;
      this.#finish(pending, result);
      if (slot.handed[0] === pending && slot.thread.takeBack(pending.seq!, pending.seq!) === pending.seq! - 1) {
        slot.handed.shift();
        this.#handedCount--;
        this.#dropHanded(pending);
      }
      this.#pump();
      return;
    }
    if (slot && slot.running === pending) {
      this.#admission.breakers.record(pending.functionName, true);
      this.#finish(pending, result);
      this.#replace(slot, `deadline of ${pending.fn.timeoutMs} ms expired in ${pending.fn.name}`, 'timeout');
    }
  }

  #onWorkerDied(slot: Slot, reason: string): void {
    if (this.#closed) return;
    const spareAt = this.#spares.indexOf(slot);
    if (spareAt >= 0) {
      this.#spares[spareAt] = this.#startSlot(); // a spare that died idle is simply replaced
      return;
    }
    if (!this.#slots.includes(slot)) return;
    const pending = slot.running;
    if (pending) {
      this.#admission.breakers.record(pending.functionName, true);
      this.#finish(pending, { outcome: { kind: 'trap', message: reason }, logs: [] });
    }
    this.#replace(slot, reason, 'crash');
  }

  /** Terminates `slot`'s worker; a baseline thread is replaced by the spare, an extra one just goes. */
  #replace(slot: Slot, reason: string, cause: WorkerReplaceCause): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    this.#release(slot);
    this.#takeBackHanded(slot, true);
    void slot.thread.terminate();
    if (this.#closed) return;
    if (this.#slots.length > this.#options.size) this.#slots.splice(index, 1);
    else this.#slots[index] = this.#takeSpare();
    this.#options.onWorkerReplaced?.(reason, cause);
    this.#pump();
  }



  #stopIdleExtraThreads(): void {
    const now = performance.now();
    for (const slot of [...this.#slots]) {
      if (this.#slots.length <= this.#options.size) return;
      if (slot.state === 'idle' && now - slot.idleSince >= idleThreadStopMs) {
        this.#slots.splice(this.#slots.indexOf(slot), 1);
        void slot.thread.terminate();
      }
    }
  }

  #finish(pending: Pending, result: InvocationResult): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = undefined;
    pending.slot = undefined;
    pending.resolve(result);
  }
}
