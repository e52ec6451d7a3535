import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { SqliteQueueStore } from './sqlite-queue-store.js';

const text = (s: string) => new TextEncoder().encode(s);
const isQueueFull = (err: unknown) => err instanceof WasmletError && err.code === 'queue_full';

describe('queue quotas (SQLite store)', () => {
  test('a send past the depth quota is refused whole; acks make room again', async () => {
    const store = new SqliteQueueStore({ path: ':memory:', quota: { maxMessages: 3, maxBodyBytes: 1_000 } });
    try {
      await store.send('q', [{ body: text('a') }, { body: text('b') }]);
      await assert.rejects(store.send('q', [{ body: text('c') }, { body: text('d') }]), isQueueFull);
      assert.deepEqual(store.usage('q'), { messages: 2, bytes: 2 });
      await store.send('q', [{ body: text('c') }]);
      const [first] = await store.receive('q', { max: 1, visibilityTimeoutMs: 60_000 });
      await store.ack('q', [first!.receiptHandle]);
      assert.deepEqual(store.usage('q'), { messages: 2, bytes: 2 });
      await store.send('q', [{ body: text('d') }]);
    } finally {
      await store.close();
    }
  });

  test('the byte quota counts bodies; a settle whose publish does not fit applies none of its verdicts', async () => {
    const store = new SqliteQueueStore({ path: ':memory:', quota: { maxMessages: 100, maxBodyBytes: 10 } });
    try {
      await store.send('out', [{ body: text('123456789') }]);
      await store.send('in', [{ body: text('x') }]);
      const [leased] = await store.receive('in', { max: 1, visibilityTimeoutMs: 60_000 });
      await assert.rejects(store.settle('in', { ack: [leased!.receiptHandle], publish: [{ queue: 'out', message: { body: text('too much') } }] }), isQueueFull);
      assert.equal(store.usage('in').messages, 1, 'the ack was rolled back with the publish');
      assert.equal((await store.stats('in')).inFlight, 1);
    } finally {
      await store.close();
    }
  });

  test('dead-lettering and redrive are never refused: they move messages already accepted', async () => {
    const store = new SqliteQueueStore({ path: ':memory:', quota: { maxMessages: 1, maxBodyBytes: 100 } });
    try {
      await store.send('dlq', [{ body: text('old') }]);
      await store.send('work', [{ body: text('poison') }]);
      const [leased] = await store.receive('work', { max: 1, visibilityTimeoutMs: 60_000 });
      assert.equal(await store.deadLetter('work', leased!.receiptHandle, 'dlq', 'failed'), true);
      assert.deepEqual(store.usage('dlq'), { messages: 2, bytes: 9 });
      assert.equal(await store.redrive('dlq', 'work', 10), 2);
      assert.deepEqual(store.usage('work'), { messages: 2, bytes: 9 });
      assert.deepEqual(store.usage('dlq'), { messages: 0, bytes: 0 });
    } finally {
      await store.close();
    }
  });

  test('a disk refusal (admitBytes) writes nothing', async () => {
    const store = new SqliteQueueStore({ path: ':memory:', admitBytes: () => { throw new WasmletError('storage_full', 'disk full'); } });
    try {
      await assert.rejects(store.send('q', [{ body: text('a') }]), (err: unknown) => err instanceof WasmletError && err.code === 'storage_full');
      assert.equal(store.usage('q').messages, 0);
    } finally {
      await store.close();
    }
  });
});

test('a queue database from before quotas is counted when it is migrated', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { openQueueDatabase } = await import('./queue-database.js');
  const path = join(mkdtempSync(join(tmpdir(), 'wasmlet-quota-')), 'queues.db');
  const before = new SqliteQueueStore({ path });
  await before.send('old', [{ body: text('abc') }, { body: text('de') }]);
  await before.close();
  // Back to version 2, without the usage table: what a host of the previous release left.
  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(path);
  raw.exec('DROP TRIGGER queue_usage_insert; DROP TRIGGER queue_usage_delete; DROP TABLE queue_usage; PRAGMA user_version = 2;');
  raw.close();
  const store = new SqliteQueueStore({ database: openQueueDatabase({ path }) });
  try {
    assert.deepEqual(store.usage('old'), { messages: 2, bytes: 5 });
  } finally {
    await store.close();
  }
});
