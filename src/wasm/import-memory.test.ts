import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostMemoryModule, hostMemoryName, importMemory } from './import-memory.js';
import { limitMemory } from './limit-memory.js';

// Handcrafted modules, assembled from sections so each test reads as the WAT it stands for.
const utf8 = (text: string) => [...new TextEncoder().encode(text)];
const name = (text: string) => [text.length, ...utf8(text)];
const section = (id: number, content: number[]) => [id, content.length, ...content];
const wasm = (...sections: number[][]) => Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);

const types = section(1, [2, 0x60, 0, 1, 0x7f, 0x60, 1, 0x7f, 0]); // 0: () -> i32, 1: (i32) -> ()
const logImport = section(2, [1, ...name('env'), ...name('log'), 0x00, 1]); // (import "env" "log" (func (type 1)))
const oneFunction = section(3, [1, 0]);
const memory = (flags: number, ...limits: number[]) => section(5, [1, flags, ...limits]);
const exports = (peekIndex: number) => section(7, [2, ...name('memory'), 0x02, 0, ...name('peek'), 0x00, peekIndex]);
const peekBody = section(10, [1, 7, 0, 0x41, 16, 0x2d, 0, 0, 0x0b]); // i32.load8_u (i32.const 16)
const data = section(11, [1, 0, 0x41, 16, 0x0b, 1, 42]); // (data (i32.const 16) "\2a")
const nameSection = section(0, [...name('name')]);

// (module (memory (export "memory") 2 5) (func (export "peek") ...) (data (i32.const 16) "\2a"))
const definesMemory = wasm(types, oneFunction, memory(1, 2, 5), exports(0), peekBody, data, nameSection);
// the same with (import "env" "log" ...) first, so the function index moves to 1
const importsAndDefines = wasm(types, logImport, oneFunction, memory(0, 1), exports(1), peekBody, data);

function hostMemory(initial: number, maximum?: number): WebAssembly.Memory {
  return new WebAssembly.Memory(maximum === undefined ? { initial } : { initial, maximum });
}

test('a defined memory becomes an import from the host, with the same limits', () => {
  const rewritten = importMemory(definesMemory);
  assert.ok(rewritten);
  assert.deepEqual(rewritten.memory, { initialPages: 2, maximumPages: 5 });
  const module = new WebAssembly.Module(rewritten.bytes as Uint8Array<ArrayBuffer>);
  assert.deepEqual(WebAssembly.Module.imports(module), [{ module: hostMemoryModule, name: hostMemoryName, kind: 'memory' }]);
  assert.deepEqual(WebAssembly.Module.exports(module), WebAssembly.Module.exports(new WebAssembly.Module(definesMemory)));
});

test('the instance uses the memory it is given: data segments land in it, and it is its exported memory', () => {
  const rewritten = importMemory(definesMemory)!;
  const given = hostMemory(2, 5);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(rewritten.bytes as Uint8Array<ArrayBuffer>), { [hostMemoryModule]: { [hostMemoryName]: given } });
  assert.equal(instance.exports['memory'], given);
  assert.equal(new Uint8Array(given.buffer)[16], 42);
  assert.equal((instance.exports['peek'] as () => number)(), 42);
});

test('existing imports are kept and the memory import is appended after them', () => {
  const rewritten = importMemory(importsAndDefines);
  assert.ok(rewritten);
  assert.deepEqual(rewritten.memory, { initialPages: 1, maximumPages: undefined });
  const module = new WebAssembly.Module(rewritten.bytes as Uint8Array<ArrayBuffer>);
  assert.deepEqual(
    WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`),
    ['env.log:function', `${hostMemoryModule}.${hostMemoryName}:memory`],
  );
  const instance = new WebAssembly.Instance(module, { env: { log: () => undefined }, [hostMemoryModule]: { [hostMemoryName]: hostMemory(1) } });
  assert.equal((instance.exports['peek'] as () => number)(), 42);
});

test('the memory cap written by limitMemory is what the host memory must match', () => {
  const rewritten = importMemory(limitMemory(importsAndDefines, 3))!;
  assert.deepEqual(rewritten.memory, { initialPages: 1, maximumPages: 3 });
  const module = new WebAssembly.Module(rewritten.bytes as Uint8Array<ArrayBuffer>);
  const link = (memory: WebAssembly.Memory) => new WebAssembly.Instance(module, { env: { log: () => undefined }, [hostMemoryModule]: { [hostMemoryName]: memory } });
  assert.throws(() => link(hostMemory(1)), WebAssembly.LinkError); // no maximum: could outgrow the cap
  assert.throws(() => link(hostMemory(1, 4)), WebAssembly.LinkError); // a larger maximum than the cap
  assert.doesNotThrow(() => link(hostMemory(1, 3)));
});

test('modules with no memory of their own to give up are left alone', () => {
  const noMemory = wasm(types, oneFunction, section(7, [1, ...name('peek'), 0x00, 0]), section(10, [1, 4, 0, 0x41, 0, 0x0b]));
  const importsMemory = wasm(section(2, [1, ...name('env'), ...name('memory'), 0x02, 0, 1]));
  const twoMemories = wasm(section(5, [2, 0, 1, 0, 1]));
  const shared = wasm(section(5, [1, 3, 1, 2]));
  const alreadyOurs = wasm(types, section(2, [1, ...name(hostMemoryModule), ...name('log'), 0x00, 1]), memory(0, 1));
  for (const [label, module] of Object.entries({ noMemory, importsMemory, twoMemories, shared, alreadyOurs })) {
    assert.equal(importMemory(module), undefined, label);
  }
});

test('sections other than import and memory are copied byte for byte', () => {
  const rewritten = importMemory(definesMemory)!.bytes;
  const tail = Uint8Array.from([...exports(0), ...peekBody, ...data, ...nameSection]);
  assert.deepEqual(rewritten.subarray(rewritten.length - tail.length), tail);
  assert.deepEqual(rewritten.subarray(0, 8 + types.length), definesMemory.subarray(0, 8 + types.length));
});
