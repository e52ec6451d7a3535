// Queue quotas on JetStream, against a real nats-server: each queue's stream carries the quota as
// its limits with discard-new, the server refuses a publish over them, and the send reports 429
// `queue_full` as the embedded store does. Also through a served host (`serve --nats
// --queue-max-messages`): the HTTP answer a producer gets.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { WasmletError } from '../../src/errors/wasmlet-error.js';
import { JetStreamQueueStore } from '../../src/nats/jetstream-queue-store.js';
import { queueStream } from '../../src/nats/jetstream-names.js';
import type { QueueQuota } from '../../src/queue/queue-quota.js';
import { adminRequest, startServe } from '../support/cli-process.js';
import { startNatsServer, type NatsCluster } from '../support/nats-server.js';

const text = (s: string) => new TextEncoder().encode(s);
const lease = { max: 100, visibilityTimeoutMs: 30_000 };

let nats: NatsCluster;
const connections: NatsConnection[] = [];
before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  for (const nc of connections) await nc.close();
  await nats.stop();
});

/** A store (one host) on its own connection. */
async function storeWith(quota?: Partial<QueueQuota>): Promise<JetStreamQueueStore> {
  const nc = await connect({ servers: nats.servers.split(',') });
  connections.push(nc);
  return new JetStreamQueueStore({ connection: nc, ...(quota ? { quota } : {}) });
}

async function refusal(send: Promise<unknown>): Promise<WasmletError> {
  const err = await send.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof WasmletError, `refused with a WasmletError, got ${String(err)}`);
  return err;
}

describe('JetStream queue quotas (stream limits, discard-new)', () => {
  test('a send over --queue-max-messages is refused with queue_full (429); room made by an ack takes sends again', async () => {
    const store = await storeWith({ maxMessages: 3 });
    await store.send('capped', [{ id: 'a', body: text('a') }, { id: 'b', body: text('b') }, { id: 'c', body: text('c') }]);
    const full = await refusal(store.send('capped', [{ id: 'd', body: text('d') }]));
    assert.equal(full.code, 'queue_full');
    assert.equal(full.status, 429);
    assert.match(full.message, /capped/);
    assert.match(full.message, /--queue-max-messages/);
    // A message id already queued is still acknowledged (a producer's retry is not refused for its own message).
    assert.deepEqual(await store.send('capped', [{ id: 'a', body: text('a') }]), ['a']);
    const [first] = await store.receive('capped', { max: 1, visibilityTimeoutMs: 30_000 });
    await store.ack('capped', [first!.receiptHandle]);
    assert.deepEqual(await store.send('capped', [{ id: 'd', body: text('d') }]), ['d']);
    assert.equal((await refusal(store.send('capped', [{ id: 'e', body: text('e') }]))).code, 'queue_full');
    assert.equal((await store.receive('capped', lease)).length, 3, 'what was accepted stays');
  });

  test('a send over --queue-max-bytes is refused with queue_full, naming the byte quota', async () => {
    const store = await storeWith({ maxBodyBytes: 4096 });
    const body = text('x'.repeat(1000));
    let accepted = 0;
    let err: WasmletError | undefined;
    for (let i = 0; i < 10 && err === undefined; i++) {
      try {
        await store.send('bytes-capped', [{ id: `m${i}`, body }]);
        accepted++;
      } catch (e) {
        err = e as WasmletError;
      }
    }
    assert.ok(err instanceof WasmletError, 'refused before 10 KB');
    assert.equal(err.code, 'queue_full');
    assert.match(err.message, /--queue-max-bytes/);
    // Headers and subject count too: at most four bodies of 1,000 bytes fit in 4,096 bytes.
    assert.ok(accepted >= 1 && accepted <= 4, `${accepted} accepted`);
  });

  test('a stream made before the quota (or by a host without it) gets the limits when a host with the quota first uses it', async () => {
    const before = await storeWith();
    await before.send('grown', Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, body: text(String(i)) })));
    const capped = await storeWith({ maxMessages: 5 });
    assert.equal((await refusal(capped.send('grown', [{ id: 'm5', body: text('5') }]))).code, 'queue_full');
    const jsm = await jetstreamManager(connections[0]!);
    const { config } = await jsm.streams.info(queueStream('grown'));
    assert.deepEqual([config.max_msgs, config.discard], [5, 'new']);
    // The embedded default (1,000,000 messages) when no quota is given; no byte limit unless one is.
    await before.send('defaulted', [{ body: text('x') }]);
    const defaults = (await jsm.streams.info(queueStream('defaulted'))).config;
    assert.deepEqual([defaults.max_msgs, defaults.max_bytes], [1_000_000, -1]);
  });

  test('the outbox of a settle into a full queue is refused: the batch stays leased, nothing is acked', async () => {
    const store = await storeWith({ maxMessages: 1 });
    await store.send('source', [{ id: 's', body: text('s') }]);
    await store.send('sink', [{ id: 'occupant', body: text('o') }]);
    const [leased] = await store.receive('source', lease);
    const err = await refusal(store.settle('source', { ack: [leased!.receiptHandle], publish: [{ queue: 'sink', message: { body: text('derived') } }] }));
    assert.equal(err.code, 'queue_full');
    assert.equal((await store.stats('source')).inFlight, 1, 'the source message is still leased, not acked');
  });
});

test('serve --nats --queue-max-messages 2: the third POST to a queue answers 429 queue_full', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-nats-quota-'));
  const host = await startServe(['--data-dir', dir, '--nats', nats.servers, '--queue-max-messages', '2']);
  try {
    const post = (id: string) => adminRequest(host, '/v1/queues/host-capped/messages', { method: 'POST', body: id, headers: { 'x-wasmlet-message-id': id } });
    assert.equal((await post('one')).status, 202);
    assert.equal((await post('two')).status, 202);
    const refused = await post('three');
    assert.equal(refused.status, 429, refused.text);
    assert.equal((refused.json() as { error: { code: string } }).error.code, 'queue_full', refused.text);
  } finally {
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
