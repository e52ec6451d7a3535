// The ScheduleStore on JetStream. Cursors: a KV bucket, moved by compare-and-swap on the entry's
// revision after the ticks are published (tick ids as Nats-Msg-Id: a tick published twice — a crash
// before the cursor moved, or two hosts in a takeover — is one message within the dedupe window).
// Leadership: a `leader` key in a bucket whose TTL is the lease: created by whoever finds it free,
// renewed by compare-and-swap while held; a dead holder's entry expires and another host creates it.
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { systemClock, type Clock } from '../queue/clock.js';
import type { QueueStore } from '../queue/queue-store.js';
import type { FirePlan, ScheduleCursor, ScheduleStore } from '../schedules/schedule-store.js';
import { kvmOf } from './jetstream-clients.js';

export interface JetStreamScheduleStoreOptions {
  readonly connection: NatsConnection;
  /** The JetStream queue store the ticks go to (the same cluster). */
  readonly queues: QueueStore;
  readonly clock?: Clock;
  readonly replicas?: number;
  /** How long a leader's lease lasts without renewal: how long ticks wait when the leader dies. Default 10 s. */
  readonly leaseMs?: number;
}

export const scheduleBucket = 'wasmlet_schedules';
export const leaderBucket = 'wasmlet_schedule_leader';
const leaderKey = 'leader';
const defaultLeaseMs = 10_000;

export class JetStreamScheduleStore implements ScheduleStore {
  readonly #nc: NatsConnection;
  readonly #queues: QueueStore;
  readonly #clock: Clock;
  readonly #replicas: number;
  readonly #leaseMs: number;
  /** This host in the leader entry. */
  readonly #self = randomUUID();
  #cursors: Promise<KV> | undefined;
  #leader: Promise<KV> | undefined;
  /** The leader entry's revision while this host holds it, and when it last renewed (this host's clock). */
  #held: { revision: number; renewedAt: number } | undefined;

  constructor(options: JetStreamScheduleStoreOptions) {
    this.#nc = options.connection;
    this.#queues = options.queues;
    this.#clock = options.clock ?? systemClock;
    this.#replicas = options.replicas ?? 1;
    this.#leaseMs = options.leaseMs ?? defaultLeaseMs;
  }

  async lead(): Promise<boolean> {
    const now = this.#clock.now();
    // Renewed well within the lease: no round trip on every pass.
    if (this.#held && now - this.#held.renewedAt < this.#leaseMs / 3) return true;
    const kv = await this.#leaderKv();
    if (this.#held) {
      try {
        this.#held = { revision: await kv.update(leaderKey, this.#self, this.#held.revision), renewedAt: now };
        return true;
      } catch {
        this.#held = undefined; // lapsed and taken (or deleted): try to take it afresh below
      }
    }
    try {
      this.#held = { revision: await kv.create(leaderKey, this.#self), renewedAt: now };
      return true;
    } catch {
      return false;
    }
  }

  async fire(cursor: ScheduleCursor, queue: string, plan: (last: number | undefined) => FirePlan): Promise<FirePlan> {
    const kv = await this.#cursorKv();
    const key = cursorKey(cursor.functionName, cursor.name);
    const entry = await kv.get(key);
    const stored = entry && entry.operation === 'PUT' ? (entry.json() as { key: string; last: number }) : undefined;
    const last = stored === undefined || stored.key !== cursor.key ? undefined : stored.last;
    const planned = plan(last);
    if (planned.messages.length > 0) await this.#queues.send(queue, planned.messages);
    if (planned.last !== last) {
      const value = JSON.stringify({ key: cursor.key, last: planned.last });
      try {
        if (entry) await kv.update(key, value, entry.revision);
        else await kv.create(key, value);
      } catch {
        // Another host moved it first (a takeover race): its cursor stands; our ticks were duplicates it dropped.
      }
    }
    return planned;
  }

  async forget(functionName: string): Promise<void> {
    const kv = await this.#cursorKv();
    const keys: string[] = [];
    for await (const key of await kv.keys(`cur.${hex(functionName)}.>`)) keys.push(key);
    for (const key of keys) await kv.purge(key);
  }

  /** Hands leadership over at once (instead of after the lease) when this host held it. */
  async close(): Promise<void> {
    if (!this.#held) return;
    const held = this.#held;
    this.#held = undefined;
    await (await this.#leaderKv()).delete(leaderKey, { previousSeq: held.revision }).catch(() => undefined);
  }

  #cursorKv(): Promise<KV> {
    this.#cursors ??= kvmOf(this.#nc).create(scheduleBucket, { replicas: this.#replicas, history: 1, allow_direct: false });
    this.#cursors.catch(() => (this.#cursors = undefined));
    return this.#cursors;
  }

  #leaderKv(): Promise<KV> {
    this.#leader ??= kvmOf(this.#nc).create(leaderBucket, { replicas: this.#replicas, history: 1, ttl: this.#leaseMs });
    this.#leader.catch(() => (this.#leader = undefined));
    return this.#leader;
  }
}

/** KV keys allow few characters: names as hex. */
function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

function cursorKey(functionName: string, name: string): string {
  return `cur.${hex(functionName)}.${hex(name)}`;
}
