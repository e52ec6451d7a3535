// A send of several messages on JetStream is one atomic batch (stream config `allow_atomic`), on one
// nats-server (R1) and on a 3-node cluster (R3): a batch the stream refuses midway (its quota, as
// limits with discard-new) leaves none of its messages, ids still de-duplicate (a repeated id is
// dropped, the new ones of the same send stored), a send over the server's batch limit (1,000) goes
// as consecutive batches, each all or none, and `publish` to several queues is one batch per queue
// (one refused leaves the others stored; the ids make a retry drop them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { WasmletError } from '../../src/errors/wasmlet-error.js';
import { JetStreamQueueStore } from '../../src/nats/jetstream-queue-store.js';
import { queueStream, queueSubject } from '../../src/nats/jetstream-names.js';
import type { QueueQuota } from '../../src/queue/queue-quota.js';
import { startNatsCluster, startNatsServer, type NatsCluster } from '../support/nats-server.js';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const lease = { max: 100, visibilityTimeoutMs: 30_000 };
const messagesOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, body: text(`${prefix}${i}`) }));

for (const topology of [{ name: 'one nats-server, R1', replicas: 1, start: startNatsServer }, { name: '3-node cluster, R3', replicas: 3, start: startNatsCluster }]) {
  describe(`JetStream atomic sends (${topology.name})`, () => {
    let nats: NatsCluster;
    const connections: NatsConnection[] = [];
    before(async () => {
      nats = await topology.start();
    });
    after(async () => {
      for (const nc of connections) await nc.close();
      await nats.stop();
    });

    async function connection(): Promise<NatsConnection> {
      const nc = await connect({ servers: nats.servers.split(',') });
      connections.push(nc);
      return nc;
    }

    async function storeWith(quota?: Partial<QueueQuota>): Promise<JetStreamQueueStore> {
      return new JetStreamQueueStore({ connection: await connection(), replicas: topology.replicas, ...(quota ? { quota } : {}) });
    }

    async function stored(queue: string): Promise<number> {
      const jsm = await jetstreamManager(await connection());
      return (await jsm.streams.info(queueStream(queue))).state.messages;
    }

    async function refusal(send: Promise<unknown>): Promise<WasmletError> {
      const err = await send.then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof WasmletError, `refused with a WasmletError, got ${String(err)}`);
      return err;
    }

    test('a send the queue quota refuses midway stores none of its messages; one that fits stores all', async () => {
      const store = await storeWith({ maxMessages: 5 });
      await store.send('capped', messagesOf('a', 3));
      const full = await refusal(store.send('capped', messagesOf('b', 4)));
      assert.equal(full.code, 'queue_full');
      assert.equal(await stored('capped'), 3, 'no prefix of the refused send landed');
      assert.deepEqual(await store.send('capped', messagesOf('c', 2)), ['c0', 'c1']);
      assert.deepEqual((await store.receive('capped', lease)).map((m) => m.id), ['a0', 'a1', 'a2', 'c0', 'c1']);
    });

    test('a send over the byte quota midway stores none of its messages', async () => {
      const store = await storeWith({ maxBodyBytes: 4096 });
      const body = text('x'.repeat(1000));
      const err = await refusal(store.send('bytes-capped', Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, body }))));
      assert.equal(err.code, 'queue_full');
      assert.match(err.message, /--queue-max-bytes/);
      assert.equal(await stored('bytes-capped'), 0);
    });

    test('ids de-duplicate: a repeated send stores nothing new, a send mixing old and new ids stores the new, an id twice in one send once', async () => {
      const store = await storeWith();
      assert.deepEqual(await store.send('dedupe', messagesOf('r', 3)), ['r0', 'r1', 'r2']);
      assert.deepEqual(await store.send('dedupe', messagesOf('r', 3)), ['r0', 'r1', 'r2'], 'a retry of a send that landed is acknowledged');
      assert.equal(await stored('dedupe'), 3);
      assert.deepEqual(await store.send('dedupe', [{ id: 'r1', body: text('again') }, { id: 'n0', body: text('new') }, { id: 'r2', body: text('again') }]), ['r1', 'n0', 'r2']);
      await store.send('dedupe', [{ id: 'twice', body: text('first') }, { id: 'twice', body: text('second') }]);
      const got = await store.receive('dedupe', lease);
      assert.deepEqual(got.map((m) => `${m.id}=${decode(m.body)}`), ['r0=r0', 'r1=r1', 'r2=r2', 'n0=new', 'twice=first']);
    });

    test('a send over the batch limit (1,000) is consecutive batches, each all or none: a refusal keeps the whole batches before it', async () => {
      const store = await storeWith({ maxMessages: 1500 });
      const err = await refusal(store.send('large', messagesOf('l', 2500)));
      assert.equal(err.code, 'queue_full');
      assert.equal(await stored('large'), 1000, 'the first batch of 1,000, none of the second');
      // The producer's retry with the same ids: the first batch's ids are dropped, the rest is refused again.
      assert.equal((await refusal(store.send('large', messagesOf('l', 2500)))).code, 'queue_full');
      assert.equal(await stored('large'), 1000);
      const roomy = await storeWith();
      assert.equal((await roomy.send('large', messagesOf('l', 2500))).length, 2500);
      assert.equal(await stored('large'), 2500, 'a host with a larger quota raised the limit; the retry stored the rest');
    });

    test('a stream made without allow_atomic (an older host) gets it on first use, and again when it lost it', async () => {
      const jsm = await jetstreamManager(await connection());
      await jsm.streams.add({
        name: queueStream('older'), subjects: [queueSubject('older')], retention: RetentionPolicy.Workqueue, storage: StorageType.File, num_replicas: topology.replicas,
      });
      assert.notEqual((await jsm.streams.info(queueStream('older'))).config.allow_atomic, true);
      const store = await storeWith();
      await store.send('older', messagesOf('o', 3));
      assert.equal((await jsm.streams.info(queueStream('older'))).config.allow_atomic, true);
      assert.equal(await stored('older'), 3);
      // Turned off behind this host's back: the next send sets it again.
      const { config } = await jsm.streams.info(queueStream('older'));
      await jsm.streams.update(queueStream('older'), { ...config, allow_atomic: false });
      await store.send('older', messagesOf('p', 2));
      assert.equal((await jsm.streams.info(queueStream('older'))).config.allow_atomic, true);
      assert.equal(await stored('older'), 5);
    });

    test('publish to two queues (an invocation\'s messages): one batch per queue, the full queue gets none, and the retry drops what landed', async () => {
      const store = await storeWith({ maxMessages: 2 });
      await store.send('sink-full', [{ id: 'occupant', body: text('o') }]);
      const messages = [
        { queue: 'sink-open', message: { id: 'open-1', body: text('open-1') } },
        { queue: 'sink-full', message: { id: 'full-1', body: text('full-1') } },
        { queue: 'sink-open', message: { id: 'open-2', body: text('open-2') } },
        { queue: 'sink-full', message: { id: 'full-2', body: text('full-2') } },
      ];
      assert.equal((await refusal(store.publish(messages))).code, 'queue_full');
      assert.equal(await stored('sink-full'), 1, 'none of its batch');
      assert.equal(await stored('sink-open'), 2, "the other queue's batch is stored (nothing spans streams)");
      const [occupant] = await store.receive('sink-full', lease);
      await store.ack('sink-full', [occupant!.receiptHandle]);
      // On a cluster the stream drops an acked message a moment after the ack is answered.
      for (let i = 0; i < 200 && (await stored('sink-full')) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      await store.publish(messages);
      assert.deepEqual((await store.receive('sink-open', lease)).map((m) => decode(m.body)), ['open-1', 'open-2'], 'the retry dropped the copies (same ids)');
      assert.deepEqual((await store.receive('sink-full', lease)).map((m) => decode(m.body)), ['full-1', 'full-2']);
    });
  });
}
