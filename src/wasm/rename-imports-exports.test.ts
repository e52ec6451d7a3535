import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renameImportsExports } from './rename-imports-exports.js';

/** (module (import "a" "f" (func)) (func $g) (export "g" (func $g)) (start $g)), hand-encoded. */
const withStart = Uint8Array.of(
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type: () -> ()
  ...[0x02, 0x07, 0x01, 0x01, 0x61, 0x01, 0x66, 0x00, 0x00], // import "a" "f" (func (type 0))
  ...[0x03, 0x02, 0x01, 0x00], // function 1: type 0
  ...[0x07, 0x05, 0x01, 0x01, 0x67, 0x00, 0x01], // export "g" (func 1)
  ...[0x08, 0x01, 0x01], // start: func 1
  ...[0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b], // code: empty body
);

/** The same module with neither an export nor the start section's neighbour: (module (func $g) (start $g)). */
const startOnly = Uint8Array.of(
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00],
  ...[0x03, 0x02, 0x01, 0x00],
  ...[0x08, 0x01, 0x00],
  ...[0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b],
);

function shape(bytes: Uint8Array): { imports: WebAssembly.ModuleImportDescriptor[]; exports: WebAssembly.ModuleExportDescriptor[] } {
  const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  return { imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module) };
}

test('imports and exports get their new names; the code is untouched', () => {
  const renamed = renameImportsExports(withStart, {
    renameImport: ({ module, name }, index) => ({ module: `${module}-${index}`, name: `${name}2` }),
    renameExport: (name) => `x:${name}`,
  });
  assert.deepEqual(shape(renamed), {
    imports: [{ module: 'a-0', name: 'f2', kind: 'function' }],
    exports: [{ name: 'x:g', kind: 'function' }],
  });
});

test('an export renamed to undefined is dropped', () => {
  assert.deepEqual(shape(renameImportsExports(withStart, { renameExport: () => undefined })).exports, []);
});

test('the start function becomes an export and no longer runs at instantiation', () => {
  let called = 0;
  const renamed = renameImportsExports(withStart, { exportStartAs: 'start' });
  assert.deepEqual(shape(renamed).exports, [
    { name: 'g', kind: 'function' },
    { name: 'start', kind: 'function' },
  ]);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(renamed as Uint8Array<ArrayBuffer>), { a: { f: () => called++ } });
  (instance.exports.start as () => void)();
  assert.equal(called, 0, 'g does not call f; only its being exported is checked');
});

test('a module with no export section gets one for its start function', () => {
  const renamed = renameImportsExports(startOnly, { exportStartAs: 'start' });
  assert.deepEqual(shape(renamed).exports, [{ name: 'start', kind: 'function' }]);
});

test('without changes the bytes are the same', () => {
  assert.deepEqual(renameImportsExports(withStart, {}), withStart);
});
