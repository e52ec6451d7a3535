// The embedded KeyValueStore: one SQLite file per store through better-sqlite3 (WAL), every write
// one transaction that also keeps the store's totals, so the quota check is O(1) and exact.
import type Database from 'better-sqlite3';
import { migrate, openSqlite, type SqliteSynchronous } from '../embedded/sqlite-database.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import {
  addToCounter, checkBatch, checkValue, encodeCursor, parseCounter, parseCursor, parseKey, parsePageLimit, prefixUpperBound, quotaError,
} from './key-value-input.js';
import { defaultKeyValueLimits, maxKvMaxKeyBytes, type KeyValueLimits } from './key-value-limits.js';
import type { CasResult, KeyPage, KeyValueStore, ListKeysOptions, StoreStats, VersionedValue } from './key-value-store.js';

/**
 * How hard a commit waits for the disk (SQLite `PRAGMA synchronous` in WAL mode), as for the queue:
 * `normal` survives a process crash (SIGKILL) but may lose the last commits on power loss; `full`
 * fsyncs every commit.
 */
export type { SqliteSynchronous } from '../embedded/sqlite-database.js';

export interface SqliteKeyValueStoreOptions {
  /** The store's name (checked by the caller). */
  readonly name: string;
  /** The database file, created if missing; `':memory:'` for a throwaway store. */
  readonly path: string;
  readonly synchronous?: SqliteSynchronous;
}

const aboveEveryKey = Buffer.from([0xff]);


// Keys are BLOBs (their UTF-8 bytes): ordering and prefix ranges are then plain byte comparisons.
// `version` comes from totals.last_version, so a key deleted and written again never repeats one.
const schema = `
CREATE TABLE IF NOT EXISTS entries (
  key BLOB PRIMARY KEY,
  value BLOB NOT NULL,
  version INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS totals (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  keys INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  last_version INTEGER NOT NULL
) STRICT;
INSERT OR IGNORE INTO totals (id, keys, bytes, last_version) VALUES (1, 0, 0, 0);
`;

interface Totals {
  keys: number;
  bytes: number;
  last_version: number;
}

interface Entry {
  key: Buffer;
  value: Buffer;
  version: number;
}

/** What one write changes, before it is applied: the quota is checked on the whole batch first. */
interface PendingWrite {
  readonly key: Buffer;
  readonly value: Uint8Array;
}

/**
 * @example
 * const store = new SqliteKeyValueStore({ name: 'default', path: '.wasmlet/kv/default.db' });
 * await store.set('greeting', new TextEncoder().encode('hi'));
 */
export class SqliteKeyValueStore implements KeyValueStore {
  readonly name: string;
  readonly #db: Database.Database;
  readonly #sql: ReturnType<typeof prepare>;
  readonly #write: Database.Transaction<(writes: readonly PendingWrite[], limits: KeyValueLimits) => void>;
  readonly #remove: Database.Transaction<(keys: readonly Buffer[]) => number>;
  readonly #increment: Database.Transaction<(key: string, keyBytes: Buffer, delta: bigint, limits: KeyValueLimits) => bigint>;
  readonly #swap: Database.Transaction<(keyBytes: Buffer, version: number, value: Uint8Array, limits: KeyValueLimits) => CasResult>;

  constructor(options: SqliteKeyValueStoreOptions) {
    this.name = options.name;
    this.#db = openSqlite(options.path, { synchronous: options.synchronous ?? 'normal' });
    try {
      migrate(this.#db, 'key-value database', [{ version: 1, apply: schema }]);
      this.#sql = prepare(this.#db);
    } catch (err) {
      this.#db.close();
      throw err;
    }
    this.#write = this.#db.transaction((writes, limits) => this.#applyWrites(writes, limits));
    this.#remove = this.#db.transaction((keys) => this.#applyDeletes(keys));
    this.#increment = this.#db.transaction((key, keyBytes, delta, limits) => {
      const next = addToCounter(key, parseCounter(key, this.#sql.value.get(keyBytes) as Buffer | undefined), delta);
      this.#applyWrites([{ key: keyBytes, value: Buffer.from(next.toString(), 'latin1') }], limits);
      return next;
    });
    this.#swap = this.#db.transaction((keyBytes, version, value, limits) => {
      const current = this.#sql.entry.get(keyBytes) as Entry | undefined;
      if ((current?.version ?? 0) !== version) return { swapped: false, current: versioned(current) };
      this.#applyWrites([{ key: keyBytes, value }], limits);
      return { swapped: true };
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const value = this.#sql.value.get(parseKey(key, maxKvMaxKeyBytes)) as Buffer | undefined;
    return value === undefined ? undefined : toBytes(value);
  }

  async exists(key: string): Promise<boolean> {
    return this.#sql.exists.get(parseKey(key, maxKvMaxKeyBytes)) !== undefined;
  }

  async set(key: string, value: Uint8Array, limits: KeyValueLimits = defaultKeyValueLimits): Promise<void> {
    const write = { key: parseKey(key, limits.kvMaxKeyBytes), value: checkValue(key, value, limits) };
    this.#write.immediate([write], limits);
  }

  async delete(key: string): Promise<boolean> {
    return this.#remove.immediate([parseKey(key, maxKvMaxKeyBytes)]) === 1;
  }

  async listKeys(options: ListKeysOptions = {}): Promise<KeyPage> {
    const limit = parsePageLimit(options.limit);
    const after = parseCursor(options.cursor);
    const prefix = options.prefix === undefined || options.prefix === '' ? undefined : parsePrefix(options.prefix);
    // UTF-8 never contains 0xff, so [0xff] is above every key, and a prefix always has an upper bound.
    const below = prefix === undefined ? aboveEveryKey : (prefixUpperBound(prefix) ?? aboveEveryKey);
    // One row more than the page tells whether another page follows.
    const rows = (
      after !== undefined && (prefix === undefined || Buffer.compare(after, prefix) >= 0)
        ? this.#sql.keysAfter.all(after, below, limit + 1)
        : this.#sql.keysFrom.all(prefix ?? Buffer.alloc(0), below, limit + 1)
    ) as Buffer[];
    const page = rows.slice(0, limit);
    const keys = page.map((k) => k.toString('utf8'));
    return rows.length > limit ? { keys, cursor: encodeCursor(page[page.length - 1]!) } : { keys };
  }

  async increment(key: string, delta: bigint, limits: KeyValueLimits = defaultKeyValueLimits): Promise<bigint> {
    return this.#increment.immediate(key, parseKey(key, limits.kvMaxKeyBytes), delta, limits);
  }

  async read(key: string): Promise<VersionedValue> {
    return versioned(this.#sql.entry.get(parseKey(key, maxKvMaxKeyBytes)) as Entry | undefined);
  }

  async compareAndSwap(key: string, version: number, value: Uint8Array, limits: KeyValueLimits = defaultKeyValueLimits): Promise<CasResult> {
    if (!Number.isSafeInteger(version) || version < 0) throw new WasmletError('bad_request', `version must be a non-negative integer, got ${String(version)}`);
    return this.#swap.immediate(parseKey(key, limits.kvMaxKeyBytes), version, checkValue(key, value, limits), limits);
  }

  async getMany(keys: readonly string[]): Promise<Array<Uint8Array | undefined>> {
    checkBatch(keys.length);
    const parsed = keys.map((key) => parseKey(key, maxKvMaxKeyBytes));
    return this.#db.transaction(() =>
      parsed.map((key) => {
        const value = this.#sql.value.get(key) as Buffer | undefined;
        return value === undefined ? undefined : toBytes(value);
      }),
    )();
  }

  async setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>, limits: KeyValueLimits = defaultKeyValueLimits): Promise<void> {
    checkBatch(entries.length);
    // Every entry is checked before anything is written: a bad one refuses the batch whole.
    const writes = entries.map(([key, value]) => ({ key: parseKey(key, limits.kvMaxKeyBytes), value: checkValue(key, value, limits) }));
    this.#write.immediate(writes, limits);
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    checkBatch(keys.length);
    return this.#remove.immediate(keys.map((key) => parseKey(key, maxKvMaxKeyBytes)));
  }

  async stats(): Promise<StoreStats> {
    const { keys, bytes } = this.#sql.totals.get() as Totals;
    return { keys, bytes };
  }

  close(): void {
    this.#db.close();
  }

  /** Inside a transaction: the quota is checked on the whole batch before its first write. */
  #applyWrites(writes: readonly PendingWrite[], limits: KeyValueLimits): void {
    const totals = this.#sql.totals.get() as Totals;
    // A key written twice in one batch: the last value wins, and only it is counted.
    const last = new Map<string, PendingWrite>();
    for (const write of writes) last.set(write.key.toString('hex'), write);
    let bytes = totals.bytes;
    let keys = totals.keys;
    for (const write of last.values()) {
      const old = this.#sql.valueLength.get(write.key) as number | undefined;
      if (old === undefined) keys++;
      else bytes -= write.key.byteLength + old;
      bytes += write.key.byteLength + write.value.byteLength;
    }
    // A write that does not grow the store is allowed even over the quota (it may have been lowered).
    if (bytes > limits.kvQuotaBytes && bytes > totals.bytes) throw quotaError(this.name, bytes, limits);
    let version = totals.last_version;
    for (const write of last.values()) this.#sql.upsert.run(write.key, toBuffer(write.value), ++version);
    this.#sql.setTotals.run(keys, bytes, version);
  }

  #applyDeletes(keys: readonly Buffer[]): number {
    const totals = this.#sql.totals.get() as Totals;
    let deleted = 0;
    let bytes = totals.bytes;
    for (const key of keys) {
      const old = this.#sql.deleteReturning.get(key) as number | undefined;
      if (old === undefined) continue;
      deleted++;
      bytes -= key.byteLength + old;
    }
    if (deleted > 0) this.#sql.setTotals.run(totals.keys - deleted, bytes, totals.last_version);
    return deleted;
  }
}

function prepare(db: Database.Database) {
  return {
    value: db.prepare('SELECT value FROM entries WHERE key = ?').pluck(),
    valueLength: db.prepare('SELECT length(value) FROM entries WHERE key = ?').pluck(),
    exists: db.prepare('SELECT 1 FROM entries WHERE key = ?').pluck(),
    entry: db.prepare('SELECT key, value, version FROM entries WHERE key = ?'),
    upsert: db.prepare('INSERT INTO entries (key, value, version) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version'),
    deleteReturning: db.prepare('DELETE FROM entries WHERE key = ? RETURNING length(value)').pluck(),
    keysAfter: db.prepare('SELECT key FROM entries WHERE key > ? AND key < ? ORDER BY key LIMIT ?').pluck(),
    keysFrom: db.prepare('SELECT key FROM entries WHERE key >= ? AND key < ? ORDER BY key LIMIT ?').pluck(),
    totals: db.prepare('SELECT keys, bytes, last_version FROM totals WHERE id = 1'),
    setTotals: db.prepare('UPDATE totals SET keys = ?, bytes = ?, last_version = ? WHERE id = 1'),
  };
}

/** A prefix is a key fragment: the same alphabet, any length up to the longest key. */
function parsePrefix(prefix: string): Buffer {
  return parseKey(prefix, maxKvMaxKeyBytes);
}

function versioned(entry: Entry | undefined): VersionedValue {
  return entry === undefined ? { value: undefined, version: 0 } : { value: toBytes(entry.value), version: entry.version };
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Callers get plain Uint8Arrays (a view over the Buffer SQLite filled), whatever the backend. */
function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
