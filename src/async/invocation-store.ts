// Durable records of async invocations: the state `GET /v1/invocations/{id}` reports, and the
// idempotency keys that deduplicate submissions. Each change shares one SQLite transaction with the
// queue change it belongs to, so state and queue can never disagree after a crash.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { Clock } from '../queue/clock.js';
import { newMessageId } from '../queue/queue-input.js';
import { asyncQueueName } from '../queue/queue-names.js';
import type { Settlement } from '../queue/queue-store.js';
import type { SqliteQueueStore } from '../queue/sqlite-queue-store.js';

export const invocationStates = ['queued', 'retrying', 'succeeded', 'failed', 'expired'] as const;
export type InvocationState = (typeof invocationStates)[number];

export interface InvocationRecord {
  readonly id: string;
  readonly function: string;
  readonly state: InvocationState;
  /** Deliveries so far (1 after the first run). */
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastError: string | null;
  /** The HTTP status the handler answered on its last run, when it answered. */
  readonly status: number | null;
}

export interface AsyncSubmission {
  readonly functionName: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly idempotencyKey?: string | undefined;
}

export interface InvocationUpdate {
  readonly state: InvocationState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly status: number | null;
}

export interface InvocationListQuery {
  readonly state?: InvocationState | undefined;
  readonly limit: number;
}

/** Records (and idempotency keys) are kept this long after their last change: 24 h, the dedup window. */
export const invocationRetentionMs = 24 * 60 * 60 * 1000;
/** Idempotency keys: printable, and short enough for an index. */
export const idempotencyKeyPattern = /^[\x21-\x7e]{1,128}$/;
/** Old records are pruned a few at a time on each submission, so no write ever pays for a big sweep. */
const pruneBatch = 100;

const schema = `
CREATE TABLE IF NOT EXISTS invocations (
  id TEXT PRIMARY KEY,
  function TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_error TEXT,
  status INTEGER,
  idempotency_key TEXT,
  request_digest TEXT
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS invocations_by_key ON invocations (function, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS invocations_by_age ON invocations (updated_at);
`;

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

export class SqliteInvocationStore {
  readonly #queues: SqliteQueueStore;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #sql;

  constructor(queues: SqliteQueueStore, clock: Clock) {
    this.#queues = queues;
    this.#db = queues.database;
    this.#clock = clock;
    this.#db.exec(schema);
    addRequestDigestColumn(this.#db);
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
  submit(submission: AsyncSubmission): { readonly id: string; readonly duplicate: boolean } {
    const { functionName, payload, contentType, idempotencyKey } = submission;
    if (idempotencyKey !== undefined && !idempotencyKeyPattern.test(idempotencyKey)) {
      throw new WasmletError('bad_request', `the idempotency key must be 1 to 128 printable ASCII characters without spaces`);
    }
    const now = this.#clock.now();
    return this.#db.transaction(() => {
      this.#sql.prune.run(now - invocationRetentionMs, pruneBatch);
      const digest = idempotencyKey === undefined ? null : requestDigest(payload, contentType);
      if (idempotencyKey !== undefined) {
        const existing = this.#sql.byKey.get(functionName, idempotencyKey) as { id: string; request_digest: string | null } | undefined;
        // A record from before digests were kept (null) is taken as the same request, as it was then.
        if (existing && existing.request_digest !== null && existing.request_digest !== digest) {
          throw new WasmletError(
            'idempotency_key_reused',
            `the idempotency key ${JSON.stringify(idempotencyKey)} was already used for ${functionName} with a different payload (invocation ${existing.id}); use a new key for a new event`,
            { idempotencyKey, invocationId: existing.id },
          );
        }
        if (existing) return { id: existing.id, duplicate: true };
      }
      const id = newMessageId(now);
      this.#sql.insert.run(id, functionName, 'queued', now, now, idempotencyKey ?? null, digest);
      this.#queues.sendWithinTransaction(asyncQueueName(functionName), [{ id, body: payload, attributes: { 'content-type': contentType } }]);
      return { id, duplicate: false };
    }).immediate();
  }

  get(id: string): InvocationRecord | undefined {
    const row = this.#sql.get.get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The records kept (24 h), most recently changed first, optionally only those in `state`. */
  list(query: InvocationListQuery): InvocationRecord[] {
    return (this.#sql.list.all({ state: query.state ?? null, limit: query.limit }) as Row[]).map(toRecord);
  }

  /** Updates the record and settles its event in one transaction. */
  update(id: string, update: InvocationUpdate, queue: string, settlement: Settlement): void {
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

/** What identifies a request under an idempotency key: the payload and how it is to be read. */
function requestDigest(payload: Uint8Array, contentType: string): string {
  return createHash('sha256').update(contentType).update('\0').update(payload).digest('hex');
}

/** Databases made before idempotency conflicts were detected lack the column; their keys match any payload until they expire. */
function addRequestDigestColumn(db: Database.Database): void {
  const columns = db.pragma('table_info(invocations)') as Array<{ name: string }>;
  if (!columns.some((column) => column.name === 'request_digest')) db.exec('ALTER TABLE invocations ADD COLUMN request_digest TEXT');
}
