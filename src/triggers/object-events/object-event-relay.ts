// Moves object changes from the object store's outbox to the durable queues of the functions that
// subscribe to them (`[[object_event]]`), so that no acknowledged write ever loses its event:
//
// 1. The object store writes a change to its outbox in the transaction that commits the change,
//    when `wants` says a deployed function subscribes to it (objects.db: the write and its event
//    commit together, or neither does).
// 2. `drain` reads the outbox and, in ONE queues.db transaction, enqueues each event on every
//    matching subscription's queue (message id = event id) and records the event id as relayed.
// 3. Then it acknowledges the events in the outbox, and forgets the relayed ids.
//
// The two files cannot share a transaction (SQLite's multi-file commits are not atomic in WAL
// mode), so a crash can fall between 2 and 3: the events are still in the outbox at the next start
// and are drained again, and the relayed ids make that second pass enqueue nothing. A crash
// between 3 and the forgetting leaves relayed ids of acknowledged events: harmless, they are swept
// when the outbox is next found empty. Net guarantee: every committed change is enqueued exactly
// once per subscription, then delivered at least once (the queue's guarantee).
import type Database from 'better-sqlite3';
import type { ObjectEventSpec } from '../../manifest/manifest.js';
import type { ObjectChange, ObjectEvent, ObjectStore } from '../../objects/object-store.js';
import type { SqliteQueueStore } from '../../queue/sqlite-queue-store.js';
import type { ActiveFunction } from '../../registry/registry.js';
import { objectEventMessage } from './object-event-message.js';

/** Events read from the outbox per pass: one queue transaction each. */
const drainBatchSize = 256;
/** A failing pass (disk full, a locked file) is tried again after this long, not in a hot loop. */
const retryAfterFailureMs = 1_000;

const schema = `
CREATE TABLE IF NOT EXISTS object_events_relayed (
  event_id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
`;

interface Subscription {
  readonly functionName: string;
  readonly spec: ObjectEventSpec;
}

export class ObjectEventRelay {
  readonly #objects: ObjectStore;
  readonly #queues: SqliteQueueStore;
  readonly #db: Database.Database;
  readonly #log: (line: string) => void;
  readonly #sql;
  /** The deployed subscriptions, by bucket (what `wants` looks at inside the store's transaction). */
  readonly #byBucket = new Map<string, Subscription[]>();
  readonly #byFunction = new Map<string, readonly ObjectEventSpec[]>();
  #running: Promise<void> | undefined;
  /** A wake-up arrived while a pass was running: run another (no lost wake-ups). */
  #wanted = false;
  #retry: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(objects: ObjectStore, queues: SqliteQueueStore, log: (line: string) => void) {
    this.#objects = objects;
    this.#queues = queues;
    this.#db = queues.database;
    this.#log = log;
    this.#db.exec(schema);
    this.#sql = {
      relayed: this.#db.prepare('SELECT 1 FROM object_events_relayed WHERE event_id = ?'),
      markRelayed: this.#db.prepare('INSERT OR IGNORE INTO object_events_relayed (event_id) VALUES (?)'),
      forget: this.#db.prepare('DELETE FROM object_events_relayed WHERE event_id = ?'),
      forgetAll: this.#db.prepare('DELETE FROM object_events_relayed'),
    };
  }

  /** Re-reads the subscriptions of every active function. */
  sync(functions: readonly ActiveFunction[]): void {
    this.#byFunction.clear();
    for (const fn of functions) if (fn.manifest.objectEvent.length > 0) this.#byFunction.set(fn.name, fn.manifest.objectEvent);
    this.#index();
  }

  /** Re-reads one function's subscriptions (undefined: it was deleted). */
  syncFunction(name: string, fn: ActiveFunction | undefined): void {
    const specs = fn?.manifest.objectEvent ?? [];
    if (specs.length === 0 && !this.#byFunction.has(name)) return;
    if (specs.length === 0) this.#byFunction.delete(name);
    else this.#byFunction.set(name, specs);
    this.#index();
  }

  /**
   * The object store's `recordEvent`: whether any deployed function subscribes to `change`. Runs
   * inside the store's transaction, so it is synchronous and cheap (one map lookup per write).
   */
  wants(change: ObjectChange): boolean {
    return this.#matching(change).length > 0;
  }

  /** The store's `onEvents`, and the start: relay what the outbox holds. */
  wake(): void {
    this.#wanted = true;
    if (this.#running || this.#stopped) return;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
  }

  /** Relays everything pending now; resolves when the outbox was found empty (or a pass failed: it is logged and retried). */
  async drain(): Promise<void> {
    this.wake();
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.#running;
  }

  async #run(): Promise<void> {
    while (this.#wanted && !this.#stopped) {
      this.#wanted = false;
      try {
        while (!this.#stopped && (await this.#pass())) {
          // another batch
        }
      } catch (err) {
        this.#log(`object events: relaying failed, trying again in ${retryAfterFailureMs} ms: ${err instanceof Error ? err.message : String(err)}`);
        clearTimeout(this.#retry);
        this.#retry = setTimeout(() => this.wake(), retryAfterFailureMs);
        this.#retry.unref();
        return;
      }
    }
  }

  /** One batch through steps 2 and 3; false when the outbox was empty. */
  async #pass(): Promise<boolean> {
    const events = await this.#objects.pendingEvents(drainBatchSize);
    if (events.length === 0) {
      // Nothing pending, and passes never overlap: every relayed id left is an acknowledged event's.
      this.#sql.forgetAll.run();
      return false;
    }
    this.#db
      .transaction(() => {
        for (const event of events) {
          if (this.#sql.relayed.get(event.id)) continue; // enqueued before a crash: not again
          for (const { functionName, spec } of this.#matching(event)) this.#queues.sendWithinTransaction(spec.queue, [objectEventMessage(event, functionName)]);
          this.#sql.markRelayed.run(event.id);
        }
      })
      .immediate();
    const ids = events.map((e) => e.id);
    await this.#objects.ackEvents(ids);
    this.#db.transaction(() => ids.forEach((id) => this.#sql.forget.run(id))).immediate();
    return true;
  }

  #matching(change: ObjectChange | ObjectEvent): Subscription[] {
    const subscriptions = this.#byBucket.get(change.bucket);
    if (!subscriptions) return [];
    return subscriptions.filter(({ spec }) => spec.events.includes(change.kind) && change.key.startsWith(spec.prefix) && change.key.endsWith(spec.suffix));
  }

  #index(): void {
    this.#byBucket.clear();
    for (const [functionName, specs] of this.#byFunction) {
      for (const spec of specs) this.#byBucket.set(spec.bucket, [...(this.#byBucket.get(spec.bucket) ?? []), { functionName, spec }]);
    }
  }
}
