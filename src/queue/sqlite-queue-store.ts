// The embedded QueueStore: one SQLite file through better-sqlite3 (WAL), every state change one transaction.
import { ackResultOf } from './ack-result.js';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { SqliteSynchronous } from '../embedded/sqlite-database.js';
import { systemClock, type Clock } from './clock.js';
import { clipError, parseLimit, type ParsedMessage, parseListOptions, parseMessages, parseQueueName, parseReceiveOptions, parseRetryOptions } from './queue-input.js';
import type {
  AckResult, LeasedMessage, ListOptions, MessageState, OutgoingMessage, QueuedMessage, QueueStats, QueueStore, ReceiveOptions, RetryOptions, SettleResult,
  Settlement, StoredMessage,
} from './queue-store.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { damageOf } from './queue-database-guard.js';
import { openQueueDatabase } from './queue-database.js';
import { defaultQueueQuota, QueueQuotaCheck, type QueueQuota, type QueueUsage } from './queue-quota.js';

export type { SqliteSynchronous } from '../embedded/sqlite-database.js';

export interface SqliteQueueStoreOptions {
  /** The database file (created if missing); `':memory:'` for a throwaway store. Or `database`. */
  readonly path?: string;
  /**
   * A queue database already opened by `openQueueDatabase` (the host's: invocation records and
   * schedule cursors live in it too, so their changes commit with the queue's). The store closes it.
   */
  readonly database?: Database.Database;
  readonly clock?: Clock;
  readonly synchronous?: SqliteSynchronous;
  /** How long a transaction waits for another process's write lock before failing. */
  readonly busyTimeoutMs?: number;
  /** Told which queues just received messages (after the change, on the same tick), so consumers can look at once. */
  readonly onSent?: (queues: ReadonlySet<string>) => void;
  /** See `QueueDatabaseOptions.guard`. */
  readonly guard?: { readonly expectData: boolean };
  /** Depth and byte quota of every queue (queue-quota.ts); sends over it get `queue_full`. */
  readonly quota?: QueueQuota;
  /** Asked before new messages are written (the host's disk budget): throws to refuse them all. */
  readonly admitBytes?: (bytes: number) => void;
}

/** `<seq>.<lease token>`: the seq finds the row by primary key, the token proves the lease is still this one. */
const receiptHandlePattern = /^([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{16})$/;
const leaseTokenBytes = 12; // 96 random bits, base64url → 16 characters

interface Row {
  seq: number;
  id: string;
  body: Buffer;
  attributes: string;
  enqueued_at: number;
  visible_at: number;
  attempt: number;
  lease: string | null;
  last_error: string | null;
}

interface Lease {
  readonly seq: number;
  readonly token: string;
}

/**
 * @example
 * const store = new SqliteQueueStore({ path: '.wasmlet/queues.db' });
 * await store.send('jobs', [{ body: new TextEncoder().encode('{"n":1}') }]);
 */
export class SqliteQueueStore implements QueueStore {
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #sql: ReturnType<typeof prepare>;
  readonly #onSent: ((queues: ReadonlySet<string>) => void) | undefined;
  readonly #path: string;
  readonly #quota: QueueQuotaCheck;
  readonly #admitBytes: (bytes: number) => void;

  constructor(options: SqliteQueueStoreOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#onSent = options.onSent;
    if (options.database === undefined && options.path === undefined) throw new TypeError('SqliteQueueStore: give a path or a database');
    this.#db = options.database ?? openQueueDatabase({
      path: options.path!,
      ...(options.synchronous !== undefined ? { synchronous: options.synchronous } : {}),
      ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
      ...(options.guard !== undefined ? { guard: options.guard } : {}),
    });
    this.#path = options.database?.name ?? options.path!;
    this.#admitBytes = options.admitBytes ?? (() => undefined);
    try {
      this.#sql = prepare(this.#db);
      this.#quota = new QueueQuotaCheck(this.#db, options.quota ?? defaultQueueQuota);
    } catch (err) {
      this.#db.close();
      throw damageOf(err, this.#path) ?? err;
    }
  }

  /** Messages and body bytes `queue` holds now, in any state (what its quota is checked against). */
  usage(queue: string): QueueUsage {
    parseQueueName(queue);
    return this.#quota.usageOf(queue);
  }

  async send(queue: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    parseQueueName(queue);
    const now = this.#clock.now();
    const parsed = parseMessages(messages, now);
    this.#admitBytes(bodyBytesOf(parsed));
    this.#db.transaction(() => {
      this.#quota.admit(queue, parsed.length, bodyBytesOf(parsed));
      for (const m of parsed) this.#sql.insert.run(queue, m.id, toBuffer(m.body), m.attributesJson, now, now + m.delayMs, 0, null);
    }).immediate();
    if (parsed.length > 0) this.#onSent?.(new Set([queue]));
    return parsed.map((m) => m.id);
  }

  async receive(queue: string, options: ReceiveOptions): Promise<LeasedMessage[]> {
    parseQueueName(queue);
    const { max, visibilityTimeoutMs } = parseReceiveOptions(options);
    const now = this.#clock.now();
    return this.#db.transaction(() => {
      const rows = this.#sql.ready.all(queue, now, max) as Row[];
      if (rows.length === 0) return [];
      // One token for the whole batch: handles differ by seq, and a new receive always means a new token.
      const token = randomBytes(leaseTokenBytes).toString('base64url');
      return rows.map((row) => {
        this.#sql.lease.run(token, now + visibilityTimeoutMs, row.seq);
        return {
          id: row.id,
          body: toBytes(row.body),
          attributes: JSON.parse(row.attributes) as Record<string, string>,
          attempt: row.attempt + 1,
          enqueuedAt: row.enqueued_at,
          lastError: row.last_error,
          receiptHandle: `${row.seq}.${token}`,
        };
      });
    }).immediate();
  }

  // ack, retry and deadLetter are single-verdict settlements: one code path applies every verdict.
  async ack(queue: string, receiptHandles: readonly string[]): Promise<AckResult> {
    if (!Array.isArray(receiptHandles)) throw new WasmletError('bad_request', 'receiptHandles: not an array');
    const { stale } = this.settleWithinTransaction(queue, { ack: receiptHandles });
    return ackResultOf(receiptHandles, stale);
  }

  async retry(queue: string, receiptHandle: string, options: RetryOptions): Promise<boolean> {
    return this.settleWithinTransaction(queue, { retry: [{ receiptHandle, ...options }] }).stale.length === 0;
  }

  async deadLetter(queue: string, receiptHandle: string, deadLetterQueue: string, reason: string): Promise<boolean> {
    return this.settleWithinTransaction(queue, { deadLetter: [{ receiptHandle, queue: deadLetterQueue, reason }] }).stale.length === 0;
  }

  async settle(queue: string, settlement: Settlement): Promise<SettleResult> {
    return this.settleWithinTransaction(queue, settlement);
  }

  /** `settle`, synchronously: joins the caller's transaction when there is one (see `database`). */
  settleWithinTransaction(queue: string, settlement: Settlement): SettleResult {
    parseQueueName(queue);
    const now = this.#clock.now();
    const publish = parsePublish(settlement.publish ?? [], now);
    if (publish.length > 0) this.#admitBytes(bodyBytesOf(publish.map((p) => p.message)));
    const retries = (settlement.retry ?? []).map((r) => ({ handle: r.receiptHandle, ...parseRetryOptions(r) }));
    const deadLetters = (settlement.deadLetter ?? []).map((d) => {
      parseQueueName(d.queue, 'deadLetter.queue');
      if (d.queue === queue) throw new WasmletError('bad_request', `deadLetter.queue: "${queue}" is the queue itself`);
      return { handle: d.receiptHandle, queue: d.queue, reason: clipError(d.reason) };
    });
    const stale: string[] = [];
    this.#db.transaction(() => {
      for (const handle of settlement.ack ?? []) {
        const lease = parseReceiptHandle(handle);
        if (lease === null || this.#sql.ack.run(lease.seq, queue, lease.token, now).changes !== 1) stale.push(handle);
      }
      for (const r of retries) {
        const lease = parseReceiptHandle(r.handle);
        if (lease === null || this.#sql.retry.run(now + r.delayMs, r.error, lease.seq, queue, lease.token, now).changes !== 1) stale.push(r.handle);
      }
      for (const d of deadLetters) {
        const lease = parseReceiptHandle(d.handle);
        const row = lease === null ? undefined : (this.#sql.takeLeased.get(lease.seq, queue, lease.token, now) as Row | undefined);
        // A message with the same id already dead-lettered (an at-least-once duplicate) keeps its place.
        if (row === undefined) stale.push(d.handle);
        else this.#sql.insert.run(d.queue, row.id, row.body, row.attributes, row.enqueued_at, now, row.attempt, d.reason);
      }
      this.#insertPublished(publish, now);
    }).immediate();
    return { stale };
  }

  async publish(messages: readonly QueuedMessage[]): Promise<void> {
    const now = this.#clock.now();
    const parsed = parsePublish(messages, now);
    this.#admitBytes(bodyBytesOf(parsed.map((p) => p.message)));
    this.#db.transaction(() => this.#insertPublished(parsed, now)).immediate();
  }

  /** Part of a transaction: inserts checked messages (see parsePublish), each queue within its quota. */
  #insertPublished(parsed: ReadonlyArray<{ queue: string; message: ParsedMessage }>, now: number): void {
    if (parsed.length === 0) return;
    const perQueue = new Map<string, { messages: number; bytes: number }>();
    for (const { queue, message } of parsed) {
      const sum = perQueue.get(queue) ?? { messages: 0, bytes: 0 };
      sum.messages++;
      sum.bytes += message.body.byteLength;
      perQueue.set(queue, sum);
    }
    for (const [queue, sum] of perQueue) this.#quota.admit(queue, sum.messages, sum.bytes);
    for (const { queue, message: m } of parsed) this.#sql.insert.run(queue, m.id, toBuffer(m.body), m.attributesJson, now, now + m.delayMs, 0, null);
    // Inside a transaction the consumers are only told; they read after it has committed (same thread).
    if (parsed.length > 0) this.#onSent?.(new Set(parsed.map((p) => p.queue)));
  }

  async nextVisibleAt(queue: string): Promise<number | null> {
    parseQueueName(queue);
    return (this.#sql.nextVisible.get(queue) as { next: number | null }).next;
  }

  async releaseAllLeases(): Promise<number> {
    // Called once at start, and it reads every row: a damaged page shows here, named as such.
    try {
      return this.#sql.releaseAll.run(this.#clock.now()).changes;
    } catch (err) {
      throw damageOf(err, this.#path) ?? err;
    }
  }

  async queues(): Promise<Array<{ readonly queue: string } & QueueStats>> {
    const now = this.#clock.now();
    const rows = this.#sql.allStats.all({ now }) as Array<{ queue: string; visible: number; inFlight: number; delayed: number; oldest: number | null }>;
    return rows.map((row) => ({
      queue: row.queue,
      visible: row.visible,
      inFlight: row.inFlight,
      delayed: row.delayed,
      oldestAgeMs: row.oldest === null ? null : Math.max(0, now - row.oldest),
    }));
  }

  /**
   * The connection, for the object-event relay (objects are not behind a port yet). Invocation
   * records and schedule cursors get the database from the composition root (openQueueDatabase).
   */
  get database(): Database.Database {
    return this.#db;
  }

  /** Sends inside the caller's transaction (see `database`); the ids, in order. */
  sendWithinTransaction(queue: string, messages: readonly OutgoingMessage[]): string[] {
    parseQueueName(queue);
    const now = this.#clock.now();
    const parsed = parseMessages(messages, now);
    this.#admitBytes(bodyBytesOf(parsed));
    this.#insertPublished(parsed.map((message) => ({ queue, message })), now);
    return parsed.map((m) => m.id);
  }

  async stats(queue: string): Promise<QueueStats> {
    parseQueueName(queue);
    const now = this.#clock.now();
    const row = this.#sql.stats.get({ queue, now }) as { visible: number; inFlight: number; delayed: number; oldest: number | null };
    return { visible: row.visible, inFlight: row.inFlight, delayed: row.delayed, oldestAgeMs: row.oldest === null ? null : Math.max(0, now - row.oldest) };
  }

  async list(queue: string, options: ListOptions): Promise<StoredMessage[]> {
    parseQueueName(queue);
    const { limit } = parseListOptions(options);
    const now = this.#clock.now();
    const rows = this.#sql.list.all(queue, limit) as Row[];
    return rows.map((row) => ({
      id: row.id,
      body: toBytes(row.body),
      attributes: JSON.parse(row.attributes) as Record<string, string>,
      attempt: row.attempt,
      enqueuedAt: row.enqueued_at,
      visibleAt: row.visible_at,
      lastError: row.last_error,
      state: stateOf(row, now),
    }));
  }

  async redrive(fromQueue: string, toQueue: string, limit: number): Promise<number> {
    parseQueueName(fromQueue, 'fromQueue');
    parseQueueName(toQueue, 'toQueue');
    if (fromQueue === toQueue) throw new WasmletError('bad_request', `toQueue: "${toQueue}" is fromQueue itself`);
    const max = parseLimit(limit);
    const now = this.#clock.now();
    const moved = this.#db.transaction(() => {
      const rows = this.#sql.redrivable.all(fromQueue, now, max) as Row[];
      for (const row of rows) {
        this.#sql.remove.run(row.seq);
        // attempt 0: a redriven message gets a fresh retry budget, or it would go straight back to the DLQ.
        this.#sql.insert.run(toQueue, row.id, row.body, row.attributes, row.enqueued_at, now, 0, row.last_error);
      }
      return rows.length;
    }).immediate();
    if (moved > 0) this.#onSent?.(new Set([toQueue]));
    return moved;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function bodyBytesOf(messages: readonly ParsedMessage[]): number {
  let bytes = 0;
  for (const m of messages) bytes += m.body.byteLength;
  return bytes;
}

function prepare(db: Database.Database) {
  const columns = 'queue, id, body, attributes, enqueued_at, visible_at, attempt, last_error';
  return {
    insert: db.prepare(`INSERT INTO messages (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (queue, id) DO NOTHING`),
    // (queue, visible_at, seq) serves both the filter and the order, so LIMIT stops early even with a deep backlog.
    ready: db.prepare('SELECT seq, id, body, attributes, enqueued_at, attempt, last_error FROM messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?'),
    lease: db.prepare('UPDATE messages SET attempt = attempt + 1, lease = ?, visible_at = ? WHERE seq = ?'),
    // A lease is current while its token matches and it has not expired; expiry alone makes a handle stale.
    ack: db.prepare('DELETE FROM messages WHERE seq = ? AND queue = ? AND lease = ? AND visible_at > ?'),
    retry: db.prepare('UPDATE messages SET lease = NULL, visible_at = ?, last_error = coalesce(?, last_error) WHERE seq = ? AND queue = ? AND lease = ? AND visible_at > ?'),
    takeLeased: db.prepare('DELETE FROM messages WHERE seq = ? AND queue = ? AND lease = ? AND visible_at > ? RETURNING id, body, attributes, enqueued_at, attempt'),
    redrivable: db.prepare('SELECT seq, id, body, attributes, enqueued_at, last_error FROM messages WHERE queue = ? AND (lease IS NULL OR visible_at <= ?) ORDER BY seq LIMIT ?'),
    remove: db.prepare('DELETE FROM messages WHERE seq = ?'),
    list: db.prepare('SELECT * FROM messages WHERE queue = ? ORDER BY seq LIMIT ?'),
    // min() over the (queue, visible_at, seq) index: one index probe, however deep the queue.
    nextVisible: db.prepare('SELECT min(visible_at) AS next FROM messages WHERE queue = ?'),
    releaseAll: db.prepare('UPDATE messages SET lease = NULL, visible_at = ? WHERE lease IS NOT NULL'),
    allStats: db.prepare(`SELECT queue,
        coalesce(sum(visible_at <= @now), 0) AS visible,
        coalesce(sum(visible_at > @now AND lease IS NOT NULL), 0) AS inFlight,
        coalesce(sum(visible_at > @now AND lease IS NULL), 0) AS delayed,
        min(enqueued_at) AS oldest
      FROM messages GROUP BY queue ORDER BY queue`),
    stats: db.prepare(`SELECT
        coalesce(sum(visible_at <= @now), 0) AS visible,
        coalesce(sum(visible_at > @now AND lease IS NOT NULL), 0) AS inFlight,
        coalesce(sum(visible_at > @now AND lease IS NULL), 0) AS delayed,
        min(enqueued_at) AS oldest
      FROM messages WHERE queue = @queue`),
  };
}

function parsePublish(messages: readonly QueuedMessage[], now: number): Array<{ queue: string; message: ParsedMessage }> {
  if (!Array.isArray(messages)) throw new WasmletError('bad_request', 'publish: not an array');
  return messages.map(({ queue, message }, i) => {
    parseQueueName(queue, `publish[${i}].queue`);
    return { queue, message: parseMessages([message], now)[0]! };
  });
}

function parseReceiptHandle(handle: unknown): Lease | null {
  if (typeof handle !== 'string') return null;
  const match = receiptHandlePattern.exec(handle);
  return match ? { seq: Number(match[1]), token: match[2]! } : null;
}

function stateOf(row: Row, now: number): MessageState {
  if (row.visible_at <= now) return 'visible';
  return row.lease === null ? 'delayed' : 'in-flight';
}

/** better-sqlite3 binds Buffers as BLOBs; this is a view, not a copy. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Callers get plain Uint8Arrays (a view over the Buffer SQLite filled), whatever the backend. */
function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
