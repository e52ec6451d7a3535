import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importMemory } from '../wasm/import-memory.js';
import { memoryClearings, type MemoryClearing } from './memory-clearing.js';
import { IdleMemoryBudget, MemoryPool } from './memory-pool.js';

// (module (memory (export "memory") 1 4)
//   (func (export "poke") (param i32 i32) local.get 0 local.get 1 i32.store8)
//   (func (export "grow") (result i32) i32.const 1 memory.grow)
//   (data (i32.const 16) "\2a"))
const utf8 = (text: string) => [...new TextEncoder().encode(text)];
const name = (text: string) => [text.length, ...utf8(text)];
const section = (id: number, content: number[]) => [id, content.length, ...content];
const original = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [2, 0x60, 2, 0x7f, 0x7f, 0, 0x60, 0, 1, 0x7f]),
  ...section(3, [2, 0, 1]),
  ...section(5, [1, 1, 1, 4]),
  ...section(7, [3, ...name('memory'), 0x02, 0, ...name('poke'), 0x00, 0, ...name('grow'), 0x00, 1]),
  ...section(10, [2, 9, 0, 0x20, 0, 0x20, 1, 0x3a, 0, 0, 0x0b, 6, 0, 0x41, 1, 0x40, 0, 0x0b]),
  ...section(11, [1, 0, 0x41, 16, 0x0b, 1, 42]),
]);
const rewritten = importMemory(original)!;
const module = new WebAssembly.Module(rewritten.bytes as Uint8Array<ArrayBuffer>);

interface Guest {
  memory: WebAssembly.Memory;
  poke(address: number, value: number): void;
  grow(): number;
}

function poolWith(budget = new IdleMemoryBudget(), clearing?: MemoryClearing): MemoryPool {
  return MemoryPool.forModules({ 'fn.core.wasm': module }, { 'fn.core.wasm': rewritten.memory }, budget, clearing);
}

function instantiate(pool: MemoryPool) {
  const lease = pool.lease();
  const guest = lease.instantiateCore(module, {}).exports as unknown as Guest;
  return { lease, guest };
}

test('a released memory is zeroed and handed to the next instance, which starts as if new', () => {
  const pool = poolWith();
  const first = instantiate(pool);
  assert.equal(first.lease.created, 1);
  first.guest.poke(100, 7);
  first.guest.poke(65535, 9);
  first.lease.release();

  const second = instantiate(pool);
  assert.equal(second.guest.memory, first.guest.memory, 'the same memory object');
  assert.equal(second.lease.recycled, 1);
  assert.equal(second.lease.created, 0);
  const bytes = new Uint8Array(second.guest.memory.buffer);
  assert.equal(bytes[16], 42, 'the data segment was applied again');
  assert.equal(bytes.reduce((sum, b) => sum + b, 0), 42, 'every other byte is zero');
  assert.deepEqual(pool.stats, { created: 1, recycled: 1, discarded: 0 });
});

test('a memory that grew is discarded, and the next instance gets a new one of the declared size', () => {
  const pool = poolWith();
  const first = instantiate(pool);
  assert.equal(first.guest.grow(), 1);
  first.lease.release();
  const second = instantiate(pool);
  assert.notEqual(second.guest.memory, first.guest.memory);
  assert.equal(second.lease.created, 1);
  assert.equal(second.guest.memory.buffer.byteLength, 65536);
  assert.deepEqual(pool.stats, { created: 2, recycled: 0, discarded: 1 });
});

test('memories of an instance whose call trapped are zeroed like any other', () => {
  const pool = poolWith();
  const first = instantiate(pool);
  first.guest.poke(200, 5);
  assert.throws(() => first.guest.poke(65536, 1), WebAssembly.RuntimeError); // out of bounds
  first.lease.release();
  const second = instantiate(pool);
  assert.equal(second.lease.recycled, 1);
  assert.equal(new Uint8Array(second.guest.memory.buffer)[200], 0);
});

test('the free list is bounded, and the worker-wide budget bounds the idle bytes of every pool', () => {
  const budget = new IdleMemoryBudget(65536); // room for one idle memory of one page
  const one = poolWith(budget);
  const other = poolWith(budget);
  const a = instantiate(one);
  const b = instantiate(one);
  a.lease.release();
  b.lease.release(); // the free list holds one: discarded
  assert.deepEqual(one.stats, { created: 2, recycled: 0, discarded: 1 });
  const c = instantiate(other);
  c.lease.release(); // over the budget the first pool holds
  assert.equal(other.stats.discarded, 1);
  assert.equal(budget.usedBytes, 65536);
  one.drain();
  assert.equal(budget.usedBytes, 0);
});

test('release is idempotent; a released lease refuses to instantiate again', () => {
  const pool = poolWith();
  const { lease } = instantiate(pool);
  lease.release();
  lease.release();
  assert.deepEqual(pool.stats, { created: 1, recycled: 0, discarded: 0 });
  assert.throws(() => lease.instantiateCore(module, {}), /after its release/);
});

test('a module that defines its own memory passes through untouched', () => {
  const pool = poolWith();
  const lease = pool.lease();
  const instance = lease.instantiateCore(new WebAssembly.Module(original), {});
  assert.ok(instance.exports['memory'] instanceof WebAssembly.Memory);
  assert.equal(lease.created + lease.recycled, 0);
  lease.release();
  assert.deepEqual(pool.stats, { created: 0, recycled: 0, discarded: 0 });
});

for (const clearing of memoryClearings) {
  test(`${clearing.name}: the next instance sees nothing of the last one's memory, after a call or a trap`, () => {
    const pool = poolWith(new IdleMemoryBudget(), clearing);
    for (let round = 0; round < 3; round++) {
      const { lease, guest } = instantiate(pool);
      const bytes = new Uint8Array(guest.memory.buffer);
      assert.equal(bytes[16], 42, 'the data segment was applied again');
      assert.equal(bytes.reduce((sum, b) => sum + b, 0), 42, `round ${round}: every other byte is zero`);
      guest.poke(16, 0);
      guest.poke(0, 0x80);
      guest.poke(4095, 1);
      guest.poke(65535, 9);
      if (round === 1) assert.throws(() => guest.poke(65536, 1), WebAssembly.RuntimeError);
      lease.release();
    }
    if (clearing.recycles) assert.deepEqual(pool.stats, { created: 1, recycled: 2, discarded: 0 });
    else assert.deepEqual(pool.stats, { created: 3, recycled: 0, discarded: 3 });
  });
}
