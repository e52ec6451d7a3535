import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wasmPageBytes } from '../wasm/limit-memory.js';
import { memoryClearings } from './memory-clearing.js';

/** The offsets of the non-zero bytes left in `memory` (at most a few, for the message). */
function nonZero(memory: WebAssembly.Memory): number[] {
  const bytes = new Uint8Array(memory.buffer);
  const found: number[] = [];
  for (let i = 0; i < bytes.length && found.length < 8; i++) if (bytes[i] !== 0) found.push(i);
  return found;
}

/** A byte at each end of every 4 KiB block, a few inside, and the memory's last byte. */
function dirtyEverywhere(memory: WebAssembly.Memory, from = 0): void {
  const bytes = new Uint8Array(memory.buffer);
  for (let block = from; block < bytes.length; block += 4096) {
    bytes[block] = 1;
    bytes[block + 4095] = 0x80;
    bytes[block + 1 + ((block / 4096) % 4000)] = 0xff;
  }
  bytes[bytes.length - 1] = 7;
}

for (const clearing of memoryClearings.filter((c) => c.recycles)) {
  test(`${clearing.name}: a byte left anywhere, the last one included, comes back zero`, () => {
    for (const pages of [1, 2, 17]) {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: 64 });
      for (const offset of [0, 15, 63, 64, 4095, 4096, wasmPageBytes - 1, pages * wasmPageBytes - 1]) {
        if (offset >= memory.buffer.byteLength) continue;
        new Uint8Array(memory.buffer)[offset] = 0x80; // the sign bit alone: no word compare may read it as zero
        clearing.clear(memory);
        assert.deepEqual(nonZero(memory), [], `${pages} pages, byte ${offset}`);
      }
    }
  });

  test(`${clearing.name}: a memory dirty everywhere, and pages it grew after an earlier clearing, come back zero`, () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 8 });
    dirtyEverywhere(memory);
    clearing.clear(memory); // the wasm strategies instantiate their helper on this memory here
    assert.deepEqual(nonZero(memory), []);
    memory.grow(3);
    dirtyEverywhere(memory, 2 * wasmPageBytes);
    new Uint8Array(memory.buffer).fill(0xaa, 0, 100);
    clearing.clear(memory);
    assert.equal(memory.buffer.byteLength, 5 * wasmPageBytes);
    assert.deepEqual(nonZero(memory), []);
  });

  test(`${clearing.name}: a fully written memory comes back zero`, () => {
    const memory = new WebAssembly.Memory({ initial: 3 });
    new Uint8Array(memory.buffer).fill(0xff);
    clearing.clear(memory);
    assert.deepEqual(nonZero(memory), []);
  });
}
