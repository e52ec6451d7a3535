// The role every key-value backend plays: named stores of byte values under UTF-8 keys, with
// cursors, counters, compare-and-swap and batches (what wasi:keyvalue asks of a host).
import type { KeyValueLimits } from './key-value-limits.js';

/**
 * The stores of one host. A store exists once it has been opened (the host opens every store a
 * deployed manifest grants, so stores are created on first grant).
 *
 * @example
 * const sessions = await stores.open('sessions');
 * await sessions.set('user:42', new TextEncoder().encode('{"cart":[]}'));
 * for (const s of await stores.list()) console.log(s.name, s.keys, s.bytes);
 */
export interface KeyValueStores {
  /** Opens the store `name`, creating it empty if it does not exist. Throws `bad_request` for a name outside `storeNamePattern`. */
  open(name: string): Promise<KeyValueStore>;
  /** The store `name` if it exists; never creates one. */
  find(name: string): Promise<KeyValueStore | undefined>;
  /** Every store, by name, with its size. */
  list(): Promise<StoreSummary[]>;
  close(): Promise<void>;
}

/**
 * One store. Keys are non-empty strings of well-formed Unicode without NUL, at most
 * `limits.kvMaxKeyBytes` UTF-8 bytes; values are bytes. Every single-key operation is atomic, and
 * a write is durable once its promise resolves (against a process crash at least).
 *
 * Errors are `WasmletError`s: `kv_key_invalid`, `kv_value_too_large`, `kv_quota_exceeded` (nothing
 * written), `kv_not_a_counter` (increment of a value that is not a decimal integer), `bad_request`
 * (a malformed cursor, a batch too large). A refused write changes nothing, batches included.
 */
export interface KeyValueStore {
  readonly name: string;
  /** The value of `key`, or undefined when absent. */
  get(key: string): Promise<Uint8Array | undefined>;
  exists(key: string): Promise<boolean>;
  /** Creates or replaces. `limits` are the writer's (default: the host defaults). */
  set(key: string, value: Uint8Array, limits?: KeyValueLimits): Promise<void>;
  /** Deletes `key`; false when it was absent. Always allowed, whatever the quota. */
  delete(key: string): Promise<boolean>;
  /**
   * One page of keys in UTF-8 byte order, optionally only those starting with `prefix`. `cursor` is
   * the previous page's; a page with no `cursor` is the last. Keys written or deleted between pages
   * may or may not be seen, but a key present throughout is listed exactly once.
   */
  listKeys(options?: ListKeysOptions): Promise<KeyPage>;
  /**
   * Adds `delta` to the counter at `key` and returns the new value. A counter is stored as its
   * decimal ASCII text ("42"), so `get` reads it; an absent key counts from 0. A value that is not
   * a decimal signed 64-bit integer, or a result outside that range, is `kv_not_a_counter`.
   */
  increment(key: string, delta: bigint, limits?: KeyValueLimits): Promise<bigint>;
  /** The value with its version, for compare-and-swap. Version 0 means absent; any write changes the version. */
  read(key: string): Promise<VersionedValue>;
  /** Writes `value` only if `key` is still at `version` (0: still absent); otherwise returns what is there now. */
  compareAndSwap(key: string, version: number, value: Uint8Array, limits?: KeyValueLimits): Promise<CasResult>;
  /** Values in the order of `keys`; undefined for an absent key. */
  getMany(keys: readonly string[]): Promise<Array<Uint8Array | undefined>>;
  /** All or nothing: an invalid entry, or a batch that would pass the quota, writes none of them. */
  setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>, limits?: KeyValueLimits): Promise<void>;
  /** Deletes every key present; returns how many were. */
  deleteMany(keys: readonly string[]): Promise<number>;
  stats(): Promise<StoreStats>;
}

export interface ListKeysOptions {
  readonly prefix?: string;
  readonly cursor?: string;
  /** Keys per page, 1..1000; default 1000. */
  readonly limit?: number;
}

export interface KeyPage {
  readonly keys: string[];
  /** Pass it back for the next page; absent on the last one. */
  readonly cursor?: string;
}

export interface VersionedValue {
  readonly value: Uint8Array | undefined;
  /** 0 when absent. Opaque otherwise: only equality means anything. */
  readonly version: number;
}

export type CasResult = { readonly swapped: true } | { readonly swapped: false; readonly current: VersionedValue };

export interface StoreStats {
  readonly keys: number;
  /** UTF-8 key bytes plus value bytes: what the quota counts. */
  readonly bytes: number;
}

export interface StoreSummary extends StoreStats {
  readonly name: string;
}
