// The embedded SecretStore: one SQLite file (WAL) under the data directory, each value sealed with
// AES-256-GCM (secret-cipher.ts). SQLite rather than a file per secret: a value, its dates and its
// revision change in one transaction, listing is one query instead of N file reads, and a crash
// leaves the old value or the new one (WAL), never a torn file, without a rename dance per write.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { migrate, openSqlite } from '../embedded/sqlite-database.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { systemClock, type Clock } from '../queue/clock.js';
import { openSecret, sealSecret } from './secret-cipher.js';
import { parseSecretName } from './secret-input.js';
import type { SecretInfo, SecretStore } from './secret-store.js';

export interface SqliteSecretStoreOptions {
  readonly path: string;
  /** The 32-byte key (secret-key.ts). */
  readonly key: Uint8Array;
  /** Where the key came from, for the message when it does not open the database. */
  readonly keySource?: string;
  readonly clock?: Clock;
}

const schema = `
  CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    revision INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
`;
/** Sealed under a name no secret can have (names are [A-Z0-9_]): opening it proves the key is the one the values were sealed with. */
const keyCheckName = 'wasmlet:key-check';
const keyCheckText = 'wasmlet secret key check';

interface Row {
  readonly name: string;
  readonly sealed: Buffer;
  readonly created_at: number;
  readonly updated_at: number;
  readonly revision: number;
}

/**
 * @example
 * const secrets = new SqliteSecretStore({ path: '.wasmlet/secrets.db', key });
 * secrets.set('STRIPE_KEY', 'sk_live_…'); secrets.reveal('STRIPE_KEY');
 */
export class SqliteSecretStore implements SecretStore {
  readonly #db: Database.Database;
  readonly #key: Uint8Array;
  readonly #clock: Clock;
  readonly #sql: ReturnType<typeof prepare>;
  readonly #revisions = new Map<string, number>();
  #lastRevision = 0;
  #generation = 0;

  constructor(options: SqliteSecretStoreOptions) {
    this.#key = options.key;
    this.#clock = options.clock ?? systemClock;
    restrictFile(options.path);
    // FULL: a secret the API said was stored survives a power loss; writes are rare.
    this.#db = openSqlite(options.path, { synchronous: 'full' });
    try {
      migrate(this.#db, 'secret database', [{ version: 1, apply: schema }]);
      this.#sql = prepare(this.#db);
      this.#checkKey(options.path, options.keySource ?? 'the secret key');
      for (const row of this.#sql.revisions.all() as Pick<Row, 'name' | 'revision'>[]) this.#revisions.set(row.name, row.revision);
      const last = this.#sql.getMeta.get('last_revision') as { value: Buffer } | undefined;
      this.#lastRevision = last ? Number(last.value.toString('utf8')) : 0;
    } catch (err) {
      this.#db.close();
      throw err;
    }
  }

  get generation(): number {
    return this.#generation;
  }

  set(name: string, value: string): { info: SecretInfo; created: boolean } {
    parseSecretName(name);
    const now = this.#clock.now();
    const sealed = sealSecret(this.#key, name, value);
    const { created, createdAt, revision } = this.#db
      .transaction(() => {
        const revision = this.#lastRevision + 1;
        const existing = this.#sql.dates.get(name) as Pick<Row, 'created_at'> | undefined;
        this.#sql.upsert.run(name, sealed, now, now, revision);
        this.#sql.setMeta.run('last_revision', Buffer.from(String(revision), 'utf8'));
        return { created: existing === undefined, createdAt: existing?.created_at ?? now, revision };
      })
      .immediate();
    this.#lastRevision = revision;
    this.#revisions.set(name, revision);
    this.#generation++;
    return { info: infoOf(name, createdAt, now), created };
  }

  list(): SecretInfo[] {
    return (this.#sql.list.all() as Row[]).map((row) => infoOf(row.name, row.created_at, row.updated_at));
  }

  delete(name: string): boolean {
    parseSecretName(name);
    const removed = this.#sql.remove.run(name).changes > 0;
    if (removed) {
      this.#revisions.delete(name);
      this.#generation++;
    }
    return removed;
  }

  has(name: string): boolean {
    return this.#revisions.has(name);
  }

  revisionOf(name: string): number | undefined {
    return this.#revisions.get(name);
  }

  reveal(name: string): string | undefined {
    const row = this.#sql.sealed.get(name) as Pick<Row, 'sealed'> | undefined;
    if (!row) return undefined;
    const value = openSecret(this.#key, name, row.sealed);
    if (value === undefined) throw new WasmletError('internal', `secret ${name} does not decrypt: its stored value was altered or moved from another name`, { name });
    return value;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** A database sealed under another key is refused at start, not discovered one secret at a time. */
  #checkKey(path: string, keySource: string): void {
    const stored = this.#sql.getMeta.get('key_check') as { value: Buffer } | undefined;
    if (!stored) {
      this.#sql.setMeta.run('key_check', sealSecret(this.#key, keyCheckName, keyCheckText));
      return;
    }
    if (openSecret(this.#key, keyCheckName, stored.value) !== keyCheckText) {
      throw new WasmletError(
        'bad_request',
        `${keySource} is not the key the secrets in ${path} were sealed with; start with that key (--secret-key-file, or the data directory's secret.key)`,
        { path },
      );
    }
  }
}

function infoOf(name: string, createdAt: number, updatedAt: number): SecretInfo {
  return { name, createdAt: new Date(createdAt).toISOString(), updatedAt: new Date(updatedAt).toISOString() };
}

/**
 * The values are sealed, but names and dates are not: the database is the owner's only (0600).
 * SQLite creates its -wal and -shm files with the database file's mode.
 */
function restrictFile(path: string): void {
  if (process.platform === 'win32') return;
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

function prepare(db: Database.Database) {
  return {
    upsert: db.prepare(
      'INSERT INTO secrets (name, sealed, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at, revision = excluded.revision',
    ),
    dates: db.prepare('SELECT created_at FROM secrets WHERE name = ?'),
    sealed: db.prepare('SELECT sealed FROM secrets WHERE name = ?'),
    list: db.prepare('SELECT name, created_at, updated_at FROM secrets ORDER BY name'),
    revisions: db.prepare('SELECT name, revision FROM secrets'),
    remove: db.prepare('DELETE FROM secrets WHERE name = ?'),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
}
