import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileContentStore as ContentStore } from './file-content-store.js';
import { sha256Hex } from './digest.js';
import { runContentStoreConformance } from './content-store.case.js';

test('put is idempotent and get returns the same bytes', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wasmlet-store-'));
  try {
    const store = new ContentStore(root);
    const bytes = new TextEncoder().encode('hello');
    const hex = await store.put(bytes);
    assert.equal(hex, sha256Hex(bytes));
    assert.equal(await store.put(bytes), hex);
    assert.deepEqual(await store.get(hex), bytes);
    assert.deepEqual(await readdir(join(root, 'sha256')), [hex]); // no temp files left behind
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a corrupted blob is detected on read', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wasmlet-store-'));
  try {
    const store = new ContentStore(root);
    const hex = await store.put(new TextEncoder().encode('original'));
    await writeFile(store.pathOf(hex), 'tampered');
    await assert.rejects(store.get(hex), /corrupt/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

runContentStoreConformance('FileContentStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'wasmlet-store-'));
  return { store: new ContentStore(root), close: () => rm(root, { recursive: true, force: true }) };
});
