import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakerCoolDownMs, breakerFailureThreshold, CircuitBreakers } from './circuit-breaker.js';

const timeout = true;
const ok = false;

test('opens after consecutive failures, refuses with Retry-After, probes once after the cool-down', () => {
  let now = 0;
  const breakers = new CircuitBreakers(() => now);
  for (let i = 0; i < breakerFailureThreshold - 1; i++) breakers.record('f', timeout);
  assert.equal(breakers.refusal('f'), undefined, 'still closed below the threshold');
  breakers.record('f', timeout);
  assert.equal(breakers.refusal('f'), Math.ceil(breakerCoolDownMs / 1000));
  assert.equal(breakers.refusal('other'), undefined, 'other functions are not affected');
  now += breakerCoolDownMs;
  assert.equal(breakers.refusal('f'), undefined, 'the probe runs');
  assert.notEqual(breakers.refusal('f'), undefined, 'others wait for the probe');
  breakers.record('f', timeout);
  assert.notEqual(breakers.refusal('f'), undefined, 'a failed probe opens it again');
  now += breakerCoolDownMs;
  assert.equal(breakers.refusal('f'), undefined);
  breakers.record('f', ok);
  assert.equal(breakers.refusal('f'), undefined, 'a successful probe closes it');
});

test('a call that did not cost a worker resets the count', () => {
  const breakers = new CircuitBreakers(() => 0);
  for (let i = 0; i < breakerFailureThreshold - 1; i++) breakers.record('f', timeout);
  breakers.record('f', ok);
  for (let i = 0; i < breakerFailureThreshold - 1; i++) breakers.record('f', timeout);
  assert.equal(breakers.refusal('f'), undefined);
});
