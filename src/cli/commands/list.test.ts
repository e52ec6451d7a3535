import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleFunction, startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { listCommand } from './list.js';

test('list prints the table, or the API JSON exactly', async () => {
  const body = { functions: [sampleFunction()] };
  const api = await startFakeAdminApi({ 'GET /v1/functions': { body } });
  try {
    const output = bufferOutput();
    assert.equal(await listCommand({ adminUrl: api.url, json: false, output }), 0);
    assert.match(output.stdout, /^NAME +VERSION +ROUTES +DEPLOYED\nhello-rust +v2 +GET,POST \/hello\/rust +2026-11-27T19:23:37Z\n$/);

    const json = bufferOutput();
    assert.equal(await listCommand({ adminUrl: api.url, json: true, output: json }), 0);
    assert.equal(json.stdout, `${JSON.stringify(body)}\n`);
  } finally {
    await api.close();
  }
});

test('a wrong token is one line naming the code', async () => {
  const api = await startFakeAdminApi({
    'GET /v1/functions': { status: 401, body: { error: { code: 'unauthorized', message: 'the bearer token is not valid' } } },
  });
  try {
    const output = bufferOutput();
    assert.equal(await listCommand({ adminUrl: api.url, token: 'wrong-token-wrong-token', json: false, output }), 1);
    assert.equal(output.stderr, 'wasmlet: the bearer token is not valid (unauthorized)\n');
    assert.equal(api.requests[0]?.headers.authorization, 'Bearer wrong-token-wrong-token');
  } finally {
    await api.close();
  }
});

test('quarantined functions follow the table, each with its file and reason', async () => {
  const body = { functions: [sampleFunction()], quarantined: [{ name: 'broken', file: '/data/functions/broken.json', reason: 'not valid JSON: Unexpected end of JSON input' }] };
  const api = await startFakeAdminApi({ 'GET /v1/functions': { body } });
  try {
    const output = bufferOutput();
    assert.equal(await listCommand({ adminUrl: api.url, json: false, output }), 0);
    assert.match(output.stdout, /hello-rust .*\n\nquarantined \(not served; .*\):\nbroken {2}\/data\/functions\/broken\.json: not valid JSON: Unexpected end of JSON input\n$/);
  } finally {
    await api.close();
  }
});
