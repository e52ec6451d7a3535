// The ScheduleStore conformance suite: every backend runs these same tests (the embedded one in
// sqlite-schedule-store.test.ts, JetStream in test/integration/nats-stores.test.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { QueueStore } from '../queue/queue-store.js';
import type { FirePlan, ScheduleStore } from './schedule-store.js';

export interface ScheduleBackend {
  readonly schedules: ScheduleStore;
  readonly queues: QueueStore;
  close(): Promise<void>;
}

export type ScheduleBackendFactory = () => Promise<ScheduleBackend>;

const cursor = { functionName: 'f', name: 'every-second', key: 'rate:1000' };
const tick = (t: number) => ({ id: `every-second.${t}`, body: new TextEncoder().encode(JSON.stringify({ name: 'every-second', scheduledAt: t })) });
const lease = { max: 100, visibilityTimeoutMs: 30_000 };

export function runScheduleStoreConformance(name: string, factory: ScheduleBackendFactory): void {
  describe(`ScheduleStore conformance: ${name}`, () => {
    let backend: ScheduleBackend;
    beforeEach(async () => {
      backend = await factory();
    });
    afterEach(async () => {
      await backend.close();
    });

    test('a new schedule has no cursor; fire records where it starts and sends nothing', async () => {
      const seen: Array<number | undefined> = [];
      await backend.schedules.fire(cursor, 'wasmlet.schedule.f', (last) => {
        seen.push(last);
        return { last: 1_000, messages: [] };
      });
      await backend.schedules.fire(cursor, 'wasmlet.schedule.f', (last) => {
        seen.push(last);
        return { last: last!, messages: [] };
      });
      assert.deepEqual(seen, [undefined, 1_000]);
      assert.deepEqual(await backend.queues.receive('wasmlet.schedule.f', lease), []);
    });

    test('fire sends the planned ticks and moves the cursor; a tick sent again is not queued twice', async () => {
      const { schedules, queues } = backend;
      await schedules.fire(cursor, 'wasmlet.schedule.f', () => ({ last: 1_000, messages: [] }));
      const planned: FirePlan = await schedules.fire(cursor, 'wasmlet.schedule.f', (last) => ({ last: 3_000, messages: [tick(last! + 1_000), tick(last! + 2_000)] }));
      assert.equal(planned.last, 3_000);
      // As after a crash between the send and the cursor move: the same ticks again.
      await schedules.fire(cursor, 'wasmlet.schedule.f', () => ({ last: 3_000, messages: [tick(2_000), tick(3_000)] }));
      const got = await queues.receive('wasmlet.schedule.f', lease);
      assert.deepEqual(got.map((m) => m.id), ['every-second.2000', 'every-second.3000']);
      let last: number | undefined;
      await schedules.fire(cursor, 'wasmlet.schedule.f', (l) => ({ last: (last = l)!, messages: [] }));
      assert.equal(last, 3_000);
    });

    test('a changed key starts afresh; cursors are per function and schedule name', async () => {
      const { schedules } = backend;
      await schedules.fire(cursor, 'wasmlet.schedule.f', () => ({ last: 5_000, messages: [] }));
      const seen: Array<number | undefined> = [];
      const record = (last: number | undefined) => {
        seen.push(last);
        return { last: 7_000, messages: [] };
      };
      await schedules.fire({ ...cursor, key: 'rate:2000' }, 'wasmlet.schedule.f', record);
      await schedules.fire({ ...cursor, name: 'other' }, 'wasmlet.schedule.f', record);
      await schedules.fire({ ...cursor, functionName: 'g' }, 'wasmlet.schedule.g', record);
      assert.deepEqual(seen, [undefined, undefined, undefined]);
    });

    test('forget drops a function’s cursors only', async () => {
      const { schedules } = backend;
      await schedules.fire(cursor, 'wasmlet.schedule.f', () => ({ last: 5_000, messages: [] }));
      await schedules.fire({ ...cursor, functionName: 'g' }, 'wasmlet.schedule.g', () => ({ last: 6_000, messages: [] }));
      await schedules.forget('f');
      const seen: Array<number | undefined> = [];
      await schedules.fire(cursor, 'wasmlet.schedule.f', (last) => (seen.push(last), { last: 8_000, messages: [] }));
      await schedules.fire({ ...cursor, functionName: 'g' }, 'wasmlet.schedule.g', (last) => (seen.push(last), { last: 8_000, messages: [] }));
      assert.deepEqual(seen, [undefined, 6_000]);
    });

    test('a lone host leads', async () => {
      assert.equal(await backend.schedules.lead(), true);
      assert.equal(await backend.schedules.lead(), true);
    });
  });
}
