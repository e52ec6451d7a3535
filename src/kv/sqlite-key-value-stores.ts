// The embedded KeyValueStores: one SQLite database per store under `<data-dir>/kv/<store>.db`,
// opened on first use and kept open (a store is a file handle and a few prepared statements).
import { mkdirSync } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseStoreName, storeNamePattern } from './key-value-input.js';
import type { KeyValueStore, KeyValueStores, StoreSummary } from './key-value-store.js';
import { SqliteKeyValueStore, type SqliteSynchronous } from './sqlite-key-value-store.js';

export interface SqliteKeyValueStoresOptions {
  /** The folder holding one `<store>.db` per store (created if missing). */
  readonly dir: string;
  readonly synchronous?: SqliteSynchronous;
}

const fileSuffix = '.db';

/**
 * @example
 * const stores = new SqliteKeyValueStores({ dir: join(dataDir, 'kv') });
 * const store = await stores.open('default');   // creates kv/default.db the first time
 */
export class SqliteKeyValueStores implements KeyValueStores {
  readonly #dir: string;
  readonly #synchronous: SqliteSynchronous | undefined;
  readonly #open = new Map<string, SqliteKeyValueStore>();

  constructor(options: SqliteKeyValueStoresOptions) {
    this.#dir = options.dir;
    this.#synchronous = options.synchronous;
    // Synchronous on purpose (the host builds this once at start): opening a store is then one
    // synchronous step too, so two concurrent first opens cannot race to two handles.
    mkdirSync(this.#dir, { recursive: true });
  }

  async open(name: string): Promise<KeyValueStore> {
    return this.#opened(parseStoreName(name));
  }

  async find(name: string): Promise<KeyValueStore | undefined> {
    const known = this.#open.get(name);
    if (known) return known;
    if (!storeNamePattern.test(name)) return undefined;
    const exists = await access(this.#fileOf(name)).then(() => true, () => false);
    // #opened is synchronous: two finds racing here still share one handle.
    return exists ? this.#opened(name) : undefined;
  }

  async list(): Promise<StoreSummary[]> {
    const names = new Set(this.#open.keys());
    for (const file of await readdir(this.#dir)) {
      const name = file.endsWith(fileSuffix) ? file.slice(0, -fileSuffix.length) : '';
      if (storeNamePattern.test(name)) names.add(name);
    }
    const summaries: StoreSummary[] = [];
    for (const name of [...names].sort()) summaries.push({ name, ...(await this.#opened(name).stats()) });
    return summaries;
  }

  async close(): Promise<void> {
    for (const store of this.#open.values()) store.close();
    this.#open.clear();
  }

  #opened(name: string): SqliteKeyValueStore {
    let store = this.#open.get(name);
    if (!store) {
      store = new SqliteKeyValueStore({ name, path: this.#fileOf(name), ...(this.#synchronous ? { synchronous: this.#synchronous } : {}) });
      this.#open.set(name, store);
    }
    return store;
  }

  #fileOf(name: string): string {
    return join(this.#dir, `${name}${fileSuffix}`);
  }
}
