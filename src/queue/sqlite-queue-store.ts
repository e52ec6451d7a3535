// The embedded QueueStore: one SQLite file through better-sqlite3 (WAL), every state change one transaction.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from './clock.js';
import { clipError, parseLimit, parseListOptions, parseMessages, parseQueueName, parseReceiveOptions, parseRetryOptions } from './queue-input.js';
import type {
  AckResult, LeasedMessage, ListOptions, MessageState, OutgoingMessage, QueueStats, QueueStore, ReceiveOptions, RetryOptions, StoredMessage,
} from './queue-store.js';
import { WasmletError } from '../errors/wasmlet-error.js';

/**
 * How hard a commit waits for the disk (SQLite `PRAGMA synchronous` in WAL mode):
 * - `normal` (default): a commit is durable against a **process** crash (SIGKILL, OOM kill, host
 *   bug) — the WAL is in the OS page cache — but the last transactions before an **OS crash or
 *   power loss** may be lost (never corrupted: the WAL is fsynced at each checkpoint). The same
 *   trade-off as JetStream's default background sync.
 * - `full`: every commit fsyncs the WAL, so an acknowledged send survives power loss too; each
 *   commit then costs one fsync.
 */
export type SqliteSynchronous = 'normal' | 'full';

export interface SqliteQueueStoreOptions {
  /** The database file (created if missing); `':memory:'` for a throwaway store. */
  readonly path: string;
  readonly clock?: Clock;
  readonly synchronous?: SqliteSynchronous;
  /** How long a transaction waits for another process's write lock before failing. */
  readonly busyTimeoutMs?: number;
}

/** A CLI inspecting the same file can hold the write lock briefly; waiting beats failing a send. */
export const defaultBusyTimeoutMs = 5_000;
/** Bumped with every schema change; an unknown newer version is refused rather than misread. */
const schemaVersion = 1;

// seq (the rowid) is the send order and the row's handle; visible_at is the send/retry delay's end,
// or the lease's expiry while `lease` holds the current lease token. STRICT: types are enforced.
const schema = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  body BLOB NOT NULL,
  attributes TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  lease TEXT,
  last_error TEXT
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_id ON messages (queue, id);
CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (queue, visible_at, seq);
`;

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

  constructor(options: SqliteQueueStoreOptions) {
    const synchronous = options.synchronous ?? 'normal';
    if (synchronous !== 'normal' && synchronous !== 'full') throw new TypeError(`synchronous: "${String(synchronous)}" is not normal or full`);
    const busyTimeoutMs = options.busyTimeoutMs ?? defaultBusyTimeoutMs;
    if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new TypeError(`busyTimeoutMs: ${busyTimeoutMs} is not a non-negative integer`);
    this.#clock = options.clock ?? systemClock;
    this.#db = new Database(options.path, { timeout: busyTimeoutMs });
    try {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
      migrate(this.#db);
      this.#sql = prepare(this.#db);
    } catch (err) {
      this.#db.close();
      throw err;
    }
  }

  async send(queue: string, messages: readonly OutgoingMessage[]): Promise<string[]> {
    parseQueueName(queue);
    const now = this.#clock.now();
    const parsed = parseMessages(messages, now);
    this.#db.transaction(() => {
      for (const m of parsed) this.#sql.insert.run(queue, m.id, toBuffer(m.body), m.attributesJson, now, now + m.delayMs, 0, null);
    }).immediate();
    return parsed.map((m) => m.id);
  }

  async receive(queue: string, options: ReceiveOptions): Promise<LeasedMessage[]> {
    parseQueueName(queue);
    const { max, visibilityTimeoutMs } = parseReceiveOptions(options);
    const now = this.#clock.now();
    // One token for the whole batch: handles differ by seq, and a new receive always means a new token.
    const token = randomBytes(leaseTokenBytes).toString('base64url');
    return this.#db.transaction(() => {
      const rows = this.#sql.ready.all(queue, now, max) as Row[];
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

  async ack(queue: string, receiptHandles: readonly string[]): Promise<AckResult> {
    parseQueueName(queue);
    if (!Array.isArray(receiptHandles)) throw new WasmletError('bad_request', 'receiptHandles: not an array');
    const now = this.#clock.now();
    const acked: string[] = [];
    const stale: string[] = [];
    this.#db.transaction(() => {
      for (const handle of receiptHandles) {
        const lease = parseReceiptHandle(handle);
        const deleted = lease !== null && this.#sql.ack.run(lease.seq, queue, lease.token, now).changes === 1;
        (deleted ? acked : stale).push(handle);
      }
    }).immediate();
    return { acked, stale };
  }

  async retry(queue: string, receiptHandle: string, options: RetryOptions): Promise<boolean> {
    parseQueueName(queue);
    const { delayMs, error } = parseRetryOptions(options);
    const lease = parseReceiptHandle(receiptHandle);
    if (lease === null) return false;
    const now = this.#clock.now();
    return this.#sql.retry.run(now + delayMs, error, lease.seq, queue, lease.token, now).changes === 1;
  }

  async deadLetter(queue: string, receiptHandle: string, deadLetterQueue: string, reason: string): Promise<boolean> {
    parseQueueName(queue);
    parseQueueName(deadLetterQueue, 'deadLetterQueue');
    if (queue === deadLetterQueue) throw new WasmletError('bad_request', `deadLetterQueue: "${queue}" is the queue itself`);
    const lastError = clipError(reason);
    const lease = parseReceiptHandle(receiptHandle);
    if (lease === null) return false;
    const now = this.#clock.now();
    return this.#db.transaction(() => {
      const row = this.#sql.takeLeased.get(lease.seq, queue, lease.token, now) as Row | undefined;
      if (row === undefined) return false;
      // A message with the same id already dead-lettered (an at-least-once duplicate) keeps its place.
      this.#sql.insert.run(deadLetterQueue, row.id, row.body, row.attributes, row.enqueued_at, now, row.attempt, lastError);
      return true;
    }).immediate();
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
    return this.#db.transaction(() => {
      const rows = this.#sql.redrivable.all(fromQueue, now, max) as Row[];
      for (const row of rows) {
        this.#sql.remove.run(row.seq);
        // attempt 0: a redriven message gets a fresh retry budget, or it would go straight back to the DLQ.
        this.#sql.insert.run(toQueue, row.id, row.body, row.attributes, row.enqueued_at, now, 0, row.last_error);
      }
      return rows.length;
    }).immediate();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > schemaVersion) throw new Error(`queue database has schema version ${version}; this host knows up to ${schemaVersion}`);
  if (version === schemaVersion) return;
  db.transaction(() => {
    db.exec(schema);
    db.pragma(`user_version = ${schemaVersion}`);
  }).immediate();
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
    stats: db.prepare(`SELECT
        coalesce(sum(visible_at <= @now), 0) AS visible,
        coalesce(sum(visible_at > @now AND lease IS NOT NULL), 0) AS inFlight,
        coalesce(sum(visible_at > @now AND lease IS NULL), 0) AS delayed,
        min(enqueued_at) AS oldest
      FROM messages WHERE queue = @queue`),
  };
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
