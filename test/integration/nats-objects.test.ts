// The ObjectStore port (S3 buckets) on JetStream against real nats-servers: the same conformance
// suite as the embedded store, on one node (R1) and on a 3-node cluster (R3, sync_interval: always);
// then what only a shared store shows: two hosts' stores on one stream, each relaying its own events.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { ManualClock } from '../../src/queue/queue-store.case.js';
import { runObjectStoreConformance } from '../../src/objects/object-store.case.js';
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

  test('each host lists and acknowledges only the events of its own writes; a write on one is read on the other', async () => {
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
    } finally {
      await a.close();
      await b.close();
      await nc.close();
    }
  });
});
