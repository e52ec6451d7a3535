// The ObjectStore port (S3 buckets) on JetStream against real nats-servers: the same conformance
// suite as the embedded store, on one node (R1) and on a 3-node cluster (R3, sync_interval: always);
// then what only a shared store shows: two hosts' stores on one stream, each relaying its own
// events; and the collection of blobs a crash left unnamed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { ManualClock } from '../../src/queue/queue-store.case.js';
import { runObjectStoreConformance } from '../../src/objects/object-store.case.js';
import { objectBlobBucket } from '../../src/nats/jetstream-object-records.js';
import { JetStreamObjectStore } from '../../src/nats/jetstream-object-store.js';
import { startNatsCluster, startNatsServer, type NatsCluster } from '../support/nats-server.js';

for (const [label, start, replicas] of [['one node, R1', startNatsServer, 1], ['3-node cluster, R3', startNatsCluster, 3]] as const) {
  describe(`JetStream object store (${label})`, () => {
    let nats: NatsCluster;
    before(async () => {
      nats = await start();
    });
    after(async () => {
      await nats.stop();
    });

    runObjectStoreConformance(`JetStreamObjectStore (${label})`, async (setup) => {
      const nc = await connect({ servers: nats.servers.split(','), maxReconnectAttempts: -1 });
      const jsm = await jetstreamManager(nc);
      for await (const name of jsm.streams.names()) await jsm.streams.delete(name); // what the previous test made
      const store = await JetStreamObjectStore.open({ connection: nc, replicas, ...setup });
      const close = store.close.bind(store);
      return Object.assign(store, { close: async () => { await close(); await nc.close(); } });
    });
  });
}

describe('JetStream object store: two hosts on one server', () => {
  let nats: NatsCluster;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await nats.stop();
  });

  test('each host lists and acknowledges only the events of its own writes; a write on one is read on the other, a read on one outlives a replace on the other', async () => {
    const nc = await connect({ servers: nats.servers.split(',') });
    const clock = new ManualClock();
    const a = await JetStreamObjectStore.open({ connection: nc, clock, eventSource: 'host-a', recordEvent: () => true });
    const b = await JetStreamObjectStore.open({ connection: nc, clock, eventSource: 'host-b', recordEvent: () => true });
    try {
      await a.createBucket('shared');
      await a.putObject('shared', 'one', new TextEncoder().encode('1'));
      await b.putObject('shared', 'two', new TextEncoder().encode('2'));
      await a.deleteObject('shared', 'two');
      assert.equal((await b.headObject('shared', 'one'))?.size, 1);
      const ofA = await a.pendingEvents(10);
      const ofB = await b.pendingEvents(10);
      assert.deepEqual(ofA.map((e) => [e.kind, e.key]), [['created', 'one'], ['deleted', 'two']]);
      assert.deepEqual(ofB.map((e) => [e.kind, e.key]), [['created', 'two']]);
      await b.ackEvents([...ofA, ...ofB].map((e) => e.id)); // B acknowledges only what it listed
      assert.deepEqual((await a.pendingEvents(10)).map((e) => e.id), ofA.map((e) => e.id));
      assert.deepEqual(await b.pendingEvents(10), []);

      // A reader on B keeps reading what it opened while A replaces the object; its blob goes after the grace period.
      const big = Buffer.alloc(2 * 1024 * 1024, 'o');
      await a.putObject('shared', 'big', big);
      const read = (await b.getObject('shared', 'big'))!;
      await a.putObject('shared', 'big', new TextEncoder().encode('new'));
      await a.deleteObject('shared', 'big');
      assert.equal(await a.collectRetiredBlobs(), 0, 'within the grace period nothing goes');
      const chunks: Buffer[] = [];
      for await (const chunk of read.body) chunks.push(chunk as Buffer);
      assert.ok(Buffer.concat(chunks).equals(big));
      assert.equal(await b.collectRetiredBlobs({ now: Date.now() + 16 * 60 * 1000 }), 3, 'the body of "two" (deleted above) and both bodies of "big"');
      assert.equal(await b.collectRetiredBlobs({ now: Date.now() + 16 * 60 * 1000 }), 0);
    } finally {
      await a.close();
      await b.close();
      await nc.close();
    }
  });
});

describe('JetStream object store: blobs no record names', () => {
  let nats: NatsCluster;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await nats.stop();
  });

  test('a blob left by a crash before its commit is collected once older than the grace period; named blobs stay', async () => {
    const nc = await connect({ servers: nats.servers.split(',') });
    const store = await JetStreamObjectStore.open({ connection: nc, limits: { minPartBytes: 1 } });
    try {
      await store.createBucket('bkt');
      await store.putObject('bkt', 'kept', new TextEncoder().encode('kept bytes'));
      const upload = await store.createMultipartUpload('bkt', 'pending');
      await store.uploadPart('bkt', 'pending', upload, 1, new TextEncoder().encode('a part'));
      // What a host SIGKILLed between writing a body and committing its record leaves behind.
      const blobs = await new Objm(jetstream(nc)).open(objectBlobBucket);
      await blobs.putBlob({ name: 'orphan-of-a-crash' }, new TextEncoder().encode('never committed'));
      const names = async () => (await blobs.list()).filter((info) => !info.deleted).map((info) => info.name);
      assert.equal((await names()).length, 3);

      assert.equal(await store.collectOrphanBlobs(), 0, 'within the grace period (1 hour) nothing goes');
      assert.ok((await names()).includes('orphan-of-a-crash'));
      assert.equal(await store.collectOrphanBlobs({ graceMs: 60_000, now: Date.now() + 120_000 }), 1);
      assert.deepEqual((await names()).filter((name) => name === 'orphan-of-a-crash'), []);
      assert.equal((await names()).length, 2);
      const read = (await store.getObject('bkt', 'kept'))!;
      const chunks: Buffer[] = [];
      for await (const chunk of read.body) chunks.push(chunk as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), 'kept bytes');
      assert.equal((await store.listParts('bkt', 'pending', upload)).parts.length, 1);
    } finally {
      await store.close();
      await nc.close();
    }
  });
});
