import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { kvGetCommand } from './kv-get.js';

test('kv get writes the value\'s bytes as they are; --json gives text (null when not UTF-8) and base64; a missing key fails with its code', async () => {
  const binary = Uint8Array.of(0xff, 0x00, 0x41);
  const api = await startFakeAdminApi({
    'GET /v1/kv/default/keys/greeting': { body: 'héllo', headers: { 'content-type': 'application/octet-stream' } },
    'GET /v1/kv/default/keys/blob': { body: binary, headers: { 'content-type': 'application/octet-stream' } },
    'GET /v1/kv/default/keys/nope': { status: 404, body: { error: { code: 'kv_key_not_found', message: 'no key "nope" in store "default"' } } },
  });
  try {
    const raw = bufferOutput();
    assert.equal(await kvGetCommand('default', 'blob', { adminUrl: api.url, json: false, output: raw }), 0);
    assert.deepEqual(raw.stdoutBytes, binary);
    const json = bufferOutput();
    assert.equal(await kvGetCommand('default', 'greeting', { adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), { store: 'default', key: 'greeting', bytes: 6, text: 'héllo', base64: Buffer.from('héllo').toString('base64') });
    const binaryJson = bufferOutput();
    await kvGetCommand('default', 'blob', { adminUrl: api.url, json: true, output: binaryJson });
    assert.equal((JSON.parse(binaryJson.stdout) as { text: unknown }).text, null);
    const missing = bufferOutput();
    assert.equal(await kvGetCommand('default', 'nope', { adminUrl: api.url, json: false, output: missing }), 1);
    assert.equal(missing.stderr, 'wasmlet: no key "nope" in store "default" (kv_key_not_found)\n');
  } finally {
    await api.close();
  }
});
