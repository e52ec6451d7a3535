import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sampleFunction, startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { packFunction } from '../../bundle/pack-function.js';
import { bufferOutput } from '../cli-output.js';
import { deployCommand } from './deploy.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasmlet-deploy-'));
  await writeFile(join(dir, 'wasmlet.toml'), 'name = "hello-rust"\ncomponent = "hello.wasm"\n');
  await writeFile(join(dir, 'hello.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]));
});
after(() => rm(dir, { recursive: true, force: true }));

test('deploy packs the folder, posts it and prints one line', async () => {
  const body = { function: sampleFunction(), unchanged: false };
  const api = await startFakeAdminApi({ 'POST /v1/functions': { status: 201, body } });
  try {
    const output = bufferOutput();
    assert.equal(await deployCommand(dir, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'deployed hello-rust v2 sha256:1a2b3c4d…  GET,POST /hello/rust\n');
    assert.deepEqual(api.requests[0]?.body, await packFunction(dir));

    const json = bufferOutput();
    assert.equal(await deployCommand(dir, { adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), body);
  } finally {
    await api.close();
  }
});

test('a rejected bundle exits 1 with the server message on one stderr line', async () => {
  const error = { code: 'component_import_denied', message: 'hello.wasm imports wasi:sockets/tcp, which is not granted' };
  const api = await startFakeAdminApi({ 'POST /v1/functions': { status: 400, body: { error } } });
  try {
    const output = bufferOutput();
    assert.equal(await deployCommand(dir, { adminUrl: api.url, json: false, output }), 1);
    assert.equal(output.stdout, '');
    assert.equal(output.stderr, 'wasmlet: hello.wasm imports wasi:sockets/tcp, which is not granted (component_import_denied)\n');

    const json = bufferOutput();
    assert.equal(await deployCommand(dir, { adminUrl: api.url, json: true, output: json }), 1);
    assert.deepEqual(JSON.parse(json.stdout), { error });
    assert.equal(json.stderr, '');
  } finally {
    await api.close();
  }
});

test('a path that cannot be packed fails before any request', async () => {
  const api = await startFakeAdminApi({});
  try {
    const output = bufferOutput();
    assert.equal(await deployCommand(join(dir, 'nope'), { adminUrl: api.url, json: false, output }), 1);
    assert.match(output.stderr, /^wasmlet: .*nope does not exist \(bad_request\)\n$/);
    assert.equal(api.requests.length, 0);
  } finally {
    await api.close();
  }
});
