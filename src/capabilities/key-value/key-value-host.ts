// The main-thread side of wasi:keyvalue as the worker pool sees it (a HostRequestHandler): checks
// the store against the function's grant, runs the operation on the store with the function's
// limits, and answers with one `value` or one `error` (a catalog code, or access-denied).
import { toWasmletError } from '../../errors/wasmlet-error.js';
import { defaultKeyValueLimits, type KeyValueLimits } from '../../kv/key-value-limits.js';
import type { KeyValueStore, KeyValueStores } from '../../kv/key-value-store.js';
import type { HostEvent, HostRequestHandler, InvocationScope } from '../host-link.js';
import { accessDenied, type KeyValueHostRequest, type KeyValueOperation } from './key-value-request.js';

export class KeyValueHost implements HostRequestHandler<KeyValueHostRequest> {
  readonly #stores: KeyValueStores;

  constructor(stores: KeyValueStores) {
    this.#stores = stores;
  }

  start(scope: InvocationScope, request: KeyValueHostRequest, emit: (event: HostEvent) => void): () => void {
    const grant = scope.grants.keyValue;
    // The worker checked too; this is the check that counts (the worker only asks).
    if (!grant?.stores.includes(request.store)) {
      emit({ kind: 'error', code: accessDenied, message: `${scope.functionName} is not granted key-value store "${request.store}" (key_value_stores)` });
      return () => {};
    }
    this.#stores.open(request.store).then(
      (store) => run(store, request.operation, grant.limits),
    ).then(
      (value) => emit({ kind: 'value', value }),
      (err: unknown) => {
        const error = toWasmletError(err);
        emit({ kind: 'error', code: error.code, message: error.code === 'internal' ? `the store failed: ${String((err as Error)?.message ?? err)}` : error.message });
      },
    );
    // One SQLite call: nothing to stop half-way.
    return () => {};
  }

  /** Creates the stores a deployed manifest grants (stores are created on first grant, so they can be listed and filled before any call). */
  async provision(stores: readonly string[]): Promise<void> {
    for (const name of stores) await this.#stores.open(name);
  }
}

/** The port's answer, as plain data for the worker. */
async function run(store: KeyValueStore, operation: KeyValueOperation, limits: KeyValueLimits = defaultKeyValueLimits): Promise<unknown> {
  switch (operation.op) {
    case 'get':
      return store.get(operation.key);
    case 'set':
      return store.set(operation.key, operation.value, limits);
    case 'delete':
      return store.delete(operation.key);
    case 'exists':
      return store.exists(operation.key);
    case 'list-keys':
      return store.listKeys(operation.cursor === undefined ? {} : { cursor: operation.cursor });
    case 'increment':
      return store.increment(operation.key, operation.delta, limits);
    case 'read':
      return store.read(operation.key);
    case 'swap':
      return store.compareAndSwap(operation.key, operation.version, operation.value, limits);
    case 'get-many':
      return store.getMany(operation.keys);
    case 'set-many':
      return store.setMany(operation.entries, limits);
    case 'delete-many':
      return store.deleteMany(operation.keys);
  }
}
