import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { inspectComponent, reportOf } from './inspect-component.js';
import { packageRoot } from './package-root.js';

const world = (lines: string) => `package root:component;\n\nworld root {\n${lines}\n}\n`;

test('every import is flagged; deployable when all are provided and the handler is exported', () => {
  const report = reportOf(world('  import wasmlet:function/host@0.1.0;\n  import wasi:cli/environment@0.2.3;\n  export wasmlet:function/http-handler@0.1.0;'), 'f.wasm');
  assert.deepEqual(report, {
    imports: [
      { name: 'wasmlet:function/host@0.1.0', provided: true },
      { name: 'wasi:cli/environment@0.2.3', provided: true },
    ],
    exports: ['wasmlet:function/http-handler@0.1.0'],
    problems: [],
  });
});

test('an import the host denies is flagged with the code deploy would refuse it with', () => {
  // wasi:keyvalue: a WASI proposal no wasmlet host provides (wasi:http's outgoing-handler now is).
  const report = reportOf(world('  import wasi:keyvalue/store@0.2.0-draft;\n  import wasi:cli/stdout@0.2.0;\n  export wasmlet:function/http-handler@0.1.0;'), 'f.wasm');
  assert.deepEqual(report.imports, [
    { name: 'wasi:keyvalue/store@0.2.0-draft', provided: false },
    { name: 'wasi:cli/stdout@0.2.0', provided: true },
  ]);
  assert.equal(report.problems.length, 1);
  assert.equal(report.problems[0]?.code, 'component_import_denied');
  assert.match(report.problems[0]?.message ?? '', /f\.wasm imports wasi:keyvalue\/store@0\.2\.0-draft/);
});

test('a component without the handler export would be refused as a world mismatch', () => {
  const report = reportOf(world('  export wasi:cli/run@0.2.0;'), 'f.wasm');
  assert.equal(report.problems[0]?.code, 'component_world_mismatch');
});

test('a real component, a core module and junk', async () => {
  const component = new Uint8Array(await readFile(`${packageRoot}/examples/hello-c/hello-c.wasm`));
  const real = await inspectComponent(component, 'hello-c.wasm');
  assert.deepEqual(real.problems, []);
  assert.ok(real.imports.some((i) => i.name.startsWith('wasmlet:function/host@')));

  const core = await inspectComponent(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), 'core.wasm');
  assert.deepEqual(core.problems.map((p) => p.code), ['component_invalid']);
  assert.match(core.problems[0]?.message ?? '', /core wasm module/);

  const junk = await inspectComponent(new TextEncoder().encode('not wasm at all'), 'junk.wasm');
  assert.deepEqual(junk.problems.map((p) => p.code), ['component_invalid']);
});
