import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greeting } from './greeting.js';

test('greets by name', () => {
  assert.equal(greeting('ada'), 'Hello, ada, from JavaScript!\n');
});

test('greets the world without a name', () => {
  assert.equal(greeting(null), 'Hello, world, from JavaScript!\n');
  assert.equal(greeting(''), 'Hello, world, from JavaScript!\n');
});
