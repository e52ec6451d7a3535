// The InvocationStore conformance suite: every backend runs these same tests (the embedded one in
// invocation-store.test.ts, JetStream in test/integration/nats-stores.test.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { Clock } from '../queue/clock.js';
import { asyncQueueName } from '../queue/queue-names.js';
import type { QueueStore } from '../queue/queue-store.js';
import type { InvocationStore } from './invocation-records.js';

/** A fresh, empty pair: the invocation store and the queue store its events go to. `close` ends both. */
export interface InvocationBackend {
  readonly invocations: InvocationStore;
  readonly queues: QueueStore;
  close(): Promise<void>;
}

/** Builds a backend reading time from `clock`. */
export type InvocationBackendFactory = (clock: Clock) => Promise<InvocationBackend>;

/** Moves 1 ms at every reading: changes get distinct, increasing times without sleeping. */
export function tickingClock(start = 1_700_000_000_000): Clock {
  let now = start;
  return { now: () => now++ };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const lease = { max: 10, visibilityTimeoutMs: 30_000 };
const isCode = (code: string) => (err: unknown) => err instanceof WasmletError && err.code === code;

export function runInvocationStoreConformance(name: string, factory: InvocationBackendFactory): void {
  describe(`InvocationStore conformance: ${name}`, () => {
    let backend: InvocationBackend;
    beforeEach(async () => {
      backend = await factory(tickingClock());
    });
    afterEach(async () => {
      await backend.close();
    });

    test('submit records the invocation as queued and queues its event under the invocation id', async () => {
      const { invocations, queues } = backend;
      const { id, duplicate } = await invocations.submit({ functionName: 'f', payload: bytes('{"n":1}'), contentType: 'application/json' });
      assert.equal(duplicate, false);
      const record = await invocations.get(id);
      assert.equal(record?.id, id);
      assert.equal(record?.function, 'f');
      assert.equal(record?.state, 'queued');
      assert.equal(record?.attempts, 0);
      assert.equal(record?.lastError, null);
      assert.equal(record?.status, null);
      const [event, ...rest] = await queues.receive(asyncQueueName('f'), lease);
      assert.equal(rest.length, 0);
      assert.equal(event?.id, id);
      assert.equal(decode(event!.body), '{"n":1}');
      assert.equal(event?.attributes['content-type'], 'application/json');
    });

    test('attributes given at submit (a trace context) ride on the event beside its content type, which they cannot replace', async () => {
      const { invocations, queues } = backend;
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await invocations.submit({ functionName: 'f', payload: bytes('{}'), contentType: 'application/json', attributes: { traceparent, 'content-type': 'text/plain' } });
      const [event] = await queues.receive(asyncQueueName('f'), lease);
      assert.deepEqual(event?.attributes, { traceparent, 'content-type': 'application/json' });
    });

    test('an unknown id has no record', async () => {
      assert.equal(await backend.invocations.get('0193aaaa-0000-7000-8000-000000000000'), undefined);
    });

    test('an idempotency key: the same request is the first invocation (nothing queued), another payload or content type is refused, keys are per function', async () => {
      const { invocations, queues } = backend;
      const first = await invocations.submit({ functionName: 'f', payload: bytes('{"n":1}'), contentType: 'application/json', idempotencyKey: 'k' });
      assert.deepEqual(await invocations.submit({ functionName: 'f', payload: bytes('{"n":1}'), contentType: 'application/json', idempotencyKey: 'k' }), { id: first.id, duplicate: true });
      await assert.rejects(invocations.submit({ functionName: 'f', payload: bytes('{"n":2}'), contentType: 'application/json', idempotencyKey: 'k' }), isCode('idempotency_key_reused'));
      await assert.rejects(invocations.submit({ functionName: 'f', payload: bytes('{"n":1}'), contentType: 'text/plain', idempotencyKey: 'k' }), isCode('idempotency_key_reused'));
      assert.equal((await invocations.submit({ functionName: 'g', payload: bytes('{"n":2}'), contentType: 'application/json', idempotencyKey: 'k' })).duplicate, false);
      const events = await queues.receive(asyncQueueName('f'), lease);
      assert.deepEqual(events.map((e) => e.id), [first.id]);
    });

    test('a malformed idempotency key is a bad request and queues nothing', async () => {
      await assert.rejects(backend.invocations.submit({ functionName: 'f', payload: bytes('x'), contentType: 'text/plain', idempotencyKey: 'has space' }), isCode('bad_request'));
      assert.deepEqual(await backend.queues.receive(asyncQueueName('f'), lease), []);
    });

    test('update records the state and settles the event with it: ack, or retry with the error, and publishes', async () => {
      const { invocations, queues } = backend;
      const queue = asyncQueueName('f');
      const { id } = await invocations.submit({ functionName: 'f', payload: bytes('p'), contentType: 'text/plain' });
      const [first] = await queues.receive(queue, lease);
      await invocations.update(id, { state: 'retrying', attempts: 1, lastError: 'f answered 500', status: 500 }, queue, {
        retry: [{ receiptHandle: first!.receiptHandle, delayMs: 0, error: 'f answered 500' }],
      });
      const retrying = await invocations.get(id);
      assert.equal(retrying?.state, 'retrying');
      assert.equal(retrying?.attempts, 1);
      assert.equal(retrying?.lastError, 'f answered 500');
      assert.equal(retrying?.status, 500);
      const [second] = await waitForMessage(queues, queue);
      assert.equal(second?.id, id);
      assert.equal(second?.attempt, 2);
      await invocations.update(id, { state: 'failed', attempts: 2, lastError: 'f answered 503', status: 503 }, queue, {
        ack: [second!.receiptHandle],
        publish: [{ queue: 'f-failures', message: { id, body: bytes('{"condition":"RetriesExhausted"}') } }],
      });
      assert.equal((await invocations.get(id))?.state, 'failed');
      assert.deepEqual(await queues.receive(queue, lease), []);
      const [record] = await queues.receive('f-failures', lease);
      assert.equal(record?.id, id);
    });

    test('list: most recently changed first, filtered by state, up to the limit', async () => {
      const { invocations, queues } = backend;
      const a = await invocations.submit({ functionName: 'f', payload: bytes('a'), contentType: 'text/plain' });
      const b = await invocations.submit({ functionName: 'f', payload: bytes('b'), contentType: 'text/plain' });
      const [event] = await queues.receive(asyncQueueName('f'), { max: 1, visibilityTimeoutMs: 30_000 });
      assert.equal(event?.id, a.id);
      await invocations.update(a.id, { state: 'succeeded', attempts: 1, lastError: null, status: 200 }, asyncQueueName('f'), { ack: [event!.receiptHandle] });
      const all = await invocations.list({ limit: 10 });
      assert.deepEqual(all.map((r) => r.id), [a.id, b.id]);
      assert.deepEqual((await invocations.list({ state: 'queued', limit: 10 })).map((r) => r.id), [b.id]);
      assert.deepEqual((await invocations.list({ state: 'succeeded', limit: 10 })).map((r) => r.state), ['succeeded']);
      assert.equal((await invocations.list({ limit: 1 })).length, 1);
    });
  });
}

/** A retry with no delay makes the event deliverable again; a backend may take a moment to redeliver it. */
async function waitForMessage(queues: QueueStore, queue: string) {
  for (let i = 0; ; i++) {
    const got = await queues.receive(queue, lease);
    if (got.length > 0 || i >= 1_200) return got;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
