// Opens the embedded host's queue database (`<data-dir>/queues.db`) with its one versioned
// migration list. Besides the messages it holds the async invocation records and the schedule
// cursors: in the embedded backend their changes commit in the same transaction as the queue
// change they belong to (an invocation recorded with its event, a tick marked fired with its message).
import type Database from 'better-sqlite3';
import { migrate, openSqlite, type Migration, type SqliteSynchronous } from '../embedded/sqlite-database.js';
import { damageOf, QueueDatabaseGuard } from './queue-database-guard.js';
import { addQueueUsage } from './queue-quota.js';

/** A CLI inspecting the same file can hold the write lock briefly; waiting beats failing a send. */
export const defaultBusyTimeoutMs = 5_000;

export interface QueueDatabaseOptions {
  /** The database file (created if missing); `':memory:'` for a throwaway one. */
  readonly path: string;
  readonly synchronous?: SqliteSynchronous;
  readonly busyTimeoutMs?: number;
  /**
   * Never replace a lost database by an empty one (the host sets this; see queue-database-guard.ts):
   * once the database exists a marker is written beside it, and while the marker is there a missing,
   * empty or schema-less file is refused with `data_dir_damaged` instead of created. `expectData`
   * also refuses an empty file before any marker exists (a data directory from before markers, whose
   * registry lists functions).
   */
  readonly guard?: { readonly expectData: boolean };
}

// seq (the rowid) is the send order and the row's handle; visible_at is the send/retry delay's end,
// or the lease's expiry while `lease` holds the current lease token. STRICT: types are enforced.
const messages = `
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

// Before version 2 the invocation store and the scheduler created these tables themselves (IF NOT
// EXISTS, and request_digest added when missing): a version-1 file may hold them already, with data.
const invocationsAndSchedules = `
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
CREATE TABLE IF NOT EXISTS schedules (
  function TEXT NOT NULL,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  last_tick INTEGER NOT NULL,
  PRIMARY KEY (function, name)
) STRICT;
`;

export const queueDatabaseMigrations: readonly Migration[] = [
  { version: 1, apply: messages },
  {
    version: 2,
    apply: (db) => {
      db.exec(invocationsAndSchedules);
      // Keys recorded before digests were kept match any payload until they expire (null digest).
      const columns = db.pragma('table_info(invocations)') as Array<{ name: string }>;
      if (!columns.some((column) => column.name === 'request_digest')) db.exec('ALTER TABLE invocations ADD COLUMN request_digest TEXT');
    },
  },
  // Per-queue message and byte counts kept by triggers: the quota check (queue-quota.ts).
  { version: 3, apply: addQueueUsage },
];

/** Opens, checks (guard) and migrates the queue database; a damaged file is refused with `data_dir_damaged`. */
export function openQueueDatabase(options: QueueDatabaseOptions): Database.Database {
  const guard = options.guard && options.path !== ':memory:' ? new QueueDatabaseGuard(options.path, options.guard) : undefined;
  guard?.checkBeforeOpen();
  let db: Database.Database | undefined;
  try {
    db = openSqlite(options.path, { synchronous: options.synchronous ?? 'normal', busyTimeoutMs: options.busyTimeoutMs ?? defaultBusyTimeoutMs });
    guard?.checkSchema(db.pragma('user_version', { simple: true }) as number);
    migrate(db, 'queue database', queueDatabaseMigrations);
    guard?.markCreated(db);
    return db;
  } catch (err) {
    db?.close();
    throw damageOf(err, options.path) ?? err;
  }
}
