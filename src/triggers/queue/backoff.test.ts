import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs } from './backoff.js';

const backoff = { initialMs: 1_000, maxMs: 10_000, multiplier: 2 };

test('delays double per attempt and stop at max_ms', () => {
  const top = () => 0.999_999;
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(backoff, a, top)), [1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
});

test('jitter keeps every delay between half and all of its step', () => {
  assert.equal(retryDelayMs(backoff, 3, () => 0), 2_000);
  assert.equal(retryDelayMs(backoff, 3, () => 0.5), 3_000);
  for (let i = 0; i < 1_000; i++) {
    const d = retryDelayMs(backoff, 2);
    assert.ok(d >= 1_000 && d <= 2_000, String(d));
  }
});

test('a zero initial delay retries at once', () => {
  assert.equal(retryDelayMs({ initialMs: 0, maxMs: 0, multiplier: 2 }, 7), 0);
});
