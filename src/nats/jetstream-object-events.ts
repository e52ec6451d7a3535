// The object store's outbox on JetStream: the stream `wasmlet_object_events`, one message per
// recorded change. JetStream cannot commit the object's KV entry and this message together, so the
// event is published right after the commit, under a message id derived from the change (the
// bucket, the key, what happened and the entry's revision): a publish retried after a lost ack is
// dropped as a duplicate, and two hosts never invent two events for one change. A host that dies
// between the commit and the publish loses that one event (see docs/scale-out.md).
//
// Each host publishes under its own subject (`wasmlet.objects.events.<source>`, the source stable
// across its restarts) and relays only its own events, into its own queue database: the relay's
// exactly-once bookkeeping is per host (triggers/object-events/object-event-relay.ts), so two hosts
// relaying one event would run its handler twice.
import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient, type JetStreamManager, type MsgRequest } from '@nats-io/jetstream';
import type { ObjectChange, ObjectEvent } from '../objects/object-store.js';
import { apiTimeoutMs, managerOf } from './jetstream-clients.js';
import { notFoundAsUndefined } from './jetstream-errors.js';

export const objectEventStream = 'wasmlet_object_events';
const objectEventSubjects = 'wasmlet.objects.events.>';
/** As the queues': a publish retried within it is dropped. */
const duplicateWindowNs = 2 * 60 * 1_000_000_000;

export class JetStreamObjectEvents {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  /** Sequences of the events this host listed, by id: what `ack` deletes. */
  readonly #sequences = new Map<string, number>();
  readonly #subject: string;

  private constructor(js: JetStreamClient, jsm: JetStreamManager, source: string) {
    this.#js = js;
    this.#jsm = jsm;
    this.#subject = `wasmlet.objects.events.${source}`;
  }

  /** `source`: this host's token (letters, digits, `-`, `_`). */
  static async open(connection: NatsConnection, replicas: number, source: string): Promise<JetStreamObjectEvents> {
    if (!/^[A-Za-z0-9_-]+$/.test(source)) throw new TypeError(`object event source ${JSON.stringify(source)} must be letters, digits, - or _`);
    const jsm = await managerOf(connection);
    const config = { name: objectEventStream, subjects: [objectEventSubjects], num_replicas: replicas, duplicate_window: duplicateWindowNs, allow_direct: false };
    const existing = await jsm.streams.info(objectEventStream).catch(notFoundAsUndefined);
    if (!existing) await jsm.streams.add(config).catch(async (err: unknown) => {
      if (!(await jsm.streams.info(objectEventStream).catch(notFoundAsUndefined))) throw err; // another host created it first: fine
    });
    return new JetStreamObjectEvents(jetstream(connection, { timeout: apiTimeoutMs }), jsm, source);
  }

  /** Publishes the event of a committed change; `revision` is the KV revision that committed it. */
  async publish(change: ObjectChange, revision: number): Promise<void> {
    const id = eventIdOf(change, revision);
    const event: ObjectEvent = { id, ...change };
    await this.#js.publish(this.#subject, JSON.stringify(event), { msgID: id });
  }

  /** The oldest `limit` events this source published and nobody acknowledged. */
  async pending(limit: number): Promise<ObjectEvent[]> {
    const events: ObjectEvent[] = [];
    let seq = 1;
    while (events.length < limit) {
      const message = await this.#jsm.streams.getMessage(objectEventStream, nextBySubject(seq, this.#subject)).catch(notFoundAsUndefined);
      if (!message) break;
      const event = message.json<ObjectEvent>();
      this.#sequences.set(event.id, message.seq);
      events.push(event);
      seq = message.seq + 1;
    }
    return events;
  }

  /** Deletes the events with these ids; ids this host never listed, or already deleted, are ignored. */
  async ack(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const seq = this.#sequences.get(id);
      if (seq === undefined) continue;
      await this.#jsm.streams.deleteMessage(objectEventStream, seq, false).catch((err: unknown) => {
        if (!/no message found|not found/i.test((err as Error).message ?? '')) throw err;
      });
      this.#sequences.delete(id);
    }
  }
}

/** STREAM.MSG.GET's "first message on the subject from this sequence", which the client's type does not list. */
function nextBySubject(seq: number, subject: string): MsgRequest {
  return { seq, next_by_subj: subject } as unknown as MsgRequest;
}

/**
 * Stable for one change on every host and across restarts, different for any two changes; shaped
 * as a UUID, as the embedded store's ids are (handlers see it in the event).
 */
export function eventIdOf(change: ObjectChange, revision: number): string {
  const hex = createHash('sha256').update(JSON.stringify([change.kind, change.bucket, change.key, revision])).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
