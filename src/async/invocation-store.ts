// The embedded InvocationStore (the port: invocation-records.ts): records and idempotency keys in
// the queue database, each change in one SQLite transaction with the queue change it belongs to, so
// state and queue can never disagree after a crash.
import type Database from 'better-sqlite3';
import type { Clock } from '../queue/clock.js';
import { newMessageId } from '../queue/queue-input.js';
import { asyncQueueName } from '../queue/queue-names.js';
import type { Settlement } from '../queue/queue-store.js';
import type { SqliteQueueStore } from '../queue/sqlite-queue-store.js';
import {
  checkIdempotencyKey, idempotencyKeyReused, invocationRetentionMs, requestDigest,
  type AsyncSubmission, type InvocationListQuery, type InvocationRecord, type InvocationState, type InvocationStore, type InvocationUpdate,
} from './invocation-records.js';

export {
  idempotencyKeyPattern, invocationRetentionMs, invocationStates,
  type AsyncSubmission, type InvocationListQuery, type InvocationRecord, type InvocationState, type InvocationStore, type InvocationUpdate,
} from './invocation-records.js';

/** Old records are pruned a few at a time on each submission, so no write ever pays for a big sweep. */
const pruneBatch = 100;

interface Row {
  id: string;
  function: string;
  state: InvocationState;
  attempts: number;
  created_at: number;
  updated_at: number;
  last_error: string | null;
  status: number | null;
}

export class SqliteInvocationStore implements InvocationStore {
  readonly #queues: SqliteQueueStore;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #sql;

  /** `db`: the queue database `queues` runs on (queue/queue-database.ts migrates the invocations table). */
  constructor(db: Database.Database, queues: SqliteQueueStore, clock: Clock) {
    this.#queues = queues;
    this.#db = db;
    this.#clock = clock;
    this.#sql = {
      insert: this.#db.prepare('INSERT INTO invocations (id, function, state, attempts, created_at, updated_at, idempotency_key, request_digest) VALUES (?, ?, ?, 0, ?, ?, ?, ?)'),
      byKey: this.#db.prepare('SELECT id, request_digest FROM invocations WHERE function = ? AND idempotency_key = ?'),
      get: this.#db.prepare('SELECT * FROM invocations WHERE id = ?'),
      update: this.#db.prepare('UPDATE invocations SET state = ?, attempts = ?, last_error = ?, status = ?, updated_at = ? WHERE id = ?'),
      prune: this.#db.prepare('DELETE FROM invocations WHERE id IN (SELECT id FROM invocations WHERE updated_at < ? ORDER BY updated_at LIMIT ?)'),
      // Newest change first, along invocations_by_age; a state filter is applied while walking it.
      list: this.#db.prepare('SELECT * FROM invocations WHERE (@state IS NULL OR state = @state) ORDER BY updated_at DESC, id DESC LIMIT @limit'),
    };
  }

  /**
   * Records the invocation and queues its event, atomically. With an idempotency key already used
   * for this function within the retention window, nothing is queued: the same request (payload and
   * content type) gets the first id back, a different one `idempotency_key_reused` (422, as the IETF
   * Idempotency-Key draft and Stripe answer): silently returning the first invocation would tell
   * the caller that an event it never queued had been.
   */
  async submit(submission: AsyncSubmission): Promise<{ readonly id: string; readonly duplicate: boolean }> {
    const { functionName, payload, contentType, idempotencyKey } = submission;
    checkIdempotencyKey(idempotencyKey);
    const now = this.#clock.now();
    return this.#db.transaction(() => {
      this.#sql.prune.run(now - invocationRetentionMs, pruneBatch);
      const digest = idempotencyKey === undefined ? null : requestDigest(payload, contentType);
      if (idempotencyKey !== undefined) {
        const existing = this.#sql.byKey.get(functionName, idempotencyKey) as { id: string; request_digest: string | null } | undefined;
        // A record from before digests were kept (null) is taken as the same request, as it was then.
        if (existing && existing.request_digest !== null && existing.request_digest !== digest) throw idempotencyKeyReused(functionName, idempotencyKey, existing.id);
        if (existing) return { id: existing.id, duplicate: true };
      }
      const id = newMessageId(now);
      this.#sql.insert.run(id, functionName, 'queued', now, now, idempotencyKey ?? null, digest);
      this.#queues.sendWithinTransaction(asyncQueueName(functionName), [{ id, body: payload, attributes: { ...submission.attributes, 'content-type': contentType } }]);
      return { id, duplicate: false };
    }).immediate();
  }

  /** How many kept records are in each state (every state present, 0 when none): read on a metrics scrape, never per request. */
  countByState(): Record<InvocationState, number> {
    const counts: Record<InvocationState, number> = { queued: 0, retrying: 0, succeeded: 0, failed: 0, expired: 0 };
    const rows = this.#db.prepare('SELECT state, count(*) AS n FROM invocations GROUP BY state').all() as Array<{ state: InvocationState; n: number }>;
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  async get(id: string): Promise<InvocationRecord | undefined> {
    const row = this.#sql.get.get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The records kept (24 h), most recently changed first, optionally only those in `state`. */
  async list(query: InvocationListQuery): Promise<InvocationRecord[]> {
    return (this.#sql.list.all({ state: query.state ?? null, limit: query.limit }) as Row[]).map(toRecord);
  }

  /** Updates the record and settles its event in one transaction. */
  async update(id: string, update: InvocationUpdate, queue: string, settlement: Settlement): Promise<void> {
    const now = this.#clock.now();
    this.#db.transaction(() => {
      this.#sql.update.run(update.state, update.attempts, update.lastError, update.status, now, id);
      this.#queues.settleWithinTransaction(queue, settlement);
    }).immediate();
  }
}

function toRecord(row: Row): InvocationRecord {
  return {
    id: row.id,
    function: row.function,
    state: row.state,
    attempts: row.attempts,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    lastError: row.last_error,
    status: row.status,
  };
}
