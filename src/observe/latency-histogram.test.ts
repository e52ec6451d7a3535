import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { binsPerDoubling, LatencyHistogram } from './latency-histogram.js';

/** The exact p-quantile by the same rank rule (the ceil(p·n)-th smallest). */
function exactPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

/** A bin spans a factor of 2^(1/4): an estimate inside the right bin is within that factor. */
const binFactor = 2 ** (1 / binsPerDoubling);

function assertWithinBin(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null, `${what}: no value`);
  assert.ok(actual >= expected / binFactor && actual <= expected * binFactor, `${what}: ${actual} is not within a bin of ${expected}`);
}

describe('LatencyHistogram', () => {
  test('an empty histogram has no percentiles', () => {
    assert.equal(new LatencyHistogram().percentile(0.5), null);
  });

  test('one sample, or equal samples, come back exactly', () => {
    const one = new LatencyHistogram();
    one.record(3.7);
    assert.equal(one.percentile(0.5), 3.7);
    assert.equal(one.percentile(0.99), 3.7);
    const same = new LatencyHistogram();
    for (let i = 0; i < 100; i++) same.record(12.5);
    assert.equal(same.percentile(0.9), 12.5);
  });

  test('percentiles of a uniform spread are within one bin of the exact ones', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 0.2 + i * 0.05); // 0.2 .. 50.15 ms
    const histogram = new LatencyHistogram();
    for (const v of values) histogram.record(v);
    for (const p of [0.5, 0.9, 0.99]) assertWithinBin(histogram.percentile(p), exactPercentile(values, p), `p${p * 100}`);
  });

  test('a slow tail shows in p99 and not in p50', () => {
    const histogram = new LatencyHistogram();
    for (let i = 0; i < 980; i++) histogram.record(1);
    for (let i = 0; i < 20; i++) histogram.record(800);
    assert.equal(histogram.percentile(0.5), 1);
    assertWithinBin(histogram.percentile(0.99), 800, 'p99');
    assert.equal(histogram.count, 1000);
  });

  test('values below the smallest bin, above the largest, zero and NaN are counted without throwing', () => {
    const histogram = new LatencyHistogram();
    for (const v of [0, 0.001, Number.NaN, 5_000_000]) histogram.record(v);
    assert.equal(histogram.count, 4);
    assert.equal(histogram.percentile(1), 5_000_000);
  });
});
