// What one write to a key-value store may be: key and value sizes and the store's size quota. The
// defaults are the manifest's (manifest/manifest-bounds.ts re-exports them); `[limits] kv_*` override.

/** Spin's and Workers KV's key limits sit at 250–512 bytes: a key names a thing, it does not carry it. */
export const defaultKvMaxKeyBytes = 256;
/** Every key is in the store's index (and in each list-keys page): longer keys belong in values. */
export const maxKvMaxKeyBytes = 1_024;
export const minKvMaxKeyBytes = 1;

/** 1 MiB, as Spin's SQLite store and Redis-backed caches commonly allow: bigger data belongs in object storage. */
export const defaultKvMaxValueBytes = 1_048_576;
/** A value crosses threads and lands whole in the guest's linear memory; past 32 MiB use object storage. */
export const maxKvMaxValueBytes = 33_554_432;
export const minKvMaxValueBytes = 0;

/**
 * 256 MiB per store: far above what a function's state needs, low enough that a guest writing in a
 * loop fills it in seconds instead of filling the host's disk. Counted as UTF-8 key bytes plus value
 * bytes (SQLite's own overhead is not counted).
 */
export const defaultKvQuotaBytes = 268_435_456;
/** 64 GiB: one SQLite file per store; beyond this a store wants a server, not the embedded backend. */
export const maxKvQuotaBytes = 68_719_476_736;
export const minKvQuotaBytes = 1_024;

/** Field names as in the parsed manifest's `limits`, so `manifest.limits` can be passed as is. */
export interface KeyValueLimits {
  /** UTF-8 bytes of one key. */
  readonly kvMaxKeyBytes: number;
  /** Bytes of one value. */
  readonly kvMaxValueBytes: number;
  /** Key plus value bytes the whole store may hold after a write; a write that would pass it is refused whole. */
  readonly kvQuotaBytes: number;
}

export const defaultKeyValueLimits: KeyValueLimits = Object.freeze({
  kvMaxKeyBytes: defaultKvMaxKeyBytes,
  kvMaxValueBytes: defaultKvMaxValueBytes,
  kvQuotaBytes: defaultKvQuotaBytes,
});

/** Keys of one list-keys page: 1 000 keys of at most 1 KiB stay under a megabyte. */
export const maxKvListPageKeys = 1_000;
/** Keys of one batch (get-many, set-many, delete-many): one transaction, one message between threads. */
export const maxKvBatchKeys = 1_000;
