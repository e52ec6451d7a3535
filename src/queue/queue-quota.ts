// Per-queue quotas of the embedded store: a queue holds at most `maxMessages` messages and
// `maxBodyBytes` of bodies (every state counted: visible, in flight, delayed). A send over either
// is refused whole with `queue_full` (429) before anything is written, so a flood of messages
// nobody consumes cannot fill the disk; what was accepted stays. Moves the store makes itself —
// dead-lettering a failed message, a redrive — are never refused: refusing them would lose a
// message that was already acknowledged to its sender.
//
// The counts live in SQLite beside the messages (`queue_usage`, kept by triggers), so they are
// exact after a crash and a check is one primary-key read, however deep the queue.
import type Database from 'better-sqlite3';
import { WasmletError } from '../errors/wasmlet-error.js';

export interface QueueQuota {
  /** Messages a queue may hold in any state. */
  readonly maxMessages: number;
  /** Bytes of message bodies a queue may hold. */
  readonly maxBodyBytes: number;
}

/** A backlog this deep means the consumer is gone or far behind: the producer should hear so. */
export const defaultMaxQueueMessages = 1_000_000;
/** 1 GiB of bodies per queue: a day of a busy queue's traffic, not a whole disk. */
export const defaultMaxQueueBodyBytes = 1024 * 1024 * 1024;

export const defaultQueueQuota: QueueQuota = Object.freeze({ maxMessages: defaultMaxQueueMessages, maxBodyBytes: defaultMaxQueueBodyBytes });

const usageSchema = `
CREATE TABLE IF NOT EXISTS queue_usage (
  queue TEXT PRIMARY KEY,
  messages INTEGER NOT NULL,
  bytes INTEGER NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS queue_usage_insert AFTER INSERT ON messages BEGIN
  INSERT INTO queue_usage (queue, messages, bytes) VALUES (NEW.queue, 1, length(NEW.body))
    ON CONFLICT (queue) DO UPDATE SET messages = messages + 1, bytes = bytes + length(NEW.body);
END;
CREATE TRIGGER IF NOT EXISTS queue_usage_delete AFTER DELETE ON messages BEGIN
  UPDATE queue_usage SET messages = messages - 1, bytes = bytes - length(OLD.body) WHERE queue = OLD.queue;
END;
`;

/**
 * Migration step of the queue database (queue-database.ts): the usage table and its triggers,
 * counting the messages already stored. Runs inside the migration's transaction.
 */
export function addQueueUsage(db: Database.Database): void {
  db.exec(usageSchema);
  // A file whose table an earlier build created outside the migration list is counted afresh.
  db.exec('DELETE FROM queue_usage');
  db.exec('INSERT INTO queue_usage (queue, messages, bytes) SELECT queue, count(*), coalesce(sum(length(body)), 0) FROM messages GROUP BY queue');
}

export interface QueueUsage {
  readonly messages: number;
  readonly bytes: number;
}

/** Reads a queue's usage and refuses a send that would take it over `quota`. Use inside the send's transaction. */
export class QueueQuotaCheck {
  readonly #usage: Database.Statement;
  readonly #quota: QueueQuota;

  constructor(db: Database.Database, quota: QueueQuota) {
    checkQuota(quota);
    this.#usage = db.prepare('SELECT messages, bytes FROM queue_usage WHERE queue = ?');
    this.#quota = quota;
  }

  usageOf(queue: string): QueueUsage {
    return (this.#usage.get(queue) as QueueUsage | undefined) ?? { messages: 0, bytes: 0 };
  }

  /** Throws `queue_full` when `messages` more messages of `bytes` bytes do not fit in `queue`. */
  admit(queue: string, messages: number, bytes: number): void {
    const usage = this.usageOf(queue);
    const { maxMessages, maxBodyBytes } = this.#quota;
    if (usage.messages + messages > maxMessages) {
      throw new WasmletError('queue_full', `queue ${queue} holds ${usage.messages} messages; its quota is ${maxMessages} (serve --queue-max-messages): ${messages} more refused`, {
        queue, messages: usage.messages, maxMessages,
      });
    }
    if (usage.bytes + bytes > maxBodyBytes) {
      throw new WasmletError('queue_full', `queue ${queue} holds ${usage.bytes} bytes of messages; its quota is ${maxBodyBytes} bytes (serve --queue-max-bytes): ${bytes} more refused`, {
        queue, bytes: usage.bytes, maxBodyBytes,
      });
    }
  }
}

function checkQuota(quota: QueueQuota): void {
  for (const [key, value] of Object.entries(quota)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`queue quota ${key} must be a positive integer, got ${String(value)}`);
  }
}
