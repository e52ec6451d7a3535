import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { limitMemory, pagesForMegabytes } from './limit-memory.js';

// (module (memory (export "memory") 2) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))
const growModule = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01,
  0x00, 0x05, 0x03, 0x01, 0x00, 0x02, 0x07, 0x11, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x04,
  0x67, 0x72, 0x6f, 0x77, 0x00, 0x00, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b,
]);

test('a capped memory refuses to grow past the cap', async () => {
  const { instance } = await WebAssembly.instantiate(limitMemory(growModule, 4) as Uint8Array<ArrayBuffer>);
  const grow = instance.exports['grow'] as (pages: number) => number;
  assert.equal(grow(2), 2); // 2 -> 4 pages: allowed
  assert.equal(grow(1), -1); // 5 pages: refused
});

test('the unmodified module grows freely', async () => {
  const { instance } = await WebAssembly.instantiate(growModule);
  assert.equal((instance.exports['grow'] as (pages: number) => number)(10), 2);
});

test('an initial memory above the cap is rejected with a clear error', () => {
  assert.throws(() => limitMemory(growModule, 1), (err: unknown) => err instanceof WasmletError && err.code === 'component_limit_exceeded' && /2 pages/.test(err.message));
});

test('megabytes convert to 64 KiB pages', () => {
  assert.equal(pagesForMegabytes(128), 2048);
  assert.equal(pagesForMegabytes(1), 16);
});
