// The QueueStore conformance suite: every implementation runs these same tests (see sqlite-queue-store.test.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { Clock } from './clock.js';
import type { QueueStore } from './queue-store.js';

/** A clock that only moves when told to: tests advance time instead of sleeping. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** Builds a fresh, empty store reading time from `clock`; the suite closes it after each test. */
export type QueueStoreFactory = (clock: ManualClock) => Promise<QueueStore>;

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const badRequest = (err: unknown) => err instanceof WasmletError && err.code === 'bad_request';
const lease = { max: 10, visibilityTimeoutMs: 30_000 };

/**
 * What every backend passes, whatever keeps its time: leases, delays and lease lapses are not
 * exercised here (a server-timed store cannot follow a ManualClock; see runQueueStoreClockConformance).
 */
export function runQueueStoreConformance(name: string, factory: QueueStoreFactory): void {
  describe(`QueueStore conformance: ${name}`, () => {
    let clock: ManualClock;
    let store: QueueStore;
    beforeEach(async () => {
      clock = new ManualClock();
      store = await factory(clock);
    });
    afterEach(async () => {
      await store.close();
    });

    test('send then receive returns the messages in send order, with body, attributes and attempt 1', async () => {
      const ids = await store.send('q', [{ body: text('a'), attributes: { requestId: 'r1' } }, { body: text('b'), id: 'my-id' }, { body: new Uint8Array(0) }]);
      assert.equal(ids.length, 3);
      assert.equal(ids[1], 'my-id');
      const got = await store.receive('q', lease);
      assert.deepEqual(got.map((m) => m.id), ids);
      assert.deepEqual(got.map((m) => decode(m.body)), ['a', 'b', '']);
      assert.ok(got.every((m) => m.body instanceof Uint8Array));
      assert.deepEqual(got[0]!.attributes, { requestId: 'r1' });
      assert.deepEqual(got[1]!.attributes, {});
      assert.ok(got.every((m) => m.attempt === 1 && m.enqueuedAt === clock.now() && m.lastError === null));
      assert.equal(new Set(got.map((m) => m.receiptHandle)).size, 3);
      assert.deepEqual(await store.send('q', []), []);
    });

    test('ack deletes: the message never comes back', async () => {
      await store.send('q', [{ id: 'a', body: text('a') }, { id: 'b', body: text('b') }]);
      const got = await store.receive('q', lease);
      const result = await store.ack('q', got.map((m) => m.receiptHandle));
      assert.deepEqual(result, { acked: got.map((m) => m.receiptHandle), stale: [] });
      clock.advance(60_000);
      assert.deepEqual(await store.receive('q', lease), []);
      assert.deepEqual(await store.stats('q'), { visible: 0, inFlight: 0, delayed: 0, oldestAgeMs: null });
    });

    test('redrive moves messages that are not in flight to the back of the target, with a fresh attempt count', async () => {
      await store.send('main', [{ id: 'live', body: text('live') }]);
      await store.send('dlq', ['d1', 'd2', 'd3', 'd4'].map((id) => ({ id, body: text(id), attributes: { k: id } })));
      const [leased] = await store.receive('dlq', { max: 1, visibilityTimeoutMs: 30_000 }); // d1 is being inspected
      assert.equal(await store.redrive('dlq', 'main', 2), 2);
      assert.deepEqual((await store.list('dlq', { limit: 10 })).map((m) => m.id), ['d1', 'd4']);
      assert.equal(await store.redrive('dlq', 'main', 10), 1);
      assert.deepEqual((await store.list('dlq', { limit: 10 })).map((m) => m.id), ['d1']);
      const got = await store.receive('main', lease);
      assert.deepEqual(got.map((m) => m.id), ['live', 'd2', 'd3', 'd4']);
      assert.ok(got.every((m) => m.attempt === 1));
      assert.deepEqual(got[1]!.attributes, { k: 'd2' });
      assert.deepEqual((await store.ack('dlq', [leased!.receiptHandle])).acked, [leased!.receiptHandle], 'the in-flight lease survived the redrive');
      await assert.rejects(store.redrive('main', 'main', 1), badRequest);
    });

    test('queues are isolated: messages, receipt handles and stats', async () => {
      await store.send('a', [{ id: 'same', body: text('in a') }]);
      await store.send('b', [{ id: 'same', body: text('in b') }, { id: 'other', body: text('b2') }]);
      const [inA] = await store.receive('a', lease);
      assert.equal(decode(inA!.body), 'in a');
      assert.deepEqual((await store.ack('b', [inA!.receiptHandle])).stale, [inA!.receiptHandle], "a's handle is no good in b");
      assert.deepEqual(await store.stats('a'), { visible: 0, inFlight: 1, delayed: 0, oldestAgeMs: 0 });
      assert.deepEqual(await store.stats('b'), { visible: 2, inFlight: 0, delayed: 0, oldestAgeMs: 0 });
      assert.deepEqual((await store.receive('b', lease)).map((m) => decode(m.body)), ['in b', 'b2']);
      assert.deepEqual(await store.receive('c', lease), []);
    });

    test('a send with an id already queued is not enqueued twice', async () => {
      assert.deepEqual(await store.send('q', [{ id: 'req-1', body: text('first') }]), ['req-1']);
      assert.deepEqual(await store.send('q', [{ id: 'req-1', body: text('again') }, { id: 'req-2', body: text('new') }]), ['req-1', 'req-2']);
      const got = await store.receive('q', lease);
      assert.deepEqual(got.map((m) => decode(m.body)), ['first', 'new']);
    });

    test('malformed arguments are bad_request errors naming the field, and a bad batch enqueues nothing', async () => {
      await assert.rejects(store.send('Bad Name', [{ body: text('x') }]), (err) => badRequest(err) && /queue/.test((err as Error).message));
      await assert.rejects(store.send('q', [{ body: text('ok') }, { body: 'nope' as unknown as Uint8Array }]), (err) => badRequest(err) && /messages\[1\]\.body/.test((err as Error).message));
      await assert.rejects(store.send('q', [{ body: text('x'), delayMs: -1 }]), badRequest);
      await assert.rejects(store.send('q', [{ body: text('x'), id: 'has space' }]), badRequest);
      await assert.rejects(store.send('q', [{ body: text('x'), attributes: { n: 1 as unknown as string } }]), badRequest);
      await assert.rejects(store.send('q', [{ body: text('x'), delay: 5 } as unknown as { body: Uint8Array }]), /unknown key "delay"/);
      await assert.rejects(store.receive('q', { max: 0, visibilityTimeoutMs: 1 }), /max/);
      await assert.rejects(store.receive('q', { max: 1, visibilityTimeoutMs: 0 }), /visibilityTimeoutMs/);
      await assert.rejects(store.list('q', { limit: 1.5 }), badRequest);
      assert.deepEqual(await store.stats('q'), { visible: 0, inFlight: 0, delayed: 0, oldestAgeMs: null });
    });

    test('a 10,000-message batch sends in one call and drains exactly once while leases hold', async () => {
      const count = 10_000;
      const ids = await store.send('bulk', Array.from({ length: count }, (_, i) => ({ body: text(String(i)) })));
      assert.equal(new Set(ids).size, count);
      assert.deepEqual(await store.stats('bulk'), { visible: count, inFlight: 0, delayed: 0, oldestAgeMs: 0 });
      const seen = new Set<string>();
      let order = 0;
      for (;;) {
        const batch = await store.receive('bulk', { max: 1_000, visibilityTimeoutMs: 60_000 });
        if (batch.length === 0) break;
        for (const m of batch) {
          assert.ok(!seen.has(m.id), `duplicate delivery of ${m.id}`);
          assert.equal(decode(m.body), String(order++), 'FIFO');
          seen.add(m.id);
        }
        const { stale } = await store.ack('bulk', batch.slice(0, batch.length / 2).map((m) => m.receiptHandle)); // half acked, half still leased
        assert.equal(stale.length, 0);
      }
      assert.equal(seen.size, count);
      assert.deepEqual(await store.stats('bulk'), { visible: 0, inFlight: count / 2, delayed: 0, oldestAgeMs: 0 });
    });

    test('settle is all or nothing: a bad publish changes nothing', async () => {
      await store.send('in', [{ body: text('m') }]);
      const [m] = await store.receive('in', lease);
      await assert.rejects(store.settle('in', { ack: [m!.receiptHandle], publish: [{ queue: 'Bad Name', message: { body: text('p') } }] }), badRequest);
      assert.equal((await store.stats('in')).inFlight, 1);
    });

  });
}

/**
 * Visibility, delays, lease lapses, retry order and stats, driven by a ManualClock: for stores that
 * take all their time from the injected clock (the embedded one). JetStream keeps lease and delay
 * time on the server: both backends run the same cases in real time (queue-store-real-time.case.ts).
 */
export function runQueueStoreClockConformance(name: string, factory: QueueStoreFactory): void {
  describe(`QueueStore conformance, on the store's clock: ${name}`, () => {
    let clock: ManualClock;
    let store: QueueStore;
    beforeEach(async () => {
      clock = new ManualClock();
      store = await factory(clock);
    });
    afterEach(async () => {
      await store.close();
    });

    test('FIFO within visibility: receive takes the oldest visible first, a retried message goes to the back', async () => {
      await store.send('q', ['1', '2', '3', '4'].map((id) => ({ id, body: text(id) })));
      const first = await store.receive('q', { max: 2, visibilityTimeoutMs: 30_000 });
      assert.deepEqual(first.map((m) => m.id), ['1', '2']);
      clock.advance(1);
      assert.equal(await store.retry('q', first[0]!.receiptHandle, { delayMs: 0 }), true); // visible again now, after 3 and 4
      clock.advance(1);
      await store.send('q', [{ id: '5', body: text('5') }]);
      const rest = await store.receive('q', lease);
      assert.deepEqual(rest.map((m) => m.id), ['3', '4', '1', '5']);
    });

    test('a delayed message is hidden until its delay has passed', async () => {
      await store.send('q', [{ id: 'later', body: text('x'), delayMs: 5_000 }, { id: 'now', body: text('y') }]);
      assert.deepEqual((await store.receive('q', lease)).map((m) => m.id), ['now']);
      clock.advance(4_999);
      assert.deepEqual(await store.receive('q', lease), []);
      clock.advance(1);
      assert.deepEqual((await store.receive('q', lease)).map((m) => m.id), ['later']);
    });

    test('a lease that lapses without ack redelivers the message with attempt + 1 and a new receipt handle', async () => {
      await store.send('q', [{ id: 'm', body: text('x') }]);
      const [first] = await store.receive('q', lease);
      assert.deepEqual(await store.receive('q', lease), [], 'hidden while leased');
      clock.advance(29_999);
      assert.deepEqual(await store.receive('q', lease), [], 'still hidden 1 ms before expiry');
      clock.advance(1);
      const [second] = await store.receive('q', lease);
      assert.equal(second!.id, 'm');
      assert.equal(second!.attempt, 2);
      assert.notEqual(second!.receiptHandle, first!.receiptHandle);
      assert.equal(decode(second!.body), 'x');
    });

    test('stale receipt handles cannot ack, retry or dead-letter, and leave the message alone', async () => {
      await store.send('q', [{ id: 'm', body: text('x') }]);
      const [first] = await store.receive('q', lease);
      clock.advance(30_000); // lease expired, not yet re-leased
      assert.deepEqual(await store.ack('q', [first!.receiptHandle]), { acked: [], stale: [first!.receiptHandle] });
      assert.equal(await store.retry('q', first!.receiptHandle, { delayMs: 0 }), false);
      assert.equal(await store.deadLetter('q', first!.receiptHandle, 'q-dlq', 'boom'), false);
      const [second] = await store.receive('q', lease);
      assert.equal(second!.attempt, 2);
      assert.deepEqual((await store.ack('q', [first!.receiptHandle])).stale, [first!.receiptHandle], 'an old lease stays stale after a re-lease');
      for (const junk of ['', 'nonsense', '1.short', `99999.${'A'.repeat(16)}`, second!.receiptHandle.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
        assert.deepEqual(await store.ack('q', [junk]), { acked: [], stale: [junk] });
      }
      assert.deepEqual((await store.ack('q', [second!.receiptHandle, second!.receiptHandle])), { acked: [second!.receiptHandle], stale: [second!.receiptHandle] });
      assert.equal(await store.retry('q', second!.receiptHandle, { delayMs: 0 }), false, 'acked is stale too');
    });

    test('retry ends the lease early, hides the message for the delay and keeps the error', async () => {
      await store.send('q', [{ id: 'm', body: text('x') }]);
      const [m] = await store.receive('q', lease);
      assert.equal(await store.retry('q', m!.receiptHandle, { delayMs: 10_000, error: 'guest_error: boom' }), true);
      assert.deepEqual(await store.stats('q'), { visible: 0, inFlight: 0, delayed: 1, oldestAgeMs: 0 });
      clock.advance(9_999);
      assert.deepEqual(await store.receive('q', lease), []);
      clock.advance(1);
      const [again] = await store.receive('q', lease);
      assert.equal(again!.attempt, 2);
      assert.equal(again!.lastError, 'guest_error: boom');
      assert.equal(await store.retry('q', again!.receiptHandle, { delayMs: 0 }), true);
      const [third] = await store.receive('q', lease);
      assert.equal(third!.lastError, 'guest_error: boom', 'a retry without error keeps the last one');
    });

    test('deadLetter moves the message atomically, keeping id, body, attributes, attempt and the reason', async () => {
      await store.send('q', [{ id: 'poison', body: text('bad'), attributes: { a: '1' } }, { id: 'fine', body: text('ok'), delayMs: 3_600_000 }]);
      await store.receive('q', { max: 1, visibilityTimeoutMs: 1_000 });
      clock.advance(1_000);
      await store.receive('q', { max: 1, visibilityTimeoutMs: 1_000 });
      clock.advance(1_000);
      const [m] = await store.receive('q', { max: 1, visibilityTimeoutMs: 1_000 });
      assert.equal(m!.id, 'poison');
      assert.equal(m!.attempt, 3);
      assert.equal(await store.deadLetter('q', m!.receiptHandle, 'q-dlq', 'trap: unreachable'), true);
      assert.equal(await store.deadLetter('q', m!.receiptHandle, 'q-dlq', 'again'), false, 'the handle is gone with the message');
      assert.deepEqual((await store.list('q', { limit: 10 })).map((x) => x.id), ['fine']);
      const [dead, ...more] = await store.list('q-dlq', { limit: 10 });
      assert.equal(more.length, 0);
      assert.equal(dead!.id, 'poison');
      assert.equal(decode(dead!.body), 'bad');
      assert.deepEqual(dead!.attributes, { a: '1' });
      assert.equal(dead!.attempt, 3);
      assert.equal(dead!.lastError, 'trap: unreachable');
      assert.equal(dead!.enqueuedAt, clock.now() - 2_000, 'the original send time');
      assert.equal(dead!.state, 'visible');
      await assert.rejects(store.deadLetter('q', 'x', 'q', 'r'), badRequest);
    });

    test('stats counts visible, in-flight and delayed messages and the oldest age', async () => {
      assert.deepEqual(await store.stats('q'), { visible: 0, inFlight: 0, delayed: 0, oldestAgeMs: null });
      await store.send('q', [{ id: 'a', body: text('a') }, { id: 'b', body: text('b') }]);
      clock.advance(500);
      await store.send('q', [{ id: 'c', body: text('c') }, { id: 'd', body: text('d'), delayMs: 1_000 }]);
      await store.receive('q', { max: 1, visibilityTimeoutMs: 2_000 });
      assert.deepEqual(await store.stats('q'), { visible: 2, inFlight: 1, delayed: 1, oldestAgeMs: 500 });
      clock.advance(2_000); // the delay and the lease have both passed
      assert.deepEqual(await store.stats('q'), { visible: 4, inFlight: 0, delayed: 0, oldestAgeMs: 2_500 });
      const states = (await store.list('q', { limit: 10 })).map((m) => m.state);
      assert.deepEqual(states, ['visible', 'visible', 'visible', 'visible']);
    });

    test('list shows a queue in send order without leasing, up to the limit', async () => {
      await store.send('q', [{ id: 'a', body: text('a') }, { id: 'b', body: text('b'), delayMs: 10 }, { id: 'c', body: text('c') }]);
      await store.receive('q', { max: 1, visibilityTimeoutMs: 1_000 });
      const listed = await store.list('q', { limit: 2 });
      assert.deepEqual(listed.map((m) => [m.id, m.state, m.attempt]), [['a', 'in-flight', 1], ['b', 'delayed', 0]]);
      assert.equal(listed[0]!.visibleAt, clock.now() + 1_000);
      assert.deepEqual((await store.receive('q', lease)).map((m) => m.id), ['c'], 'list leased nothing');
    });

    test('settle applies acks, retries, dead letters and publishes in one step', async () => {
      await store.send('in', [{ body: text('done') }, { body: text('again') }, { body: text('poison') }]);
      const [done, again, poison] = await store.receive('in', lease);
      const result = await store.settle('in', {
        ack: [done!.receiptHandle],
        retry: [{ receiptHandle: again!.receiptHandle, delayMs: 5_000, error: 'busy' }],
        deadLetter: [{ receiptHandle: poison!.receiptHandle, queue: 'in-dlq', reason: 'bad body' }],
        publish: [{ queue: 'out', message: { body: text('derived'), attributes: { from: 'in' } } }, { queue: 'audit', message: { body: text('x') } }],
      });
      assert.deepEqual(result.stale, []);
      assert.deepEqual(await store.stats('in'), { visible: 0, inFlight: 0, delayed: 1, oldestAgeMs: 0 });
      const [dead] = await store.list('in-dlq', { limit: 10 });
      assert.equal(decode(dead!.body), 'poison');
      assert.equal(dead!.lastError, 'bad body');
      const [out] = await store.receive('out', lease);
      assert.deepEqual([decode(out!.body), out!.attributes], ['derived', { from: 'in' }]);
      assert.equal((await store.stats('audit')).visible, 1);
      clock.advance(5_000);
      const [retried] = await store.receive('in', lease);
      assert.deepEqual([decode(retried!.body), retried!.attempt, retried!.lastError], ['again', 2, 'busy']);
    });

    test('settle skips verdicts on lapsed leases, reports them stale, and still publishes', async () => {
      await store.send('in', [{ body: text('slow') }]);
      const [first] = await store.receive('in', { max: 1, visibilityTimeoutMs: 1_000 });
      clock.advance(1_000);
      const [second] = await store.receive('in', lease);
      const result = await store.settle('in', { ack: [first!.receiptHandle], publish: [{ queue: 'out', message: { body: text('p') } }] });
      assert.deepEqual(result.stale, [first!.receiptHandle]);
      assert.equal((await store.stats('in')).inFlight, 1, 'the second lease still holds it');
      assert.equal((await store.stats('out')).visible, 1);
      assert.deepEqual((await store.settle('in', { ack: [second!.receiptHandle] })).stale, []);
    });

    test('publish sends to several queues at once; queues() lists every queue with its stats', async () => {
      await store.publish([{ queue: 'b', message: { body: text('1') } }, { queue: 'a', message: { body: text('2'), delayMs: 10 } }, { queue: 'b', message: { body: text('3') } }]);
      assert.deepEqual(await store.queues(), [
        { queue: 'a', visible: 0, inFlight: 0, delayed: 1, oldestAgeMs: 0 },
        { queue: 'b', visible: 2, inFlight: 0, delayed: 0, oldestAgeMs: 0 },
      ]);
    });

    test('nextVisibleAt says when an idle consumer should look again', async () => {
      assert.equal(await store.nextVisibleAt('q'), null);
      await store.send('q', [{ body: text('later'), delayMs: 5_000 }, { body: text('much later'), delayMs: 9_000 }]);
      assert.equal(await store.nextVisibleAt('q'), clock.now() + 5_000);
      clock.advance(5_000);
      const [m] = await store.receive('q', { max: 1, visibilityTimeoutMs: 30_000 });
      assert.equal(await store.nextVisibleAt('q'), clock.now() + 4_000, 'the other message, before the lease expiry');
      await store.ack('q', [m!.receiptHandle]);
      clock.advance(4_000);
      assert.equal(await store.nextVisibleAt('q'), clock.now());
    });

    test('releaseAllLeases makes in-flight messages deliverable at once, with their attempt kept', async () => {
      await store.send('q', [{ body: text('x') }]);
      await store.receive('q', { max: 1, visibilityTimeoutMs: 600_000 });
      assert.equal(await store.releaseAllLeases(), 1);
      const [again] = await store.receive('q', lease);
      assert.equal(again!.attempt, 2);
    });
  });
}
