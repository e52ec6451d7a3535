// The role every queue backend plays: durable, at-least-once work queues with leases, delays and a DLQ.

/**
 * A named set of work queues. Delivery is **at least once**: `receive` leases messages for
 * `visibilityTimeoutMs`; a message whose lease lapses without `ack` (consumer crashed, SIGKILL,
 * deadline) becomes visible again and is delivered anew with `attempt + 1`. Consumers must
 * therefore be idempotent. Order is FIFO by the time a message became visible, then by send order.
 *
 * Expected failures are values: a stale receipt handle (expired, already acked, re-leased by
 * someone else, or not one we issued) makes `ack` list it under `stale` and `retry`/`deadLetter`
 * return `false`. Malformed arguments (queue name, sizes, ranges) throw `WasmletError('bad_request')`.
 *
 * @example
 * const [id] = await store.send('thumbnails', [{ body: bytes, attributes: { requestId } }]);
 * for (const m of await store.receive('thumbnails', { max: 10, visibilityTimeoutMs: 60_000 })) {
 *   try { await handle(m.body); await store.ack('thumbnails', [m.receiptHandle]); }
 *   catch (err) {
 *     if (m.attempt >= 3) await store.deadLetter('thumbnails', m.receiptHandle, 'thumbnails-dlq', String(err));
 *     else await store.retry('thumbnails', m.receiptHandle, { delayMs: 60_000 * m.attempt, error: String(err) });
 *   }
 * }
 */
export interface QueueStore {
  /** Enqueues all messages atomically (all or none) and returns their ids in order. A message whose
   * `id` is already in the queue is not enqueued again (publisher retry after a crash); its id is returned. */
  send(queue: string, messages: readonly OutgoingMessage[]): Promise<string[]>;
  /** Leases up to `max` visible messages: each one's `attempt` goes up by one and it stays hidden until its lease lapses. */
  receive(queue: string, options: ReceiveOptions): Promise<LeasedMessage[]>;
  /** Deletes the messages whose leases are still current. */
  ack(queue: string, receiptHandles: readonly string[]): Promise<AckResult>;
  /** Ends a current lease early: the message becomes visible again after `delayMs`, remembering `error`. */
  retry(queue: string, receiptHandle: string, options: RetryOptions): Promise<boolean>;
  /** Moves a leased message to `deadLetterQueue` in one step, keeping id, body, attributes, attempt and `reason` as its last error. */
  deadLetter(queue: string, receiptHandle: string, deadLetterQueue: string, reason: string): Promise<boolean>;
  /**
   * A consumer's verdicts on its leased messages, and the messages it published while handling
   * them, applied in **one** transaction: either every change lands or none does. This is what
   * makes "a message leaves the queue only after its outcome is committed" hold for fan-out too.
   * Verdicts on stale leases are skipped (listed in `stale`); the publishes still happen.
   */
  settle(queue: string, settlement: Settlement): Promise<SettleResult>;
  /** Sends to several queues atomically (all or none): an HTTP invocation's published messages. */
  publish(messages: readonly QueuedMessage[]): Promise<void>;
  /**
   * Makes every in-flight message of every queue visible again now. Only for a single-host store at
   * startup: the previous process is gone, so its leases can never be acked, and waiting out their
   * timeouts would only delay redelivery.
   */
  releaseAllLeases(): Promise<number>;
  /**
   * When the next message of `queue` becomes deliverable (epoch ms; in the past when one is ready now),
   * or null when the queue is empty: lets an idle consumer sleep until then instead of polling.
   */
  nextVisibleAt(queue: string): Promise<number | null>;
  /** Names of the queues that hold messages, with their stats. */
  queues(): Promise<Array<{ readonly queue: string } & QueueStats>>;
  stats(queue: string): Promise<QueueStats>;
  /** The oldest messages of a queue in send order, whatever their state (for inspecting a DLQ). Leases nothing. */
  list(queue: string, options: ListOptions): Promise<StoredMessage[]>;
  /** Moves up to `limit` messages that are not in flight from `fromQueue` to the back of `toQueue`,
   * with `attempt` reset to 0 (a fresh retry budget). Returns how many left `fromQueue`; one whose id is
   * already in `toQueue` is dropped there as a duplicate (so is a second dead-lettering of the same id). */
  redrive(fromQueue: string, toQueue: string, limit: number): Promise<number>;
  close(): Promise<void>;
}

export interface OutgoingMessage {
  readonly body: Uint8Array;
  readonly attributes?: Readonly<Record<string, string>>;
  /** Hidden for this long after the send; default 0. */
  readonly delayMs?: number;
  /** Caller-chosen id (e.g. the request id), for deduplication while the message is queued; default a new UUIDv7. */
  readonly id?: string;
}

/** A message bound for a named queue. */
export interface QueuedMessage {
  readonly queue: string;
  readonly message: OutgoingMessage;
}

export interface Settlement {
  /** Leases whose messages are done: deleted. */
  readonly ack?: readonly string[];
  readonly retry?: ReadonlyArray<{ readonly receiptHandle: string } & RetryOptions>;
  readonly deadLetter?: ReadonlyArray<{ readonly receiptHandle: string; readonly queue: string; readonly reason: string }>;
  /** Messages published by the invocation whose verdicts these are. */
  readonly publish?: readonly QueuedMessage[];
}

export interface SettleResult {
  /** Receipt handles whose leases had lapsed: their verdicts were not applied. */
  readonly stale: string[];
}

export interface ReceiveOptions {
  readonly max: number;
  readonly visibilityTimeoutMs: number;
}

export interface RetryOptions {
  readonly delayMs: number;
  /** Kept as the message's `lastError` (and carried to the DLQ). */
  readonly error?: string;
}

export interface ListOptions {
  readonly limit: number;
}

export interface LeasedMessage {
  readonly id: string;
  readonly body: Uint8Array;
  readonly attributes: Readonly<Record<string, string>>;
  /** 1 on the first delivery. */
  readonly attempt: number;
  /** Epoch ms of the original send. */
  readonly enqueuedAt: number;
  readonly lastError: string | null;
  /** Proof of this lease, for ack/retry/deadLetter; useless once the lease lapses. */
  readonly receiptHandle: string;
}

export type MessageState = 'visible' | 'in-flight' | 'delayed';

export interface StoredMessage {
  readonly id: string;
  readonly body: Uint8Array;
  readonly attributes: Readonly<Record<string, string>>;
  readonly attempt: number;
  readonly enqueuedAt: number;
  /** Epoch ms when the message is (or became) deliverable: the lease expiry while in flight. */
  readonly visibleAt: number;
  readonly lastError: string | null;
  readonly state: MessageState;
}

export interface AckResult {
  /** Receipt handles whose messages were deleted. */
  readonly acked: string[];
  /** Receipt handles that no longer hold a lease; their messages (if any) were left alone. */
  readonly stale: string[];
}

export interface QueueStats {
  /** Deliverable now (never leased, retried, or with a lapsed lease). */
  readonly visible: number;
  /** Leased and not yet expired. */
  readonly inFlight: number;
  /** Waiting for a send or retry delay. */
  readonly delayed: number;
  /** Age of the oldest message in any state, by its original send time; null when the queue is empty. */
  readonly oldestAgeMs: number | null;
}
