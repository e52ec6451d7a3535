import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleMessage, startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { queuePeekCommand } from './queue-peek.js';

test('queue peek asks for the limit and prints one line per message, or the JSON', async () => {
  const body = { queue: 'jobs', messages: [sampleMessage({ id: 'm-1', body: 'hello' }), sampleMessage({ id: 'm-2', state: 'in-flight', attempt: 1, body: new Uint8Array([0xff]) })] };
  const api = await startFakeAdminApi({ 'GET /v1/queues/jobs/messages?limit=2': { body }, 'GET /v1/queues/idle/messages': { body: { queue: 'idle', messages: [] } } });
  try {
    const output = bufferOutput();
    assert.equal(await queuePeekCommand('jobs', { limit: 2 }, { adminUrl: api.url, json: false, output }), 0, output.stderr);
    assert.equal(output.stdout, 'm-1  visible    attempt 0  "hello"\nm-2  in-flight  attempt 1  <1 bytes binary>\n');

    const json = bufferOutput();
    assert.equal(await queuePeekCommand('jobs', { limit: 2 }, { adminUrl: api.url, json: true, output: json }), 0);
    assert.equal(json.stdout, `${JSON.stringify(body)}\n`);

    const empty = bufferOutput();
    assert.equal(await queuePeekCommand('idle', {}, { adminUrl: api.url, json: false, output: empty }), 0);
    assert.equal(empty.stdout, 'queue idle is empty\n');
  } finally {
    await api.close();
  }
});
