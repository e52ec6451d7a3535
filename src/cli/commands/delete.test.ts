import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { deleteCommand } from './delete.js';

test('delete prints what was deleted, or the JSON', async () => {
  const api = await startFakeAdminApi({ 'DELETE /v1/functions/hello': { body: { deleted: 'hello' } } });
  try {
    const output = bufferOutput();
    assert.equal(await deleteCommand('hello', { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, 'deleted hello\n');
    const json = bufferOutput();
    assert.equal(await deleteCommand('hello', { adminUrl: api.url, json: true, output: json }), 0);
    assert.equal(json.stdout, '{"deleted":"hello"}\n');
  } finally {
    await api.close();
  }
});
