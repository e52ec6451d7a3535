import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketOf, LatencyHistogram } from './latency-histogram.js';
import { summarize } from './stats.js';

test('below 1024 µs every value is its own bucket; above, a bucket is at most 0.2% wide', () => {
  assert.equal(bucketOf(0), 0);
  assert.equal(bucketOf(1023), 1023);
  assert.equal(bucketOf(1024), 1024);
  assert.equal(bucketOf(1025), 1024);
  for (const value of [2047, 5000, 123_456, 9_876_543]) {
    const bucket = bucketOf(value);
    assert.ok(bucket <= value && (value - bucket) / value < 0.002, `${value} -> ${bucket}`);
  }
});

test('percentiles match the exact nearest rank of stats.ts within a bucket', () => {
  const values = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) * 13 + 40);
  const histogram = new LatencyHistogram();
  for (const value of values) histogram.record(value);
  const exact = summarize(values);
  const approx = histogram.summary();
  assert.equal(approx.n, 5000);
  assert.equal(approx.max, exact.max);
  for (const p of ['p50', 'p90', 'p99'] as const) assert.ok(Math.abs(approx[p] - exact[p]) / exact[p] < 0.002, `${p}: ${approx[p]} vs ${exact[p]}`);
});

test('histograms merge exactly through their JSON', () => {
  const a = new LatencyHistogram();
  const b = new LatencyHistogram();
  [5, 5, 3000].forEach((v) => a.record(v));
  [7, 90_000].forEach((v) => b.record(v));
  const merged = LatencyHistogram.fromJson(JSON.parse(JSON.stringify(a.toJson())));
  merged.merge(b.toJson());
  assert.deepEqual(merged.summary(), { n: 5, min: 5, p50: 7, p90: 90_000, p99: 90_000, max: 90_000, mean: (5 + 5 + 3000 + 7 + 90_000) / 5 });
  assert.equal(new LatencyHistogram().summary().n, 0);
});
