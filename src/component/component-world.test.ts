import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { binaryKind } from './component-header.js';
import { parseComponentWorld } from './component-world.js';
import { validateComponentWorld } from './validate-component.js';

const wit = `package root:component;

world root {
  import wasmlet:function/host@0.1.0;
  import wasi:cli/environment@0.2.12;
  import get-thing: func(x: u32) -> u32;

  export wasmlet:function/http-handler@0.1.0;
}
`;

test('imports and exports are read from the printed world', () => {
  assert.deepEqual(parseComponentWorld(wit), {
    imports: ['wasmlet:function/host@0.1.0', 'wasi:cli/environment@0.2.12', 'get-thing'],
    exports: ['wasmlet:function/http-handler@0.1.0'],
  });
});

test('an import the host does not provide is denied, naming it', () => {
  assert.throws(
    () => validateComponentWorld(wit, 'fn.wasm'),
    (err: unknown) => err instanceof WasmletError && err.code === 'component_import_denied' && /get-thing/.test(err.message),
  );
  const keyvalue = wit.replace('import get-thing: func(x: u32) -> u32;', 'import wasi:keyvalue/store@0.2.0-draft;');
  assert.throws(() => validateComponentWorld(keyvalue, 'fn.wasm'), /wasi:keyvalue\/store@0.2.0-draft/);
});

test('a component without the handler export is the wrong world', () => {
  const other = 'package root:component;\nworld root {\n  export run: func() -> u32;\n}\n';
  assert.throws(() => validateComponentWorld(other, 'fn.wasm'), (err: unknown) => err instanceof WasmletError && err.code === 'component_world_mismatch');
});

test('a valid world passes', () => {
  const ok = wit.replace('  import get-thing: func(x: u32) -> u32;\n', '');
  assert.equal(validateComponentWorld(ok, 'fn.wasm').exports.length, 1);
});

test('binary kinds are told apart by the header', () => {
  assert.equal(binaryKind(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), 'core-module');
  assert.equal(binaryKind(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0])), 'component');
  assert.equal(binaryKind(new TextEncoder().encode('PK\x03\x04....')), 'not-wasm');
});

test('handlers are read from the exports; a trigger without its handler is refused at deploy', async () => {
  const { checkTriggersHaveHandlers } = await import('./validate-component.js');
  const { parseManifest } = await import('../manifest/parse-manifest.js');
  const queueOnly = wit.replace('export wasmlet:function/http-handler@0.1.0;', 'export wasmlet:function/queue-handler@0.1.0;').replace('  import get-thing: func(x: u32) -> u32;\n', '');
  assert.deepEqual(validateComponentWorld(queueOnly, 'fn.wasm').handlers, ['queue']);
  const withRoute = parseManifest('name = "f"\ncomponent = "f.wasm"\n[[http]]\nroute = "/f"\n[[queue]]\nqueue = "jobs"\n');
  assert.throws(
    () => checkTriggersHaveHandlers(withRoute, ['queue']),
    (err: unknown) => err instanceof WasmletError && err.code === 'component_world_mismatch' && /\[\[http\]\] route \/f.*http-handler/.test(err.message),
  );
  assert.doesNotThrow(() => checkTriggersHaveHandlers(withRoute, ['http', 'queue']));
});

test('a wasi:http/incoming-handler 0.2.x export serves HTTP; other versions are refused', () => {
  const proxy = (version: string) =>
    `package root:component;\nworld root {\n  import wasi:http/types@${version};\n  import wasi:http/outgoing-handler@${version};\n  export wasi:http/incoming-handler@${version};\n}\n`;
  for (const version of ['0.2.0', '0.2.10', '0.2.12']) assert.deepEqual(validateComponentWorld(proxy(version), 'fn.wasm').handlers, ['http']);
  assert.throws(() => validateComponentWorld(proxy('0.3.0'), 'fn.wasm'), (err: unknown) => err instanceof WasmletError && err.code === 'component_world_mismatch' && /0\.2\.x/.test(err.message));
});

test('importing wasmlet outbound-http needs allowed_outbound_hosts; wasi:http outgoing-handler (part of the proxy world) does not', async () => {
  const { checkImportsGranted } = await import('./validate-component.js');
  const { parseManifest } = await import('../manifest/parse-manifest.js');
  const withOutbound = wit.replace('import get-thing: func(x: u32) -> u32;', 'import wasmlet:function/outbound-http@0.1.0;');
  const world = validateComponentWorld(withOutbound, 'f.wasm');
  const ungranted = parseManifest('name = "f"\ncomponent = "f.wasm"\n');
  assert.throws(
    () => checkImportsGranted(world, ungranted),
    (err: unknown) => err instanceof WasmletError && err.code === 'component_import_denied' && /allowed_outbound_hosts/.test(err.message),
  );
  const granted = parseManifest('name = "f"\ncomponent = "f.wasm"\nallowed_outbound_hosts = ["https://api.example.com"]\n');
  assert.doesNotThrow(() => checkImportsGranted(world, granted));
  const proxyWorld = validateComponentWorld('package root:component;\nworld root {\n  import wasi:http/outgoing-handler@0.2.0;\n  export wasi:http/incoming-handler@0.2.0;\n}\n', 'f.wasm');
  assert.doesNotThrow(() => checkImportsGranted(proxyWorld, ungranted));
});

test('wasi:keyvalue: only 0.2.0-draft2 is provided (the drafts differ in shape); other versions are refused naming the one there is', () => {
  const kv = (version: string) => wit.replace('import get-thing: func(x: u32) -> u32;', `import wasi:keyvalue/store@${version};\n  import wasi:keyvalue/atomics@${version};\n  import wasi:keyvalue/batch@${version};`);
  assert.equal(validateComponentWorld(kv('0.2.0-draft2'), 'fn.wasm').imports.length, 5);
  for (const version of ['0.2.0-draft', '0.2.0', '0.2.0-draft3']) {
    assert.throws(
      () => validateComponentWorld(kv(version), 'fn.wasm'),
      (err: unknown) => err instanceof WasmletError && err.code === 'component_import_denied' && err.message.includes(`wasi:keyvalue/store@${version}`) && err.message.includes('this host implements wasi:keyvalue/store@0.2.0-draft2'),
      version,
    );
  }
});

test('importing wasi:keyvalue needs key_value_stores; the refusal names the key', async () => {
  const { checkImportsGranted } = await import('./validate-component.js');
  const { parseManifest } = await import('../manifest/parse-manifest.js');
  for (const iface of ['store', 'atomics', 'batch']) {
    const world = validateComponentWorld(wit.replace('import get-thing: func(x: u32) -> u32;', `import wasi:keyvalue/${iface}@0.2.0-draft2;`), 'f.wasm');
    assert.throws(
      () => checkImportsGranted(world, parseManifest('name = "f"\ncomponent = "f.wasm"\n')),
      (err: unknown) => err instanceof WasmletError && err.code === 'component_import_denied' && err.message.endsWith('add key_value_stores (e.g. key_value_stores = ["default"])'),
    );
    assert.doesNotThrow(() => checkImportsGranted(world, parseManifest('name = "f"\ncomponent = "f.wasm"\nkey_value_stores = ["default"]\n')));
  }
});
