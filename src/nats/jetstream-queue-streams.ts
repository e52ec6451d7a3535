// Each queue's work-queue stream and its one durable pull consumer on JetStream (jetstream-queue-store.ts):
// made once per host and idempotent across hosts (the quota and atomic batches set again on a stream
// another host, or an older one, made), the consumer's ack_wait kept to the visibility timeout asked,
// their state as inspection reads it, and pulls of what the consumer can deliver now.
import { createInbox, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { setTimeout as delay } from 'node:timers/promises';
import { defaultMaxQueueMessages, type QueueQuota } from '../queue/queue-quota.js';
import { queueConsumer, queueStream, queueSubject } from './jetstream-names.js';
import { natsError, notFoundAsUndefined } from './jetstream-errors.js';
import { managerOf } from './jetstream-clients.js';

/** A stream's limits as the quota asks them (-1: none). */
export interface StreamLimits {
  readonly max_msgs: number;
  readonly max_bytes: number;
  readonly discard: DiscardPolicy;
}

export const nanosPerMs = 1_000_000;
/** A pull that finds fewer messages than asked returns at once (no_wait); this bounds the wait for the server's answer. */
export const pullTimeoutMs = 5_000;
/** Empty pulls looked at again while the consumer reports waiting messages. */
const emptyPullRetries = 5;
/** Reads of a stream still holding acknowledged messages (20 ms apart: about 2 s in all). */
const inspectRetries = 100;

export interface QueueStreamsOptions {
  readonly connection: NatsConnection;
  readonly replicas: number;
  readonly duplicateWindowMs: number;
  readonly quota: Partial<QueueQuota> | undefined;
}

export class QueueStreams {
  readonly #nc: NatsConnection;
  readonly #replicas: number;
  readonly #duplicateWindowMs: number;
  readonly #limits: StreamLimits;
  readonly #streams = new Map<string, Promise<void>>();
  /** The ack_wait each queue's consumer has (as far as this host knows). */
  readonly #consumers = new Map<string, Promise<number>>();
  #jsm: Promise<JetStreamManager> | undefined;

  constructor(options: QueueStreamsOptions) {
    this.#nc = options.connection;
    this.#replicas = options.replicas;
    this.#duplicateWindowMs = options.duplicateWindowMs;
    this.#limits = limitsOf(options.quota);
  }

  /** Each stream's limits (serve's quota), for the messages of a refused publish. */
  get limits(): StreamLimits {
    return this.#limits;
  }

  /** The next `stream(queue)` sets the stream up again (it lost its configuration since). */
  forget(queue: string): void {
    this.#streams.delete(queue);
  }

  /**
   * A pull, looked at again when it came back empty while the consumer says messages are waiting:
   * a consumer just created on a cluster can answer its first pulls before it has caught up.
   */
  async pullReady(queue: string, max: number): Promise<Msg[]> {
    for (let attempt = 0; ; attempt++) {
      const got = await this.pull(queue, max);
      if (got.length > 0 || attempt >= emptyPullRetries) return got;
      if (((await this.consumerInfo(queue))?.num_pending ?? 0) === 0) return got;
      await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)));
    }
  }

  /** Up to `max` messages the consumer can deliver now; returns at once with fewer (no_wait). */
  async pull(queue: string, max: number): Promise<Msg[]> {
    const inbox = createInbox();
    const sub = this.#nc.subscribe(inbox, { timeout: pullTimeoutMs });
    const got: Msg[] = [];
    this.#nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${queueStream(queue)}.${queueConsumer}`, JSON.stringify({ batch: max, no_wait: true }), { reply: inbox });
    try {
      for await (const msg of sub) {
        const status = msg.headers?.code ?? 0;
        if (status >= 100 && !msg.reply) break; // 404 No Messages / 408: the pull is over
        got.push(msg);
        if (got.length >= max) break;
      }
    } catch (err) {
      // The messages already received stay leased until ack_wait: returning them beats dropping them.
      if (got.length === 0) throw natsError(`could not receive from queue ${queue}`, err);
    } finally {
      sub.unsubscribe();
    }
    return got;
  }

  manager(): Promise<JetStreamManager> {
    this.#jsm ??= managerOf(this.#nc);
    return this.#jsm;
  }

  async streamExists(queue: string): Promise<boolean> {
    const jsm = await this.manager();
    return (await jsm.streams.info(queueStream(queue)).catch(notFoundAsUndefined)) !== undefined;
  }

  /** Creates the queue's stream once (idempotent across hosts: the same configuration). */
  stream(queue: string): Promise<void> {
    let made = this.#streams.get(queue);
    if (!made) {
      made = (async () => {
        const jsm = await this.manager();
        const config = {
          name: queueStream(queue),
          subjects: [queueSubject(queue)],
          retention: RetentionPolicy.Workqueue,
          storage: StorageType.File,
          num_replicas: this.#replicas,
          duplicate_window: this.#duplicateWindowMs * nanosPerMs,
          allow_atomic: true,
          ...this.#limits,
        };
        try {
          await jsm.streams.add(config);
        } catch (err) {
          const existing = await jsm.streams.info(queueStream(queue)).catch(notFoundAsUndefined);
          if (existing === undefined) throw natsError(`could not create the stream of queue ${queue}${storageHint(err)}`, err);
          // Made by another host, or before this quota or atomic batches: the limits of the host that set them last hold.
          const { max_msgs, max_bytes, discard, allow_atomic } = existing.config;
          if (max_msgs !== this.#limits.max_msgs || max_bytes !== this.#limits.max_bytes || discard !== this.#limits.discard || allow_atomic !== true) {
            await jsm.streams.update(queueStream(queue), { ...existing.config, allow_atomic: true, ...this.#limits }).catch((update: unknown) => {
              throw natsError(`could not set the quota (and atomic batches) of queue ${queue}${storageHint(update)}`, update);
            });
          }
        }
      })();
      made.catch(() => this.#streams.delete(queue));
      this.#streams.set(queue, made);
    }
    return made;
  }

  /** The queue's durable consumer, with `ack_wait` = the visibility timeout asked for (kept when undefined). */
  async consumer(queue: string, visibilityTimeoutMs: number | undefined): Promise<void> {
    await this.stream(queue);
    const known = this.#consumers.get(queue);
    if (known && (visibilityTimeoutMs === undefined || (await known.catch(() => -1)) === visibilityTimeoutMs)) return;
    const setup = (async () => {
      const jsm = await this.manager();
      const stream = queueStream(queue);
      const existing = await jsm.consumers.info(stream, queueConsumer).catch(notFoundAsUndefined);
      const ackWait = visibilityTimeoutMs ?? (existing?.config.ack_wait ? existing.config.ack_wait / nanosPerMs : 30_000);
      if (existing === undefined) {
        try {
          await jsm.consumers.add(stream, {
            durable_name: queueConsumer,
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            ack_wait: ackWait * nanosPerMs,
            // The trigger counts attempts and dead-letters itself; retries waiting out a backoff stay pending.
            max_deliver: -1,
            max_ack_pending: 100_000,
          });
        } catch (err) {
          if ((await jsm.consumers.info(stream, queueConsumer).catch(notFoundAsUndefined)) === undefined) throw natsError(`could not create the consumer of queue ${queue}`, err);
        }
      } else if (existing.config.ack_wait !== ackWait * nanosPerMs) {
        await jsm.consumers.update(stream, queueConsumer, { ack_wait: ackWait * nanosPerMs });
      }
      return ackWait;
    })();
    this.#consumers.set(queue, setup);
    setup.catch(() => this.#consumers.delete(queue));
    await setup;
  }

  /**
   * The queue's stream and consumer as inspection reads them. On a cluster a work-queue stream
   * removes an acknowledged message a moment after the ack was answered (the consumer's replicas
   * first, then the stream's): until the stream holds no more than the consumer accounts for
   * (undelivered + awaiting ack), it is read again, bounded, so that an ack is seen by the next
   * `stats` or `list` on this host.
   */
  async inspect(queue: string) {
    const jsm = await this.manager();
    for (let attempt = 0; ; attempt++) {
      const stream = await jsm.streams.info(queueStream(queue)).catch(notFoundAsUndefined);
      const info = stream === undefined ? undefined : await this.consumerInfo(queue);
      if (stream === undefined || info === undefined || stream.state.messages <= info.num_pending + info.num_ack_pending || attempt >= inspectRetries) return { stream, info };
      await delay(20);
    }
  }

  async consumerInfo(queue: string) {
    const jsm = await this.manager();
    return jsm.consumers.info(queueStream(queue), queueConsumer).catch(notFoundAsUndefined);
  }
}

function limitsOf(quota: Partial<QueueQuota> | undefined): StreamLimits {
  return {
    max_msgs: quota?.maxMessages ?? defaultMaxQueueMessages,
    max_bytes: quota?.maxBodyBytes ?? -1,
    discard: DiscardPolicy.New,
  };
}

/** What to say when a stream's byte limit cannot be reserved on the server. */
function storageHint(err: unknown): string {
  return /insufficient storage/i.test((err as Error)?.message ?? '') ? ' (--queue-max-bytes is reserved per queue from the JetStream storage of the servers)' : '';
}
