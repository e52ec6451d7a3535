import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nestsDeeperThan } from './json-depth.js';

const bytes = (s) => new TextEncoder().encode(s);

test('counts open arrays and objects', () => {
  assert.equal(nestsDeeperThan(bytes('{"a":[{"b":[]}]}'), 4), false);
  assert.equal(nestsDeeperThan(bytes('{"a":[{"b":[]}]}'), 3), true);
  assert.equal(nestsDeeperThan(bytes('[[],[],[]]'), 2), false);
});

test('ignores brackets inside strings, escaped quotes included', () => {
  assert.equal(nestsDeeperThan(bytes('["[[[[", "\\"[[[[", "{{{{"]'), 1), false);
  assert.equal(nestsDeeperThan(bytes('["\\\\", [[]]]'), 2), true); // the string ends after "\\"
});

test('stops early on a bracket bomb', () => {
  assert.equal(nestsDeeperThan(bytes('['.repeat(1_000_000)), 32), true);
});
