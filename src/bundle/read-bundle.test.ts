// readBundle: manifest at the root, parsed; component present; helpful messages when not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { zipSync, type Zippable } from 'fflate';
import type { ErrorCode } from '../errors/error-catalog.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { maxManifestBytes, readBundle } from './read-bundle.js';

const encoder = new TextEncoder();
const text = (s: string) => encoder.encode(s);
const manifest = 'name = "hello"\ncomponent = "hello.wasm"\n\n[[http]]\nroute = "/hello"\n';
const component = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]); // a component header

async function rejection(files: Zippable, code: ErrorCode, message: RegExp): Promise<WasmletError> {
  let caught: unknown;
  try {
    await readBundle(zipSync(files));
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof WasmletError, `expected a WasmletError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, message);
  return caught;
}

async function assertRejects(files: Zippable, code: ErrorCode, message: RegExp): Promise<void> {
  await rejection(files, code, message);
}

describe('readBundle', () => {
  test('returns the parsed manifest, its source and the component bytes', async () => {
    const bundle = await readBundle(zipSync({ 'wasmlet.toml': text(manifest), 'hello.wasm': component, 'README.md': text('ignored') }));
    assert.equal(bundle.manifest.name, 'hello');
    assert.deepEqual(bundle.manifest.http, [{ route: '/hello', methods: 'any' }]);
    assert.equal(bundle.manifestSource, manifest);
    assert.deepEqual(bundle.component, component);
    assert.ok(Object.isFrozen(bundle));
  });

  test('finds a component in a folder, whatever the spelling of its path in the manifest', async () => {
    const bundle = await readBundle(zipSync({ 'wasmlet.toml': text('name = "a"\ncomponent = "./build//a.wasm"\n'), 'build/a.wasm': component }));
    assert.equal(bundle.manifest.component, 'build/a.wasm');
    assert.deepEqual(bundle.component, component);
  });

  test('drops a UTF-8 byte order mark from the manifest', async () => {
    const bundle = await readBundle(zipSync({ 'wasmlet.toml': Uint8Array.from([0xef, 0xbb, 0xbf, ...text(manifest)]), 'hello.wasm': component }));
    assert.equal(bundle.manifestSource, manifest);
  });

  test('rejects a bundle without wasmlet.toml', () =>
    assertRejects({ 'hello.wasm': component }, 'manifest_missing', /^the bundle has no wasmlet.toml at its root$/));

  test('says so when wasmlet.toml is one folder down (the folder was zipped, not its contents)', async () => {
    const err = await rejection(
      { 'hello/wasmlet.toml': text(manifest), 'hello/hello.wasm': component },
      'manifest_missing',
      /^the bundle has no wasmlet.toml at its root; found "hello\/wasmlet.toml": zip the folder's contents, not the folder$/,
    );
    assert.deepEqual(err.details, { found: 'hello/wasmlet.toml' });
  });

  test('says so when the name differs only in case', () =>
    assertRejects({ 'Wasmlet.toml': text(manifest), 'hello.wasm': component }, 'manifest_missing', /found "Wasmlet.toml": the name is case-sensitive$/));

  test('passes on manifest errors, with their line', () =>
    assertRejects(
      { 'wasmlet.toml': text(`${manifest}\n[limits]\ntmeout_ms = 5\n`), 'hello.wasm': component },
      'manifest_invalid',
      /^wasmlet.toml: unknown key "tmeout_ms" in \[limits\] \(line 8\)$/,
    ));

  test('rejects a manifest that is not UTF-8', () =>
    assertRejects({ 'wasmlet.toml': Uint8Array.from([0x6e, 0x61, 0xff, 0xfe]), 'hello.wasm': component }, 'manifest_invalid', /^wasmlet.toml is not valid UTF-8$/));

  test('rejects an oversized manifest before parsing it', () =>
    assertRejects(
      { 'wasmlet.toml': text(`${manifest}#${'x'.repeat(maxManifestBytes)}\n`), 'hello.wasm': component },
      'manifest_invalid',
      new RegExp(`^wasmlet.toml is \\d+ bytes; at most ${maxManifestBytes} are allowed$`),
    ));

  test('rejects a bundle without the component the manifest names', async () => {
    const err = await rejection({ 'wasmlet.toml': text(manifest) }, 'component_missing', /^the bundle has no "hello.wasm", the component wasmlet.toml names$/);
    assert.deepEqual(err.details, { component: 'hello.wasm' });
  });

  test('points at a file with the same name elsewhere', () =>
    assertRejects({ 'wasmlet.toml': text(manifest), 'target/Hello.wasm': component }, 'component_missing', /names; found "target\/Hello.wasm"$/));

  test('passes on unpacking errors', () =>
    assertRejects(
      { 'wasmlet.toml': text(manifest), 'hello.wasm': [component, { os: 3, attrs: (0o120777 << 16) >>> 0 }] },
      'bundle_unsafe',
      /^bundle entry "hello.wasm" is unsafe: it is a symbolic link/,
    ));
});
