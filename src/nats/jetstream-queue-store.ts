// The QueueStore on NATS JetStream, shared by every host of a cluster:
// - a queue is a work-queue stream (`wasmlet_q_<queue>`, subject `wasmlet.q.<queue>`), with
//   `duplicate_window` as the dedupe window of message ids (Nats-Msg-Id = the message id);
// - its one durable pull consumer (`wasmlet`) leases: `ack_wait` is the visibility timeout;
// - retry = a delayed negative ack; dead-lettering = publish to the dead-letter queue, then TERM;
// - a delayed send carries `Wasmlet-Not-Before` and is put back with a delayed nak when fetched early.
// - a queue's quota is its stream's limits (`max_msgs`, `max_bytes`, discard-new): a refused publish is `queue_full`.
// - the messages of one send (and of `publish`, per queue) are one atomic batch (`allow_atomic`,
//   jetstream-batch-publish.ts): all stored or none, per 1,000 messages (the server's batch limit).
// Nothing spans streams: settle publishes what a handler sent one by one before it acks (the outbox,
// stated in docs/queues.md). Per-message state the
// stream cannot hold (the last retry error, deliveries spent waiting for a delay) lives in a KV bucket.
// The streams and consumers are jetstream-queue-streams.ts, publishing jetstream-queue-publisher.ts,
// a message's headers jetstream-message-headers.ts.
import { ackResultOf } from '../queue/ack-result.js';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { WasmletError } from '../errors/wasmlet-error.js';
import { systemClock, type Clock } from '../queue/clock.js';
import type { QueueQuota } from '../queue/queue-quota.js';
import { clipError, parseLimit, parseListOptions, parseMessages, parseQueueName, parseReceiveOptions, parseRetryOptions, type ParsedMessage } from '../queue/queue-input.js';
import type {
  AckResult, LeasedMessage, ListOptions, OutgoingMessage, QueuedMessage, QueueStats, QueueStore, ReceiveOptions, RetryOptions, SettleResult, Settlement, StoredMessage,
} from '../queue/queue-store.js';
import { queueOfStream, queueStream, queueSubjectPrefix, decodeName } from './jetstream-names.js';
import { defaultDuplicateWindowMs } from './nats-options.js';
import { outboxOrigin, parseAckSubject, parseReceiptHandle, receiptHandleOf, streamOfAck, type Lease } from './jetstream-delivery.js';
import { natsError, notFoundAsUndefined } from './jetstream-errors.js';
import { kvmOf } from './jetstream-clients.js';
import { header, parseAttributes } from './jetstream-message-headers.js';
import { QueuePublisher } from './jetstream-queue-publisher.js';
import { nanosPerMs, pullTimeoutMs, QueueStreams } from './jetstream-queue-streams.js';

export interface JetStreamQueueStoreOptions {
  readonly connection: NatsConnection;
  readonly clock?: Clock;
  /** Stream replicas: 3 in a cluster, 1 on one server. */
  readonly replicas?: number;
  readonly duplicateWindowMs?: number;
  /** Told which queues received messages — from any host (a core subscription sees every publish). */
  readonly onSent?: (queues: ReadonlySet<string>) => void;
  /**
   * Each queue's quota, as its stream's limits with discard-new: the server refuses a publish over
   * them, which a send reports as `queue_full`. Messages default to the embedded store's quota;
   * bytes are limited only when given, because JetStream reserves a stream's `max_bytes` from the
   * server's storage when it creates the stream (a default of 1 GiB per queue would refuse streams
   * once the reservations outgrow the disk). Bytes count what the stream stores: body, headers, subject.
   */
  readonly quota?: Partial<QueueQuota> | undefined;
}

/** While messages are leased or waiting out a delay, an idle consumer looks this often (their return is not published). */
const pendingPollMs = 1_000;
/** Receipt handles settled here, remembered so a second verdict on one is reported stale. */
const settledMemory = 10_000;

interface MessageMeta {
  lastError?: string;
  /** Deliveries spent on fetching a delayed message early (not attempts). */
  deferrals?: number;
}

export class JetStreamQueueStore implements QueueStore {
  readonly #nc: NatsConnection;
  readonly #clock: Clock;
  readonly #replicas: number;
  readonly #onSent: ((queues: ReadonlySet<string>) => void) | undefined;
  /** Each queue's stream and consumer (jetstream-queue-streams.ts). */
  readonly #streams: QueueStreams;
  readonly #publisher: QueuePublisher;
  readonly #settled = new Set<string>();
  #meta: Promise<KV> | undefined;
  #subscription: Subscription | undefined;

  constructor(options: JetStreamQueueStoreOptions) {
    this.#nc = options.connection;
    this.#clock = options.clock ?? systemClock;
    this.#replicas = options.replicas ?? 1;
    this.#onSent = options.onSent;
    this.#streams = new QueueStreams({
      connection: this.#nc, replicas: this.#replicas, duplicateWindowMs: options.duplicateWindowMs ?? defaultDuplicateWindowMs, quota: options.quota,
    });
    this.#publisher = new QueuePublisher(this.#nc, this.#streams);
    if (this.#onSent) this.#subscription = this.#watchSends(this.#onSent);
  }

  async send(queue: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    parseQueueName(queue);
    const now = this.#clock.now();
    const parsed = parseMessages(messages, now);
    await this.#publisher.publishAll(parsed.map((message) => ({ queue, message, msgId: message.id })), now);
    return parsed.map((m) => m.id);
  }

  async receive(queue: string, options: ReceiveOptions): Promise<LeasedMessage[]> {
    parseQueueName(queue);
    const { max, visibilityTimeoutMs } = parseReceiveOptions(options);
    await this.#streams.consumer(queue, visibilityTimeoutMs);
    // The lease is taken to start before the pull: this host never counts a lease as still held
    // after the server has begun to redeliver it.
    const leasedAt = this.#clock.now();
    const received = await this.#streams.pullReady(queue, max);
    const now = this.#clock.now();
    const leased: LeasedMessage[] = [];
    for (const msg of received) {
      const delivery = parseAckSubject(msg.reply!);
      const h = msg.headers;
      const notBefore = Number(h?.get(header.notBefore) || 0);
      const meta = delivery.delivered > 1 ? await this.#readMeta(queue, delivery.streamSeq) : {};
      if (notBefore > now) {
        // Fetched before its delay has passed: back until then (counted, so it is not an attempt).
        await this.#writeMeta(queue, delivery.streamSeq, { ...meta, deferrals: (meta.deferrals ?? 0) + 1 });
        this.#nc.publish(msg.reply!, `-NAK ${JSON.stringify({ delay: (notBefore - now) * nanosPerMs })}`);
        continue;
      }
      leased.push({
        id: h?.get(header.id) || String(delivery.streamSeq),
        body: msg.data,
        attributes: parseAttributes(h),
        attempt: Number(h?.get(header.priorAttempts) || 0) + delivery.delivered - (meta.deferrals ?? 0),
        enqueuedAt: Number(h?.get(header.enqueuedAt) || 0),
        lastError: meta.lastError ?? (h?.get(header.lastError) || null),
        receiptHandle: receiptHandleOf({ reply: msg.reply!, expiresAt: leasedAt + visibilityTimeoutMs }),
      });
    }
    return leased;
  }

  async ack(queue: string, receiptHandles: readonly string[]): Promise<AckResult> {
    if (!Array.isArray(receiptHandles)) throw new WasmletError('bad_request', 'receiptHandles: not an array');
    const { stale } = await this.settle(queue, { ack: receiptHandles });
    return ackResultOf(receiptHandles, stale);
  }

  async retry(queue: string, receiptHandle: string, options: RetryOptions): Promise<boolean> {
    const { stale } = await this.settle(queue, { retry: [{ receiptHandle, ...options }] });
    return stale.length === 0;
  }

  async deadLetter(queue: string, receiptHandle: string, deadLetterQueue: string, reason: string): Promise<boolean> {
    const { stale } = await this.settle(queue, { deadLetter: [{ receiptHandle, queue: deadLetterQueue, reason }] });
    return stale.length === 0;
  }

  /**
   * Publishes first, then applies the verdicts (JetStream has no transaction spanning both): a crash
   * in between redelivers the batch, and its handler's messages are published again under the same
   * derived message ids, which the streams drop within their duplicate window.
   */
  async settle(queue: string, settlement: Settlement): Promise<SettleResult> {
    parseQueueName(queue);
    const now = this.#clock.now();
    const publish = parsePublish(settlement.publish ?? [], now);
    const retries = (settlement.retry ?? []).map((r) => ({ handle: r.receiptHandle, ...parseRetryOptions(r) }));
    const deadLetters = (settlement.deadLetter ?? []).map((d) => {
      parseQueueName(d.queue, 'deadLetter.queue');
      if (d.queue === queue) throw new WasmletError('bad_request', `deadLetter.queue: "${queue}" is the queue itself`);
      return { handle: d.receiptHandle, queue: d.queue, reason: clipError(d.reason) };
    });
    const handles = [...(settlement.ack ?? []), ...retries.map((r) => r.handle), ...deadLetters.map((d) => d.handle)];
    const origin = outboxOrigin(handles);
    // One by one, not as batches: the derived ids already make a redelivered settlement drop its
    // copies, and with batches the two-host kill test (test/e2e/nats-two-hosts.test.ts) left a
    // redelivered batch unsettled in 2 of 5 runs (cause not found yet).
    await this.#publisher.publishEach(publish.map((p, i) => ({ ...p, msgId: origin === undefined ? p.message.id : `${origin}.${i}` })), now);

    const stale: string[] = [];
    const current = (handle: string): Lease | undefined => {
      const lease = parseReceiptHandle(handle);
      // A handle from another queue, a lease past its timeout (by this host's clock) or one settled here already: stale.
      if (lease === undefined || streamOfAck(lease.reply) !== queueStream(queue) || lease.expiresAt <= this.#clock.now() || this.#settled.has(handle)) {
        stale.push(handle);
        return undefined;
      }
      this.#remember(handle);
      return lease;
    };
    const verdicts: Promise<unknown>[] = [];
    for (const handle of settlement.ack ?? []) {
      const lease = current(handle);
      if (lease) verdicts.push(this.#reply(lease, '+ACK'));
    }
    for (const r of retries) {
      const lease = current(r.handle);
      if (!lease) continue;
      verdicts.push((async () => {
        const seq = parseAckSubject(lease.reply).streamSeq;
        if (typeof r.error === 'string') await this.#writeMeta(queue, seq, { ...(await this.#readMeta(queue, seq)), lastError: r.error });
        await this.#reply(lease, `-NAK ${JSON.stringify({ delay: r.delayMs * nanosPerMs })}`);
      })());
    }
    for (const d of deadLetters) {
      const lease = current(d.handle);
      if (!lease) continue;
      verdicts.push(this.#moveToDeadLetter(queue, lease, d.queue, d.reason));
    }
    await Promise.all(verdicts);
    return { stale };
  }

  async publish(messages: readonly QueuedMessage[]): Promise<void> {
    const now = this.#clock.now();
    await this.#publisher.publishAll(parsePublish(messages, now).map((p) => ({ ...p, msgId: p.message.id })), now);
  }

  /** Several hosts share the consumers: a restarting host cannot know which leases were its own; they lapse after ack_wait. */
  async releaseAllLeases(): Promise<number> {
    return 0;
  }

  async nextVisibleAt(queue: string): Promise<number | null> {
    parseQueueName(queue);
    const info = await this.#streams.consumerInfo(queue);
    if (info === undefined) return null;
    if (info.num_pending > 0) return this.#clock.now();
    return info.num_ack_pending > 0 ? this.#clock.now() + pendingPollMs : null;
  }

  async queues(): Promise<Array<{ readonly queue: string } & QueueStats>> {
    const jsm = await this.#streams.manager();
    const names: string[] = [];
    for await (const name of jsm.streams.names()) {
      const queue = queueOfStream(name);
      if (queue !== undefined) names.push(queue);
    }
    const out: Array<{ readonly queue: string } & QueueStats> = [];
    for (const queue of names.sort()) {
      const stats = await this.stats(queue);
      if (stats.visible + stats.inFlight + stats.delayed > 0) out.push({ queue, ...stats });
    }
    return out;
  }

  async stats(queue: string): Promise<QueueStats> {
    parseQueueName(queue);
    const jsm = await this.#streams.manager();
    const { stream, info } = await this.#streams.inspect(queue);
    if (stream === undefined || stream.state.messages === 0) return { visible: 0, inFlight: 0, delayed: 0, oldestAgeMs: null };
    const inFlight = info?.num_ack_pending ?? 0;
    const first = await jsm.streams.getMessage(queueStream(queue), { seq: stream.state.first_seq }).catch(notFoundAsUndefined);
    const enqueuedAt = Number(first?.header.get(header.enqueuedAt) || 0) || Date.parse(stream.state.first_ts);
    return {
      visible: Math.max(0, stream.state.messages - inFlight),
      inFlight,
      // A delayed send or retry waits inside the consumer's pending acks: counted as in flight.
      delayed: 0,
      oldestAgeMs: Math.max(0, this.#clock.now() - enqueuedAt),
    };
  }

  async list(queue: string, options: ListOptions): Promise<StoredMessage[]> {
    parseQueueName(queue);
    const { limit } = parseListOptions(options);
    const jsm = await this.#streams.manager();
    const { stream, info } = await this.#streams.inspect(queue);
    if (stream === undefined || stream.state.messages === 0) return [];
    const delivered = info?.delivered.stream_seq ?? 0;
    const out: StoredMessage[] = [];
    for (let seq = stream.state.first_seq; seq <= stream.state.last_seq && out.length < limit; seq++) {
      const stored = await jsm.streams.getMessage(queueStream(queue), { seq }).catch(notFoundAsUndefined);
      if (!stored) continue; // acked (work-queue streams delete on ack)
      const enqueuedAt = Number(stored.header.get(header.enqueuedAt) || 0);
      const notBefore = Number(stored.header.get(header.notBefore) || 0);
      out.push({
        id: stored.header.get(header.id) || String(seq),
        body: stored.data,
        attributes: parseAttributes(stored.header),
        attempt: Number(stored.header.get(header.priorAttempts) || 0),
        enqueuedAt,
        visibleAt: Math.max(enqueuedAt, notBefore),
        lastError: stored.header.get(header.lastError) || null,
        state: seq <= delivered ? 'in-flight' : notBefore > this.#clock.now() ? 'delayed' : 'visible',
      });
    }
    return out;
  }

  async redrive(fromQueue: string, toQueue: string, limit: number): Promise<number> {
    parseQueueName(fromQueue, 'fromQueue');
    parseQueueName(toQueue, 'toQueue');
    if (fromQueue === toQueue) throw new WasmletError('bad_request', `toQueue: "${toQueue}" is fromQueue itself`);
    const max = parseLimit(limit);
    if ((await this.#streams.consumerInfo(fromQueue)) === undefined && !(await this.#streams.streamExists(fromQueue))) return 0;
    await this.#streams.consumer(fromQueue, undefined);
    const taken = await this.#streams.pull(fromQueue, max);
    const now = this.#clock.now();
    for (const msg of taken) {
      const h = msg.headers;
      const seq = parseAckSubject(msg.reply!).streamSeq;
      const meta = await this.#readMeta(fromQueue, seq);
      const id = h?.get(header.id) || String(seq);
      await this.#publisher.publishOne(toQueue, {
        id, body: msg.data, attributesJson: h?.get(header.attributes) || '{}', delayMs: 0,
      } as ParsedMessage, `redrive.${queueStream(fromQueue)}.${seq}`, now, { enqueuedAt: Number(h?.get(header.enqueuedAt) || now), priorAttempts: 0, lastError: meta.lastError ?? (h?.get(header.lastError) || null) });
      await this.#nc.request(msg.reply!, '+ACK', { timeout: pullTimeoutMs });
    }
    return taken.length;
  }

  async close(): Promise<void> {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  async #moveToDeadLetter(queue: string, lease: Lease, deadLetterQueue: string, reason: string): Promise<void> {
    const jsm = await this.#streams.manager();
    const delivery = parseAckSubject(lease.reply);
    const stored = await jsm.streams.getMessage(queueStream(queue), { seq: delivery.streamSeq });
    if (!stored) throw new WasmletError('nats_unavailable', `message ${delivery.streamSeq} of queue ${queue} vanished while leased`);
    const meta = await this.#readMeta(queue, delivery.streamSeq);
    const id = stored.header.get(header.id) || String(delivery.streamSeq);
    const attempt = Number(stored.header.get(header.priorAttempts) || 0) + delivery.delivered - (meta.deferrals ?? 0);
    await this.#streams.stream(deadLetterQueue);
    // Named by the source message (not its id, which a redriven copy shares): dead-lettering it again after a crash here is dropped.
    await this.#publisher.publishOne(deadLetterQueue, { id, body: stored.data, attributesJson: stored.header.get(header.attributes) || '{}', delayMs: 0 }, `dead.${queueStream(queue)}.${delivery.streamSeq}`, this.#clock.now(), {
      enqueuedAt: Number(stored.header.get(header.enqueuedAt) || 0), priorAttempts: attempt, lastError: reason,
    });
    await this.#reply(lease, '+TERM');
  }

  /** Sends an ack-kind verdict and waits until the server has it. */
  async #reply(lease: Lease, verdict: string): Promise<void> {
    try {
      await this.#nc.request(lease.reply, verdict, { timeout: pullTimeoutMs });
    } catch (err) {
      throw natsError('could not settle a message', err);
    }
  }

  #metaBucket(): Promise<KV> {
    this.#meta ??= kvmOf(this.#nc).create('wasmlet_queue_meta', {
      replicas: this.#replicas,
      // Long enough for any backoff; what a message's verdicts left behind goes with it.
      ttl: 7 * 24 * 60 * 60 * 1000,
    });
    return this.#meta;
  }

  async #readMeta(queue: string, seq: number): Promise<MessageMeta> {
    const entry = await (await this.#metaBucket()).get(`${queueStream(queue)}.${seq}`);
    return entry && entry.operation === 'PUT' ? (entry.json() as MessageMeta) : {};
  }

  async #writeMeta(queue: string, seq: number, meta: MessageMeta): Promise<void> {
    await (await this.#metaBucket()).put(`${queueStream(queue)}.${seq}`, JSON.stringify(meta));
  }

  #remember(handle: string): void {
    this.#settled.add(handle);
    if (this.#settled.size > settledMemory) this.#settled.delete(this.#settled.values().next().value!);
  }

  /** Every publish to a queue subject, from any host, wakes that queue's consumer here (coalesced per tick). */
  #watchSends(onSent: (queues: ReadonlySet<string>) => void): Subscription {
    let pending: Set<string> | undefined;
    return this.#nc.subscribe(`${queueSubjectPrefix}*`, {
      callback: (_err, msg) => {
        const queue = decodeName(msg.subject.slice(queueSubjectPrefix.length));
        if (!pending) {
          pending = new Set();
          setImmediate(() => {
            const queues = pending!;
            pending = undefined;
            onSent(queues);
          });
        }
        pending.add(queue);
      },
    });
  }
}

function parsePublish(messages: readonly QueuedMessage[], now: number): Array<{ queue: string; message: ParsedMessage }> {
  if (!Array.isArray(messages)) throw new WasmletError('bad_request', 'publish: not an array');
  return messages.map(({ queue, message }, i) => {
    parseQueueName(queue, `publish[${i}].queue`);
    return { queue, message: parseMessages([message], now)[0]! };
  });
}
