// Runs the KeyValueStore conformance suite against SQLite, plus what only the embedded backend
// shows: one WAL database file per store, and everything still there after a reopen.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { runKeyValueStoreConformance } from './key-value-store.case.js';
import { SqliteKeyValueStores } from './sqlite-key-value-stores.js';

const root = mkdtempSync(join(tmpdir(), 'wasmlet-kv-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

runKeyValueStoreConformance('SqliteKeyValueStore (synchronous=NORMAL)', async () => new SqliteKeyValueStores({ dir: join(root, `s${dirs++}`) }));
runKeyValueStoreConformance('SqliteKeyValueStore (synchronous=FULL)', async () => new SqliteKeyValueStores({ dir: join(root, `s${dirs++}`), synchronous: 'full' }));

test('SqliteKeyValueStores: one WAL database per store, named after it; a reopened host finds every key, size and version', async () => {
  const dir = join(root, 'reopen');
  const first = new SqliteKeyValueStores({ dir });
  const store = await first.open('sessions');
  await store.set('a', new TextEncoder().encode('alpha'));
  await store.increment('n', 3n);
  const { version } = await store.read('a');
  await (await first.open('default')).set('x', new Uint8Array(1));
  await first.close();
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.db')).sort(), ['default.db', 'sessions.db']);
  const db = new Database(join(dir, 'sessions.db'), { readonly: true });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();

  const second = new SqliteKeyValueStores({ dir });
  try {
    assert.deepEqual(await second.list(), [
      { name: 'default', keys: 1, bytes: 2 },
      { name: 'sessions', keys: 2, bytes: 8 },
    ]);
    const again = (await second.find('sessions'))!;
    assert.equal(new TextDecoder().decode(await again.get('a')), 'alpha');
    assert.equal((await again.read('a')).version, version);
    assert.equal(await again.increment('n', 1n), 4n);
    await again.set('b', new Uint8Array(0));
    assert.ok((await again.read('b')).version > version, 'versions keep growing across a reopen');
  } finally {
    await second.close();
  }
});

test('SqliteKeyValueStores: a database from a newer host (schema version) is refused, not misread', async () => {
  const dir = join(root, 'newer');
  const stores = new SqliteKeyValueStores({ dir });
  await stores.open('default');
  await stores.close();
  const db = new Database(join(dir, 'default.db'));
  db.pragma('user_version = 99');
  db.close();
  const again = new SqliteKeyValueStores({ dir });
  await assert.rejects(again.open('default'), /schema version 99/);
  await again.close();
});
