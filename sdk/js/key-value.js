// Key-value stores (`wasi:keyvalue@0.2.0-draft2`: store, atomics, batch) behind a small API:
// `const kv = openStore('default'); kv.set('k', 'v'); kv.getText('k')`. The store must be listed in
// the manifest's `key_value_stores`. Every call is synchronous: the host answers before it returns.
import { open } from 'wasi:keyvalue/store@0.2.0-draft2';
import { Cas, increment as hostIncrement, swap } from 'wasi:keyvalue/atomics@0.2.0-draft2';
import { deleteMany as hostDeleteMany, getMany as hostGetMany, setMany as hostSetMany } from 'wasi:keyvalue/batch@0.2.0-draft2';
import { bodyBytes, describe } from './body-bytes.js';
import { decodeUtf8 } from './utf8.js';

// Bound from globalThis on purpose: a free `Error`-family identifier makes jco's bundler
// inject its Node.js error module, which adds ~170 KB to every component.
const { Error, TypeError, RangeError } = globalThis;

/** A lone surrogate has no UTF-8 form: the string would reach the host changed (U+FFFD), i.e. as another key. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Swaps `update` tries before giving up, when other writers keep winning. */
const DEFAULT_UPDATE_ATTEMPTS = 10;

/**
 * The host refused an operation. `code` is `access-denied` (the store is not in `key_value_stores`),
 * `no-such-store` (not a valid store name), or the host's error code: `kv_key_invalid`,
 * `kv_value_too_large`, `kv_quota_exceeded` (nothing was written), `kv_not_a_counter`, `bad_request`.
 */
export class KeyValueError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'KeyValueError';
    this.code = code;
  }
}

/** The WIT `error` variant, as componentize-qjs throws it, as a KeyValueError. */
function toKeyValueError(e, what) {
  const error = e instanceof Error && 'payload' in e ? e.payload : e;
  if (error?.tag === 'access-denied') return new KeyValueError('access-denied', `${what}: access denied (is the store in key_value_stores?)`);
  if (error?.tag === 'no-such-store') return new KeyValueError('no-such-store', `${what}: no such store`);
  if (error?.tag === 'other') {
    // wasmlet's host starts the text with its error code: "kv_quota_exceeded: store ...".
    const coded = /^([a-z][a-z_]*): ([\s\S]*)$/.exec(String(error.val));
    return coded ? new KeyValueError(coded[1], `${what}: ${coded[2]}`) : new KeyValueError('other', `${what}: ${error.val}`);
  }
  return e instanceof Error ? e : new KeyValueError('other', `${what}: ${String(e)}`);
}

function checkKey(key, what) {
  if (typeof key !== 'string' || key === '') throw new TypeError(`${what}: a key must be a non-empty string, got ${describe(key)}`);
  if (LONE_SURROGATE.test(key)) throw new KeyValueError('kv_key_invalid', `${what}: key ${describe(key)} has a lone surrogate (no UTF-8 form)`);
  return key;
}

/**
 * Opens a store the manifest grants (`key_value_stores = ["default"]`).
 * @param {string} [name] default: "default"
 * @returns {KeyValueStore}
 * @throws {KeyValueError} access-denied when the manifest does not grant it
 * @example
 * const kv = openStore();
 * const visits = kv.increment('visits');
 * kv.setJson(`user:${id}`, { name, visits });
 */
export function openStore(name = 'default') {
  if (typeof name !== 'string') throw new TypeError(`openStore(): name must be a string, got ${describe(name)}`);
  let bucket;
  try {
    bucket = open(name);
  } catch (e) {
    throw toKeyValueError(e, `openStore("${name}")`);
  }
  return new KeyValueStore(name, bucket);
}

/** An open store: values are bytes; the *Text and *Json helpers convert. */
export class KeyValueStore {
  #bucket;

  /** Use openStore(). */
  constructor(name, bucket) {
    this.name = name;
    this.#bucket = bucket;
  }

  /** @returns {Uint8Array | undefined} undefined when the key is absent */
  get(key) {
    checkKey(key, 'get()');
    return this.#call(`get("${key}")`, () => this.#bucket.get(key)) ?? undefined;
  }

  /** The value as UTF-8 text. @returns {string | undefined} */
  getText(key) {
    const value = this.get(key);
    return value === undefined ? undefined : decodeUtf8(value);
  }

  /** The value parsed as JSON (a SyntaxError when it is not JSON). @returns {unknown | undefined} */
  getJson(key) {
    const text = this.getText(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  /** Creates or replaces. @param {string | Uint8Array | ArrayBuffer | ArrayBufferView} value a string is stored as UTF-8 */
  set(key, value) {
    checkKey(key, 'set()');
    const bytes = bodyBytes(value, 'set(): value', 'setJson()');
    this.#call(`set("${key}")`, () => this.#bucket.set(key, bytes));
  }

  /** Stores `JSON.stringify(value)`. */
  setJson(key, value) {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`setJson(): ${typeof value} is not JSON-serializable`);
    this.set(key, text);
  }

  /** Removes the key; nothing happens when it is absent. */
  delete(key) {
    checkKey(key, 'delete()');
    this.#call(`delete("${key}")`, () => this.#bucket.delete(key));
  }

  /** @returns {boolean} */
  exists(key) {
    checkKey(key, 'exists()');
    return this.#call(`exists("${key}")`, () => this.#bucket.exists(key));
  }

  /**
   * One page of keys as the host gives it (up to 1000, in UTF-8 byte order on wasmlet).
   * @param {string} [cursor] the previous page's cursor
   * @returns {{ keys: string[], cursor: string | undefined }} cursor undefined on the last page
   */
  listKeys(cursor) {
    const page = this.#call('listKeys()', () => this.#bucket.listKeys(cursor ?? undefined));
    return { keys: page.keys, cursor: page.cursor ?? undefined };
  }

  /**
   * Every key, page after page, optionally only those starting with `prefix`.
   * @param {{ prefix?: string }} [options]
   * @returns {string[]}
   */
  keys(options = {}) {
    const prefix = options?.prefix ?? '';
    if (typeof prefix !== 'string') throw new TypeError(`keys(): prefix must be a string, got ${describe(prefix)}`);
    const keys = [];
    let cursor;
    do {
      const page = this.listKeys(cursor);
      for (const key of page.keys) if (key.startsWith(prefix)) keys.push(key);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return keys;
  }

  /**
   * Adds `delta` to the counter at `key` (an absent key counts from 0) and returns the new value;
   * the counter is stored as decimal text, so getText() reads it.
   * @param {number} [delta] an integer, default 1
   * @returns {number}
   * @throws {KeyValueError} kv_not_a_counter when the value is not a decimal integer
   */
  increment(key, delta = 1) {
    checkKey(key, 'increment()');
    if (!Number.isSafeInteger(delta)) throw new RangeError(`increment(): delta must be a safe integer, got ${describe(delta)}`);
    return Number(this.#call(`increment("${key}")`, () => hostIncrement(this.#bucket, key, delta)));
  }

  /**
   * Compare-and-swap in a loop: `fn(current)` gets the value (undefined when absent) and returns the
   * new one; when another writer changed the key in between, `fn` runs again on what it wrote.
   * @param {(current: Uint8Array | undefined) => string | Uint8Array} fn
   * @param {{ attempts?: number }} [options] default 10
   * @returns {Uint8Array} what was written
   * @example kv.update('stock:42', (v) => String(Number(decodeUtf8(v ?? '10')) - 1));
   */
  update(key, fn, options = {}) {
    checkKey(key, 'update()');
    const attempts = options?.attempts ?? DEFAULT_UPDATE_ATTEMPTS;
    let cas = this.#call(`update("${key}")`, () => Cas.new(this.#bucket, key));
    for (let attempt = 1; ; attempt++) {
      const current = this.#call(`update("${key}")`, () => cas.current()) ?? undefined;
      const next = bodyBytes(fn(current), 'update(): the new value', 'JSON.stringify()');
      try {
        swap(cas, next);
        return next;
      } catch (e) {
        const error = e instanceof Error && 'payload' in e ? e.payload : e;
        if (error?.tag !== 'cas-failed') throw toKeyValueError(error?.tag === 'store-error' ? error.val : e, `update("${key}")`);
        if (attempt >= attempts) throw new KeyValueError('cas_failed', `update("${key}"): other writers won ${attempts} times in a row`);
        cas = error.val;
      }
    }
  }

  /** @param {string[]} keys @returns {Array<Uint8Array | undefined>} in the order of `keys` */
  getMany(keys) {
    if (!Array.isArray(keys)) throw new TypeError(`getMany(): keys must be an array, got ${describe(keys)}`);
    for (const key of keys) checkKey(key, 'getMany()');
    const pairs = this.#call('getMany()', () => hostGetMany(this.#bucket, keys));
    return pairs.map((pair) => (pair ? pair[1] : undefined));
  }

  /** @param {Record<string, string | Uint8Array> | Array<[string, string | Uint8Array]>} entries */
  setMany(entries) {
    const pairs = Array.isArray(entries) ? entries : Object.entries(entries ?? {});
    const records = pairs.map(([key, value]) => [checkKey(key, 'setMany()'), bodyBytes(value, 'setMany(): value', 'setJson()')]);
    this.#call('setMany()', () => hostSetMany(this.#bucket, records));
  }

  /** @param {string[]} keys */
  deleteMany(keys) {
    if (!Array.isArray(keys)) throw new TypeError(`deleteMany(): keys must be an array, got ${describe(keys)}`);
    for (const key of keys) checkKey(key, 'deleteMany()');
    this.#call('deleteMany()', () => hostDeleteMany(this.#bucket, keys));
  }

  #call(what, operation) {
    try {
      return operation();
    } catch (e) {
      throw toKeyValueError(e, `store "${this.name}": ${what}`);
    }
  }
}
