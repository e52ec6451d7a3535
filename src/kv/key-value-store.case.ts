// The KeyValueStore conformance suite: every backend runs these same tests (see sqlite-key-value-store.test.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { defaultKeyValueLimits, type KeyValueLimits } from './key-value-limits.js';
import type { KeyValueStore, KeyValueStores } from './key-value-store.js';

/** Builds a fresh host's stores, with none in them; the suite closes them after each test. */
export type KeyValueStoresFactory = () => Promise<KeyValueStores>;

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const failsWith = (code: string) => (err: unknown) => err instanceof WasmletError && err.code === code;
const limits = (overrides: Partial<KeyValueLimits>): KeyValueLimits => ({ ...defaultKeyValueLimits, ...overrides });

/** Every key of a store, page after page, checking each page's size. */
async function allKeys(store: KeyValueStore, options: { prefix?: string; limit?: number } = {}): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const page = await store.listKeys({ ...options, ...(cursor === undefined ? {} : { cursor }) });
    if (options.limit !== undefined) assert.ok(page.keys.length <= options.limit);
    keys.push(...page.keys);
    if (page.cursor === undefined) return keys;
    cursor = page.cursor;
  }
  throw new Error('listKeys never ended');
}

export function runKeyValueStoreConformance(name: string, factory: KeyValueStoresFactory): void {
  describe(`KeyValueStore conformance: ${name}`, () => {
    let stores: KeyValueStores;
    let store: KeyValueStore;
    beforeEach(async () => {
      stores = await factory();
      store = await stores.open('default');
    });
    afterEach(async () => {
      await stores.close();
    });

    test('open creates a store on first use; find never creates; list gives every store with its size', async () => {
      assert.equal(store.name, 'default');
      assert.equal(await stores.find('sessions'), undefined);
      assert.deepEqual(await stores.list(), [{ name: 'default', keys: 0, bytes: 0 }]);
      const sessions = await stores.open('sessions');
      await sessions.set('k', bytes('vv'));
      assert.equal((await stores.find('sessions'))?.name, 'sessions');
      assert.equal(await stores.open('sessions'), sessions);
      assert.deepEqual(await stores.list(), [
        { name: 'default', keys: 0, bytes: 0 },
        { name: 'sessions', keys: 1, bytes: 3 },
      ]);
    });

    test('a store name outside the alphabet is refused, never created', async () => {
      for (const bad of ['', 'Default', '../etc', 'a/b', '.hidden', 'x'.repeat(64), 'with space']) {
        await assert.rejects(stores.open(bad), failsWith('bad_request'), bad);
        assert.equal(await stores.find(bad), undefined);
      }
      assert.deepEqual((await stores.list()).map((s) => s.name), ['default']);
    });

    test('set, get, exists and delete; values come back as plain Uint8Arrays; stores are separate', async () => {
      assert.equal(await store.get('a'), undefined);
      assert.equal(await store.exists('a'), false);
      await store.set('a', bytes('one'));
      await store.set('empty', new Uint8Array(0));
      const value = await store.get('a');
      assert.ok(value instanceof Uint8Array && Object.getPrototypeOf(value) === Uint8Array.prototype);
      assert.equal(text(value), 'one');
      assert.deepEqual(await store.get('empty'), new Uint8Array(0));
      assert.equal(await store.exists('a'), true);
      await store.set('a', bytes('two'));
      assert.equal(text(await store.get('a')), 'two');
      const other = await stores.open('other');
      assert.equal(await other.get('a'), undefined);
      assert.equal(await store.delete('a'), true);
      assert.equal(await store.delete('a'), false);
      assert.equal(await store.get('a'), undefined);
      assert.equal(await store.exists('empty'), true);
    });

    test('a value is copied: changing the caller\'s array after set changes nothing stored', async () => {
      const value = bytes('abc');
      await store.set('k', value);
      value[0] = 0x7a;
      assert.equal(text(await store.get('k')), 'abc');
    });

    test('keys are Unicode: any well-formed text without NUL, compared byte for byte', async () => {
      for (const key of ['ü', '日本', '😀', 'a b/c?d#e', '..', '%00', 'A', 'a']) await store.set(key, bytes(key));
      for (const key of ['ü', '日本', '😀', 'a b/c?d#e', '..', '%00', 'A', 'a']) assert.equal(text(await store.get(key)), key);
      assert.equal(await store.get('u\u0308'), undefined, 'no Unicode normalisation: ü precomposed and decomposed are two keys');
    });

    test('bad keys are refused with kv_key_invalid and nothing is written', async () => {
      const malformed: unknown[] = ['', 'a\u0000b', '\u0000', 'lone \ud800 surrogate', '\udc00', 'x'.repeat(1025), 42, null];
      for (const key of [...malformed, 'x'.repeat(257), 'é'.repeat(129)]) {
        await assert.rejects(store.set(key as string, bytes('v')), failsWith('kv_key_invalid'), String(key));
      }
      // Reads take any key some writer's kv_max_key_bytes (up to 1024) allows.
      for (const key of malformed) await assert.rejects(store.get(key as string), failsWith('kv_key_invalid'), String(key));
      assert.equal(await store.get('x'.repeat(1024)), undefined);
      await assert.rejects(store.setMany([['ok', bytes('v')], ['a\u0000', bytes('v')]]), failsWith('kv_key_invalid'));
      await assert.rejects(store.increment('\u0000', 1n), failsWith('kv_key_invalid'));
      await assert.rejects(store.compareAndSwap('', 0, bytes('v')), failsWith('kv_key_invalid'));
      assert.deepEqual(await store.stats(), { keys: 0, bytes: 0 });
      await store.set('x'.repeat(256), bytes('v'));
      await store.set('é'.repeat(128), bytes('v'));
      assert.equal((await store.stats()).keys, 2);
    });

    test('the writer\'s key limit: kvMaxKeyBytes counts UTF-8 bytes', async () => {
      const small = limits({ kvMaxKeyBytes: 4 });
      await store.set('abcd', bytes('v'), small);
      await store.set('éé', bytes('v'), small);
      await assert.rejects(store.set('abcde', bytes('v'), small), failsWith('kv_key_invalid'));
      await assert.rejects(store.set('ééa', bytes('v'), small), failsWith('kv_key_invalid'));
      assert.equal(text(await store.get('abcd')), 'v', 'reads take any key a writer may have used');
    });

    test('a value over the limit is kv_value_too_large and leaves the old value', async () => {
      await store.set('k', bytes('old'));
      await assert.rejects(store.set('k', new Uint8Array(defaultKeyValueLimits.kvMaxValueBytes + 1)), failsWith('kv_value_too_large'));
      await assert.rejects(store.set('k', bytes('12345'), limits({ kvMaxValueBytes: 4 })), failsWith('kv_value_too_large'));
      await store.set('k', bytes('1234'), limits({ kvMaxValueBytes: 4 }));
      await store.set('big', new Uint8Array(defaultKeyValueLimits.kvMaxValueBytes));
      assert.equal((await store.get('big'))?.byteLength, defaultKeyValueLimits.kvMaxValueBytes);
      assert.equal(text(await store.get('k')), '1234');
    });

    test('stats count keys and UTF-8 key bytes plus value bytes', async () => {
      await store.set('é', bytes('abc')); // 2 + 3
      await store.set('k', new Uint8Array(10)); // 1 + 10
      assert.deepEqual(await store.stats(), { keys: 2, bytes: 16 });
      await store.set('k', new Uint8Array(4));
      assert.deepEqual(await store.stats(), { keys: 2, bytes: 10 });
      await store.delete('é');
      assert.deepEqual(await store.stats(), { keys: 1, bytes: 5 });
      await store.deleteMany(['k', 'absent']);
      assert.deepEqual(await store.stats(), { keys: 0, bytes: 0 });
    });

    test('a full quota is kv_quota_exceeded and nothing is written; shrinking writes and deletes still work', async () => {
      const quota = limits({ kvQuotaBytes: 20 });
      await store.set('a', new Uint8Array(9), quota); // 10 bytes
      await store.set('b', new Uint8Array(9), quota); // 20 bytes: exactly full
      await assert.rejects(store.set('c', new Uint8Array(0), quota), (err: unknown) => {
        assert.ok(failsWith('kv_quota_exceeded')(err));
        assert.match((err as Error).message, /"default" would hold 21 bytes; its quota is 20/);
        return true;
      });
      await assert.rejects(store.set('a', new Uint8Array(10), quota), failsWith('kv_quota_exceeded'));
      await assert.rejects(store.increment('n', 1n, quota), failsWith('kv_quota_exceeded'));
      await assert.rejects(store.compareAndSwap('n', 0, bytes('x'), quota), failsWith('kv_quota_exceeded'));
      await assert.rejects(store.setMany([['a', new Uint8Array(1)], ['c', new Uint8Array(20)]], quota), failsWith('kv_quota_exceeded'));
      assert.deepEqual(await store.stats(), { keys: 2, bytes: 20 });
      assert.equal((await store.get('a'))?.byteLength, 9, 'the batch wrote nothing, not even its first entry');
      assert.equal(await store.exists('c'), false);
      // A smaller quota than what is stored: growing is refused, shrinking and same-size writes are not.
      const lowered = limits({ kvQuotaBytes: 5 });
      await store.set('a', new Uint8Array(9), lowered);
      await store.set('a', new Uint8Array(2), lowered);
      await assert.rejects(store.set('a', new Uint8Array(3), lowered), failsWith('kv_quota_exceeded'));
      assert.equal(await store.delete('b'), true);
      assert.deepEqual(await store.stats(), { keys: 1, bytes: 3 });
    });

    test('listKeys: byte order, pages of `limit` that visit every key once, no cursor on the last page', async () => {
      assert.deepEqual(await store.listKeys(), { keys: [] });
      const keys = ['b', 'a', 'é', 'B', 'ab', 'a/1', 'z', '😀', '0'];
      for (const key of keys) await store.set(key, bytes(''));
      const ordered = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.deepEqual((await store.listKeys()).keys, ordered);
      assert.equal((await store.listKeys()).cursor, undefined);
      for (const limit of [1, 2, 4, 8, 9]) assert.deepEqual(await allKeys(store, { limit }), ordered, `limit ${limit}`);
      const first = await store.listKeys({ limit: 9 });
      assert.equal(first.cursor, undefined, 'a page holding exactly the rest is the last');
    });

    test('listKeys with a prefix, paged; a key added behind the cursor is not repeated', async () => {
      for (const key of ['user:1', 'user:2', 'user:3', 'user;', 'users', 'user', 'todo:1']) await store.set(key, bytes(''));
      assert.deepEqual(await allKeys(store, { prefix: 'user:' }), ['user:1', 'user:2', 'user:3']);
      assert.deepEqual(await allKeys(store, { prefix: 'user:', limit: 1 }), ['user:1', 'user:2', 'user:3']);
      assert.deepEqual(await allKeys(store, { prefix: 'user' }), ['user', 'user:1', 'user:2', 'user:3', 'user;', 'users']);
      assert.deepEqual(await allKeys(store, { prefix: 'nope' }), []);
      const page = await store.listKeys({ prefix: 'user:', limit: 2 });
      assert.deepEqual(page.keys, ['user:1', 'user:2']);
      await store.set('user:0', bytes(''));
      await store.delete('user:3');
      await store.set('user:4', bytes(''));
      assert.deepEqual((await store.listKeys({ prefix: 'user:', cursor: page.cursor! })).keys, ['user:4']);
    });

    test('listKeys refuses a cursor it did not issue and a limit outside 1..1000', async () => {
      await store.set('a', bytes(''));
      for (const cursor of ['', 'not a cursor', '!!', 'YQ==']) await assert.rejects(store.listKeys({ cursor }), failsWith('bad_request'), cursor);
      for (const limit of [0, -1, 1.5, 1001]) await assert.rejects(store.listKeys({ limit }), failsWith('bad_request'), String(limit));
    });

    test('increment counts from 0, keeps the counter as decimal text, and refuses what is not a 64-bit integer', async () => {
      assert.equal(await store.increment('n', 5n), 5n);
      assert.equal(await store.increment('n', -7n), -2n);
      assert.equal(text(await store.get('n')), '-2');
      await store.set('m', bytes('41'));
      assert.equal(await store.increment('m', 1n), 42n);
      assert.equal(await store.increment('m', 0n), 42n);
      for (const value of ['4.2', ' 1', '01', '+1', '', 'x', '9223372036854775808', '-0x1']) {
        await store.set('bad', bytes(value));
        await assert.rejects(store.increment('bad', 1n), failsWith('kv_not_a_counter'), value);
        assert.equal(text(await store.get('bad')), value, 'unchanged');
      }
      await store.set('max', bytes('9223372036854775807'));
      await assert.rejects(store.increment('max', 1n), failsWith('kv_not_a_counter'));
      assert.equal(await store.increment('max', -9223372036854775807n), 0n);
      assert.equal(await store.increment('min', -9223372036854775808n), -9223372036854775808n);
      await assert.rejects(store.increment('min', -1n), failsWith('kv_not_a_counter'));
    });

    test('concurrent increments are atomic: none is lost', async () => {
      await Promise.all(Array.from({ length: 50 }, () => store.increment('hits', 1n)));
      assert.equal(text(await store.get('hits')), '50');
    });

    test('compare-and-swap: version 0 means absent, any write moves the version, a stale swap returns what is there', async () => {
      const absent = await store.read('k');
      assert.deepEqual(absent, { value: undefined, version: 0 });
      assert.deepEqual(await store.compareAndSwap('k', 0, bytes('first')), { swapped: true });
      const created = await store.read('k');
      assert.equal(text(created.value), 'first');
      assert.notEqual(created.version, 0);
      const lost = await store.compareAndSwap('k', 0, bytes('racer'));
      assert.equal(lost.swapped, false);
      assert.ok(!lost.swapped && text(lost.current.value) === 'first' && lost.current.version === created.version);
      await store.set('k', bytes('first')); // the same bytes, written again: still a new version
      const rewritten = await store.read('k');
      assert.notEqual(rewritten.version, created.version);
      assert.equal((await store.compareAndSwap('k', created.version, bytes('stale'))).swapped, false);
      assert.deepEqual(await store.compareAndSwap('k', rewritten.version, bytes('second')), { swapped: true });
      assert.equal(text(await store.get('k')), 'second');
      // Deleted and written again: the version is never one seen before.
      const beforeDelete = (await store.read('k')).version;
      await store.delete('k');
      assert.deepEqual(await store.read('k'), { value: undefined, version: 0 });
      await store.set('k', bytes('again'));
      const seen = [created.version, rewritten.version, beforeDelete];
      assert.ok(!seen.includes((await store.read('k')).version));
      await assert.rejects(store.compareAndSwap('k', -1, bytes('v')), failsWith('bad_request'));
      await assert.rejects(store.compareAndSwap('k', 0, new Uint8Array(5), limits({ kvMaxValueBytes: 4 })), failsWith('kv_value_too_large'));
    });

    test('only one of two swaps from the same version wins', async () => {
      await store.set('k', bytes('0'));
      const { version } = await store.read('k');
      const results = await Promise.all([store.compareAndSwap('k', version, bytes('a')), store.compareAndSwap('k', version, bytes('b'))]);
      assert.equal(results.filter((r) => r.swapped).length, 1);
    });

    test('getMany answers in order with undefined for absent keys', async () => {
      await store.setMany([['a', bytes('1')], ['b', bytes('2')]]);
      const got = await store.getMany(['b', 'missing', 'a', 'b']);
      assert.deepEqual(got.map(text), ['2', undefined, '1', '2']);
      assert.deepEqual(await store.getMany([]), []);
    });

    test('setMany is all or nothing; a key given twice keeps its last value and counts once', async () => {
      await store.setMany([['k', bytes('1')], ['k', bytes('22')], ['j', bytes('3')]]);
      assert.deepEqual((await store.getMany(['k', 'j'])).map(text), ['22', '3']);
      assert.deepEqual(await store.stats(), { keys: 2, bytes: 5 });
      await assert.rejects(store.setMany([['x', bytes('1')], ['y', new Uint8Array(5)]], limits({ kvMaxValueBytes: 4 })), failsWith('kv_value_too_large'));
      assert.equal(await store.exists('x'), false);
      await store.setMany([]);
      assert.deepEqual(await store.stats(), { keys: 2, bytes: 5 });
    });

    test('deleteMany deletes what is there and says how many', async () => {
      await store.setMany([['a', bytes('1')], ['b', bytes('2')], ['c', bytes('3')]]);
      assert.equal(await store.deleteMany(['a', 'c', 'zzz', 'a']), 2);
      assert.deepEqual(await allKeys(store), ['b']);
    });

    test('a batch of more than 1000 keys is refused whole', async () => {
      const keys = Array.from({ length: 1001 }, (_, i) => `k${i}`);
      await assert.rejects(store.setMany(keys.map((k) => [k, bytes('')] as const)), failsWith('bad_request'));
      await assert.rejects(store.getMany(keys), failsWith('bad_request'));
      await assert.rejects(store.deleteMany(keys), failsWith('bad_request'));
      assert.equal((await store.stats()).keys, 0);
    });
  });
}
