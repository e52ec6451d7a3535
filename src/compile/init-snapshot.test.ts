import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from '@bytecodealliance/jco';
import { bakeSnapshot, exposeGlobals, nonZeroRuns, snapshotGlobalPrefix, type GlobalValue } from './init-snapshot.js';

// An init that changes globals of both widths, writes memory outside its data segment and grows it.
const wat = `(module
  (memory 1 4)
  (global $g (mut i32) (i32.const 5))
  (global $h (mut i64) (i64.const 0))
  (global $c i32 (i32.const 9))
  (data (i32.const 16) "abc")
  (func (export "_initialize")
    (global.set $g (i32.const 42))
    (global.set $h (i64.const -7))
    (drop (memory.grow (i32.const 1)))
    (i32.store8 (i32.const 70000) (i32.const 77))
    (i32.store8 (i32.const 1000) (i32.const 78)))
  (func (export "g") (result i32) global.get $g)
  (func (export "h") (result i64) global.get $h)
  (func (export "c") (result i32) global.get $c)
  (func (export "size") (result i32) memory.size)
  (export "memory" (memory 0)))`;

type Exports = Record<string, (() => number | bigint) | WebAssembly.Memory | WebAssembly.Global>;
const call = (exports: Exports, name: string) => (exports[name] as () => number | bigint)();

test('a baked module starts where init ended, and its _initialize does nothing', async () => {
  const original = await parse(wat);
  const exposed = exposeGlobals(original);
  assert.deepEqual(exposed.globals.map((g) => g.type), ['i32', 'i64']); // the immutable one is left alone
  const probe = new WebAssembly.Instance(new WebAssembly.Module(exposed.bytes as Uint8Array<ArrayBuffer>)).exports as Exports;
  call(probe, '_initialize');
  const globals = new Map<number, GlobalValue>(exposed.globals.map((g) => [g.index, (probe[`${snapshotGlobalPrefix}${g.index}`] as WebAssembly.Global).value as GlobalValue]));
  const memory = new Uint8Array((probe['memory'] as WebAssembly.Memory).buffer);

  const baked = new WebAssembly.Instance(new WebAssembly.Module(bakeSnapshot(original, { memory, globals }) as Uint8Array<ArrayBuffer>)).exports as Exports;
  call(baked, '_initialize'); // a no-op now: init must not run twice
  assert.equal(call(baked, 'g'), 42);
  assert.equal(call(baked, 'h'), -7n);
  assert.equal(call(baked, 'c'), 9);
  assert.equal(call(baked, 'size'), 2, 'the memory starts at the size init left it');
  const bytes = new Uint8Array((baked['memory'] as WebAssembly.Memory).buffer);
  assert.equal(bytes[70000], 77);
  assert.equal(bytes[1000], 78);
  assert.equal(new TextDecoder().decode(bytes.subarray(16, 19)), 'abc');
  assert.equal(bytes.reduce((n, b) => n + (b === 0 ? 0 : 1), 0), 5, 'nothing else is non-zero');
});

test('non-zero runs cover every non-zero byte and merge close neighbours', () => {
  const memory = new Uint8Array(4096);
  memory[3] = 1;
  memory[40] = 2; // within the merge gap of the first
  memory[2000] = 3;
  assert.deepEqual(nonZeroRuns(memory), [
    [0, 48],
    [2000, 2008],
  ]);
  assert.deepEqual(nonZeroRuns(new Uint8Array(64)), []);
});
