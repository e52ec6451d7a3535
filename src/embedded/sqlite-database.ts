// The one place the embedded backend opens SQLite: WAL, the commit durability, the busy timeout,
// and a versioned migration list per database file (PRAGMA user_version), so every store opens and
// upgrades its file the same way and an unknown newer schema is refused rather than misread.
import Database from 'better-sqlite3';

/**
 * How hard a commit waits for the disk (SQLite `PRAGMA synchronous` in WAL mode):
 * - `normal` (default): a commit is durable against a **process** crash (SIGKILL, OOM kill, host
 *   bug) — the WAL is in the OS page cache — but the last transactions before an **OS crash or
 *   power loss** may be lost (never corrupted: the WAL is fsynced at each checkpoint).
 * - `full`: every commit fsyncs the WAL, so an acknowledged write survives power loss too.
 */
export type SqliteSynchronous = 'normal' | 'full';

/** One step of a file's schema: applied once, in order, in one transaction with the version bump. */
export interface Migration {
  /** 1, 2, 3…: the `user_version` the file has once this step is applied. */
  readonly version: number;
  readonly apply: string | ((db: Database.Database) => void);
}

export interface OpenSqliteOptions {
  readonly synchronous?: SqliteSynchronous;
  /** How long a transaction waits for another connection's write lock before failing (0: fail at once). */
  readonly busyTimeoutMs?: number;
}

/** Opens (creating if missing) a database in WAL mode; `':memory:'` for a throwaway one. Migrate it with `migrate`. */
export function openSqlite(path: string, options: OpenSqliteOptions = {}): Database.Database {
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') throw new TypeError(`synchronous: "${String(synchronous)}" is not normal or full`);
  const busyTimeoutMs = options.busyTimeoutMs ?? 0;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new TypeError(`busyTimeoutMs: ${busyTimeoutMs} is not a non-negative integer`);
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** The file's schema version (0: nothing applied yet). */
export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the steps the file has not had yet, each in its own immediate transaction. `what` names
 * the file in errors ("queue database"). Steps must be numbered 1…n without gaps.
 */
export function migrate(db: Database.Database, what: string, migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${what}: migration ${i + 1} is numbered ${m.version}`);
  });
  const latest = migrations.length;
  const version = schemaVersionOf(db);
  if (version > latest) throw new Error(`${what} has schema version ${version}; this host knows up to ${latest}`);
  for (const m of migrations.slice(version)) {
    db.transaction(() => {
      if (typeof m.apply === 'string') db.exec(m.apply);
      else m.apply(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
