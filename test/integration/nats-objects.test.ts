// The ObjectStore port (S3 buckets) on JetStream against real nats-servers: the same conformance
// suite as the embedded store, on one node (R1) and on a 3-node cluster (R3, sync_interval: always).
import { after, before, describe } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
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
