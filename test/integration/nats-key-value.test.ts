// The KeyValueStores port on JetStream KV against a real nats-server: the same conformance suite as
// the embedded store.
import { after, before } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { runKeyValueStoreConformance } from '../../src/kv/key-value-store.case.js';
import { JetStreamKeyValueStores } from '../../src/nats/jetstream-key-value-stores.js';
import { startNatsServer, type NatsCluster } from '../support/nats-server.js';

let nats: NatsCluster;
before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats.stop();
});

runKeyValueStoreConformance('JetStreamKeyValueStores (one nats-server, R1)', async () => {
  const nc = await connect({ servers: nats.servers.split(',') });
  const jsm = await jetstreamManager(nc);
  for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
  const stores = new JetStreamKeyValueStores({ connection: nc });
  const close = stores.close.bind(stores);
  return Object.assign(stores, { close: async () => { await close(); await nc.close(); } });
});
