// Every bad bundle gets its specific status and error code, and the host keeps serving.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { zipSync } from 'fflate';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { examplesDir, fixtureComponent, fixturesDir } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const encoder = new TextEncoder();
const unixSymlinkAttrs = (0o120777 << 16) >>> 0;

describe('hostile bundles', () => {
  let host: TestHost;
  const echo = () => readFileSync(fixtureComponent('echo'));
  const manifest = manifestFor('victim', '/victim');

  before(async () => {
    host = await startTestHost();
    const response = await host.deploy(bundleWith(manifestFor('fx-echo', '/fx/echo'), fixtureComponent('echo')));
    assert.equal(response.status, 201, await response.text());
  });

  after(() => host.close());

  async function assertRejected(zip: Uint8Array, status: number, code: string, message?: RegExp): Promise<void> {
    const response = await host.deploy(zip);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(body.error.code, code, body.error.message);
    if (message) assert.match(body.error.message, message);
    const healthy = await host.get('/fx/echo');
    assert.equal(healthy.status, 200);
    const list = (await (await host.admin('/v1/functions')).json()) as { functions: { name: string }[] };
    assert.deepEqual(list.functions.map((f) => f.name), ['fx-echo']); // nothing half-deployed
  }

  test('not a zip', () => assertRejected(encoder.encode('this is not a zip archive at all'), 400, 'bundle_invalid'));

  test('zip-slip path', () =>
    assertRejected(zipSync({ 'wasmlet.toml': encoder.encode(manifest), 'component.wasm': echo(), '../../evil.txt': encoder.encode('x') }), 400, 'bundle_unsafe', /evil/));

  test('absolute path', () =>
    assertRejected(zipSync({ 'wasmlet.toml': encoder.encode(manifest), 'component.wasm': echo(), '/etc/evil': encoder.encode('x') }), 400, 'bundle_unsafe'));

  test('zip bomb', () =>
    assertRejected(
      zipSync({ 'wasmlet.toml': encoder.encode(manifest), 'component.wasm': echo(), 'bomb.bin': [new Uint8Array(200 * 1024 * 1024), { level: 9 }] }),
      413,
      'bundle_too_large',
    ));

  test('symlink entry', () =>
    assertRejected(
      zipSync({ 'wasmlet.toml': encoder.encode(manifest), 'component.wasm': echo(), link: [encoder.encode('/etc/passwd'), { os: 3, attrs: unixSymlinkAttrs }] }),
      400,
      'bundle_unsafe',
      /link/,
    ));

  test('missing manifest', () => assertRejected(zipSync({ 'component.wasm': echo() }), 400, 'manifest_missing'));

  test('invalid manifest names the key and line', () =>
    assertRejected(bundleWith(manifestFor('victim', '/victim', '\n[limits]\ntmeout_ms = 5\n'), fixtureComponent('echo')), 400, 'manifest_invalid', /tmeout_ms.*line 8/));

  test('component file missing from the bundle', () =>
    assertRejected(zipSync({ 'wasmlet.toml': encoder.encode(manifest) }), 400, 'component_missing'));

  test('core module instead of a component', () =>
    assertRejected(bundleWith(manifest, join(fixturesDir, 'core-module', 'core-module.wasm')), 400, 'component_invalid', /core wasm module/));

  test('component with the wrong world', () =>
    assertRejected(bundleWith(manifest, fixtureComponent('wrong-world')), 400, 'component_world_mismatch'));

  test('component importing a capability the host does not provide', () =>
    assertRejected(bundleWith(manifest, fixtureComponent('needs-keyvalue')), 400, 'component_import_denied', /wasi:keyvalue\/atomics/));

  test('initial memory larger than memory_mb', () =>
    // Rust reserves a 1 MiB stack, so its hello starts with 17 pages: more than memory_mb = 1 allows.
    assertRejected(bundleWith(manifestFor('victim', '/victim', '\n[limits]\nmemory_mb = 1\n'), join(examplesDir, 'hello-rust', 'hello-rust.wasm')), 400, 'component_limit_exceeded'));

  test('a route another function serves', () =>
    assertRejected(bundleWith(manifestFor('thief', '/fx/echo'), fixtureComponent('echo')), 409, 'route_conflict', /fx-echo/));

  // It cost a second of main-thread CPU and answered 500 internal (a stack overflow walking 20 000 nested tables).
  test('a manifest with a 20,000-part dotted table header', () =>
    assertRejected(bundleWith(`${manifest}[${Array(20_000).fill('a').join('.')}]\n`, fixtureComponent('echo')), 400, 'manifest_invalid', /a key has 20000 dotted parts; at most 8 \(line 6\)/));
});
