import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ComputeQuota, contendedWindowMs, longCallMs } from './compute-quota.js';

/** Runs one whole call of `ms` compute for `name` at `now`. */
function call(quota: ComputeQuota, name: string, now: number, ms: number): void {
  quota.arrived(name, now);
  quota.started(name, now);
  quota.stopped(name, now + ms);
  quota.callEnded(name, ms, now + ms);
}

describe('ComputeQuota (2 slots)', () => {
  test('short calls are never limited, contended or not', () => {
    const quota = new ComputeQuota(2);
    for (let i = 0; i < 100; i++) call(quota, 'short', i, 0.2);
    quota.arrived('other', 100);
    assert.equal(quota.waitBeforeStart('short', 101), undefined);
  });

  test('a long-running function alone on the host is not limited', () => {
    const quota = new ComputeQuota(2);
    for (let i = 0; i < 10; i++) call(quota, 'long', i * 50, 50);
    assert.equal(quota.waitBeforeStart('long', 600), undefined);
  });

  test('contended, a long-running function waits for its balance and keeps to half the slots', () => {
    const quota = new ComputeQuota(2);
    let now = 0;
    for (let i = 0; i < 5; i++, now += 50) call(quota, 'long', now, 50);
    quota.arrived('healthy', now);
    const wait = quota.waitBeforeStart('long', now);
    assert.ok(wait !== undefined && wait > 0, `waits ${wait} ms for its balance`);
    // Once its balance refilled it may start one call, and not a second one beside it.
    now += wait;
    quota.arrived('healthy', now);
    assert.equal(quota.waitBeforeStart('long', now), undefined);
    quota.started('long', now);
    assert.equal(quota.waitBeforeStart('long', now), 0, 'one of two slots at most');
  });

  test('over contended seconds it computes about a fifth of the slots\' time', () => {
    const quota = new ComputeQuota(2);
    let computed = 0;
    let now = 0;
    for (let i = 0; i < 5; i++, now += 20) call(quota, 'long', now, 20);
    const start = now;
    while (now < start + 10_000) {
      quota.arrived('healthy', now);
      if (quota.waitBeforeStart('long', now) === undefined) {
        call(quota, 'long', now, 20);
        computed += 20;
        now += 20;
      } else now += 1;
    }
    // 2 slots × 0.2 share = 0.4 ms of compute per ms: ~4 000 ms in 10 s (plus one banked burst).
    assert.ok(computed >= 3_600 && computed <= 4_300, `computed ${computed} ms in 10 s`);
  });

  test('contention ends a window after the other function\'s last call', () => {
    const quota = new ComputeQuota(2);
    for (let i = 0; i < 5; i++) call(quota, 'long', i * 10, 10 * longCallMs);
    quota.arrived('healthy', 100);
    call(quota, 'long', 101, 10 * longCallMs);
    assert.notEqual(quota.waitBeforeStart('long', 200), undefined);
    assert.equal(quota.waitBeforeStart('long', 100 + contendedWindowMs + 1), undefined);
  });
});

describe('ComputeQuota: response bytes', () => {
  test('a function that computes little but answers 16 MiB per call is long-running', () => {
    const quota = new ComputeQuota(2);
    for (let i = 0; i < 5; i++) {
      quota.arrived('huge', i * 10);
      quota.started('huge', i * 10);
      quota.stopped('huge', i * 10 + 1);
      quota.callEnded('huge', 1, i * 10 + 1, 16 * 1024 * 1024);
    }
    quota.arrived('healthy', 60);
    assert.notEqual(quota.waitBeforeStart('huge', 60), undefined);
  });
});

describe('ComputeQuota: a function with no ended call yet', () => {
  test('contended, it keeps to half the slots until one of its calls ends', () => {
    const quota = new ComputeQuota(2);
    quota.arrived('healthy', 0);
    quota.arrived('jobs', 1);
    assert.equal(quota.waitBeforeStart('jobs', 1), undefined);
    quota.started('jobs', 1);
    quota.arrived('jobs', 2);
    assert.equal(quota.waitBeforeStart('jobs', 2), 0, 'a second one waits');
    quota.stopped('jobs', 3);
    quota.callEnded('jobs', 0.1, 3);
    quota.started('jobs', 4);
    assert.equal(quota.waitBeforeStart('jobs', 4), undefined, 'short now: not limited');
  });
});
