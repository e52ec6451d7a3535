// What a worker asks the main thread for on behalf of a wasi:keyvalue guest: one operation on one
// granted store. Plain data (it crosses threads); values are bytes, counters bigints.

/** One operation of wasi:keyvalue's store, atomics and batch interfaces, as the port names it. */
export type KeyValueOperation =
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'set'; readonly key: string; readonly value: Uint8Array }
  | { readonly op: 'delete'; readonly key: string }
  | { readonly op: 'exists'; readonly key: string }
  | { readonly op: 'list-keys'; readonly cursor: string | undefined }
  | { readonly op: 'increment'; readonly key: string; readonly delta: bigint }
  /** The value and its version, for a CAS handle. */
  | { readonly op: 'read'; readonly key: string }
  | { readonly op: 'swap'; readonly key: string; readonly version: number; readonly value: Uint8Array }
  | { readonly op: 'get-many'; readonly keys: readonly string[] }
  | { readonly op: 'set-many'; readonly entries: ReadonlyArray<readonly [string, Uint8Array]> }
  | { readonly op: 'delete-many'; readonly keys: readonly string[] };

export interface KeyValueHostRequest {
  readonly kind: 'keyvalue';
  /** A store name the worker found in the function's grant; the main thread checks it again. */
  readonly store: string;
  readonly operation: KeyValueOperation;
}

/** Error codes the main thread answers with besides the error catalog's `kv_*` ones (wasi:keyvalue's own cases). */
export const accessDenied = 'access-denied';
