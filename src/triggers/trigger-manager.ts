// Keeps one consumer loop running per queue-driven trigger of the active functions: each
// `[[queue]]`, each `[[object_event]]`, each function's async invocations, each function's
// schedule ticks. `sync` after a deploy, delete or rollback starts what is new, stops what is gone
// and restarts what changed.
import type { InvocationStore } from '../async/invocation-records.js';
import { asyncInvocationHandler } from './async/async-trigger.js';
import { minVisibilityTimeoutMs, visibilityTimeoutFactor } from '../manifest/manifest-bounds.js';
import { asyncQueueName, scheduleQueueName } from '../queue/queue-names.js';
import type { QueueStore } from '../queue/queue-store.js';
import type { ActiveFunction } from '../registry/registry.js';
import { QueuePoller, type BatchHandler, type PollerOptions } from './queue/queue-poller.js';
import { queueTriggerHandler } from './queue/queue-trigger.js';
import type { TriggerDeps } from './queue/trigger-deps.js';
import { scheduleTriggerHandler } from './schedule/schedule-trigger.js';
import type { Scheduler } from './schedule/scheduler.js';

/** Async events of one function run this many at a time (Lambda scales them; one host shares its workers). */
export const asyncConcurrency = 2;

interface Wanted {
  readonly signature: string;
  /** The store this consumer leases from (default the host's queues). */
  readonly store?: QueueStore;
  readonly options: PollerOptions;
  readonly handler: () => BatchHandler;
}

export class TriggerManager {
  readonly #deps: TriggerDeps;
  readonly #invocations: InvocationStore;
  readonly #scheduler: Scheduler;
  /** By key; `owner` is the function the consumer belongs to, so one function's change touches only its own. */
  readonly #running = new Map<string, { readonly signature: string; readonly owner: string; readonly poller: QueuePoller }>();
  /** The same pollers by the queue they consume (one each: deploy refuses a second consumer), for `notify`. */
  readonly #byQueue = new Map<string, QueuePoller>();
  #syncing: Promise<void> = Promise.resolve();

  constructor(deps: TriggerDeps, invocations: InvocationStore, scheduler: Scheduler) {
    this.#deps = deps;
    this.#invocations = invocations;
    this.#scheduler = scheduler;
  }

  /** Brings the running consumers in line with `functions`; calls are applied one after another. */
  sync(functions: readonly ActiveFunction[]): Promise<void> {
    this.#syncing = this.#syncing.then(() => this.#sync(functions));
    return this.#syncing;
  }

  /**
   * Brings the consumers of one function in line with `fn` (undefined: it was deleted). A deploy
   * costs the same at 10,000 functions as at 1: nothing else is looked at.
   */
  syncFunction(name: string, fn: ActiveFunction | undefined): Promise<void> {
    this.#syncing = this.#syncing.then(() => this.#syncFunction(name, fn));
    return this.#syncing;
  }

  /** Messages were sent to these queues: their consumers look now. */
  notify(queues: Iterable<string>): void {
    for (const queue of queues) {
      this.#byQueue.get(queue)?.notify();
    }
  }

  async stop(): Promise<void> {
    await this.#syncing;
    this.#scheduler.stop();
    await Promise.all([...this.#running.values()].map(({ poller }) => poller.stop()));
    this.#running.clear();
    this.#byQueue.clear();
  }

  async #sync(functions: readonly ActiveFunction[]): Promise<void> {
    const wanted = new Map<string, Wanted & { owner: string }>();
    for (const fn of functions) for (const [key, w] of this.#wantedFor(fn)) wanted.set(key, { ...w, owner: fn.name });
    await this.#apply(wanted, () => true);
    await this.#scheduler.sync(functions);
  }

  async #syncFunction(name: string, fn: ActiveFunction | undefined): Promise<void> {
    const wanted = new Map<string, Wanted & { owner: string }>();
    if (fn) for (const [key, w] of this.#wantedFor(fn)) wanted.set(key, { ...w, owner: name });
    await this.#apply(wanted, (owner) => owner === name);
    await this.#scheduler.syncFunction(name, fn);
  }

  /** Stops the running consumers `inScope` that are not wanted as they are, then starts what is missing. */
  async #apply(wanted: ReadonlyMap<string, Wanted & { owner: string }>, inScope: (owner: string) => boolean): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const [key, { signature, owner, poller }] of this.#running) {
      if (!inScope(owner) || wanted.get(key)?.signature === signature) continue;
      this.#running.delete(key);
      if (this.#byQueue.get(poller.queue) === poller) this.#byQueue.delete(poller.queue);
      stopping.push(poller.stop());
    }
    await Promise.all(stopping);
    for (const [key, w] of wanted) {
      if (this.#running.has(key)) continue;
      const poller = new QueuePoller(w.store ?? this.#deps.store, w.options, w.handler(), this.#deps.log, this.#deps.clock);
      this.#running.set(key, { signature: w.signature, owner: w.owner, poller });
      this.#byQueue.set(poller.queue, poller);
      poller.start();
    }
  }

  #wantedFor(fn: ActiveFunction): Array<[string, Wanted]> {
    const { manifest } = fn;
    const handlers = fn.current.handlers ?? ['http'];
    const lease = Math.max(minVisibilityTimeoutMs, manifest.limits.timeoutMs * visibilityTimeoutFactor);
    const wanted: Array<[string, Wanted]> = [];
    for (const spec of manifest.queue) {
      wanted.push([`queue ${spec.queue}`, {
        signature: JSON.stringify([fn.name, spec]),
        options: { queue: spec.queue, batchSize: spec.batchSize, maxBatchWaitMs: spec.maxBatchWaitMs, concurrency: spec.concurrency, visibilityTimeoutMs: spec.visibilityTimeoutMs },
        handler: () => queueTriggerHandler(this.#deps, fn.name, spec),
      }]);
    }
    // Object events come through a host queue per bucket (object-events/object-event-relay.ts fills
    // it) and are handled exactly like a [[queue]] trigger's messages.
    const objectEventDeps = { ...this.#deps, store: this.#deps.objectEventStore ?? this.#deps.store };
    for (const spec of manifest.objectEvent) {
      wanted.push([`object_event ${spec.queue}`, {
        signature: JSON.stringify([fn.name, spec]),
        store: objectEventDeps.store,
        options: { queue: spec.queue, batchSize: spec.batchSize, maxBatchWaitMs: spec.maxBatchWaitMs, concurrency: spec.concurrency, visibilityTimeoutMs: spec.visibilityTimeoutMs },
        handler: () => queueTriggerHandler(objectEventDeps, fn.name, spec),
      }]);
    }
    if (handlers.includes('http')) {
      const queue = asyncQueueName(fn.name);
      wanted.push([`async ${fn.name}`, {
        signature: String(lease),
        options: { queue, batchSize: 1, maxBatchWaitMs: 0, concurrency: asyncConcurrency, visibilityTimeoutMs: lease },
        handler: () => asyncInvocationHandler(this.#deps, this.#invocations, fn.name),
      }]);
    }
    if (manifest.schedule.length > 0) {
      const queue = scheduleQueueName(fn.name);
      wanted.push([`schedule ${fn.name}`, {
        signature: String(lease),
        // One tick at a time, in order: a schedule's runs do not overlap.
        options: { queue, batchSize: 1, maxBatchWaitMs: 0, concurrency: 1, visibilityTimeoutMs: lease },
        handler: () => scheduleTriggerHandler(this.#deps, fn.name),
      }]);
    }
    return wanted;
  }
}
