import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MetricHistory } from './metric-history.js';

/** 2026-12-07T10:00:00Z: a minute boundary, so bucket starts are easy to read. */
const start = Date.UTC(2026, 11, 7, 10, 0, 0);

function historyAt(clock: { now: number }, options: { bucketSeconds?: number; bucketCount?: number } = {}): MetricHistory {
  return new MetricHistory({ ...options, now: () => clock.now });
}

describe('MetricHistory', () => {
  test('a function never called has a full hour of empty points, oldest first', () => {
    const clock = { now: start + 30_000 };
    const points = historyAt(clock).series('idle');
    assert.equal(points.length, 60);
    assert.equal(points[59]!.t, '2026-12-07T10:00:00.000Z');
    assert.equal(points[0]!.t, '2026-12-07T09:01:00.000Z');
    assert.deepEqual(points[0], { t: '2026-12-07T09:01:00.000Z', requests: 0, errors: 0, p50Ms: null, p90Ms: null, p99Ms: null });
  });

  test('calls land in the bucket of their minute, with errors and percentiles', () => {
    const clock = { now: start };
    const history = historyAt(clock);
    for (let i = 1; i <= 10; i++) history.record('f', i, i > 8);
    clock.now = start + 61_000;
    history.record('f', 100, false);
    const points = history.series('f');
    const [previous, current] = [points[58]!, points[59]!];
    assert.equal(previous.t, '2026-12-07T10:00:00.000Z');
    assert.equal(previous.requests, 10);
    assert.equal(previous.errors, 2);
    assert.equal(previous.p50Ms !== null && previous.p50Ms >= 4 && previous.p50Ms <= 6, true, `p50 ${previous.p50Ms}`);
    assert.equal(previous.p99Ms, 10); // clamped to the largest value seen
    assert.deepEqual(current, { t: '2026-12-07T10:01:00.000Z', requests: 1, errors: 0, p50Ms: 100, p90Ms: 100, p99Ms: 100 });
  });

  test('a bucket an hour old is reused for the new minute, never added to', () => {
    const clock = { now: start };
    const history = historyAt(clock);
    history.record('f', 1, true);
    clock.now = start + 60 * 60_000; // same ring slot, one hour later
    history.record('f', 2, false);
    const points = history.series('f');
    assert.equal(points.reduce((sum, p) => sum + p.requests, 0), 1);
    assert.equal(points.reduce((sum, p) => sum + p.errors, 0), 0);
    assert.equal(points[59]!.t, '2026-12-07T11:00:00.000Z');
  });

  test('functions are apart, and a forgotten one starts over', () => {
    const clock = { now: start };
    const history = historyAt(clock, { bucketSeconds: 10, bucketCount: 6 });
    history.record('a', 1, false);
    history.record('b', 1, false);
    history.record('b', 1, false);
    assert.equal(history.series('a').at(-1)!.requests, 1);
    assert.equal(history.series('b').at(-1)!.requests, 2);
    assert.equal(history.series('b').length, 6);
    history.forget('b');
    assert.equal(history.series('b').at(-1)!.requests, 0);
  });

  test('nonsense sizes are refused', () => {
    assert.throws(() => new MetricHistory({ bucketCount: 0 }), RangeError);
    assert.throws(() => new MetricHistory({ bucketSeconds: 0 }), RangeError);
  });
});
