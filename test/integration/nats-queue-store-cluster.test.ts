// The QueueStore conformance suites (portable and real-time) on a 3-node JetStream cluster with R3
// streams (sync_interval: always): what scale-out runs on, where a stream just created, a leader
// election or a replica catching up can answer differently from one server.
import { after, before, describe } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { runQueueStoreConformance } from '../../src/queue/queue-store.case.js';
import { runQueueStoreRealTimeConformance } from '../../src/queue/queue-store-real-time.case.js';
import type { ManualClock } from '../../src/queue/queue-store.case.js';
import type { QueueStore } from '../../src/queue/queue-store.js';
import { JetStreamQueueStore } from '../../src/nats/jetstream-queue-store.js';
import { startNatsCluster, type NatsCluster } from '../support/nats-server.js';

describe('JetStreamQueueStore on a 3-node cluster (R3)', () => {
  let nats: NatsCluster;
  before(async () => {
    nats = await startNatsCluster();
  });
  after(async () => {
    await nats.stop();
  });

  /** A store on its own connection over an empty cluster (every stream of earlier tests deleted). */
  async function freshStore(clock?: ManualClock): Promise<QueueStore> {
    const nc: NatsConnection = await connect({ servers: nats.servers.split(',') });
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
    const store = new JetStreamQueueStore({ connection: nc, replicas: 3, ...(clock ? { clock } : {}) });
    const close = store.close.bind(store);
    return Object.assign(store, { close: async () => { await close(); await nc.close(); } });
  }

  runQueueStoreConformance('JetStreamQueueStore (3-node cluster, R3)', (clock) => freshStore(clock));
  runQueueStoreRealTimeConformance('JetStreamQueueStore (3-node cluster, R3)', () => freshStore());
});
