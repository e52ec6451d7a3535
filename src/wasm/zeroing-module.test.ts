import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryZeroer, zeroingBlockBytes } from './zeroing-module.js';

test('the zeroing module validates', () => {
  assert.ok(new MemoryZeroer(new WebAssembly.Memory({ initial: 1 })));
});

test('zeroDirtyBlocks zeroes exactly the blocks with a non-zero byte and counts them', () => {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const zeroer = new MemoryZeroer(memory);
  const bytes = new Uint8Array(memory.buffer);
  assert.equal(zeroer.zeroDirtyBlocks(0, bytes.length), 0, 'a new memory is clean');
  bytes[0] = 1;
  bytes[3 * zeroingBlockBytes + 4095] = 2; // the last byte of block 3
  bytes[bytes.length - 1] = 3;
  assert.equal(zeroer.zeroDirtyBlocks(0, bytes.length), 3);
  assert.ok(bytes.every((b) => b === 0));
});

test('zeroDirtyBlocks clears a range that ends inside a block, and nothing outside the range', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const zeroer = new MemoryZeroer(memory);
  const bytes = new Uint8Array(memory.buffer);
  bytes.fill(9);
  assert.equal(zeroer.zeroDirtyBlocks(64, 4096 + 128), 2);
  assert.ok(bytes.subarray(64, 4096 + 128).every((b) => b === 0));
  assert.equal(bytes[63], 9);
  assert.equal(bytes[4096 + 128], 9);
});

test('zeroDirtyBlocks refuses bounds that are not multiples of 64; fill zeroes any range', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const zeroer = new MemoryZeroer(memory);
  assert.throws(() => zeroer.zeroDirtyBlocks(0, 100), /64-byte/);
  assert.throws(() => zeroer.zeroDirtyBlocks(128, 64), /64-byte/);
  const bytes = new Uint8Array(memory.buffer);
  bytes.fill(5);
  zeroer.fill(3, 10);
  assert.deepEqual([...bytes.subarray(0, 15)], [5, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5]);
});

test('an out-of-bounds range traps instead of clearing part of it silently', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  assert.throws(() => new MemoryZeroer(memory).zeroDirtyBlocks(0, 65536 + 64), WebAssembly.RuntimeError);
});
