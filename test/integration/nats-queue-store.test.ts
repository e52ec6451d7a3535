// The JetStream QueueStore against a real nats-server (sync_interval: always): the portable
// conformance suite and its real-time cases, then what only server-timed leases show, in real
// time (waits poll for the outcome; nothing asserts how long anything took).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { ManualClock, runQueueStoreConformance } from '../../src/queue/queue-store.case.js';
import { runQueueStoreRealTimeConformance } from '../../src/queue/queue-store-real-time.case.js';
import type { LeasedMessage, QueueStore } from '../../src/queue/queue-store.js';
import { JetStreamQueueStore } from '../../src/nats/jetstream-queue-store.js';
import { startNatsServer, type NatsCluster } from '../support/nats-server.js';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

let nats: NatsCluster;
before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats.stop();
});

/** A store on its own connection over an empty server (every stream and bucket of earlier tests deleted). */
async function freshStore(clock: ManualClock | undefined, onSent?: (queues: ReadonlySet<string>) => void): Promise<QueueStore> {
  const nc = await connect({ servers: nats.servers.split(',') });
  const jsm = await jetstreamManager(nc);
  for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
  return withConnection(new JetStreamQueueStore({ connection: nc, ...(clock ? { clock } : {}), ...(onSent ? { onSent } : {}) }), nc);
}

/** Another host's store on the same server (nothing deleted). */
async function secondStore(onSent?: (queues: ReadonlySet<string>) => void): Promise<QueueStore> {
  const nc = await connect({ servers: nats.servers.split(',') });
  return withConnection(new JetStreamQueueStore({ connection: nc, ...(onSent ? { onSent } : {}) }), nc);
}

function withConnection(store: JetStreamQueueStore, nc: NatsConnection): QueueStore {
  const close = store.close.bind(store);
  return Object.assign(store, { close: async () => { await close(); await nc.close(); } });
}

/** Receives until something comes (a server-timed redelivery), bounded. */
async function receiveEventually(store: QueueStore, queue: string, visibilityTimeoutMs = 30_000): Promise<LeasedMessage[]> {
  for (let i = 0; i < 400; i++) {
    const got = await store.receive(queue, { max: 10, visibilityTimeoutMs });
    if (got.length > 0) return got;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nothing came back on ${queue}`);
}

runQueueStoreConformance('JetStreamQueueStore (one nats-server, R1)', (clock) => freshStore(clock));
// The cases about leases, delays and retries in real time (the ManualClock suite cannot drive server-kept time).
runQueueStoreRealTimeConformance('JetStreamQueueStore (one nats-server, R1)', () => freshStore(undefined));

describe('JetStreamQueueStore: server-timed leases, delays and the outbox', () => {
  const lease = { max: 10, visibilityTimeoutMs: 30_000 };

  test('a lease that lapses (ack_wait) redelivers the message with attempt + 1; the old handle is stale', async () => {
    const store = await freshStore(undefined);
    try {
      await store.send('q', [{ id: 'm', body: text('x') }]);
      const [first] = await store.receive('q', { max: 1, visibilityTimeoutMs: 1_000 });
      assert.equal(first?.attempt, 1);
      const [again] = await receiveEventually(store, 'q', 1_000);
      assert.equal(again?.id, 'm');
      assert.equal(again?.attempt, 2);
      assert.notEqual(again?.receiptHandle, first?.receiptHandle);
      assert.deepEqual((await store.ack('q', [first!.receiptHandle])).stale, [first!.receiptHandle]);
      assert.deepEqual((await store.ack('q', [again!.receiptHandle])).stale, []);
      assert.deepEqual((await store.ack('q', [again!.receiptHandle])).stale, [again!.receiptHandle], 'settled once');
    } finally {
      await store.close();
    }
  });

  test('retry is a delayed nak: hidden for the delay, then back with attempt + 1 and the error', async () => {
    const store = await freshStore(undefined);
    try {
      await store.send('q', [{ id: 'long', body: text('l') }, { id: 'short', body: text('s') }]);
      const [long, short] = await store.receive('q', lease);
      assert.equal(await store.retry('q', long!.receiptHandle, { delayMs: 600_000, error: 'later' }), true);
      assert.equal(await store.retry('q', short!.receiptHandle, { delayMs: 100, error: 'busy' }), true);
      const [back] = await receiveEventually(store, 'q');
      assert.deepEqual([back!.id, back!.attempt, back!.lastError], ['short', 2, 'busy']);
      assert.deepEqual(await store.receive('q', lease), [], 'the long retry is still waiting');
    } finally {
      await store.close();
    }
  });

  test('a delayed send waits on the server; waiting is not an attempt', async () => {
    const store = await freshStore(undefined);
    try {
      await store.send('q', [{ id: 'far', body: text('f'), delayMs: 600_000 }, { id: 'near', body: text('n'), delayMs: 200 }]);
      const [near] = await receiveEventually(store, 'q');
      assert.deepEqual([near!.id, near!.attempt], ['near', 1]);
      assert.deepEqual(await store.receive('q', lease), []);
      assert.deepEqual((await store.list('q', { limit: 10 })).map((m) => m.id), ['far', 'near']);
    } finally {
      await store.close();
    }
  });

  test('deadLetter publishes to the dead-letter queue (id, body, attributes, attempt, reason), then terminates the original', async () => {
    const store = await freshStore(undefined);
    try {
      await store.send('q', [{ id: 'poison', body: text('bad'), attributes: { a: '1' } }]);
      const [first] = await store.receive('q', lease);
      await store.retry('q', first!.receiptHandle, { delayMs: 0, error: 'try again' });
      const [second] = await receiveEventually(store, 'q');
      assert.equal(await store.deadLetter('q', second!.receiptHandle, 'q-dlq', 'unparseable'), true);
      assert.deepEqual(await store.receive('q', lease), []);
      assert.equal((await store.stats('q')).visible + (await store.stats('q')).inFlight, 0);
      const [dead] = await store.list('q-dlq', { limit: 10 });
      assert.deepEqual([dead!.id, decode(dead!.body), dead!.attributes, dead!.attempt, dead!.lastError], ['poison', 'bad', { a: '1' }, 2, 'unparseable']);
      assert.equal(await store.redrive('q-dlq', 'q', 10), 1);
      const [redriven] = await store.receive('q', lease);
      assert.deepEqual([redriven!.id, redriven!.attempt], ['poison', 1]);
    } finally {
      await store.close();
    }
  });

  test('the outbox: settling the same batch twice (a crash before the acks landed) publishes its messages once', async () => {
    const store = await freshStore(undefined);
    try {
      await store.send('in', [{ id: 'a', body: text('a') }, { id: 'b', body: text('b') }]);
      const batch = await store.receive('in', lease);
      const publish = [{ queue: 'out', message: { body: text('derived-1') } }, { queue: 'out', message: { body: text('derived-2') } }];
      // The handler ran twice (ids the guest got differ each run), its batch the same messages.
      await store.settle('in', { ack: batch.map((m) => m.receiptHandle), publish });
      await store.settle('in', { ack: batch.map((m) => m.receiptHandle), publish });
      const out = await store.receive('out', lease);
      assert.deepEqual(out.map((m) => decode(m.body)), ['derived-1', 'derived-2']);
      assert.deepEqual(await store.receive('in', lease), []);
    } finally {
      await store.close();
    }
  });

  test('two hosts share a queue: a send on one wakes the other, and while leases hold nothing is delivered twice', async () => {
    const woken: string[] = [];
    const a = await freshStore(undefined);
    const b = await secondStore((queues) => woken.push(...queues));
    try {
      await a.send('shared', Array.from({ length: 200 }, (_, i) => ({ id: `m${i}`, body: text(String(i)) })));
      for (let i = 0; i < 400 && !woken.includes('shared'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(woken.includes('shared'), 'b heard of the send');
      const seen = new Map<string, number>();
      for (;;) {
        const [fromA, fromB] = await Promise.all([a.receive('shared', { max: 7, visibilityTimeoutMs: 60_000 }), b.receive('shared', { max: 11, visibilityTimeoutMs: 60_000 })]);
        if (fromA.length + fromB.length === 0) break;
        for (const m of [...fromA, ...fromB]) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
        await a.ack('shared', fromA.map((m) => m.receiptHandle));
        await b.ack('shared', fromB.map((m) => m.receiptHandle));
      }
      assert.equal(seen.size, 200);
      assert.ok([...seen.values()].every((n) => n === 1));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
