import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { kvDeleteCommand } from './kv-delete.js';

test('kv delete deletes and says so, or prints the JSON; an absent key fails with its code', async () => {
  const api = await startFakeAdminApi({
    'DELETE /v1/kv/sessions/keys/user%3A42': { body: { store: 'sessions', deleted: 'user:42' } },
    'DELETE /v1/kv/sessions/keys/gone': { status: 404, body: { error: { code: 'kv_key_not_found', message: 'no key "gone" in store "sessions"' } } },
  });
  try {
    const output = bufferOutput();
    assert.equal(await kvDeleteCommand('sessions', 'user:42', { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'deleted sessions/user:42\n');
    const json = bufferOutput();
    assert.equal(await kvDeleteCommand('sessions', 'user:42', { adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), { store: 'sessions', deleted: 'user:42' });
    const missing = bufferOutput();
    assert.equal(await kvDeleteCommand('sessions', 'gone', { adminUrl: api.url, json: false, output: missing }), 1);
    assert.match(missing.stderr, /\(kv_key_not_found\)\n$/);
  } finally {
    await api.close();
  }
});
