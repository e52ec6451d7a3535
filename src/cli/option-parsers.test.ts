import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parsePort, parsePositiveInteger } from './option-parsers.js';

test('parsePort takes 0 to 65535 written in digits', () => {
  assert.equal(parsePort('0'), 0);
  assert.equal(parsePort('8080'), 8080);
  for (const bad of ['', '-1', '65536', '80.5', '0x50', '1e3', ' 80', 'http']) {
    assert.throws(() => parsePort(bad), InvalidArgumentError, bad);
  }
});

test('parsePositiveInteger refuses 0 and non-integers', () => {
  assert.equal(parsePositiveInteger('12'), 12);
  for (const bad of ['0', '-3', '2.5', 'many']) assert.throws(() => parsePositiveInteger(bad), /expected a positive integer/, bad);
});
