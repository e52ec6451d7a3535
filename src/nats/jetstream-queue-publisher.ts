// Publishing to the queues' streams (jetstream-queue-store.ts): a send's messages as one atomic batch
// per queue and per 1,000 (jetstream-batch-publish.ts), a lone message as a plain publish, a
// settlement's messages one by one in order; a publish the stream's limits refuse is `queue_full`.
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { ParsedMessage } from '../queue/queue-input.js';
import { queueStream, queueSubject } from './jetstream-names.js';
import { natsError, streamLimitOf } from './jetstream-errors.js';
import { retryNoResponders } from './jetstream-clients.js';
import { BatchRefusedError, batchErrors, maxAtomicBatchMessages, publishAtomicBatch, type BatchMessage } from './jetstream-batch-publish.js';
import { headersOf, type Carried } from './jetstream-message-headers.js';
import type { QueueStreams, StreamLimits } from './jetstream-queue-streams.js';

/** How long a publish waits for its stream's ack (an R3 stream mid-election can take seconds). */
const publishTimeoutMs = 30_000;
/** Publishes awaited together when published one by one (their order on the connection is their order in the stream). */
const publishWindow = 256;

export class QueuePublisher {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #streams: QueueStreams;
  readonly #limits: StreamLimits;

  constructor(nc: NatsConnection, streams: QueueStreams) {
    this.#nc = nc;
    this.#js = jetstream(nc);
    this.#streams = streams;
    this.#limits = streams.limits;
  }

  /**
   * Each queue's messages as one atomic batch, in order. More than the server's batch limit (1,000)
   * go as consecutive batches, each all or none: a refusal stops there, leaving the batches before it
   * stored (a send may hold 10,000, the port's limit). The queues' batches go out together: one
   * refused leaves the others stored.
   */
  async publishAll(items: ReadonlyArray<{ queue: string; message: ParsedMessage; msgId: string }>, now: number): Promise<void> {
    const byQueue = new Map<string, BatchMessage[]>();
    for (const item of items) {
      let batch = byQueue.get(item.queue);
      if (!batch) byQueue.set(item.queue, (batch = []));
      batch.push({ body: item.message.body, msgId: item.msgId, headers: headersOf(item.message, now, { enqueuedAt: now, priorAttempts: 0, lastError: null }) });
    }
    // Every queue's batches are finished (stored or refused) before this returns or throws.
    const outcomes = await Promise.allSettled([...byQueue].map(async ([queue, messages]) => {
      await this.#streams.stream(queue);
      for (let start = 0; start < messages.length; start += maxAtomicBatchMessages) {
        await this.#publishBatch(queue, messages.slice(start, start + maxAtomicBatchMessages));
      }
    }));
    const refused = outcomes.find((o) => o.status === 'rejected');
    if (refused) throw refused.reason;
  }

  /** Publishes in order (pipelined on the one connection), waiting for every stream's ack: a failure midway leaves a prefix. */
  async publishEach(items: ReadonlyArray<{ queue: string; message: ParsedMessage; msgId: string }>, now: number): Promise<void> {
    for (const queue of new Set(items.map((i) => i.queue))) await this.#streams.stream(queue);
    for (let start = 0; start < items.length; start += publishWindow) {
      await Promise.all(items.slice(start, start + publishWindow).map((item) => this.publishOne(item.queue, item.message, item.msgId, now, { enqueuedAt: now, priorAttempts: 0, lastError: null })));
    }
  }

  async #publishBatch(queue: string, messages: readonly BatchMessage[], mayFixStream = true): Promise<void> {
    // One message is atomic alone, and a plain publish skips the batch's staging (on one server about
    // ten times faster: 0.5 ms against 6–12 ms, measured by bench/nats-queues).
    if (messages.length === 1) return this.#publishSingle(queue, messages[0]!);
    try {
      await publishAtomicBatch({ nc: this.#nc, subject: queueSubject(queue), stream: queueStream(queue), timeoutMs: publishTimeoutMs }, messages);
    } catch (err) {
      const limit = streamLimitOf(err);
      if (limit !== undefined) throw this.#queueFull(queue, limit);
      if (mayFixStream && err instanceof BatchRefusedError && err.errCode === batchErrors.atomicDisabled) {
        // The stream lost allow_atomic since this host set it (made again by an older host, or edited): set it
        // again and send once more (the refused batch stored nothing).
        this.#streams.forget(queue);
        await this.#streams.stream(queue);
        return this.#publishBatch(queue, messages, false);
      }
      if (err instanceof BatchRefusedError && err.errCode === batchErrors.tooLarge) {
        throw new WasmletError('bad_request', `queue ${queue}: nats-server refused a batch of ${messages.length} messages (${err.message}; jetstream.limits.batch.max_msgs)`, { messages: messages.length });
      }
      throw natsError(`could not publish to queue ${queue}`, err);
    }
  }

  async publishOne(queue: string, m: ParsedMessage, msgId: string, now: number, carried: Carried): Promise<void> {
    await this.#publishSingle(queue, { body: m.body, msgId, headers: headersOf(m, now, carried) });
  }

  async #publishSingle(queue: string, { body, msgId, headers }: BatchMessage): Promise<void> {
    try {
      // Safe to send again: each carries a Nats-Msg-Id, and a repeat is de-duplicated anyway.
      await retryNoResponders(() => this.#js.publish(queueSubject(queue), body, { msgID: msgId, headers, expect: { streamName: queueStream(queue) }, timeout: publishTimeoutMs }));
    } catch (err) {
      const limit = streamLimitOf(err);
      if (limit !== undefined) throw this.#queueFull(queue, limit);
      throw natsError(`could not publish to queue ${queue}`, err);
    }
  }

  #queueFull(queue: string, limit: 'messages' | 'bytes'): WasmletError {
    if (limit === 'messages') {
      return new WasmletError('queue_full', `queue ${queue} holds the most messages its stream takes (serve --queue-max-messages, ${this.#limits.max_msgs} on this host): refused`, {
        queue, maxMessages: this.#limits.max_msgs,
      });
    }
    return new WasmletError('queue_full', `queue ${queue} holds the most bytes its stream takes (serve --queue-max-bytes, ${this.#limits.max_bytes} on this host, headers included): refused`, {
      queue, maxBodyBytes: this.#limits.max_bytes,
    });
  }
}
