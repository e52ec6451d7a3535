import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { secretDeleteCommand } from './secret-delete.js';

test('secret delete prints what was deleted; a refusal is the one failure line', async () => {
  const api = await startFakeAdminApi({
    'DELETE /v1/secrets/OLD_KEY': { body: { deleted: 'OLD_KEY' } },
    'DELETE /v1/secrets/STRIPE_KEY': { status: 409, body: { error: { code: 'secret_in_use', message: 'secret STRIPE_KEY is read by pay (config key "api_key")' } } },
  });
  try {
    const output = bufferOutput();
    assert.equal(await secretDeleteCommand('OLD_KEY', { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'deleted secret OLD_KEY\n');
    const refused = bufferOutput();
    assert.equal(await secretDeleteCommand('STRIPE_KEY', { adminUrl: api.url, json: false, output: refused }), 1);
    assert.equal(refused.stderr, 'wasmlet: secret STRIPE_KEY is read by pay (config key "api_key") (secret_in_use)\n');
  } finally {
    await api.close();
  }
});
