import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteQueueStore } from '../queue/sqlite-queue-store.js';
import { SqliteInvocationStore } from './invocation-store.js';

const clock = { now: () => 1_000_000 };
const bytes = (text: string) => new TextEncoder().encode(text);

test('an idempotency key reused with another payload or content type is refused; the same request is the first invocation', () => {
  const queues = new SqliteQueueStore({ path: ':memory:', clock });
  const store = new SqliteInvocationStore(queues, clock);
  const first = store.submit({ functionName: 'f', payload: bytes('{"n":1}'), contentType: 'application/json', idempotencyKey: 'k' });
  assert.deepEqual(store.submit({ functionName: 'f', payload: bytes('{"n":1}'), contentType: 'application/json', idempotencyKey: 'k' }), { id: first.id, duplicate: true });
  assert.throws(() => store.submit({ functionName: 'f', payload: bytes('{"n":2}'), contentType: 'application/json', idempotencyKey: 'k' }), { code: 'idempotency_key_reused' });
  assert.throws(() => store.submit({ functionName: 'f', payload: bytes('{"n":1}'), contentType: 'text/plain', idempotencyKey: 'k' }), { code: 'idempotency_key_reused' });
  // Keys are per function.
  assert.equal(store.submit({ functionName: 'g', payload: bytes('{"n":2}'), contentType: 'application/json', idempotencyKey: 'k' }).duplicate, false);
});

test('a database from before request digests gains the column; its keys match any payload until they expire', () => {
  const queues = new SqliteQueueStore({ path: ':memory:', clock });
  queues.database.exec(`CREATE TABLE invocations (id TEXT PRIMARY KEY, function TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_error TEXT, status INTEGER, idempotency_key TEXT) STRICT`);
  queues.database.prepare("INSERT INTO invocations VALUES ('old-id', 'f', 'queued', 0, ?, ?, NULL, NULL, 'k')").run(clock.now(), clock.now());
  const store = new SqliteInvocationStore(queues, clock);
  assert.deepEqual(store.submit({ functionName: 'f', payload: bytes('anything'), contentType: 'text/plain', idempotencyKey: 'k' }), { id: 'old-id', duplicate: true });
});
