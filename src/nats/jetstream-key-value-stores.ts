// The KeyValueStores port on JetStream: one KV bucket per store (`wasmlet_kv_<store>`, history 1),
// keys as the hex of their UTF-8 bytes (JetStream keys allow few characters), the entry's revision
// as the version compare-and-swap compares.
//
// What differs from the embedded store, by design of JetStream KV: listing keys and the quota read
// every key of the store (fine for small stores, not for millions of keys); the quota is checked
// before a write, not in the same step, so two hosts writing at once can pass it a little; a
// `setMany`/`deleteMany` is key after key, not all or nothing on a crash (every entry is checked
// before the first write, so a refused batch still writes nothing).
import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { WasmletError } from '../errors/wasmlet-error.js';
import {
  addToCounter, checkBatch, checkValue, encodeCursor, parseCounter, parseCursor, parseKey, parsePageLimit, parseStoreName, quotaError, storeNamePattern,
} from '../kv/key-value-input.js';
import { defaultKeyValueLimits, maxKvMaxKeyBytes, type KeyValueLimits } from '../kv/key-value-limits.js';
import type { CasResult, KeyPage, KeyValueStore, KeyValueStores, ListKeysOptions, StoreStats, StoreSummary, VersionedValue } from '../kv/key-value-store.js';
import { kvmOf, managerOf } from './jetstream-clients.js';

const bucketPrefix = 'wasmlet_kv_';
/** A lost compare-and-swap race in `increment` is retried this often before giving up. */
const maxIncrementRounds = 100;

export interface JetStreamKeyValueStoresOptions {
  readonly connection: NatsConnection;
  readonly replicas?: number;
}

export class JetStreamKeyValueStores implements KeyValueStores {
  readonly #nc: NatsConnection;
  readonly #replicas: number;
  readonly #kvm: Kvm;
  readonly #open = new Map<string, Promise<JetStreamKeyValueStore>>();
  #jsm: Promise<JetStreamManager> | undefined;

  constructor(options: JetStreamKeyValueStoresOptions) {
    this.#nc = options.connection;
    this.#replicas = options.replicas ?? 1;
    this.#kvm = kvmOf(this.#nc);
  }

  async open(name: string): Promise<KeyValueStore> {
    parseStoreName(name);
    let store = this.#open.get(name);
    if (!store) {
      store = Promise.all([this.#kvm.create(`${bucketPrefix}${name}`, { history: 1, replicas: this.#replicas, allow_direct: false }), this.#manager()])
        .then(([kv, jsm]) => new JetStreamKeyValueStore(name, kv, jsm));
      store.catch(() => this.#open.delete(name));
      this.#open.set(name, store);
    }
    return store;
  }

  async find(name: string): Promise<KeyValueStore | undefined> {
    if (!storeNamePattern.test(name)) return undefined;
    const known = this.#open.get(name);
    if (known) return known;
    return (await this.#bucketNames()).includes(name) ? this.open(name) : undefined;
  }

  async list(): Promise<StoreSummary[]> {
    const summaries: StoreSummary[] = [];
    for (const name of (await this.#bucketNames()).sort()) summaries.push({ name, ...(await (await this.open(name)).stats()) });
    return summaries;
  }

  async close(): Promise<void> {
    this.#open.clear();
  }

  #manager(): Promise<JetStreamManager> {
    this.#jsm ??= managerOf(this.#nc);
    return this.#jsm;
  }

  async #bucketNames(): Promise<string[]> {
    const names: string[] = [];
    for await (const stream of (await this.#manager()).streams.names()) {
      const name = stream.startsWith(`KV_${bucketPrefix}`) ? stream.slice(`KV_${bucketPrefix}`.length) : '';
      if (storeNamePattern.test(name)) names.push(name);
    }
    return names;
  }
}

class JetStreamKeyValueStore implements KeyValueStore {
  /** This host's writes to the store, one at a time: each reads the whole store for the quota. */
  #writes: Promise<unknown> = Promise.resolve();

  constructor(readonly name: string, readonly kv: KV, readonly jsm: JetStreamManager) {}

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(work, work);
    this.#writes = run.catch(() => undefined);
    return run;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.read(key)).value;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.read(key)).version !== 0;
  }

  async set(key: string, value: Uint8Array, limits: KeyValueLimits = defaultKeyValueLimits): Promise<void> {
    await this.setMany([[key, value]], limits);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.deleteMany([key])) === 1;
  }

  async listKeys(options: ListKeysOptions = {}): Promise<KeyPage> {
    const limit = parsePageLimit(options.limit);
    const after = parseCursor(options.cursor);
    const prefix = options.prefix === undefined || options.prefix === '' ? undefined : parseKey(options.prefix, maxKvMaxKeyBytes);
    const keys = [...(await this.#sizes()).keys()]
      .filter((k) => (prefix === undefined || k.subarray(0, prefix.byteLength).equals(prefix)) && (after === undefined || Buffer.compare(k, after) > 0))
      .sort(Buffer.compare);
    const page = keys.slice(0, limit);
    const text = page.map((k) => k.toString('utf8'));
    return keys.length > limit ? { keys: text, cursor: encodeCursor(page[page.length - 1]!) } : { keys: text };
  }

  async increment(key: string, delta: bigint, limits: KeyValueLimits = defaultKeyValueLimits): Promise<bigint> {
    parseKey(key, limits.kvMaxKeyBytes);
    for (let round = 0; round < maxIncrementRounds; round++) {
      const current = await this.read(key);
      const next = addToCounter(key, parseCounter(key, current.value), delta);
      const result = await this.compareAndSwap(key, current.version, Buffer.from(next.toString(), 'latin1'), limits);
      if (result.swapped) return next;
    }
    throw new WasmletError('nats_unavailable', `increment of ${JSON.stringify(key)} in store "${this.name}" lost ${maxIncrementRounds} compare-and-swap races in a row; retry`);
  }

  async read(key: string): Promise<VersionedValue> {
    const entry = await this.kv.get(entryKey(parseKey(key, maxKvMaxKeyBytes)));
    if (!entry || entry.operation !== 'PUT') return { value: undefined, version: 0 };
    return { value: new Uint8Array(entry.value), version: entry.revision };
  }

  async compareAndSwap(key: string, version: number, value: Uint8Array, limits: KeyValueLimits = defaultKeyValueLimits): Promise<CasResult> {
    if (!Number.isSafeInteger(version) || version < 0) throw new WasmletError('bad_request', `version must be a non-negative integer, got ${String(version)}`);
    const keyBytes = parseKey(key, limits.kvMaxKeyBytes);
    const checked = checkValue(key, value, limits);
    return this.#serial(async () => {
    await this.#checkQuota([[keyBytes, checked]], limits);
    try {
      // Revision 0 is "absent": create succeeds only when the key has no value (or was deleted).
      if (version === 0) await this.kv.create(entryKey(keyBytes), copy(checked));
      else await this.kv.update(entryKey(keyBytes), copy(checked), version);
      return { swapped: true };
    } catch {
      return { swapped: false, current: await this.read(key) };
    }
    });
  }

  async getMany(keys: readonly string[]): Promise<Array<Uint8Array | undefined>> {
    checkBatch(keys.length);
    keys.forEach((key) => parseKey(key, maxKvMaxKeyBytes));
    return Promise.all(keys.map((key) => this.get(key)));
  }

  async setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>, limits: KeyValueLimits = defaultKeyValueLimits): Promise<void> {
    checkBatch(entries.length);
    // Every entry is checked (and the quota) before anything is written: a refused batch writes nothing.
    const last = new Map<string, readonly [Buffer, Uint8Array]>();
    for (const [key, value] of entries) {
      const keyBytes = parseKey(key, limits.kvMaxKeyBytes);
      last.set(keyBytes.toString('hex'), [keyBytes, checkValue(key, value, limits)]);
    }
    await this.#serial(async () => {
      await this.#checkQuota([...last.values()], limits);
      for (const [keyBytes, value] of last.values()) await this.kv.put(entryKey(keyBytes), copy(value));
    });
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    checkBatch(keys.length);
    const parsed = [...new Map(keys.map((key) => { const b = parseKey(key, maxKvMaxKeyBytes); return [b.toString('hex'), b] as const; })).values()];
    let deleted = 0;
    for (const keyBytes of parsed) {
      const entry = await this.kv.get(entryKey(keyBytes));
      if (!entry || entry.operation !== 'PUT') continue;
      await this.kv.delete(entryKey(keyBytes));
      deleted++;
    }
    return deleted;
  }

  async stats(): Promise<StoreStats> {
    let keys = 0;
    let bytes = 0;
    for (const [key, size] of await this.#sizes()) {
      keys++;
      bytes += key.byteLength + size;
    }
    return { keys, bytes };
  }

  /** Refuses writes that would take the store over its quota (a write that does not grow it always passes). */
  async #checkQuota(writes: ReadonlyArray<readonly [Buffer, Uint8Array]>, limits: KeyValueLimits): Promise<void> {
    const sizes = await this.#sizes();
    const now = [...sizes].reduce((sum, [key, size]) => sum + key.byteLength + size, 0);
    const byHex = new Map([...sizes].map(([key, size]) => [key.toString('hex'), size]));
    let after = now;
    for (const [key, value] of writes) {
      const old = byHex.get(key.toString('hex'));
      if (old !== undefined) after -= key.byteLength + old;
      after += key.byteLength + value.byteLength;
    }
    if (after > limits.kvQuotaBytes && after > now) throw quotaError(this.name, after, limits);
  }

  /** Every key with its value's size: one read per key. */
  async #sizes(): Promise<Map<Buffer, number>> {
    const sizes = new Map<Buffer, number>();
    for (const key of await this.#allKeys()) {
      const entry = await this.kv.get(entryKey(key));
      if (entry && entry.operation === 'PUT') sizes.set(key, entry.value.byteLength);
    }
    return sizes;
  }

  /**
   * Every key that has a message, from the bucket stream's subject list: one request, where the
   * client's kv.keys() would leave an ephemeral consumer behind per call. Deleted keys are still
   * listed here (their delete marker): #sizes drops them.
   */
  async #allKeys(): Promise<Buffer[]> {
    const bucket = `${bucketPrefix}${this.name}`;
    const prefix = `$KV.${bucket}.k.`;
    const info = await this.jsm.streams.info(`KV_${bucket}`, { subjects_filter: `${prefix}>` });
    return Object.keys(info.state.subjects ?? {}).map((subject) => Buffer.from(subject.slice(prefix.length), 'hex'));
  }
}

function entryKey(keyBytes: Buffer): string {
  return `k.${keyBytes.toString('hex')}`;
}

/** The caller may change its array after the call: what is stored is a copy. */
function copy(value: Uint8Array): Uint8Array {
  return new Uint8Array(value);
}
