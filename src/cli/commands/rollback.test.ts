import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleFunction, startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { rollbackCommand } from './rollback.js';

test('rollback prints the now active version; without one it is no_previous_version', async () => {
  const api = await startFakeAdminApi({
    'POST /v1/functions/hello-rust/rollback': { body: { function: sampleFunction({ version: 1, previousVersion: null }) } },
    'POST /v1/functions/fresh/rollback': {
      status: 409,
      body: { error: { code: 'no_previous_version', message: 'fresh has no previous version to roll back to' } },
    },
  });
  try {
    const output = bufferOutput();
    assert.equal(await rollbackCommand('hello-rust', { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'rolled back hello-rust: v1 is active (sha256:1a2b3c4d…)\n');

    const failed = bufferOutput();
    assert.equal(await rollbackCommand('fresh', { adminUrl: api.url, json: false, output: failed }), 1);
    assert.equal(failed.stderr, 'wasmlet: fresh has no previous version to roll back to (no_previous_version)\n');
  } finally {
    await api.close();
  }
});
