// Fake `wasi:keyvalue/{store,atomics,batch}@0.2.0-draft2` for the native tests: one in-memory map
// per store, list-keys pages of `fake.kvPageSize`, and errors thrown the way componentize-qjs
// surfaces `err(e)`: an Error whose `payload` is the variant. `fake.kvGranted` lists the stores
// `open` accepts; `fake.kvRefuse(op, key)` may return an error variant to throw instead.
import assert from 'node:assert/strict';
import { fake } from './state.mjs';

const fail = (payload) => Object.assign(new Error('[object Object] (see error.payload)'), { payload });

function checkKey(key) {
  assert.equal(typeof key, 'string', 'keys are strings');
}

function refused(op, key) {
  const error = fake.kvRefuse(op, key);
  if (error) throw fail(error);
}

export class Bucket {
  #name;
  constructor(name) {
    this.#name = name;
  }
  get map() {
    if (!fake.kv.has(this.#name)) fake.kv.set(this.#name, new Map());
    return fake.kv.get(this.#name);
  }
  get(key) {
    checkKey(key);
    refused('get', key);
    return this.map.get(key)?.value;
  }
  set(key, value) {
    checkKey(key);
    assert.ok(value instanceof Uint8Array, 'values are Uint8Arrays');
    refused('set', key);
    this.map.set(key, { value: value.slice(), version: ++fake.kvVersion });
  }
  delete(key) {
    checkKey(key);
    this.map.delete(key);
  }
  exists(key) {
    checkKey(key);
    return this.map.has(key);
  }
  listKeys(cursor) {
    const keys = [...this.map.keys()].sort();
    const start = cursor === undefined ? 0 : Number(cursor);
    const page = keys.slice(start, start + fake.kvPageSize);
    return { keys: page, cursor: start + page.length < keys.length ? String(start + page.length) : undefined };
  }
}

export function open(name) {
  if (!fake.kvGranted.includes(name)) throw fail({ tag: 'access-denied' });
  return new Bucket(name);
}

export class Cas {
  constructor(bucket, key, entry) {
    this.bucket = bucket;
    this.key = key;
    this.version = entry?.version ?? 0;
    this.value = entry?.value;
  }
  static new(bucket, key) {
    return new Cas(bucket, key, bucket.map.get(key));
  }
  current() {
    return this.value;
  }
}

export function increment(bucket, key, delta) {
  assert.equal(typeof delta, 'number', 'an s64 reaches the QuickJS guest as a number');
  refused('increment', key);
  const current = Number(new TextDecoder().decode(bucket.map.get(key)?.value ?? new TextEncoder().encode('0')));
  bucket.set(key, new TextEncoder().encode(String(current + delta)));
  return current + delta;
}

export function swap(cas, value) {
  fake.kvBeforeSwap(cas);
  const entry = cas.bucket.map.get(cas.key);
  if ((entry?.version ?? 0) !== cas.version) throw fail({ tag: 'cas-failed', val: new Cas(cas.bucket, cas.key, entry) });
  cas.bucket.set(cas.key, value);
}

export function getMany(bucket, keys) {
  return keys.map((key) => (bucket.map.has(key) ? [key, bucket.map.get(key).value] : undefined));
}

export function setMany(bucket, entries) {
  for (const [key, value] of entries) bucket.set(key, value);
}

export function deleteMany(bucket, keys) {
  for (const key of keys) bucket.delete(key);
}
