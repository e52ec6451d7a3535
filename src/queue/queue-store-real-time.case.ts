// The QueueStore conformance cases about time — leases that lapse, delays, retry backoff, stale
// handles — in real time with short delays, so that a store whose time is kept elsewhere (JetStream:
// ack_wait and delayed naks run on the server) passes the same cases as the embedded one. The
// ManualClock suite (queue-store.case.ts) pins the exact boundaries on the embedded store; here a
// wait polls for the outcome and nothing asserts how long anything took: "hidden" is shown with a
// lease or delay of ten minutes, "comes back" by polling, and "not before its delay" by a lower bound.
// Each queue keeps one visibility timeout: on JetStream it is its consumer's ack_wait, one per queue.
// Not here, since JetStream differs by design (docs/queues.md): where a retried message goes in the
// order, nextVisibleAt's exact time, releaseAllLeases (a no-op when hosts share the consumers), and
// `delayed` as a count and a state of its own (JetStream holds a delayed message among the pending acks).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LeasedMessage, QueueStore } from './queue-store.js';

/** Builds a fresh, empty store on the real clock; the suite closes it after each test. */
export type RealTimeQueueStoreFactory = () => Promise<QueueStore>;

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
/** Long enough that nothing under test lapses: what is leased or delayed this long stays hidden. */
const heldMs = 600_000;
/** The short lease and delay whose end the cases wait for. */
const shortMs = 1_000;
const longLease = { max: 10, visibilityTimeoutMs: heldMs };

/** Receives until something comes back, bounded (a lapse or delay runs out on the store's own time). */
async function receiveEventually(store: QueueStore, queue: string, visibilityTimeoutMs: number): Promise<LeasedMessage[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const got = await store.receive(queue, { max: 10, visibilityTimeoutMs });
    if (got.length > 0) return got;
    if (Date.now() > deadline) throw new Error(`nothing came back on ${queue} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function runQueueStoreRealTimeConformance(name: string, factory: RealTimeQueueStoreFactory): void {
  describe(`QueueStore conformance, in real time: ${name}`, () => {
    let store: QueueStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    test('a leased message is hidden; a lease that lapses redelivers it with attempt + 1, a new handle, and the old handle stale', async () => {
      await store.send('held', [{ id: 'h', body: text('h') }]);
      assert.equal((await store.receive('held', longLease)).length, 1);
      assert.deepEqual(await store.receive('held', longLease), [], 'hidden while leased');

      await store.send('q', [{ id: 'm', body: text('x') }]);
      const [first] = await store.receive('q', { max: 10, visibilityTimeoutMs: shortMs });
      assert.deepEqual([first!.id, first!.attempt], ['m', 1]);
      const [second, ...more] = await receiveEventually(store, 'q', shortMs);
      assert.deepEqual(more, []);
      assert.deepEqual([second!.id, second!.attempt, decode(second!.body)], ['m', 2, 'x']);
      assert.notEqual(second!.receiptHandle, first!.receiptHandle);
      assert.deepEqual(await store.ack('q', [first!.receiptHandle]), { acked: [], stale: [first!.receiptHandle] });
      assert.equal(await store.retry('q', first!.receiptHandle, { delayMs: 0 }), false);
      assert.equal(await store.deadLetter('q', first!.receiptHandle, 'q-dlq', 'boom'), false);
      assert.deepEqual(await store.list('q-dlq', { limit: 10 }), [], 'a stale dead-letter moves nothing');
    });

    test('a delayed message is not delivered before its delay; waiting is not an attempt', async () => {
      const sentAt = Date.now();
      await store.send('q', [{ id: 'later', body: text('l'), delayMs: heldMs }, { id: 'soon', body: text('s'), delayMs: shortMs }, { id: 'now', body: text('n') }]);
      const seen = new Map<string, { attempt: number; at: number }>();
      while (!seen.has('soon')) {
        for (const m of await receiveEventually(store, 'q', heldMs)) seen.set(m.id, { attempt: m.attempt, at: Date.now() });
      }
      assert.deepEqual([...seen.keys()].sort(), ['now', 'soon'], 'the ten-minute delay still holds');
      assert.equal(seen.get('soon')!.attempt, 1);
      assert.ok(seen.get('soon')!.at >= sentAt + shortMs, 'not delivered before its delay');
    });

    test('retry ends the lease early, hides the message for the delay and keeps the error', async () => {
      await store.send('q', [{ id: 'm', body: text('x') }]);
      const [m] = await store.receive('q', longLease);
      const retriedAt = Date.now();
      assert.equal(await store.retry('q', m!.receiptHandle, { delayMs: shortMs, error: 'guest_error: boom' }), true);
      const [again] = await receiveEventually(store, 'q', heldMs);
      assert.ok(Date.now() >= retriedAt + shortMs, 'not back before the retry delay');
      assert.deepEqual([again!.id, again!.attempt, again!.lastError], ['m', 2, 'guest_error: boom']);
      assert.equal(await store.retry('q', again!.receiptHandle, { delayMs: 0 }), true);
      const [third] = await receiveEventually(store, 'q', heldMs);
      assert.deepEqual([third!.attempt, third!.lastError], [3, 'guest_error: boom'], 'a retry without error keeps the last one');
    });

    test('deadLetter after lapsed leases keeps id, body, attributes, attempt, the reason and the send time', async () => {
      await store.send('q', [{ id: 'poison', body: text('bad'), attributes: { a: '1' } }, { id: 'fine', body: text('ok'), delayMs: heldMs }]);
      const [first] = await store.receive('q', { max: 1, visibilityTimeoutMs: shortMs });
      assert.equal(first!.id, 'poison');
      // Dead-lettered on its third delivery, or a later one should that short lease lapse before the call gets there.
      let m = first!;
      while (m.attempt < 3 || !(await store.deadLetter('q', m.receiptHandle, 'q-dlq', 'trap: unreachable'))) {
        [m] = (await receiveEventually(store, 'q', shortMs)) as [LeasedMessage];
        assert.equal(m.id, 'poison');
      }
      assert.equal(await store.deadLetter('q', m.receiptHandle, 'q-dlq', 'again'), false, 'the handle is gone with the message');
      assert.deepEqual((await store.list('q', { limit: 10 })).map((x) => x.id), ['fine']);
      const [dead, ...more] = await store.list('q-dlq', { limit: 10 });
      assert.deepEqual(more, []);
      assert.deepEqual([dead!.id, decode(dead!.body), dead!.attributes, dead!.attempt, dead!.lastError, dead!.enqueuedAt], ['poison', 'bad', { a: '1' }, m.attempt, 'trap: unreachable', first!.enqueuedAt]);
    });

    test('settle applies acks, delayed retries, dead letters and publishes in one step', async () => {
      await store.send('in', [{ id: 'done', body: text('done') }, { id: 'again', body: text('again') }, { id: 'poison', body: text('poison') }]);
      const [done, again, poison] = await store.receive('in', longLease);
      const result = await store.settle('in', {
        ack: [done!.receiptHandle],
        retry: [{ receiptHandle: again!.receiptHandle, delayMs: shortMs, error: 'busy' }],
        deadLetter: [{ receiptHandle: poison!.receiptHandle, queue: 'in-dlq', reason: 'bad body' }],
        publish: [{ queue: 'out', message: { body: text('derived'), attributes: { from: 'in' } } }],
      });
      assert.deepEqual(result.stale, []);
      const [dead] = await store.list('in-dlq', { limit: 10 });
      assert.deepEqual([decode(dead!.body), dead!.lastError], ['poison', 'bad body']);
      const [out] = await store.receive('out', longLease);
      assert.deepEqual([decode(out!.body), out!.attributes], ['derived', { from: 'in' }]);
      const [retried, ...rest] = await receiveEventually(store, 'in', heldMs);
      assert.deepEqual(rest, [], 'the acked and the dead-lettered message are gone');
      assert.deepEqual([retried!.id, retried!.attempt, retried!.lastError], ['again', 2, 'busy']);
    });

    test('settle skips verdicts on lapsed leases, reports them stale, and still publishes', async () => {
      await store.send('in', [{ body: text('slow') }]);
      const [first] = await store.receive('in', { max: 1, visibilityTimeoutMs: shortMs });
      const [second] = await receiveEventually(store, 'in', shortMs);
      const result = await store.settle('in', { ack: [first!.receiptHandle], publish: [{ queue: 'out', message: { body: text('p') } }] });
      assert.deepEqual(result.stale, [first!.receiptHandle]);
      assert.deepEqual((await store.receive('out', longLease)).map((m) => decode(m.body)), ['p']);
      // The second lease may itself have lapsed by now (it is short): either it acks, or it is stale and the message is still there.
      const { stale } = await store.settle('in', { ack: [second!.receiptHandle] });
      if (stale.length > 0) assert.equal((await receiveEventually(store, 'in', heldMs))[0]!.id, second!.id);
    });

    test('stats: visible messages, and the leased and delayed ones (JetStream counts a delayed one as in flight)', async () => {
      await store.send('q', [{ id: 'a', body: text('a') }, { id: 'b', body: text('b') }, { id: 'c', body: text('c') }, { id: 'd', body: text('d'), delayMs: heldMs }]);
      const [a] = await store.receive('q', longLease);
      await store.ack('q', [a!.receiptHandle]);
      await store.send('q', [{ id: 'e', body: text('e') }]);
      const stats = await store.stats('q');
      assert.equal(stats.visible, 1, 'e');
      assert.equal(stats.inFlight + stats.delayed, 3, 'b and c leased, d delayed');
      assert.ok(stats.oldestAgeMs !== null && stats.oldestAgeMs >= 0);
    });
  });
}
