// The NATS test support itself: a real single node and a real 3-node cluster start, keep acknowledged
// messages with sync_interval: always, survive one node's SIGKILL (R3), and stop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { startNatsCluster, startNatsServer } from '../support/nats-server.js';

test('a single nats-server node: JetStream on, a repeated Nats-Msg-Id is a duplicate', async () => {
  const nats = await startNatsServer();
  const nc = await connect({ servers: nats.servers.split(',') });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'probe', subjects: ['probe'] });
    const js = jetstream(nc);
    const first = await js.publish('probe', 'a', { msgID: 'm1' });
    const again = await js.publish('probe', 'a', { msgID: 'm1' });
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.equal((await jsm.streams.info('probe')).state.messages, 1);
  } finally {
    await nc.close();
    await nats.stop();
  }
});

test('a 3-node cluster: an R3 stream keeps accepting and keeps every acknowledged message while one node is SIGKILLed', async () => {
  const nats = await startNatsCluster();
  const nc = await connect({ servers: nats.servers.split(','), maxReconnectAttempts: -1 });
  try {
    // A node that has just joined may still answer "jetstream is not enabled" for a moment.
    const jsm = await publishRetrying(() => jetstreamManager(nc));
    await publishRetrying(() => jsm.streams.add({ name: 'probe', subjects: ['probe'], num_replicas: 3 }));
    const js = jetstream(nc);
    for (let i = 0; i < 10; i++) await js.publish('probe', `m${i}`, { msgID: `m${i}` });
    const victim = nats.nodes[2]!;
    await victim.kill();
    assert.equal(victim.running, false);
    for (let i = 10; i < 20; i++) await publishRetrying(() => js.publish('probe', `m${i}`, { msgID: `m${i}` }));
    await victim.restart();
    // The client may reconnect to the restarted node before its JetStream is back: asked again until it answers.
    assert.equal((await publishRetrying(() => jsm.streams.info('probe'))).state.messages, 20);
  } finally {
    await nc.close();
    await nats.stop();
  }
});

/** While a stream's leader is re-elected (or a node restarts) a request can fail; the msg id makes a publish's retry safe. */
async function publishRetrying<T>(publish: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await publish();
    } catch (err) {
      if (attempt >= 300) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
