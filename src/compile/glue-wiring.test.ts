import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstantiateGlue } from '../runtime/run-invocation.js';
import { recordGlueWiring, UnfoldableGlue } from './glue-wiring.js';

/** A glue in jco's shape: two core instances, the second wired to the first, a lowered import, an early and a late read. */
const twoInstances: InstantiateGlue = (getCoreModule, imports, instantiateCore = (m, i) => new WebAssembly.Instance(m, i)) => {
  const first = getCoreModule('a.wasm');
  const second = getCoreModule('b.wasm');
  const { log } = imports['host'] as { log: (x: number) => void };
  const lowered = (x: number) => log(x);
  const { exports: a } = instantiateCore(first, { host: { log: lowered } });
  const memory = a.memory; // kept by the glue before the last instance exists
  const { exports: b } = instantiateCore(second, { a: { f: a.f!, memory: a.memory! } });
  return { memory, handle: b.handle };
};

test('records where each import came from and when each export is read', () => {
  const wiring = recordGlueWiring(twoInstances);
  assert.deepEqual(wiring.calls, [
    { module: 'a.wasm', imports: [{ module: 'host', name: 'log', source: { kind: 'glue' } }] },
    {
      module: 'b.wasm',
      imports: [
        { module: 'a', name: 'f', source: { kind: 'export', call: 0, name: 'f' } },
        { module: 'a', name: 'memory', source: { kind: 'export', call: 0, name: 'memory' } },
      ],
    },
  ]);
  assert.deepEqual(wiring.reads, [
    { call: 0, name: 'memory', early: true, late: false },
    { call: 0, name: 'f', early: false, late: false },
    { call: 1, name: 'handle', early: false, late: true },
  ]);
});

test('a glue that calls a host import while instantiating cannot be folded', () => {
  const eager: InstantiateGlue = (getCoreModule, imports, instantiateCore) => {
    (imports['host'] as { log: () => void }).log();
    return instantiateCore!(getCoreModule('a.wasm'), {}).exports;
  };
  assert.throws(() => recordGlueWiring(eager), UnfoldableGlue);
});

test('a glue that passes a value of its own that is not a function, global or table cannot be folded', () => {
  const odd: InstantiateGlue = (getCoreModule, _imports, instantiateCore) => instantiateCore!(getCoreModule('a.wasm'), { env: { thing: { not: 'a function' } as never } }).exports;
  assert.throws(() => recordGlueWiring(odd), /not a function, global or table/);
});

test('a glue that calls a core export while instantiating cannot be folded', () => {
  const calls: InstantiateGlue = (getCoreModule, _imports, instantiateCore) => {
    const { exports } = instantiateCore!(getCoreModule('a.wasm'), {});
    (exports._initialize as () => void)();
    return exports;
  };
  assert.throws(() => recordGlueWiring(calls), UnfoldableGlue);
});
