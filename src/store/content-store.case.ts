// The ContentStore conformance suite: every backend runs these same tests (file-content-store.test.ts
// for the data directory, test/integration/nats-registry.test.ts for the JetStream object store).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { ContentStore } from './content-store.js';
import { sha256Hex } from './digest.js';
import type { StoredEntry } from './stored-entry.js';

export interface ContentStoreUnderTest {
  /** A store with nothing in it. */
  readonly store: ContentStore;
  close(): Promise<void>;
}

const bytes = (s: string) => new TextEncoder().encode(s);

/** Removes an entry the way garbage collection does: the store's own `remove`, or its file. */
async function removeEntry(store: ContentStore, entry: StoredEntry): Promise<boolean> {
  if (store.remove) return store.remove(entry);
  await rm(entry.path, { recursive: true, force: true });
  return true;
}

export function runContentStoreConformance(label: string, factory: () => Promise<ContentStoreUnderTest>): void {
  describe(`ContentStore conformance: ${label}`, () => {
    let under: ContentStoreUnderTest;
    let store: ContentStore;
    beforeEach(async () => {
      under = await factory();
      store = under.store;
    });
    afterEach(async () => {
      await under.close();
    });

    test('put returns the sha256; the same bytes again are the same blob; get, has and sizeOf answer for it', async () => {
      const hello = bytes('hello');
      const hex = await store.put(hello);
      assert.equal(hex, sha256Hex(hello));
      assert.equal(await store.put(bytes('hello')), hex);
      assert.deepEqual(await store.get(hex), hello);
      assert.equal(await store.has(hex), true);
      assert.equal(await store.sizeOf(hex), 5);
      const absent = sha256Hex(bytes('never stored'));
      assert.equal(await store.has(absent), false);
      await assert.rejects(store.get(absent));
      await assert.rejects(store.sizeOf(absent));
      await assert.rejects(store.get('../../etc/passwd'));
    });

    test('an empty blob and a blob of several MiB come back byte for byte', async () => {
      const empty = await store.put(new Uint8Array(0));
      assert.deepEqual(await store.get(empty), new Uint8Array(0));
      const large = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
      const hex = await store.put(large);
      const back = await store.get(hex);
      assert.equal(back.byteLength, large.byteLength);
      assert.equal(sha256Hex(back), hex);
      assert.equal(await store.sizeOf(hex), large.byteLength);
    });

    test('takeWritten gives the digests put since it was last asked, once', async () => {
      store.takeWritten();
      const a = await store.put(bytes('a'));
      const b = await store.put(bytes('b'));
      await store.put(bytes('a'));
      assert.deepEqual(store.takeWritten().sort(), [a, b].sort());
      assert.deepEqual(store.takeWritten(), []);
    });

    test('inventory and entriesOf list the blobs by digest; a removed blob is gone', async () => {
      const a = await store.put(bytes('alpha'));
      const b = await store.put(bytes('beta'));
      const blobs = (await store.inventory()).filter((e) => e.kind === 'blob');
      assert.deepEqual(blobs.map((e) => e.digest).sort(), [a, b].sort());
      const [entry] = await store.entriesOf(a);
      assert.equal(entry?.digest, a);
      assert.deepEqual(await store.entriesOf(sha256Hex(bytes('none'))), []);
      assert.equal(await removeEntry(store, entry!), true);
      assert.equal(await store.has(a), false);
      assert.deepEqual(await store.entriesOf(a), []);
      assert.deepEqual(await store.get(b), bytes('beta'));
      // Stored again after its removal: back, whole.
      assert.equal(await store.put(bytes('alpha')), a);
      assert.deepEqual(await store.get(a), bytes('alpha'));
    });
  });
}
