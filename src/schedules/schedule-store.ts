// The port for schedule state: each schedule's cursor (the last tick fired) and, with several hosts,
// which one fires. Embedded: a table in the queue database, the cursor moved in the same transaction
// as the tick messages (sqlite-schedule-store.ts). JetStream: cursors in a KV bucket updated by
// compare-and-swap, leadership a KV lease with a TTL (nats/jetstream-schedule-store.ts).
import type { OutgoingMessage } from '../queue/queue-store.js';

/** One schedule of one function; `key` identifies its definition (a changed cron starts afresh). */
export interface ScheduleCursor {
  readonly functionName: string;
  readonly name: string;
  readonly key: string;
}

/** What `fire` sends and where the cursor moves to. */
export interface FirePlan {
  /** The tick the cursor records as fired last (epoch ms). */
  readonly last: number;
  /** The tick messages for the schedule queue; each id names its tick, so a tick sent twice is one message. */
  readonly messages: readonly OutgoingMessage[];
}

export interface ScheduleStore {
  /**
   * Whether this host fires ticks now. Embedded: always (one host per data directory). JetStream:
   * while it holds the leadership lease (taken when free or lapsed, renewed while held).
   */
  lead(): Promise<boolean>;
  /**
   * Fires one schedule: `plan` gets the last tick recorded for `cursor` (undefined when the schedule
   * is new or its key changed) and returns what to send; the messages go to `queue` and the cursor
   * moves to `plan.last`. Embedded: one transaction. JetStream: publish (tick ids as Nats-Msg-Id),
   * then compare-and-swap the cursor; a crash in between re-sends ticks the dedupe window drops.
   */
  fire(cursor: ScheduleCursor, queue: string, plan: (last: number | undefined) => FirePlan): Promise<FirePlan>;
  /** Drops the cursors of a deleted function: deployed again, it starts afresh. */
  forget(functionName: string): Promise<void>;
  /** Gives up leadership (if held) so another host takes over at once. */
  close(): Promise<void>;
}
