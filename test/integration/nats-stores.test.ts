// The invocation and schedule ports on JetStream against real nats-servers: their conformance
// suites on one node (R1) and on a 3-node cluster (R3, sync_interval: always), then schedule
// leadership between two hosts: one leads, a graceful stop hands over, a dead holder's lease lapses
// and another host takes over.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { runInvocationStoreConformance } from '../../src/async/invocation-store.case.js';
import { runScheduleStoreConformance } from '../../src/schedules/schedule-store.case.js';
import { JetStreamInvocationStore } from '../../src/nats/jetstream-invocation-store.js';
import { JetStreamQueueStore } from '../../src/nats/jetstream-queue-store.js';
import { JetStreamScheduleStore } from '../../src/nats/jetstream-schedule-store.js';
import { startNatsCluster, startNatsServer, type NatsCluster } from '../support/nats-server.js';

/** A connection to `nats` over an empty JetStream (what earlier tests made is deleted). */
async function emptied(nats: NatsCluster): Promise<NatsConnection> {
  const nc = await connect({ servers: nats.servers.split(','), maxReconnectAttempts: -1 });
  const jsm = await jetstreamManager(nc);
  for await (const name of jsm.streams.names()) await jsm.streams.delete(name);
  return nc;
}

for (const [label, start, replicas] of [['one node, R1', startNatsServer, 1], ['3-node cluster, R3', startNatsCluster, 3]] as const) {
  describe(`JetStream invocation and schedule stores (${label})`, () => {
    let nats: NatsCluster;
    before(async () => {
      nats = await start();
    });
    after(async () => {
      await nats.stop();
    });

    runInvocationStoreConformance(`JetStreamInvocationStore (${label})`, async (clock) => {
      const nc = await emptied(nats);
      const queues = new JetStreamQueueStore({ connection: nc, clock, replicas });
      const invocations = new JetStreamInvocationStore({ connection: nc, queues, clock, replicas });
      return { invocations, queues, close: async () => { await queues.close(); await nc.close(); } };
    });

    runScheduleStoreConformance(`JetStreamScheduleStore (${label})`, async () => {
      const nc = await emptied(nats);
      const queues = new JetStreamQueueStore({ connection: nc, replicas });
      const schedules = new JetStreamScheduleStore({ connection: nc, queues, replicas });
      return { schedules, queues, close: async () => { await schedules.close(); await queues.close(); await nc.close(); } };
    });
  });
}

describe('JetStream schedule leadership between two hosts', () => {
  let nats: NatsCluster;
  before(async () => {
    nats = await startNatsServer();
  });
  after(async () => {
    await nats.stop();
  });

  async function host(leaseMs: number) {
    const nc = await connect({ servers: nats.servers.split(',') });
    const queues = new JetStreamQueueStore({ connection: nc });
    const schedules = new JetStreamScheduleStore({ connection: nc, queues, leaseMs });
    return { schedules, nc };
  }

  /** Asks `lead` until it says yes, bounded (a lease lapses on the server's time). */
  async function leadsEventually(schedules: JetStreamScheduleStore): Promise<boolean> {
    for (let i = 0; i < 600; i++) {
      if (await schedules.lead()) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  test('one host leads; a graceful stop hands over; a dead holder’s lease lapses and the other takes over', async () => {
    await (await emptied(nats)).close();
    const a = await host(1_500);
    const b = await host(1_500);
    try {
      assert.equal(await a.schedules.lead(), true);
      assert.equal(await b.schedules.lead(), false, 'a holds the lease');
      assert.equal(await a.schedules.lead(), true, 'renewing keeps it');
      await a.schedules.close(); // graceful: the entry is deleted
      assert.equal(await b.schedules.lead(), true, 'b takes over at once');
      assert.equal(await a.schedules.lead(), false);
      // b dies: its connection goes, nothing renews; its entry expires with the bucket's TTL.
      await b.nc.close();
      assert.equal(await leadsEventually(a.schedules), true, 'a takes over once b’s lease lapsed');
    } finally {
      await a.schedules.close();
      await a.nc.close();
      if (!b.nc.isClosed()) await b.nc.close();
    }
  });
});
