import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openQueueDatabase, queueDatabaseMigrations } from '../queue/queue-database.js';
import { SqliteQueueStore } from '../queue/sqlite-queue-store.js';
import { runInvocationStoreConformance } from './invocation-store.case.js';
import { SqliteInvocationStore } from './invocation-store.js';

const clock = { now: () => 1_000_000 };
const bytes = (text: string) => new TextEncoder().encode(text);

runInvocationStoreConformance('SqliteInvocationStore', async (clock) => {
  const db = openQueueDatabase({ path: ':memory:' });
  const queues = new SqliteQueueStore({ database: db, clock });
  return { invocations: new SqliteInvocationStore(db, queues, clock), queues, close: () => queues.close() };
});

test('a queue database from before versioned migrations (version 1, invocations without request digests) is migrated; its keys match any payload until they expire', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'wasmlet-invocations-')), 'queues.db');
  // What a host of the previous release left: the messages schema at version 1, the invocations table created by the store itself.
  const old = new Database(path);
  old.exec(`CREATE TABLE messages (seq INTEGER PRIMARY KEY, queue TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL, attributes TEXT NOT NULL,
    enqueued_at INTEGER NOT NULL, visible_at INTEGER NOT NULL, attempt INTEGER NOT NULL, lease TEXT, last_error TEXT) STRICT;
    CREATE UNIQUE INDEX messages_by_id ON messages (queue, id);
    CREATE INDEX messages_by_visibility ON messages (queue, visible_at, seq);
    CREATE TABLE invocations (id TEXT PRIMARY KEY, function TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_error TEXT, status INTEGER, idempotency_key TEXT) STRICT;
    CREATE TABLE schedules (function TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL, last_tick INTEGER NOT NULL, PRIMARY KEY (function, name)) STRICT;
    PRAGMA user_version = 1;`);
  old.prepare("INSERT INTO invocations VALUES ('old-id', 'f', 'queued', 0, ?, ?, NULL, NULL, 'k')").run(clock.now(), clock.now());
  old.prepare("INSERT INTO schedules VALUES ('f', 'tick', 'rate:1000', 42)").run();
  old.close();
  const db = openQueueDatabase({ path });
  assert.equal(db.pragma('user_version', { simple: true }), queueDatabaseMigrations.length);
  const queues = new SqliteQueueStore({ database: db, clock });
  const store = new SqliteInvocationStore(db, queues, clock);
  assert.deepEqual(await store.submit({ functionName: 'f', payload: bytes('anything'), contentType: 'text/plain', idempotencyKey: 'k' }), { id: 'old-id', duplicate: true });
  assert.equal(db.prepare("SELECT last_tick FROM schedules WHERE function = 'f'").pluck().get(), 42);
  await queues.close();
});
