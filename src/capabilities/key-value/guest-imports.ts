// The worker side of wasi:keyvalue@0.2.0-draft2 (store, atomics, batch), shaped as jco's glue calls
// it: resources are classes (`Bucket`, `Cas`), `result` errors are thrown values carrying a
// `payload`. Each operation is one synchronous call to the main thread (callHost): the guest's
// thread waits without holding a compute slot. Only `store.open` needs the instance's grant, so it
// is the only per-instance import; the rest reach the host through the bucket they are given.
import { callHost, HostCallError, type HostLink } from '../host-link.js';
import { storeNamePattern } from '../../kv/key-value-input.js';
import type { CasResult, KeyPage, VersionedValue } from '../../kv/key-value-store.js';
import { accessDenied, type KeyValueOperation } from './key-value-request.js';

/** wasi:keyvalue's `error` variant. */
export type WasiKeyValueError = { tag: 'no-such-store' } | { tag: 'access-denied' } | { tag: 'other'; val: string };

/** `err(e)` for jco's glue: a thrown value with a `payload` becomes the error. */
class KeyValueFailure {
  constructor(readonly payload: WasiKeyValueError | { tag: 'store-error'; val: WasiKeyValueError } | { tag: 'cas-failed'; val: Cas }) {}
}

/** What a bucket needs to reach its store: the thread's link and the store's name. */
interface StoreHandle {
  readonly link: HostLink;
  readonly store: string;
}

const handles = new WeakMap<Bucket, StoreHandle>();

function call(bucket: Bucket, operation: KeyValueOperation): unknown {
  const handle = handles.get(bucket);
  // Only the glue hands buckets in, and only ones `open` made.
  if (!handle) throw new KeyValueFailure({ tag: 'other', val: 'not a bucket this host opened' });
  try {
    return callHost(handle.link, { kind: 'keyvalue', store: handle.store, operation });
  } catch (err) {
    throw new KeyValueFailure(toWasiError(err));
  }
}

/** The host's refusal in wasi:keyvalue's words; the catalog code leads the text so guests can tell them apart. */
function toWasiError(err: unknown): WasiKeyValueError {
  if (err instanceof HostCallError) return err.code === accessDenied ? { tag: 'access-denied' } : { tag: 'other', val: `${err.code}: ${err.message}` };
  return { tag: 'other', val: String(err) };
}

/** `resource bucket`: a granted store, opened by `open`. */
export class Bucket {
  get(key: string): Uint8Array | undefined {
    return call(this, { op: 'get', key }) as Uint8Array | undefined;
  }
  set(key: string, value: Uint8Array): void {
    call(this, { op: 'set', key, value });
  }
  delete(key: string): void {
    call(this, { op: 'delete', key });
  }
  exists(key: string): boolean {
    return call(this, { op: 'exists', key }) as boolean;
  }
  listKeys(cursor: string | undefined): { keys: string[]; cursor: string | undefined } {
    const page = call(this, { op: 'list-keys', cursor: cursor ?? undefined }) as KeyPage;
    return { keys: page.keys, cursor: page.cursor };
  }
}

/** `resource cas`: the value and version of a key when the handle was made; `swap` succeeds only if the version is unchanged. */
export class Cas {
  static new(bucket: Bucket, key: string): Cas {
    return casOf(bucket, key, call(bucket, { op: 'read', key }) as VersionedValue);
  }
  /** The value as of this handle: no second read (the point of the interface). */
  current(): Uint8Array | undefined {
    return casStates.get(this)?.read.value;
  }
}

const casStates = new WeakMap<Cas, { readonly bucket: Bucket; readonly key: string; readonly read: VersionedValue }>();

function casOf(bucket: Bucket, key: string, read: VersionedValue): Cas {
  const cas = new Cas();
  casStates.set(cas, { bucket, key, read });
  return cas;
}

function swap(cas: Cas, value: Uint8Array): void {
  const state = casStates.get(cas);
  if (!state) throw new KeyValueFailure({ tag: 'store-error', val: { tag: 'other', val: 'not a CAS handle this host made' } });
  let result: CasResult;
  try {
    result = call(state.bucket, { op: 'swap', key: state.key, version: state.read.version, value }) as CasResult;
  } catch (err) {
    if (err instanceof KeyValueFailure) throw new KeyValueFailure({ tag: 'store-error', val: err.payload as WasiKeyValueError });
    throw err;
  }
  // The new handle holds what won, so the guest can retry from it.
  if (!result.swapped) throw new KeyValueFailure({ tag: 'cas-failed', val: casOf(state.bucket, state.key, result.current) });
}

/** wasi:keyvalue/store for one instance: `open` checks the instance's grant before anything reaches the host. */
export function createKeyValueStoreImports(stores: readonly string[], link: HostLink) {
  return {
    'wasi:keyvalue/store': {
      Bucket,
      open(identifier: string): Bucket {
        if (!stores.includes(identifier)) throw new KeyValueFailure(storeNamePattern.test(identifier) ? { tag: 'access-denied' } : { tag: 'no-such-store' });
        const bucket = new Bucket();
        handles.set(bucket, { link, store: identifier });
        return bucket;
      },
    },
  };
}

/** wasi:keyvalue/atomics and /batch: the same for every instance (the bucket carries the way to its store). */
export const keyValueSharedImports = {
  'wasi:keyvalue/atomics': {
    Cas,
    increment(bucket: Bucket, key: string, delta: bigint): bigint {
      return call(bucket, { op: 'increment', key, delta }) as bigint;
    },
    swap,
  },
  'wasi:keyvalue/batch': {
    getMany(bucket: Bucket, keys: string[]): Array<[string, Uint8Array] | undefined> {
      const values = call(bucket, { op: 'get-many', keys }) as Array<Uint8Array | undefined>;
      return values.map((value, i) => (value === undefined ? undefined : [keys[i]!, value]));
    },
    setMany(bucket: Bucket, keyValues: Array<[string, Uint8Array]>): void {
      call(bucket, { op: 'set-many', entries: keyValues });
    },
    deleteMany(bucket: Bucket, keys: string[]): void {
      call(bucket, { op: 'delete-many', keys });
    },
  },
};
