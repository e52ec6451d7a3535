// The key-value endpoints of the admin API: the stores functions use, for people to inspect and fix.
//   GET    /v1/kv                          every store: keys, bytes, and the functions granted it
//   GET    /v1/kv/{store}/keys?prefix=&cursor=&limit=   one page of keys
//   GET    /v1/kv/{store}/keys/{key}       the value, as raw bytes (application/octet-stream)
//   PUT    /v1/kv/{store}/keys/{key}       the raw body becomes the value
//   DELETE /v1/kv/{store}/keys/{key}       removes the key
// A key is the rest of the path, percent-decoded as UTF-8, so it may hold "/" ("a/b" or "a%2Fb").
import type { Context, Hono } from 'hono';
import { WasmletError } from '../errors/wasmlet-error.js';
import { parseStoreName } from '../kv/key-value-input.js';
import { maxKvMaxKeyBytes, maxKvMaxValueBytes, maxKvQuotaBytes, type KeyValueLimits } from '../kv/key-value-limits.js';
import type { KeyValueStore, KeyValueStores } from '../kv/key-value-store.js';
import type { Registry } from '../registry/registry.js';
import { readBodyLimited } from './read-body.js';

export interface KeyValueRouteDeps {
  readonly keyValue: KeyValueStores;
  readonly registry: Registry;
}

/**
 * People are trusted with a store: their writes may use the largest key and value any manifest may
 * allow, and a store may grow to the largest quota (a function's own quota still binds its writes).
 */
const operatorLimits: KeyValueLimits = Object.freeze({ kvMaxKeyBytes: maxKvMaxKeyBytes, kvMaxValueBytes: maxKvMaxValueBytes, kvQuotaBytes: maxKvQuotaBytes });

export function mountKeyValueRoutes(app: Hono, deps: KeyValueRouteDeps): void {
  app.get('/v1/kv', async (c) => {
    const grantedTo = new Map<string, string[]>();
    for (const fn of deps.registry.list()) for (const store of fn.manifest.keyValueStores) grantedTo.set(store, [...(grantedTo.get(store) ?? []), fn.name]);
    const stores = (await deps.keyValue.list()).map((s) => ({ ...s, grantedTo: grantedTo.get(s.name) ?? [] }));
    return c.json({ stores });
  });

  app.get('/v1/kv/:store/keys', async (c) => {
    const store = await existingStore(deps, c.req.param('store'));
    const prefix = c.req.query('prefix');
    const cursor = c.req.query('cursor');
    const limit = c.req.query('limit');
    const page = await store.listKeys({
      ...(prefix ? { prefix } : {}),
      ...(cursor ? { cursor } : {}),
      ...(limit === undefined ? {} : { limit: Number(limit) }),
    });
    return c.json({ store: store.name, keys: page.keys, ...(page.cursor === undefined ? {} : { cursor: page.cursor }) });
  });

  app.get('/v1/kv/:store/keys/*', async (c) => {
    const store = await existingStore(deps, c.req.param('store'));
    const key = keyOf(c);
    const value = await store.get(key);
    if (value === undefined) throw new WasmletError('kv_key_not_found', `no key ${JSON.stringify(key)} in store "${store.name}"`, { store: store.name, key });
    return c.body(value as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/octet-stream' });
  });

  app.put('/v1/kv/:store/keys/*', async (c) => {
    const store = await existingStore(deps, c.req.param('store'));
    const key = keyOf(c);
    const read = await readBodyLimited(c.req.raw, operatorLimits.kvMaxValueBytes);
    if (!read.ok) throw new WasmletError('kv_value_too_large', `a value is at most ${operatorLimits.kvMaxValueBytes} bytes`, { limit: operatorLimits.kvMaxValueBytes });
    const existed = await store.exists(key);
    await store.set(key, read.body, operatorLimits);
    return c.json({ store: store.name, key, bytes: read.body.byteLength, created: !existed }, existed ? 200 : 201);
  });

  app.delete('/v1/kv/:store/keys/*', async (c) => {
    const store = await existingStore(deps, c.req.param('store'));
    const key = keyOf(c);
    if (!(await store.delete(key))) throw new WasmletError('kv_key_not_found', `no key ${JSON.stringify(key)} in store "${store.name}"`, { store: store.name, key });
    return c.json({ store: store.name, deleted: key });
  });
}

/** Stores are created when a function granting them is deployed; a name nobody granted is a typo, not a new store. */
async function existingStore(deps: KeyValueRouteDeps, name: string): Promise<KeyValueStore> {
  const store = await deps.keyValue.find(parseStoreName(name));
  if (!store) throw new WasmletError('kv_store_not_found', `no key-value store "${name}"; a store is created when a function listing it in key_value_stores is deployed`, { store: name });
  return store;
}

/** The key: the raw path after `/keys/`, percent-decoded (hono's wildcard would not keep "%2F" apart from "/"). */
function keyOf(c: Context): string {
  const path = new URL(c.req.url).pathname;
  const raw = path.slice(path.indexOf('/keys/') + '/keys/'.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new WasmletError('kv_key_invalid', `the key in ${JSON.stringify(path)} is not percent-encoded UTF-8`, { path });
  }
}
