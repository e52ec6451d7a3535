import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parseSeconds, targetOnlyOptions } from './bench-target.js';

test('the options of a target bench are named as typed; defaults (false, absent) are not given', () => {
  assert.deepEqual(targetOnlyOptions({ local: false, invoke: false, out: 'x' }), []);
  assert.deepEqual(targetOnlyOptions({ vary: 'memory_mb=64,128', requests: 3, httpUrl: 'http://h:1', queue: true }), ['--vary', '--requests', '--http-url', '--queue']);
});

test('--duration takes positive seconds, decimals allowed', () => {
  assert.equal(parseSeconds('5'), 5);
  assert.equal(parseSeconds('0.25'), 0.25);
  for (const bad of ['0', '-1', '1e3', '', 'five', '0.0001']) assert.throws(() => parseSeconds(bad), InvalidArgumentError, bad);
});
