import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleInvocation, startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { invocationCommand } from './invocation.js';

test('invocation prints the record aligned, or the JSON', async () => {
  const body = { invocation: sampleInvocation({ id: 'inv-1', state: 'failed', attempts: 3, status: 500, lastError: 'hello-rust answered with status 500' }) };
  const api = await startFakeAdminApi({ 'GET /v1/invocations/inv-1': { body } });
  try {
    const output = bufferOutput();
    assert.equal(await invocationCommand('inv-1', { adminUrl: api.url, json: false, output }), 0, output.stderr);
    assert.match(output.stdout, /^invocation {2}inv-1\nfunction {4}hello-rust\nstate {7}failed\nattempts {4}3\nstatus {6}500\nlast error {2}hello-rust answered with status 500\n/);

    const json = bufferOutput();
    assert.equal(await invocationCommand('inv-1', { adminUrl: api.url, json: true, output: json }), 0);
    assert.equal(json.stdout, `${JSON.stringify(body)}\n`);
  } finally {
    await api.close();
  }
});

test('an unknown id is one line with invocation_not_found', async () => {
  const error = { code: 'invocation_not_found', message: 'no async invocation nope (records are kept for 24 hours)' };
  const api = await startFakeAdminApi({ 'GET /v1/invocations/nope': { status: 404, body: { error } } });
  try {
    const output = bufferOutput();
    assert.equal(await invocationCommand('nope', { adminUrl: api.url, json: false, output }), 1);
    assert.equal(output.stdout, '');
    assert.equal(output.stderr, 'wasmlet: no async invocation nope (records are kept for 24 hours) (invocation_not_found)\n');
  } finally {
    await api.close();
  }
});
